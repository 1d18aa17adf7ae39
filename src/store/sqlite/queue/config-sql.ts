// Queue configuration rows: one prepared statement per operation, bound once per store.
import type { DatabaseSync } from 'node:sqlite';
import type { QueueConfig } from '../../types.ts';

type QueueRow = { name: string; fifo: number; attributes: string; tags: string; created_at: number; internal: number };

const COLUMNS = 'name, fifo, attributes, tags, created_at, internal';

function toConfig(r: QueueRow): QueueConfig {
  return { name: r.name, fifo: r.fifo === 1, attributes: JSON.parse(r.attributes), tags: JSON.parse(r.tags), createdAt: r.created_at, internal: r.internal === 1 };
}

export function prepareQueueConfigSql(db: DatabaseSync) {
  const insert = db.prepare(`INSERT INTO queues (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`);
  const select = db.prepare(`SELECT ${COLUMNS} FROM queues WHERE name = ?`);
  const selectAll = db.prepare(`SELECT ${COLUMNS} FROM queues WHERE substr(name, 1, length(?1)) = ?1 ORDER BY name`);
  const updateAttributes = db.prepare('UPDATE queues SET attributes = ? WHERE name = ?');
  const updateTags = db.prepare('UPDATE queues SET tags = ? WHERE name = ?');
  const remove = db.prepare('DELETE FROM queues WHERE name = ?');
  const removeMessages = db.prepare('DELETE FROM messages WHERE queue = ?');
  const removeDedup = db.prepare('DELETE FROM fifo_dedup WHERE queue = ?');
  return {
    /** False when a queue of that name exists already. */
    insert(cfg: QueueConfig): boolean {
      const r = insert.run(cfg.name, cfg.fifo ? 1 : 0, JSON.stringify(cfg.attributes), JSON.stringify(cfg.tags), cfg.createdAt, cfg.internal ? 1 : 0);
      return r.changes === 1;
    },
    select(name: string): QueueConfig | undefined {
      const r = select.get(name) as QueueRow | undefined;
      return r && toConfig(r);
    },
    selectAll(prefix: string): QueueConfig[] {
      return (selectAll.all(prefix) as QueueRow[]).map(toConfig);
    },
    updateAttributes(name: string, attributes: Record<string, string>): boolean {
      return updateAttributes.run(JSON.stringify(attributes), name).changes === 1;
    },
    updateTags(name: string, tags: Record<string, string>): boolean {
      return updateTags.run(JSON.stringify(tags), name).changes === 1;
    },
    remove(name: string): boolean {
      removeMessages.run(name);
      removeDedup.run(name);
      return remove.run(name).changes === 1;
    },
    purge(name: string): void {
      removeMessages.run(name);
    },
  };
}
