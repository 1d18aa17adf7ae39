// Conditional writes decided against the object a write would replace: every backend calls this
// inside its publishing transaction; callers may also call it early to refuse before reading a body.
import type { StoredObject, WriteConditions } from './types.ts';
import { objectNotFound, preconditionFailed } from './errors.ts';

const bareEtag = (etag: string) => etag.trim().replace(/^"|"$/g, '').toLowerCase();

export function hasWriteConditions(cond: WriteConditions): boolean {
  return cond.ifNoneMatch !== undefined || cond.ifMatch !== undefined;
}

/** Throws unless `cond` holds for `current` (the object now under the key, if any); If-None-Match
 *  is decided first. */
export function checkWriteConditions(bucket: string, key: string, current: StoredObject | undefined, cond: WriteConditions): void {
  if (cond.ifNoneMatch !== undefined && current) throw preconditionFailed(bucket, key, 'If-None-Match');
  if (cond.ifMatch === undefined) return;
  if (!current) throw objectNotFound(bucket, key);
  if (cond.ifMatch.trim() !== '*' && bareEtag(cond.ifMatch) !== bareEtag(current.etag)) throw preconditionFailed(bucket, key, 'If-Match');
}
