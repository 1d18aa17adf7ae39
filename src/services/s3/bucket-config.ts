// Bucket sub-resources kept as bucket config: ?notification, ?cors, ?tagging, ?versioning.
import { parseXml, readSmallBody, xmlChild, xmlText, malformedXml, type RestXmlReply, type XmlObject } from '../protocol/rest-xml.ts';
import { AwsXmlError } from '../protocol/rest-xml.ts';
import type { S3Call, S3Context } from './call.ts';
import { MAX_CONFIG_BODY_BYTES, requireBucket } from './buckets.ts';
import { invalidArgument, notImplemented } from './errors.ts';
import {
  NOTIFICATION_CONFIG_KEY, NOTIFICATION_XML_ARRAYS, notificationConfigFromXml, notificationConfigToXml, parseNotificationConfig,
} from './notification-config.ts';
import { tagsFromXml, tagsToXml } from './tagging.ts';
import { CORS_CONFIG_KEY, CORS_XML_ARRAYS, corsConfigFromXml, corsConfigToXml, parseCorsConfig } from './cors.ts';

export const TAGGING_CONFIG_KEY = 'tagging';
export const MAX_TAGS_PER_BUCKET = 50;

async function readXml(call: S3Call, arrays: ReadonlySet<string>): Promise<XmlObject> {
  const body = await readSmallBody(call.body, MAX_CONFIG_BODY_BYTES);
  if (!body.length) throw malformedXml();
  return parseXml(body.toString('utf8'), arrays);
}

export async function getBucketNotificationConfiguration(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const info = await requireBucket(ctx, call.bucket!);
  const cfg = parseNotificationConfig(info.config[NOTIFICATION_CONFIG_KEY]);
  const declared = ctx.env.notifications.declaredTargets?.(call.bucket!) ?? [];
  return { status: 200, xml: { root: 'NotificationConfiguration', body: notificationConfigToXml({ ...cfg, targets: [...declared, ...cfg.targets] }) } };
}

export async function putBucketNotificationConfiguration(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  await requireBucket(ctx, call.bucket!);
  const cfg = notificationConfigFromXml(await readXml(call, NOTIFICATION_XML_ARRAYS));
  await ctx.objects.setBucketConfig(call.bucket!, NOTIFICATION_CONFIG_KEY, cfg);
  // S3 greets each queue and topic of a new configuration with an s3:TestEvent (functions get none).
  const targets = cfg.targets.flatMap((t) => t.kind === 'lambda' ? [] : [{ kind: t.kind, arn: t.arn }]);
  if (targets.length > 0) {
    await ctx.env.notifications.s3TestEvent?.({ bucket: call.bucket!, requestId: call.requestId, hostId: call.hostId, time: ctx.env.clock.now(), targets });
  }
  return { status: 200 };
}

export async function getBucketCors(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const info = await requireBucket(ctx, call.bucket!);
  const cfg = parseCorsConfig(info.config[CORS_CONFIG_KEY]);
  if (!cfg) {
    throw new AwsXmlError('NoSuchCORSConfiguration', 404, 'The CORS configuration does not exist', { fields: { BucketName: call.bucket } });
  }
  return { status: 200, xml: { root: 'CORSConfiguration', body: corsConfigToXml(cfg) } };
}

export async function putBucketCors(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  await requireBucket(ctx, call.bucket!);
  const cfg = corsConfigFromXml(await readXml(call, CORS_XML_ARRAYS));
  await ctx.objects.setBucketConfig(call.bucket!, CORS_CONFIG_KEY, cfg);
  return { status: 200 };
}

export async function deleteBucketCors(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  await requireBucket(ctx, call.bucket!);
  await ctx.objects.setBucketConfig(call.bucket!, CORS_CONFIG_KEY, null);
  return { status: 204 };
}

export async function getBucketTagging(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const info = await requireBucket(ctx, call.bucket!);
  const tags = info.config[TAGGING_CONFIG_KEY] as Record<string, string> | null | undefined;
  if (!tags) throw new AwsXmlError('NoSuchTagSet', 404, 'The TagSet does not exist', { fields: { BucketName: call.bucket } });
  return { status: 200, xml: { root: 'Tagging', body: tagsToXml(tags) } };
}

export async function putBucketTagging(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  await requireBucket(ctx, call.bucket!);
  const tags = tagsFromXml(await readXml(call, new Set(['Tag'])), MAX_TAGS_PER_BUCKET);
  await ctx.objects.setBucketConfig(call.bucket!, TAGGING_CONFIG_KEY, tags);
  return { status: 204 };
}

export async function deleteBucketTagging(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  await requireBucket(ctx, call.bucket!);
  await ctx.objects.setBucketConfig(call.bucket!, TAGGING_CONFIG_KEY, null);
  return { status: 204 };
}

/** Gannet buckets are never versioned: an empty configuration means "never enabled". */
export async function getBucketVersioning(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  await requireBucket(ctx, call.bucket!);
  return { status: 200, xml: { root: 'VersioningConfiguration', body: {} } };
}

export async function putBucketVersioning(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  await requireBucket(ctx, call.bucket!);
  const doc = await readXml(call, new Set());
  const status = xmlText(xmlChild(doc['VersioningConfiguration'])?.['Status']);
  if (status === 'Enabled') throw notImplemented('Bucket versioning');
  if (status !== 'Suspended' && status !== undefined) throw invalidArgument('Invalid Versioning Status', 'Status', status);
  return { status: 200 };
}
