// Conditional requests on an existing object (RFC 7232 as S3 applies it): If-Match / If-Unmodified-Since
// fail with 412; If-None-Match / If-Modified-Since answer 304 on reads, 412 on copies. Conditional
// writes (If-None-Match: *, If-Match on PUT, copy and complete) are decided by the store.
import { checkWriteConditions } from '../../store/index.ts';
import type { StoredObject, WriteConditions } from '../../store/types.ts';
import { GannetError } from '../../shared/errors.ts';
import { header, type S3Call, type S3Context } from './call.ts';
import { invalidArgument, noSuchKey, preconditionFailed } from './errors.ts';

export type Preconditions = {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | undefined;
  ifUnmodifiedSince?: string | undefined;
};

function etagListMatches(list: string, etag: string): boolean {
  const bare = etag.replace(/^"|"$/g, '');
  return list.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return v === '*' || v === bare;
  });
}

/** HTTP dates have second precision; compare Last-Modified truncated to the second. */
function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function parseDate(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : seconds(t);
}

/** Returns 'not-modified' for a read that should answer 304; throws 412 PreconditionFailed. */
export function checkPreconditions(obj: StoredObject, p: Preconditions, mode: 'read' | 'copy'): 'ok' | 'not-modified' {
  const modified = seconds(obj.lastModified);
  if (p.ifMatch !== undefined) {
    if (!etagListMatches(p.ifMatch, obj.etag)) throw preconditionFailed(mode === 'copy' ? 'x-amz-copy-source-If-Match' : 'If-Match');
  } else {
    const since = parseDate(p.ifUnmodifiedSince);
    if (since !== undefined && modified > since) {
      throw preconditionFailed(mode === 'copy' ? 'x-amz-copy-source-If-Unmodified-Since' : 'If-Unmodified-Since');
    }
  }
  if (p.ifNoneMatch !== undefined) {
    if (etagListMatches(p.ifNoneMatch, obj.etag)) {
      if (mode === 'copy') throw preconditionFailed('x-amz-copy-source-If-None-Match');
      return 'not-modified';
    }
  } else {
    const since = parseDate(p.ifModifiedSince);
    if (since !== undefined && modified <= since) {
      if (mode === 'copy') throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
      return 'not-modified';
    }
  }
  return 'ok';
}

/** A write's conditions: `If-None-Match: *` (create only) and `If-Match: "<etag>"` (replace only that version). */
export function writeConditions(call: S3Call): WriteConditions {
  const ifNoneMatch = header(call, 'if-none-match');
  const ifMatch = header(call, 'if-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') throw invalidArgument('If-None-Match only accepts "*" on writes', 'If-None-Match', '');
  return { ...(ifNoneMatch !== undefined ? { ifNoneMatch: '*' } : {}), ...(ifMatch !== undefined ? { ifMatch } : {}) };
}

/** Refuses a write whose condition already fails before its body is read. Only a fast path: the
 *  store decides again when it publishes, atomically, which is what makes concurrent writers safe. */
export async function refuseFailedWriteEarly(ctx: S3Context, bucket: string, key: string, cond: WriteConditions): Promise<void> {
  if (cond.ifNoneMatch === undefined && cond.ifMatch === undefined) return;
  try {
    checkWriteConditions(bucket, key, await ctx.objects.head(bucket, key), cond);
  } catch (err) {
    throw writeConditionError(err, key, cond);
  }
}

/** The store's verdict on a write condition as S3 answers it: 412 PreconditionFailed naming the
 *  condition, or 404 NoSuchKey for If-Match on a missing key. Other errors pass through. */
export function writeConditionError(err: unknown, key: string, cond: WriteConditions): unknown {
  if (!(err instanceof GannetError)) return err;
  // The store decides If-None-Match first, so a failure with it present is its failure.
  if (err.code === 'GANNET_PRECONDITION_FAILED') return preconditionFailed(cond.ifNoneMatch !== undefined ? 'If-None-Match' : 'If-Match');
  if (err.code === 'GANNET_OBJECT_NOT_FOUND') return noSuchKey(key);
  return err;
}
