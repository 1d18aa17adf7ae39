// Object metadata rows. Keys are TEXT with BINARY collation, so ORDER BY key is UTF-8 byte order.
import type { DatabaseSync } from 'node:sqlite';
import type { ObjectMeta, StoredObject } from '../../types.ts';

type ObjectRow = { key: string; size: number; etag: string; last_modified: number; meta: string; file: string };

export type ObjectWithFile = { object: StoredObject; file: string };

function toObject(bucket: string, r: ObjectRow): StoredObject {
  return { ...(JSON.parse(r.meta) as ObjectMeta), bucket, key: r.key, size: r.size, etag: r.etag, lastModified: r.last_modified };
}

/** The least string greater than every string starting with `prefix` (undefined: no bound).
 *  Incrementing the last code point works because UTF-8 byte order equals code point order. */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (points.length > 0) {
    let last = points.pop()! + 1;
    if (last === 0xd800) last = 0xe000; // skip the surrogate range, not valid in UTF-8
    if (last <= 0x10ffff) return String.fromCodePoint(...points, last);
  }
  return undefined;
}

export function prepareObjectSql(db: DatabaseSync) {
  const select = db.prepare('SELECT key, size, etag, last_modified, meta, file FROM objects WHERE bucket = ? AND key = ?');
  const upsert = db.prepare(`INSERT INTO objects (bucket, key, size, etag, last_modified, meta, file) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (bucket, key) DO UPDATE SET size = excluded.size, etag = excluded.etag, last_modified = excluded.last_modified,
      meta = excluded.meta, file = excluded.file`);
  const remove = db.prepare('DELETE FROM objects WHERE bucket = ? AND key = ?');
  const updateMeta = db.prepare('UPDATE objects SET meta = ? WHERE bucket = ? AND key = ?');
  // One statement per bound shape, so both bounds are index range limits: an OR'ed optional bound
  // would make SQLite scan the rest of the bucket when a prefix matches fewer than `limit` keys.
  const listSql = (lower: '>' | '>=', upper: boolean) => db.prepare(`SELECT key, size, etag, last_modified, meta, file FROM objects
    WHERE bucket = :bucket AND key ${lower} :lower ${upper ? 'AND key < :upper' : ''} ORDER BY key LIMIT :limit`);
  const lists = { afterBounded: listSql('>', true), after: listSql('>', false), fromBounded: listSql('>=', true), from: listSql('>=', false) };
  const files = db.prepare('SELECT file FROM objects WHERE bucket = ?');
  return {
    select(bucket: string, key: string): ObjectWithFile | undefined {
      const r = select.get(bucket, key) as ObjectRow | undefined;
      return r && { object: toObject(bucket, r), file: r.file };
    },
    /** Returns the file of the version it replaced, to be removed after commit. */
    upsert(o: StoredObject, meta: ObjectMeta, file: string): string | undefined {
      const prev = select.get(o.bucket, o.key) as ObjectRow | undefined;
      upsert.run(o.bucket, o.key, o.size, o.etag, o.lastModified, JSON.stringify(meta), file);
      return prev?.file;
    },
    /** Replaces the metadata only (body, size, ETag, last_modified stay); false if there is no such row. */
    updateMeta(bucket: string, key: string, meta: ObjectMeta): boolean {
      return Number(updateMeta.run(JSON.stringify(meta), bucket, key).changes) > 0;
    },
    remove(bucket: string, key: string): string | undefined {
      const prev = select.get(bucket, key) as ObjectRow | undefined;
      if (prev) remove.run(bucket, key);
      return prev?.file;
    },
    /** Keys starting with `prefix`, greater than `after`, in byte order. */
    list(bucket: string, prefix: string, after: string, limit: number): StoredObject[] {
      const upper = prefixUpperBound(prefix);
      // Byte order, as SQLite compares; JavaScript's < compares UTF-16 units and differs from it.
      const useAfter = after !== '' && Buffer.compare(Buffer.from(after), Buffer.from(prefix)) >= 0;
      const stmt = useAfter ? (upper ? lists.afterBounded : lists.after) : (upper ? lists.fromBounded : lists.from);
      const rows = stmt.all({ bucket, lower: useAfter ? after : prefix, ...(upper ? { upper } : {}), limit }) as ObjectRow[];
      return rows.map((r) => toObject(bucket, r));
    },
    files(bucket: string): string[] {
      return (files.all(bucket) as { file: string }[]).map((r) => r.file);
    },
  };
}
