// ListObjectsV2 and ListObjects (v1): prefix, delimiter roll-up into CommonPrefixes, paging by
// continuation token / start-after / marker, and encoding-type=url (aws-compat §13.3).
import type { StoredObject } from '../../store/types.ts';
import type { RestXmlReply, XmlObject } from '../protocol/rest-xml.ts';
import { isoTime, type S3Call, type S3Context } from './call.ts';
import { ownerOf, requireBucket } from './buckets.ts';
import { invalidArgument } from './errors.ts';

/** Default and maximum `max-keys`. */
export const MAX_LIST_KEYS = 1000;
/** Rows asked of the store per page while rolling keys up into common prefixes. */
const STORE_PAGE = 1000;
/** Largest code point: `prefix + this` sorts after every key under `prefix` but the pathological ones. */
const AFTER_ALL = '\u{10FFFF}';

type Entry = { kind: 'object'; object: StoredObject } | { kind: 'prefix'; prefix: string };

export type ListingPage = { entries: Entry[]; truncated: boolean; next: string | undefined; lastKey: string | undefined };

/** Keys are ordered by UTF-8 bytes, as S3 (and the store) sort them. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Walks keys after `startAfter` and returns up to `maxKeys` entries. `next` is where the next page
 * starts (a key, or just past a common prefix), `lastKey` the last key or prefix returned.
 */
export async function listEntries(ctx: S3Context, bucket: string,
  opts: { prefix: string; delimiter: string; startAfter: string; maxKeys: number }): Promise<ListingPage> {
  const { prefix, delimiter, maxKeys } = opts;
  const entries: Entry[] = [];
  let cursor = opts.startAfter;
  let lastPrefix: string | undefined;
  for (;;) {
    const page = await ctx.objects.list(bucket, { prefix, startAfter: cursor, maxKeys: STORE_PAGE });
    let restart = false;
    for (const object of page.objects) {
      let entry: Entry = { kind: 'object', object };
      if (delimiter !== '') {
        const idx = object.key.indexOf(delimiter, prefix.length);
        if (idx !== -1) {
          const cp = object.key.slice(0, idx + delimiter.length);
          // Already returned, or before the requested start (a marker inside this prefix).
          if (cp === lastPrefix || compareUtf8(cp, opts.startAfter) <= 0) {
            const past = cp + AFTER_ALL;
            if (compareUtf8(past, object.key) <= 0) { cursor = object.key; continue; } // pathological key
            cursor = past;
            restart = true;
            break;
          }
          entry = { kind: 'prefix', prefix: cp };
        }
      }
      if (entries.length >= maxKeys) return finish(entries, true);
      entries.push(entry);
      if (entry.kind === 'prefix') {
        lastPrefix = entry.prefix;
        cursor = entry.prefix + AFTER_ALL; // jump over every key rolled up into this prefix
        restart = true;
        break;
      }
      cursor = object.key;
    }
    if (!restart && !page.truncated) return finish(entries, false);
  }
}

function finish(entries: Entry[], truncated: boolean): ListingPage {
  const last = entries[entries.length - 1];
  const lastKey = last === undefined ? undefined : last.kind === 'object' ? last.object.key : last.prefix;
  const next = last === undefined ? undefined : last.kind === 'object' ? last.object.key : last.prefix + AFTER_ALL;
  return { entries, truncated, next, lastKey };
}

function parseMaxKeys(call: S3Call): number {
  const raw = call.query.get('max-keys');
  if (raw === null || raw === '') return MAX_LIST_KEYS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', raw);
  }
  return Math.min(n, MAX_LIST_KEYS);
}

function encoder(call: S3Call): (s: string) => string {
  const type = call.query.get('encoding-type');
  if (type === null) return (s) => s;
  if (type !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', type);
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}

function contents(ctx: S3Context, entries: Entry[], enc: (s: string) => string, withOwner: boolean): XmlObject {
  const owner = withOwner ? ownerOf(ctx) : undefined;
  return {
    Contents: entries.flatMap((e) => e.kind === 'object' ? [{
      Key: enc(e.object.key), LastModified: isoTime(e.object.lastModified), ETag: e.object.etag,
      Size: e.object.size, Owner: owner, StorageClass: 'STANDARD',
    }] : []),
    CommonPrefixes: entries.flatMap((e) => e.kind === 'prefix' ? [{ Prefix: enc(e.prefix) }] : []),
  };
}

/** Continuation tokens are opaque to clients: base64url of the position to resume after. */
function encodeToken(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const position = Buffer.from(token, 'base64url').toString('utf8');
  if (encodeToken(position) !== token.replace(/=+$/, '')) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return position;
}

export async function listObjectsV2(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const bucket = call.bucket!;
  await requireBucket(ctx, bucket);
  const enc = encoder(call);
  const q = call.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = parseMaxKeys(call);
  const token = q.get('continuation-token');
  if (token === '') throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  const startAfter = q.get('start-after') ?? '';
  const from = token !== null ? decodeToken(token) : startAfter;
  const page = await listEntries(ctx, bucket, { prefix, delimiter, startAfter: from, maxKeys });
  return {
    status: 200,
    xml: {
      root: 'ListBucketResult',
      body: {
        Name: bucket, Prefix: enc(prefix), Delimiter: delimiter ? enc(delimiter) : undefined, MaxKeys: maxKeys,
        EncodingType: q.get('encoding-type') ?? undefined, KeyCount: page.entries.length, IsTruncated: page.truncated,
        ContinuationToken: token ?? undefined,
        NextContinuationToken: page.truncated && page.next !== undefined ? encodeToken(page.next) : undefined,
        StartAfter: q.has('start-after') ? enc(startAfter) : undefined,
        ...contents(ctx, page.entries, enc, q.get('fetch-owner') === 'true'),
      },
    },
  };
}

export async function listObjectsV1(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const bucket = call.bucket!;
  await requireBucket(ctx, bucket);
  const enc = encoder(call);
  const q = call.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const marker = q.get('marker') ?? '';
  const maxKeys = parseMaxKeys(call);
  const page = await listEntries(ctx, bucket, { prefix, delimiter, startAfter: marker, maxKeys });
  return {
    status: 200,
    xml: {
      root: 'ListBucketResult',
      body: {
        Name: bucket, Prefix: enc(prefix), Marker: enc(marker),
        // S3 sends NextMarker only with a delimiter; without one clients resume from the last key.
        NextMarker: page.truncated && delimiter && page.lastKey !== undefined ? enc(page.lastKey) : undefined,
        MaxKeys: maxKeys, Delimiter: delimiter ? enc(delimiter) : undefined, IsTruncated: page.truncated,
        EncodingType: q.get('encoding-type') ?? undefined,
        ...contents(ctx, page.entries, enc, true),
      },
    },
  };
}

/** ListObjectVersions: Gannet buckets are unversioned, so each object is its one `null` version (as S3
 *  lists objects in a never-versioned bucket); cleanup tools that walk versions work unchanged. */
export async function listObjectVersions(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const bucket = call.bucket!;
  await requireBucket(ctx, bucket);
  const enc = encoder(call);
  const q = call.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const maxKeys = parseMaxKeys(call);
  const page = await listEntries(ctx, bucket, { prefix, delimiter, startAfter: keyMarker, maxKeys });
  const owner = ownerOf(ctx);
  return {
    status: 200,
    xml: {
      root: 'ListVersionsResult',
      body: {
        Name: bucket, Prefix: enc(prefix), KeyMarker: enc(keyMarker), VersionIdMarker: q.get('version-id-marker') ?? '',
        NextKeyMarker: page.truncated && page.lastKey !== undefined ? enc(page.lastKey) : undefined,
        NextVersionIdMarker: page.truncated ? 'null' : undefined,
        MaxKeys: maxKeys, Delimiter: delimiter ? enc(delimiter) : undefined, IsTruncated: page.truncated,
        EncodingType: q.get('encoding-type') ?? undefined,
        Version: page.entries.flatMap((e) => e.kind === 'object' ? [{
          Key: enc(e.object.key), VersionId: 'null', IsLatest: true, LastModified: isoTime(e.object.lastModified),
          ETag: e.object.etag, Size: e.object.size, Owner: owner, StorageClass: 'STANDARD',
        }] : []),
        CommonPrefixes: page.entries.flatMap((e) => e.kind === 'prefix' ? [{ Prefix: enc(e.prefix) }] : []),
      },
    },
  };
}
