// Conditional requests on an existing object (RFC 7232 as S3 applies it): If-Match / If-Unmodified-Since
// fail with 412; If-None-Match / If-Modified-Since answer 304 on reads, 412 on copies.
import type { StoredObject } from '../../store/types.ts';
import { preconditionFailed } from './errors.ts';

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
