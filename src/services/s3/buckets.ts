// Bucket operations: CreateBucket, ListBuckets, HeadBucket, DeleteBucket, GetBucketLocation.
import { createHash } from 'node:crypto';
import type { BucketInfo } from '../../store/types.ts';
import { GannetError } from '../../shared/errors.ts';
import { parseXml, readSmallBody, xmlChild, xmlText, type RestXmlReply } from '../protocol/rest-xml.ts';
import { isoTime, type S3Call, type S3Context } from './call.ts';
import { bucketAlreadyOwnedByYou, bucketNotEmpty, invalidArgument, invalidBucketName, noSuchBucket } from './errors.ts';

/** XML configuration documents (CreateBucketConfiguration, CORS, tagging...) are small. */
export const MAX_CONFIG_BODY_BYTES = 1024 * 1024;
/** The region S3 treats specially: an existing own bucket is re-created with 200, not 409. */
const LEGACY_REGION = 'us-east-1';

/** S3's naming rules for new buckets (general purpose buckets). */
export function validateBucketName(name: string): void {
  const ok = name.length >= 3 && name.length <= 63 && /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) &&
    !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name) && !name.startsWith('xn--') &&
    !name.startsWith('sthree-') && !name.endsWith('-s3alias') && !name.endsWith('--ol-s3');
  if (!ok) throw invalidBucketName(name);
}

export async function requireBucket(ctx: S3Context, name: string): Promise<BucketInfo> {
  const info = await ctx.objects.getBucket(name);
  if (!info) throw noSuchBucket(name);
  return info;
}

/** Owner element for listings: a stable canonical id derived from the account. */
export function ownerOf(ctx: S3Context): { ID: string; DisplayName: string } {
  return { ID: createHash('sha256').update(ctx.env.accountId).digest('hex'), DisplayName: 'gannet' };
}

export async function createBucket(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const name = call.bucket!;
  validateBucketName(name);
  const body = await readSmallBody(call.body, MAX_CONFIG_BODY_BYTES);
  let region = call.caller.region || ctx.env.region;
  if (body.length) {
    const doc = parseXml(body.toString('utf8'), new Set());
    const cfg = xmlChild(doc['CreateBucketConfiguration']);
    const constraint = xmlText(cfg?.['LocationConstraint'])?.trim();
    if (constraint === LEGACY_REGION) {
      throw new GannetError('GANNET_S3_INVALID_LOCATION_CONSTRAINT', 'The specified location-constraint is not valid',
        { awsCode: 'InvalidLocationConstraint', status: 400 });
    }
    if (constraint) region = constraint;
  }
  const created = await ctx.objects.createBucket(name, region);
  if (!created) {
    const existing = await ctx.objects.getBucket(name);
    if ((existing?.region ?? region) !== LEGACY_REGION) throw bucketAlreadyOwnedByYou(name);
  }
  return { status: 200, headers: { location: `/${name}` } };
}

export async function listBuckets(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const prefix = call.query.get('prefix') ?? '';
  const regionFilter = call.query.get('bucket-region');
  const maxParam = call.query.get('max-buckets');
  const max = maxParam === null ? Infinity : Number(maxParam);
  if (maxParam !== null && (!Number.isInteger(max) || max < 1 || max > 10000)) {
    throw invalidArgument('Argument max-buckets must be an integer between 1 and 10000.', 'max-buckets', maxParam);
  }
  const after = call.query.get('continuation-token') ?? '';
  const all = (await ctx.objects.listBuckets())
    .filter((b) => b.name.startsWith(prefix) && b.name > after && (!regionFilter || b.region === regionFilter))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = all.slice(0, max);
  const truncated = page.length < all.length;
  return {
    status: 200,
    xml: {
      root: 'ListAllMyBucketsResult',
      body: {
        Owner: ownerOf(ctx),
        Buckets: { Bucket: page.map((b) => ({ Name: b.name, CreationDate: isoTime(b.createdAt), BucketRegion: b.region })) },
        ContinuationToken: truncated ? page[page.length - 1]!.name : undefined,
        Prefix: call.query.has('prefix') ? prefix : undefined,
      },
    },
  };
}

export async function headBucket(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const info = await requireBucket(ctx, call.bucket!);
  return { status: 200, headers: { 'x-amz-bucket-region': info.region, 'x-amz-access-point-alias': 'false' } };
}

export async function deleteBucket(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const name = call.bucket!;
  await requireBucket(ctx, name);
  const { objects } = await ctx.objects.list(name, { maxKeys: 1 });
  if (objects.length) throw bucketNotEmpty(name);
  try {
    await ctx.objects.deleteBucket(name);
  } catch (err) {
    if (err instanceof GannetError && err.code === 'GANNET_BUCKET_NOT_EMPTY') throw bucketNotEmpty(name);
    throw err;
  }
  return { status: 204 };
}

export async function getBucketLocation(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const info = await requireBucket(ctx, call.bucket!);
  // us-east-1 is reported as an empty constraint, as S3 does.
  return { status: 200, xml: { root: 'LocationConstraint', body: { '#text': info.region === LEGACY_REGION ? '' : info.region } } };
}
