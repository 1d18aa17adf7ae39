// The store module's public surface: open the embedded store, and the Store seam types.
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import type { Store } from './types.ts';
import { openSqliteStore } from './sqlite/open.ts';

export type * from './types.ts';
export { FIFO_DEDUP_WINDOW_MS } from './sqlite/queues.ts';
export { MIN_PART_BYTES, MAX_PART_NUMBER } from './sqlite/objects/multipart.ts';
export { checkWriteConditions } from './conditions.ts';

export type OpenStoreOptions = {
  /** The store's folder, e.g. <service>/.gannet/<stage>/ or `--data-dir`; created if missing. */
  dir: string;
  clock?: Clock;
  log?: Logger;
};

/** Opens (creating and migrating as needed) the embedded SQLite store in `opts.dir`. */
export function openStore(opts: OpenStoreOptions): Promise<Store> {
  return openSqliteStore(opts);
}
