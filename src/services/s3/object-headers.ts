// Object metadata on the wire: request headers → ObjectMeta, StoredObject → response headers.
import type { ObjectMeta, StoredObject } from '../../store/types.ts';
import { header, httpDate, type S3Call } from './call.ts';
import { storedContentEncoding } from './aws-chunked.ts';
import { checksumHeader, parseChecksumAlgorithm } from './checksums.ts';
import { AwsXmlError } from '../protocol/rest-xml.ts';
import { tagsFromHeader } from './tagging.ts';

/** S3 stores this when a PUT names no Content-Type. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
/** User metadata (names + values) is limited to 2 KB per object. */
export const MAX_USER_METADATA_BYTES = 2 * 1024;

const META_PREFIX = 'x-amz-meta-';

/** Metadata from a PutObject / CreateMultipartUpload / CopyObject(REPLACE) request. */
export function metaFromHeaders(call: S3Call): ObjectMeta {
  const userMetadata: Record<string, string> = {};
  let metaBytes = 0;
  for (const [name, value] of Object.entries(call.headers)) {
    if (!name.startsWith(META_PREFIX) || value === undefined) continue;
    const v = Array.isArray(value) ? value.join(',') : value;
    const k = name.slice(META_PREFIX.length);
    userMetadata[k] = v;
    metaBytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (metaBytes > MAX_USER_METADATA_BYTES) throw metadataTooLarge(metaBytes);
  const meta: ObjectMeta = { userMetadata, contentType: header(call, 'content-type') ?? DEFAULT_CONTENT_TYPE };
  const enc = storedContentEncoding(header(call, 'content-encoding'));
  if (enc !== undefined) meta.contentEncoding = enc;
  const disposition = header(call, 'content-disposition');
  if (disposition !== undefined) meta.contentDisposition = disposition;
  const cache = header(call, 'cache-control');
  if (cache !== undefined) meta.cacheControl = cache;
  const lang = header(call, 'content-language');
  if (lang !== undefined) meta.contentLanguage = lang;
  const expires = header(call, 'expires');
  if (expires !== undefined) meta.expires = expires;
  const tags = tagsFromHeader(call);
  if (tags && Object.keys(tags).length) meta.tags = tags;
  return meta;
}

function metadataTooLarge(size: number) {
  return new AwsXmlError('MetadataTooLarge', 400, 'Your metadata headers exceed the maximum allowed metadata size.',
    { fields: { Size: size, MaxSizeAllowed: MAX_USER_METADATA_BYTES } });
}

/** Headers describing a stored object (GetObject, HeadObject). */
export function objectHeaders(obj: StoredObject, opts: { checksumMode: boolean }): Record<string, string | number | undefined> {
  const h: Record<string, string | number | undefined> = {
    'etag': obj.etag,
    'last-modified': httpDate(obj.lastModified),
    'accept-ranges': 'bytes',
    'content-type': obj.contentType ?? DEFAULT_CONTENT_TYPE,
    'content-encoding': obj.contentEncoding,
    'content-disposition': obj.contentDisposition,
    'content-language': obj.contentLanguage,
    'cache-control': obj.cacheControl,
    'expires': obj.expires,
  };
  for (const [k, v] of Object.entries(obj.userMetadata)) h[META_PREFIX + k] = v;
  const tagCount = Object.keys(obj.tags ?? {}).length;
  if (tagCount) h['x-amz-tagging-count'] = tagCount;
  if (opts.checksumMode) {
    for (const [alg, value] of Object.entries(obj.checksums ?? {})) {
      const known = parseChecksumAlgorithm(alg);
      if (known) h[checksumHeader(known)] = value;
    }
    if (obj.checksums && Object.keys(obj.checksums).length) h['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return h;
}

/** `?response-content-type=...` and friends override headers of a GetObject response. */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

export function applyResponseOverrides(h: Record<string, string | number | undefined>, query: URLSearchParams): void {
  for (const [param, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const v = query.get(param);
    if (v !== null) h[name] = v;
  }
}
