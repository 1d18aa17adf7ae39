// RecordStore on SQLite: one row per invocation, written on every invoke, so append is a single
// reused INSERT. Log lines are a JSON array; text search looks inside each line.
import type { StatementSync } from 'node:sqlite';
import type { Db } from './db.ts';
import type { InvocationRecord } from '../../invoke/types.ts';
import type { RecordFilter, RecordStore } from '../types.ts';

type RecordRow = { seq: number; logs: string; record: string };

const WHERE = `(:fn IS NULL OR function_name = :fn)
  AND (:since IS NULL OR started_at >= :since)
  AND seq > :after
  AND (:text IS NULL OR EXISTS (SELECT 1 FROM json_each(records.logs) WHERE instr(json_each.value, :text) > 0))`;

export class SqliteRecordStore implements RecordStore {
  #insert: StatementSync;
  #oldestFirst: StatementSync;
  #newestFirst: StatementSync;

  constructor(db: Db) {
    this.#insert = db.sql.prepare('INSERT INTO records (request_id, function_name, started_at, logs, record) VALUES (?, ?, ?, ?, ?)');
    this.#oldestFirst = db.sql.prepare(`SELECT seq, logs, record FROM records WHERE ${WHERE} ORDER BY seq LIMIT :limit`);
    this.#newestFirst = db.sql.prepare(`SELECT seq, logs, record FROM records WHERE ${WHERE} ORDER BY seq DESC LIMIT :limit`);
  }

  async append(rec: InvocationRecord): Promise<void> {
    const { logs, ...rest } = rec;
    this.#insert.run(rec.requestId, rec.functionName, rec.startedAt, JSON.stringify(logs), JSON.stringify(rest));
  }

  /** Oldest first. With `limit` and no `afterSeq` these are the newest `limit` matches (a tail);
   *  with `afterSeq` the first `limit` after it (a follower paging forward). */
  async query(filter: RecordFilter): Promise<(InvocationRecord & { seq: number })[]> {
    const params = {
      fn: filter.functionName ?? null, since: filter.since ?? null, after: filter.afterSeq ?? 0,
      text: filter.text || null, limit: filter.limit ?? -1,
    };
    const tail = filter.limit !== undefined && filter.afterSeq === undefined;
    const rows = (tail ? this.#newestFirst : this.#oldestFirst).all(params) as RecordRow[];
    if (tail) rows.reverse();
    return rows.map((r) => ({ ...(JSON.parse(r.record) as Omit<InvocationRecord, 'logs'>), logs: JSON.parse(r.logs) as string[], seq: r.seq }));
  }
}
