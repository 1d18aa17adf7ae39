// KvStore on SQLite: small namespaced JSON values (topics, subscriptions, schedule ticks…).
import type { StatementSync } from 'node:sqlite';
import type { Db } from './db.ts';
import type { KvStore } from '../types.ts';

export class SqliteKvStore implements KvStore {
  #get: StatementSync;
  #put: StatementSync;
  #delete: StatementSync;
  #list: StatementSync;

  constructor(db: Db) {
    this.#get = db.sql.prepare('SELECT value FROM kv WHERE ns = ? AND key = ?');
    this.#put = db.sql.prepare('INSERT INTO kv (ns, key, value) VALUES (?, ?, ?) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value');
    this.#delete = db.sql.prepare('DELETE FROM kv WHERE ns = ? AND key = ?');
    this.#list = db.sql.prepare('SELECT key, value FROM kv WHERE ns = ? ORDER BY key');
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    const r = this.#get.get(ns, key) as { value: string } | undefined;
    return r && (JSON.parse(r.value) as T);
  }

  /** `undefined` is stored as JSON null (JSON has no undefined). */
  async put(ns: string, key: string, value: unknown): Promise<void> {
    this.#put.run(ns, key, JSON.stringify(value) ?? 'null');
  }

  async delete(ns: string, key: string): Promise<void> {
    this.#delete.run(ns, key);
  }

  async list<T>(ns: string): Promise<{ key: string; value: T }[]> {
    return (this.#list.all(ns) as { key: string; value: string }[]).map((r) => ({ key: r.key, value: JSON.parse(r.value) as T }));
  }
}
