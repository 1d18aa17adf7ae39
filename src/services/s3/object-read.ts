// GetObject and HeadObject: conditional requests, byte ranges and response header overrides.
import type { StoredObject } from '../../store/types.ts';
import type { RestXmlReply } from '../protocol/rest-xml.ts';
import { header, objectAddress, type S3Call, type S3Context } from './call.ts';
import { requireBucket } from './buckets.ts';
import { AwsXmlError } from '../protocol/rest-xml.ts';
import { invalidArgument, invalidRange, noSuchKey, notImplemented } from './errors.ts';
import { applyResponseOverrides, objectHeaders } from './object-headers.ts';
import { checkPreconditions } from './preconditions.ts';

export type ByteRange = { start: number; end: number };

/**
 * Parses `Range: bytes=a-b | a- | -n` against an object size. Undefined means "send everything"
 * (no header, a syntax S3 ignores, or several ranges); throws 416 when nothing is satisfiable.
 */
export function parseRange(value: string | undefined, size: number): ByteRange | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(value);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw invalidRange(value, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined; // invalid syntax: RFC 7233 says ignore
  if (start >= size) throw invalidRange(value, size);
  return { start, end };
}

/**
 * `?partNumber=N` reads one part of an object. The store keeps no part boundaries after completion,
 * so only part 1 of a single-part object (the whole object, as S3 answers) is served.
 */
function partRange(obj: StoredObject, raw: string): ByteRange | undefined {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 10_000) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
  }
  if (obj.etag.includes('-')) throw notImplemented('Reading one part of a multipart object (?partNumber)');
  if (n !== 1) throw new AwsXmlError('InvalidPartNumber', 416, 'The requested partnumber is not satisfiable', { fields: { PartNumberRequested: n, ActualPartCount: 1 } });
  return obj.size === 0 ? undefined : { start: 0, end: obj.size - 1 };
}

function requestedRange(call: S3Call, obj: StoredObject): ByteRange | undefined {
  const part = call.query.get('partNumber');
  return part !== null ? partRange(obj, part) : parseRange(header(call, 'range'), obj.size);
}

/** Finds the object or says precisely what is missing: the bucket or the key. */
async function requireObject(ctx: S3Context, bucket: string, key: string): Promise<StoredObject> {
  const obj = await ctx.objects.head(bucket, key);
  if (obj) return obj;
  await requireBucket(ctx, bucket);
  throw noSuchKey(key);
}

function conditions(call: S3Call) {
  return {
    ifMatch: header(call, 'if-match'), ifNoneMatch: header(call, 'if-none-match'),
    ifModifiedSince: header(call, 'if-modified-since'), ifUnmodifiedSince: header(call, 'if-unmodified-since'),
  };
}

function notModified(obj: StoredObject): RestXmlReply {
  return { status: 304, headers: { etag: obj.etag, 'last-modified': new Date(obj.lastModified).toUTCString() } };
}

function readHeaders(call: S3Call, obj: StoredObject, range: ByteRange | undefined): Record<string, string | number | undefined> {
  const checksumMode = (header(call, 'x-amz-checksum-mode') ?? '').toUpperCase() === 'ENABLED' && range === undefined;
  const h = objectHeaders(obj, { checksumMode });
  h['x-amz-server-side-encryption'] = 'AES256';
  if (range) {
    h['content-range'] = `bytes ${range.start}-${range.end}/${obj.size}`;
    h['content-length'] = range.end - range.start + 1;
  } else {
    h['content-length'] = obj.size;
  }
  applyResponseOverrides(h, call.query);
  return h;
}

export async function headObject(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const { bucket, key } = objectAddress(call);
  const obj = await requireObject(ctx, bucket, key);
  if (checkPreconditions(obj, conditions(call), 'read') === 'not-modified') return notModified(obj);
  const range = requestedRange(call, obj);
  return { status: range ? 206 : 200, headers: readHeaders(call, obj, range) };
}

export async function getObject(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const { bucket, key } = objectAddress(call);
  const head = await requireObject(ctx, bucket, key);
  if (checkPreconditions(head, conditions(call), 'read') === 'not-modified') return notModified(head);
  const range = requestedRange(call, head);
  const opened = await ctx.objects.get(bucket, key, range);
  if (!opened) throw noSuchKey(key); // deleted between head and get
  // The object may have been replaced between head and get: describe the bytes actually sent.
  const obj = opened.object;
  if (range && range.end > obj.size - 1) {
    opened.body.destroy();
    throw invalidRange(header(call, 'range')!, obj.size);
  }
  return { status: range ? 206 : 200, headers: readHeaders(call, obj, range), body: opened.body };
}
