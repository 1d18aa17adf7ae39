// ObjectStore on SQLite + files: buckets and metadata in the database, bodies as files
// (body-files.ts), multipart uploads in multipart.ts.
import { Readable } from 'node:stream';
import { GannetError } from '../../../shared/errors.ts';
import type { BucketInfo, ObjectMeta, ObjectStore, StoredObject, WriteConditions } from '../../types.ts';
import { bucketNotEmpty, bucketNotFound, invalidRange } from '../../errors.ts';
import { publish, quoteEtag, type ObjectCtx } from './context.ts';
import * as multipart from './multipart.ts';

/** Bounded retries when a reader loses the race against a writer replacing the body it looked up. */
const OPEN_ATTEMPTS = 5;

export class SqliteObjectStore implements ObjectStore {
  #ctx: ObjectCtx;

  constructor(ctx: ObjectCtx) {
    this.#ctx = ctx;
  }

  async createBucket(name: string, region: string): Promise<boolean> {
    return this.#ctx.buckets.insert(name, region, this.#ctx.clock.now());
  }

  async getBucket(name: string): Promise<BucketInfo | undefined> {
    return this.#ctx.buckets.select(name);
  }

  async listBuckets(): Promise<BucketInfo[]> {
    return this.#ctx.buckets.selectAll();
  }

  /** Unfinished multipart uploads do not keep a bucket alive; they are aborted with it. */
  async deleteBucket(name: string): Promise<void> {
    const { db, buckets, uploads, files } = this.#ctx;
    const partFiles = db.tx(() => {
      if (!buckets.exists(name)) throw bucketNotFound(name);
      if (buckets.hasObjects(name)) throw bucketNotEmpty(name);
      const parts = uploads.selectByBucket(name).flatMap((u) => uploads.remove(u.upload_id));
      buckets.remove(name);
      return parts;
    });
    await Promise.all(partFiles.map((f) => files.remove(f)));
    if (!buckets.exists(name)) await files.removeBucketDir(name);
  }

  async setBucketConfig(name: string, key: string, value: unknown): Promise<void> {
    const { db, buckets } = this.#ctx;
    db.tx(() => {
      if (!buckets.exists(name)) throw bucketNotFound(name);
      buckets.setConfig(name, key, value);
    });
  }

  async put(bucket: string, key: string, body: Readable, meta: ObjectMeta, opts: { etag?: string } & WriteConditions = {}): Promise<StoredObject> {
    // Checked before streaming so a missing bucket fails fast; publish() checks again in its transaction.
    if (!this.#ctx.buckets.exists(bucket)) throw bucketNotFound(bucket);
    const written = await this.#ctx.files.write(bucket, body);
    const { etag: given, ...cond } = opts;
    const etag = given !== undefined ? quoteEtag(given) : `"${written.md5.toString('hex')}"`;
    return publish(this.#ctx, bucket, key, written, meta, etag, cond);
  }

  /** One row update: the body file is untouched, so readers of it and its ETag are unaffected. */
  async setMeta(bucket: string, key: string, patch: Partial<ObjectMeta>): Promise<StoredObject | undefined> {
    const { db, buckets, objects } = this.#ctx;
    return db.tx(() => {
      if (!buckets.exists(bucket)) throw bucketNotFound(bucket);
      const found = objects.select(bucket, key);
      if (!found) return undefined;
      const { bucket: _b, key: _k, size: _s, etag: _e, lastModified: _l, ...meta } = found.object;
      objects.updateMeta(bucket, key, { ...meta, ...patch });
      return objects.select(bucket, key)!.object; // read back: JSON drops the fields patched to undefined
    });
  }

  async head(bucket: string, key: string): Promise<StoredObject | undefined> {
    return this.#ctx.objects.select(bucket, key)?.object;
  }

  async get(bucket: string, key: string, range?: { start: number; end: number }): Promise<{ object: StoredObject; body: Readable } | undefined> {
    for (let attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      const found = this.#ctx.objects.select(bucket, key);
      if (!found) return undefined;
      const { object, file } = found;
      let start = 0;
      let end = object.size - 1;
      if (range) {
        if (range.start < 0 || range.start > range.end || range.start >= object.size) throw invalidRange(bucket, key, object.size);
        start = range.start;
        end = Math.min(range.end, object.size - 1);
      }
      // An open handle keeps the body readable even if a newer version unlinks it meanwhile.
      const fh = await this.#ctx.files.open(file);
      if (!fh) continue;
      if (end < start) {
        await fh.close();
        return { object, body: Readable.from([]) };
      }
      return { object, body: fh.createReadStream({ start, end }) };
    }
    throw new GannetError('GANNET_OBJECT_BUSY', `s3://${bucket}/${key} was replaced ${OPEN_ATTEMPTS} times while opening it; retry the read`, { awsCode: 'SlowDown', status: 503 });
  }

  async list(bucket: string, opts: { prefix?: string; startAfter?: string; maxKeys: number }): Promise<{ objects: StoredObject[]; truncated: boolean }> {
    const limit = Math.max(0, opts.maxKeys);
    const objects = this.#ctx.objects.list(bucket, opts.prefix ?? '', opts.startAfter ?? '', limit + 1);
    const truncated = objects.length > limit;
    if (truncated) objects.length = limit;
    return { objects, truncated };
  }

  async delete(bucket: string, key: string): Promise<boolean> {
    const { db, buckets, objects, files } = this.#ctx;
    const file = db.tx(() => {
      if (!buckets.exists(bucket)) throw bucketNotFound(bucket);
      return objects.remove(bucket, key);
    });
    if (file === undefined) return false;
    await files.remove(file);
    return true;
  }

  createUpload(bucket: string, key: string, meta: ObjectMeta): Promise<string> {
    return multipart.createUpload(this.#ctx, bucket, key, meta);
  }

  putPart(uploadId: string, partNumber: number, body: Readable): Promise<{ etag: string; size: number }> {
    return multipart.putPart(this.#ctx, uploadId, partNumber, body);
  }

  listParts(uploadId: string): Promise<{ partNumber: number; etag: string; size: number; lastModified: number }[]> {
    return multipart.listParts(this.#ctx, uploadId);
  }

  getUpload(uploadId: string): Promise<{ bucket: string; key: string; meta: ObjectMeta; initiatedAt: number } | undefined> {
    return multipart.getUpload(this.#ctx, uploadId);
  }

  listUploads(bucket: string): Promise<{ uploadId: string; key: string; initiatedAt: number }[]> {
    return multipart.listUploads(this.#ctx, bucket);
  }

  completeUpload(uploadId: string, parts: { partNumber: number; etag: string }[], opts: WriteConditions = {}): Promise<StoredObject> {
    return multipart.completeUpload(this.#ctx, uploadId, parts, opts);
  }

  abortUpload(uploadId: string): Promise<void> {
    return multipart.abortUpload(this.#ctx, uploadId);
  }
}
