// Opens the embedded store: <dir>/gannet.db (SQLite, WAL) plus <dir>/objects/ for object bodies.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/log.ts';
import type { Store } from '../types.ts';
import { QueueNotifier } from '../notifier.ts';
import { openDb } from './db.ts';
import { migrate } from './migrate.ts';
import { SqliteQueueStore } from './queues.ts';
import { BodyFiles } from './objects/body-files.ts';
import { objectCtx } from './objects/context.ts';
import { SqliteObjectStore } from './objects/store.ts';
import { sweepOrphanBodies } from './objects/sweep.ts';
import { SqliteRecordStore } from './records.ts';
import { SqliteKvStore } from './kv.ts';

export const DATABASE_FILE = 'gannet.db';
export const OBJECTS_DIR = 'objects';

export type SqliteStoreOptions = { dir: string; clock?: Clock; log?: Logger };

export async function openSqliteStore(opts: SqliteStoreOptions): Promise<Store> {
  const clock = opts.clock ?? systemClock;
  await mkdir(join(opts.dir, OBJECTS_DIR), { recursive: true });
  const file = join(opts.dir, DATABASE_FILE);
  const db = openDb(file);
  try {
    migrate(db.sql, file);
  } catch (err) {
    db.sql.close();
    throw err;
  }
  const queues = new SqliteQueueStore({ db, clock, notifier: new QueueNotifier(clock) });
  const objects = objectCtx(db, clock, new BodyFiles(join(opts.dir, OBJECTS_DIR)));
  const stopSweep = new AbortController();
  const sweep = sweepOrphanBodies(objects, stopSweep.signal).catch((err: Error) => {
    opts.log?.warn(`store ${opts.dir}: removing orphaned object bodies failed: ${err.message}`);
  });
  let closed = false;
  return {
    queues,
    objects: new SqliteObjectStore(objects),
    records: new SqliteRecordStore(db),
    kv: new SqliteKvStore(db),
    async close() {
      if (closed) return;
      closed = true;
      queues.close();
      stopSweep.abort();
      await sweep;
      db.sql.close();
    },
  };
}
