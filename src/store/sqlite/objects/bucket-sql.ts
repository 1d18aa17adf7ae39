// Bucket rows and their configuration (notification, cors, tags, policy…) as JSON values.
import type { DatabaseSync } from 'node:sqlite';
import type { BucketInfo } from '../../types.ts';

type BucketRow = { name: string; region: string; created_at: number };

export function prepareBucketSql(db: DatabaseSync) {
  const insert = db.prepare('INSERT INTO buckets (name, region, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING');
  const select = db.prepare('SELECT name, region, created_at FROM buckets WHERE name = ?');
  const selectAll = db.prepare('SELECT name, region, created_at FROM buckets ORDER BY name');
  const selectConfig = db.prepare('SELECT name, value FROM bucket_config WHERE bucket = ?');
  const upsertConfig = db.prepare('INSERT INTO bucket_config (bucket, name, value) VALUES (?, ?, ?) ON CONFLICT (bucket, name) DO UPDATE SET value = excluded.value');
  const deleteConfig = db.prepare('DELETE FROM bucket_config WHERE bucket = ? AND name = ?');
  const deleteAllConfig = db.prepare('DELETE FROM bucket_config WHERE bucket = ?');
  const remove = db.prepare('DELETE FROM buckets WHERE name = ?');
  const anyObject = db.prepare('SELECT 1 AS x FROM objects WHERE bucket = ? LIMIT 1');

  const toInfo = (r: BucketRow): BucketInfo => {
    const config: Record<string, unknown> = {};
    for (const c of selectConfig.all(r.name) as { name: string; value: string }[]) config[c.name] = JSON.parse(c.value);
    return { name: r.name, region: r.region, createdAt: r.created_at, config };
  };

  return {
    insert(name: string, region: string, now: number): boolean {
      return insert.run(name, region, now).changes === 1;
    },
    exists(name: string): boolean {
      return select.get(name) !== undefined;
    },
    select(name: string): BucketInfo | undefined {
      const r = select.get(name) as BucketRow | undefined;
      return r && toInfo(r);
    },
    selectAll(): BucketInfo[] {
      return (selectAll.all() as BucketRow[]).map(toInfo);
    },
    /** `undefined` or `null` removes the key. */
    setConfig(bucket: string, name: string, value: unknown): void {
      if (value === undefined || value === null) deleteConfig.run(bucket, name);
      else upsertConfig.run(bucket, name, JSON.stringify(value));
    },
    hasObjects(bucket: string): boolean {
      return anyObject.get(bucket) !== undefined;
    },
    remove(name: string): void {
      deleteAllConfig.run(name);
      remove.run(name);
    },
  };
}
