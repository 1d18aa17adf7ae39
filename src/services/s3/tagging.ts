// Tags: the `<Tagging>` document (buckets and objects), the `x-amz-tagging` header, and the object
// tagging operations. Object tags live in the object's metadata, changed in place as S3 does: the
// body, ETag and Last-Modified stay.
import { AwsXmlError, malformedXml, parseXml, readSmallBody, xmlChild, xmlList, xmlText, type RestXmlReply, type XmlObject } from '../protocol/rest-xml.ts';
import { header, objectAddress, type S3Call, type S3Context } from './call.ts';
import { MAX_CONFIG_BODY_BYTES, requireBucket } from './buckets.ts';
import { noSuchKey } from './errors.ts';

export const MAX_TAGS_PER_OBJECT = 10;
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;

function addTag(tags: Record<string, string>, key: string | undefined, value: string): void {
  if (key === undefined || key === '' || key.length > MAX_TAG_KEY) throw new AwsXmlError('InvalidTag', 400, 'The TagKey you have provided is invalid');
  if (value.length > MAX_TAG_VALUE) throw new AwsXmlError('InvalidTag', 400, 'The TagValue you have provided is invalid');
  if (key in tags) throw new AwsXmlError('InvalidTag', 400, 'Cannot provide multiple Tags with the same key');
  tags[key] = value;
}

function checkCount(tags: Record<string, string>, max: number): Record<string, string> {
  if (Object.keys(tags).length > max) throw new AwsXmlError('BadRequest', 400, `Object tags cannot be greater than ${max}`);
  return tags;
}

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>` → { key: value }. */
export function tagsFromXml(doc: XmlObject, max: number): Record<string, string> {
  const root = xmlChild(doc['Tagging']);
  if (!root) throw malformedXml();
  const tags: Record<string, string> = {};
  for (const tag of xmlList(xmlChild(root['TagSet'])?.['Tag'])) addTag(tags, xmlText(tag['Key']), xmlText(tag['Value']) ?? '');
  return checkCount(tags, max);
}

export function tagsToXml(tags: Record<string, string>): XmlObject {
  return { TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } };
}

/** `x-amz-tagging: k1=v1&k2=v2` (URL query encoding) on PutObject, CreateMultipartUpload, CopyObject. */
export function tagsFromHeader(call: S3Call): Record<string, string> | undefined {
  const raw = header(call, 'x-amz-tagging');
  if (raw === undefined) return undefined;
  const tags: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) addTag(tags, k, v);
  return checkCount(tags, MAX_TAGS_PER_OBJECT);
}

export async function getObjectTagging(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const { bucket, key } = objectAddress(call);
  const obj = await ctx.objects.head(bucket, key);
  if (!obj) {
    await requireBucket(ctx, bucket);
    throw noSuchKey(key);
  }
  return { status: 200, xml: { root: 'Tagging', body: tagsToXml(obj.tags ?? {}) } };
}

async function retag(ctx: S3Context, bucket: string, key: string, tags: Record<string, string>): Promise<void> {
  await requireBucket(ctx, bucket); // S3's NoSuchBucket error names the bucket; the store's does not
  const updated = await ctx.objects.setMeta(bucket, key, { tags: Object.keys(tags).length ? tags : undefined });
  if (!updated) throw noSuchKey(key);
}

export async function putObjectTagging(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const { bucket, key } = objectAddress(call);
  const body = await readSmallBody(call.body, MAX_CONFIG_BODY_BYTES);
  const tags = tagsFromXml(parseXml(body.toString('utf8'), new Set(['Tag'])), MAX_TAGS_PER_OBJECT);
  await retag(ctx, bucket, key, tags);
  return { status: 200 };
}

export async function deleteObjectTagging(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const { bucket, key } = objectAddress(call);
  await retag(ctx, bucket, key, {});
  return { status: 204 };
}
