// What the object store's parts share: the database, its statements, the body files and the clock.
import type { Clock } from '../../../shared/clock.ts';
import type { ObjectMeta, StoredObject, WriteConditions } from '../../types.ts';
import type { Db } from '../db.ts';
import type { BodyFiles, WrittenBody } from './body-files.ts';
import { prepareBucketSql } from './bucket-sql.ts';
import { prepareObjectSql } from './object-sql.ts';
import { prepareUploadSql } from './upload-sql.ts';
import { bucketNotFound } from '../../errors.ts';
import { checkWriteConditions, hasWriteConditions } from '../../conditions.ts';

export type ObjectCtx = {
  db: Db;
  clock: Clock;
  files: BodyFiles;
  buckets: ReturnType<typeof prepareBucketSql>;
  objects: ReturnType<typeof prepareObjectSql>;
  uploads: ReturnType<typeof prepareUploadSql>;
};

export function objectCtx(db: Db, clock: Clock, files: BodyFiles): ObjectCtx {
  return { db, clock, files, buckets: prepareBucketSql(db.sql), objects: prepareObjectSql(db.sql), uploads: prepareUploadSql(db.sql) };
}

/** Publishes a body file already renamed into place: commits the row (plus `alsoInTx`, run in the
 *  same transaction), then removes the replaced body. If the commit fails the new file is removed,
 *  so either the old or the new object is visible, never a mix. `cond` is decided inside the
 *  transaction (BEGIN IMMEDIATE holds the write lock), so concurrent conditional writers serialize. */
export async function publish(
  ctx: ObjectCtx, bucket: string, key: string, body: WrittenBody, meta: ObjectMeta, etag: string,
  cond: WriteConditions = {}, alsoInTx: () => string[] = () => [],
): Promise<StoredObject> {
  const object: StoredObject = { ...meta, bucket, key, size: body.size, etag, lastModified: ctx.clock.now() };
  let obsolete: string[];
  try {
    obsolete = ctx.db.tx(() => {
      if (!ctx.buckets.exists(bucket)) throw bucketNotFound(bucket);
      if (hasWriteConditions(cond)) checkWriteConditions(bucket, key, ctx.objects.select(bucket, key)?.object, cond);
      const extra = alsoInTx();
      const prev = ctx.objects.upsert(object, meta, body.file);
      return prev === undefined ? extra : [prev, ...extra];
    });
  } catch (err) {
    await ctx.files.remove(body.file);
    throw err;
  }
  await Promise.all(obsolete.map((f) => ctx.files.remove(f)));
  return object;
}

/** S3 ETags are the quoted MD5 hex; a caller-supplied one is quoted if it is not already. */
export function quoteEtag(etag: string): string {
  return etag.startsWith('"') ? etag : `"${etag}"`;
}

export function unquoteEtag(etag: string): string {
  return etag.replace(/^"|"$/g, '').toLowerCase();
}
