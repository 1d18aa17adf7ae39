// Multipart uploads in progress and their parts (each part a body file of the upload's bucket).
import type { DatabaseSync } from 'node:sqlite';
import type { ObjectMeta } from '../../types.ts';

export type UploadRow = { upload_id: string; bucket: string; key: string; meta: string; initiated_at: number };
export type PartRow = { part_number: number; etag: string; size: number; last_modified: number; file: string };

export function prepareUploadSql(db: DatabaseSync) {
  const insert = db.prepare('INSERT INTO uploads (upload_id, bucket, key, meta, initiated_at) VALUES (?, ?, ?, ?, ?)');
  const select = db.prepare('SELECT upload_id, bucket, key, meta, initiated_at FROM uploads WHERE upload_id = ?');
  const selectByBucket = db.prepare('SELECT upload_id, bucket, key, meta, initiated_at FROM uploads WHERE bucket = ? ORDER BY key, initiated_at');
  const remove = db.prepare('DELETE FROM uploads WHERE upload_id = ?');
  const selectParts = db.prepare('SELECT part_number, etag, size, last_modified, file FROM upload_parts WHERE upload_id = ? ORDER BY part_number');
  const selectPart = db.prepare('SELECT file FROM upload_parts WHERE upload_id = ? AND part_number = ?');
  const upsertPart = db.prepare(`INSERT INTO upload_parts (upload_id, part_number, etag, size, last_modified, file) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (upload_id, part_number) DO UPDATE SET etag = excluded.etag, size = excluded.size,
      last_modified = excluded.last_modified, file = excluded.file`);
  const removeParts = db.prepare('DELETE FROM upload_parts WHERE upload_id = ?');
  const partFilesOfBucket = db.prepare('SELECT p.file FROM upload_parts p JOIN uploads u USING (upload_id) WHERE u.bucket = ?');
  return {
    insert(uploadId: string, bucket: string, key: string, meta: ObjectMeta, now: number): void {
      insert.run(uploadId, bucket, key, JSON.stringify(meta), now);
    },
    select(uploadId: string): UploadRow | undefined {
      return select.get(uploadId) as UploadRow | undefined;
    },
    selectByBucket(bucket: string): UploadRow[] {
      return selectByBucket.all(bucket) as UploadRow[];
    },
    parts(uploadId: string): PartRow[] {
      return selectParts.all(uploadId) as PartRow[];
    },
    /** Returns the file of the part it replaced (S3 lets a part be uploaded again). */
    upsertPart(uploadId: string, partNumber: number, etag: string, size: number, now: number, file: string): string | undefined {
      const prev = selectPart.get(uploadId, partNumber) as { file: string } | undefined;
      upsertPart.run(uploadId, partNumber, etag, size, now, file);
      return prev?.file;
    },
    /** Deletes the upload and its parts; returns the part files to remove after commit. */
    remove(uploadId: string): string[] {
      const files = (selectParts.all(uploadId) as PartRow[]).map((p) => p.file);
      removeParts.run(uploadId);
      remove.run(uploadId);
      return files;
    },
    partFilesOfBucket(bucket: string): string[] {
      return (partFilesOfBucket.all(bucket) as { file: string }[]).map((r) => r.file);
    },
  };
}
