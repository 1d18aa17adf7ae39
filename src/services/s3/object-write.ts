// PutObject and CopyObject: bodies stream from the socket (or the source object) into the store,
// decoded from aws-chunked and checked for integrity on the way; nothing is buffered.
import { pipeline, type Readable, type Transform } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { ObjectMeta, StoredObject } from '../../store/types.ts';
import type { RestXmlReply } from '../protocol/rest-xml.ts';
import { AwsChunkedDecoder, isAwsChunked, type ChunkSigning } from './aws-chunked.ts';
import { parseAuthorization, signingKey } from '../sigv4.ts';
import { header, isoTime, objectAddress, type S3Call, type S3Context } from './call.ts';
import { checksumHeader, IntegrityCheck, integrityFromHeaders, type ChecksumAlgorithm } from './checksums.ts';
import { requireBucket } from './buckets.ts';
import { checkPreconditions, refuseFailedWriteEarly, writeConditionError, writeConditions } from './preconditions.ts';
import { metaFromHeaders } from './object-headers.ts';
import { tagsFromHeader } from './tagging.ts';
import { entityTooLarge, incompleteBody, invalidArgument, invalidRequest, keyTooLong, noSuchKey } from './errors.ts';

/** S3's single-request upload limit (larger objects need multipart). */
export const MAX_PUT_OBJECT_BYTES = 5 * 1024 ** 3;
/** Object keys are at most 1024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

export function validateKey(key: string): void {
  const size = Buffer.byteLength(key);
  if (size > MAX_KEY_BYTES) throw keyTooLong(size, MAX_KEY_BYTES);
}

/** The body of an upload request as object bytes: aws-chunked framing removed, integrity checked at the end.
 *  `checksums` is filled in when the stream ends (trailer values arrive last). */
export type UploadBody = {
  body: Readable;
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
  /** Why the body failed (BadDigest, IncompleteBody...), preferred over the store's view of the same failure. */
  failure(): Error | undefined;
};

export function uploadBody(call: S3Call, maxBytes: number): UploadBody {
  const sha = header(call, 'x-amz-content-sha256');
  const chunked = isAwsChunked(sha, header(call, 'content-encoding'));
  const decodedHeader = header(call, 'x-amz-decoded-content-length');
  const declared = Number(chunked ? decodedHeader : header(call, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw entityTooLarge(declared, maxBytes);
  const expect = integrityFromHeaders(call.headers);
  let failed: Error | undefined;
  const onFailure = (err: Error) => { failed ??= err; };
  if (!chunked) {
    const check = new IntegrityCheck(expect);
    return { body: fromRequest(call.body, [check], onFailure), checksums: check.computed, failure: () => failed };
  }
  const signing = chunkSigning(call, sha);
  const decoder = new AwsChunkedDecoder({
    ...(decodedHeader !== undefined && Number.isFinite(declared) ? { decodedContentLength: declared } : {}),
    ...(signing ? { signing, signedTrailer: sha === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' } : {}),
  });
  const check = new IntegrityCheck({ ...expect, trailer: () => decoder.trailers });
  return { body: fromRequest(call.body, [decoder, check], onFailure), checksums: check.computed, failure: () => failed };
}

/**
 * Pipes the request body through `transforms`. Unlike stream.pipeline, a failure (bad chunk signature,
 * store error) does not destroy the request: the rest of the body is drained so the client still
 * gets S3's error response on a healthy connection.
 */
function fromRequest(req: IncomingMessage, transforms: [Transform, ...Transform[]], onFailure: (err: Error) => void): Readable {
  const fail = (err: Error) => {
    onFailure(err);
    req.unpipe(transforms[0]);
    req.resume();
  };
  if (transforms.length === 1) transforms[0].once('error', fail);
  else pipeline(transforms, (err) => { if (err) fail(err); });
  req.on('error', (err) => { onFailure(err); transforms[0].destroy(err); });
  req.on('close', () => { if (!req.complete) transforms[0].destroy(incompleteBody()); }); // the client went away
  req.pipe(transforms[0]);
  return transforms[transforms.length - 1]!;
}

/** Signed chunks are verified when the endpoint authenticated the request and so knows the secret. */
function chunkSigning(call: S3Call, sha: string | undefined): ChunkSigning | undefined {
  const secret = call.caller.secretAccessKey;
  if (secret === undefined || !sha?.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')) return undefined;
  const auth = parseAuthorization(call.body);
  if (!auth || auth.presigned) return undefined;
  return {
    key: signingKey(secret, auth.scopeDate, auth.region, auth.service), date: auth.date,
    scope: `${auth.scopeDate}/${auth.region}/${auth.service}/aws4_request`, seedSignature: auth.signature,
  };
}

/** Stores an upload body; when the body itself failed, that error (not the store's) answers the client. */
export async function storeUpload<T>(upload: UploadBody, write: (body: Readable) => Promise<T>): Promise<T> {
  try {
    return await write(upload.body);
  } catch (err) {
    throw upload.failure() ?? err;
  }
}

/** Response headers echoing the checksums the client sent, as S3 does. */
export function checksumResponseHeaders(checksums: Partial<Record<ChecksumAlgorithm, string>>): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [alg, v] of Object.entries(checksums)) h[checksumHeader(alg as ChecksumAlgorithm)] = v;
  if (Object.keys(h).length) h['x-amz-checksum-type'] = 'FULL_OBJECT';
  return h;
}

export async function putObject(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const { bucket, key } = objectAddress(call);
  validateKey(key);
  await requireBucket(ctx, bucket);
  const meta = metaFromHeaders(call);
  const cond = writeConditions(call);
  await refuseFailedWriteEarly(ctx, bucket, key, cond);
  const upload = uploadBody(call, MAX_PUT_OBJECT_BYTES);
  const checksums = upload.checksums;
  // The store reads `meta` when it publishes, after the body ended, so trailer checksums are in by then.
  meta.checksums = checksums;
  const stored = await storeUpload(upload, (body) => ctx.objects.put(bucket, key, body, meta, cond))
    .catch((err: unknown) => { throw writeConditionError(err, key, cond); });
  await ctx.notify(call, 'ObjectCreated:Put', bucket, key, stored);
  return { status: 200, headers: { etag: stored.etag, 'x-amz-server-side-encryption': 'AES256', ...checksumResponseHeaders(checksums) } };
}

/** `x-amz-copy-source: /bucket/url%20encoded/key[?versionId=...]` → bucket and key. */
export function parseCopySource(value: string): { bucket: string; key: string } {
  let v = value.trim();
  const q = v.indexOf('?');
  if (q !== -1) {
    const versionId = new URLSearchParams(v.slice(q + 1)).get('versionId');
    if (versionId !== null && versionId !== 'null') throw invalidArgument('Invalid version id specified', 'x-amz-copy-source', value);
    v = v.slice(0, q);
  }
  // Decoded whole before splitting: clients encode either the key alone or bucket, `/` and key
  // together (`encodeURIComponent(bucket + '/' + key)`), and bucket names never hold a `/`.
  try {
    v = decodeURIComponent(v);
  } catch {
    throw invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', value);
  }
  if (v.startsWith('/')) v = v.slice(1);
  const slash = v.indexOf('/');
  if (slash <= 0 || slash === v.length - 1) throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', value);
  return { bucket: v.slice(0, slash), key: v.slice(slash + 1) };
}

/** Opens the copy source after checking its x-amz-copy-source-if-* conditions. */
export async function openCopySource(ctx: S3Context, call: S3Call, range?: { start: number; end: number }): Promise<{ object: StoredObject; body: Readable }> {
  const src = parseCopySource(header(call, 'x-amz-copy-source')!);
  await requireBucket(ctx, src.bucket);
  const head = await ctx.objects.head(src.bucket, src.key);
  if (!head) throw noSuchKey(src.key);
  checkPreconditions(head, {
    ifMatch: header(call, 'x-amz-copy-source-if-match'),
    ifNoneMatch: header(call, 'x-amz-copy-source-if-none-match'),
    ifModifiedSince: header(call, 'x-amz-copy-source-if-modified-since'),
    ifUnmodifiedSince: header(call, 'x-amz-copy-source-if-unmodified-since'),
  }, 'copy');
  const opened = await ctx.objects.get(src.bucket, src.key, range);
  if (!opened) throw noSuchKey(src.key);
  return opened;
}

export async function copyObject(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const { bucket, key } = objectAddress(call);
  validateKey(key);
  await requireBucket(ctx, bucket);
  const src = parseCopySource(header(call, 'x-amz-copy-source')!);
  const directive = (header(call, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  }
  if (src.bucket === bucket && src.key === key && directive === 'COPY' && header(call, 'x-amz-storage-class') === undefined &&
    header(call, 'x-amz-server-side-encryption') === undefined) {
    throw invalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  const replaceMeta = directive === 'REPLACE' ? metaFromHeaders(call) : undefined;
  const cond = writeConditions(call);
  await refuseFailedWriteEarly(ctx, bucket, key, cond);
  const { object, body } = await openCopySource(ctx, call);
  const meta: ObjectMeta = replaceMeta ?? {
    userMetadata: { ...object.userMetadata }, contentType: object.contentType, contentEncoding: object.contentEncoding,
    contentDisposition: object.contentDisposition, cacheControl: object.cacheControl, contentLanguage: object.contentLanguage,
    expires: object.expires,
  };
  if (object.checksums) meta.checksums = { ...object.checksums }; // same bytes, same checksums
  const tagging = (header(call, 'x-amz-tagging-directive') ?? 'COPY').toUpperCase();
  if (tagging === 'COPY') {
    if (object.tags) meta.tags = { ...object.tags };
    else delete meta.tags;
  } else if (tagging === 'REPLACE') {
    const tags = tagsFromHeader(call);
    if (tags && Object.keys(tags).length) meta.tags = tags;
    else delete meta.tags;
  } else {
    throw invalidArgument('Unknown tagging directive.', 'x-amz-tagging-directive', tagging);
  }
  for (const k of Object.keys(meta) as (keyof ObjectMeta)[]) if (meta[k] === undefined) delete meta[k];
  const stored = await ctx.objects.put(bucket, key, body, meta, cond).catch((err: unknown) => { throw writeConditionError(err, key, cond); });
  await ctx.notify(call, 'ObjectCreated:Copy', bucket, key, stored);
  return {
    status: 200,
    headers: { 'x-amz-server-side-encryption': 'AES256' },
    xml: { root: 'CopyObjectResult', body: { LastModified: isoTime(stored.lastModified), ETag: stored.etag } },
  };
}
