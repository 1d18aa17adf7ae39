// Multipart uploads: each part is a body file; completion validates the part list as S3 does,
// concatenates the parts (streaming) into one new body file and publishes it atomically.
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GannetError } from '../../../shared/errors.ts';
import type { ObjectMeta, StoredObject, WriteConditions } from '../../types.ts';
import { bucketNotFound, emptyPartList, entityTooSmall, invalidPart, invalidPartOrder, uploadNotFound } from '../../errors.ts';
import { publish, unquoteEtag, type ObjectCtx } from './context.ts';
import type { PartRow } from './upload-sql.ts';

/** S3: every part but the last must be at least 5 MiB. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PART_NUMBER = 10_000;

export async function createUpload(ctx: ObjectCtx, bucket: string, key: string, meta: ObjectMeta): Promise<string> {
  const uploadId = randomBytes(24).toString('base64url');
  ctx.db.tx(() => {
    if (!ctx.buckets.exists(bucket)) throw bucketNotFound(bucket);
    ctx.uploads.insert(uploadId, bucket, key, meta, ctx.clock.now());
  });
  return uploadId;
}

export async function putPart(ctx: ObjectCtx, uploadId: string, partNumber: number, body: Readable): Promise<{ etag: string; size: number }> {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new GannetError('GANNET_INVALID_PART_NUMBER', `multipart upload ${uploadId}: part number ${partNumber} is not an integer from 1 to ${MAX_PART_NUMBER}`, { awsCode: 'InvalidArgument', status: 400 });
  }
  const upload = ctx.uploads.select(uploadId);
  if (!upload) throw uploadNotFound(uploadId);
  const written = await ctx.files.write(upload.bucket, body);
  const etag = `"${written.md5.toString('hex')}"`;
  let replaced: string | undefined;
  try {
    replaced = ctx.db.tx(() => {
      if (!ctx.uploads.select(uploadId)) throw uploadNotFound(uploadId);
      return ctx.uploads.upsertPart(uploadId, partNumber, etag, written.size, ctx.clock.now(), written.file);
    });
  } catch (err) {
    await ctx.files.remove(written.file);
    throw err;
  }
  if (replaced !== undefined) await ctx.files.remove(replaced);
  return { etag, size: written.size };
}

export async function listParts(ctx: ObjectCtx, uploadId: string): Promise<{ partNumber: number; etag: string; size: number; lastModified: number }[]> {
  if (!ctx.uploads.select(uploadId)) throw uploadNotFound(uploadId);
  return ctx.uploads.parts(uploadId).map((p) => ({ partNumber: p.part_number, etag: p.etag, size: p.size, lastModified: p.last_modified }));
}

export async function getUpload(ctx: ObjectCtx, uploadId: string): Promise<{ bucket: string; key: string; meta: ObjectMeta; initiatedAt: number } | undefined> {
  const u = ctx.uploads.select(uploadId);
  return u && { bucket: u.bucket, key: u.key, meta: JSON.parse(u.meta) as ObjectMeta, initiatedAt: u.initiated_at };
}

export async function listUploads(ctx: ObjectCtx, bucket: string): Promise<{ uploadId: string; key: string; initiatedAt: number }[]> {
  if (!ctx.buckets.exists(bucket)) throw bucketNotFound(bucket);
  return ctx.uploads.selectByBucket(bucket).map((u) => ({ uploadId: u.upload_id, key: u.key, initiatedAt: u.initiated_at }));
}

export async function abortUpload(ctx: ObjectCtx, uploadId: string): Promise<void> {
  const files = ctx.db.tx(() => {
    if (!ctx.uploads.select(uploadId)) throw uploadNotFound(uploadId);
    return ctx.uploads.remove(uploadId);
  });
  await Promise.all(files.map((f) => ctx.files.remove(f)));
}

/** A failed condition leaves the upload in place (the transaction that would remove it rolls back). */
export async function completeUpload(ctx: ObjectCtx, uploadId: string, parts: { partNumber: number; etag: string }[], cond: WriteConditions = {}): Promise<StoredObject> {
  const upload = ctx.uploads.select(uploadId);
  if (!upload) throw uploadNotFound(uploadId);
  const chosen = choosePartFiles(uploadId, parts, ctx.uploads.parts(uploadId));
  const written = await ctx.files.write(upload.bucket, concatenate(ctx, uploadId, chosen));
  return publish(ctx, upload.bucket, upload.key, written, JSON.parse(upload.meta) as ObjectMeta, multipartEtag(chosen), cond, () => {
    if (!ctx.uploads.select(uploadId)) throw uploadNotFound(uploadId); // completed or aborted meanwhile
    return ctx.uploads.remove(uploadId);
  });
}

/** Validates the client's part list against the stored parts, in S3's order of checks. */
function choosePartFiles(uploadId: string, wanted: { partNumber: number; etag: string }[], stored: PartRow[]): PartRow[] {
  if (wanted.length === 0) throw emptyPartList(uploadId);
  for (let i = 1; i < wanted.length; i++) {
    if (wanted[i]!.partNumber <= wanted[i - 1]!.partNumber) throw invalidPartOrder(uploadId);
  }
  const byNumber = new Map(stored.map((p) => [p.part_number, p]));
  const chosen = wanted.map((w) => {
    const p = byNumber.get(w.partNumber);
    if (!p) throw invalidPart(uploadId, w.partNumber, 'no such part was uploaded');
    if (unquoteEtag(w.etag) !== unquoteEtag(p.etag)) throw invalidPart(uploadId, w.partNumber, `ETag ${w.etag} does not match the uploaded part's ${p.etag}`);
    return p;
  });
  chosen.forEach((p, i) => {
    if (i < chosen.length - 1 && p.size < MIN_PART_BYTES) throw entityTooSmall(uploadId, p.part_number, p.size, MIN_PART_BYTES);
  });
  return chosen;
}

/** S3's multipart ETag: MD5 of the concatenated binary part MD5s, then "-<part count>". */
export function multipartEtag(parts: { etag: string }[]): string {
  const md5 = createHash('md5');
  for (const p of parts) md5.update(Buffer.from(unquoteEtag(p.etag), 'hex'));
  return `"${md5.digest('hex')}-${parts.length}"`;
}

async function* concatenate(ctx: ObjectCtx, uploadId: string, parts: PartRow[]): AsyncGenerator<Buffer> {
  for (const p of parts) {
    const fh = await ctx.files.open(p.file);
    if (!fh) throw invalidPart(uploadId, p.part_number, 'the part was replaced or removed while completing');
    try {
      for await (const chunk of fh.createReadStream({ autoClose: false })) yield chunk as Buffer;
    } finally {
      await fh.close();
    }
  }
}
