// Watches a service folder and reloads on change. Changes come in bursts (an editor writes a temp
// file, renames, touches), so they are coalesced; a reload that fails keeps the last good version.
// `settled()` lets a function that failed to load a half-saved file run again once the save is
// complete and reloaded (see reload-guard.ts).
//
// One non-recursive watch per directory, not `fs.watch(dir, { recursive: true })`: on Linux that
// one is emulated by Node and loses a file once it is replaced by a rename (how most editors
// save), after which edits to it go unseen.
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Logger } from '../shared/log.ts';

export type ServiceWatcher = {
  /** Resolves once no change is pending and no reload runs (or after `maxWaitMs`, if edits never stop). */
  settled(maxWaitMs?: number): Promise<void>;
  close(): void;
};

const IGNORED = /(^|\/)(\.gannet|node_modules|\.git|__pycache__|\.serverless)(\/|$)/;
const SETTLE_MS = 75;

export function watchService(dir: string, o: { log: Logger; onChange: () => Promise<unknown> }): ServiceWatcher {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  let waiters: (() => void)[] = [];
  const watchers = new Map<string, FSWatcher>();

  const busy = () => timer !== undefined || running !== undefined;
  const wake = () => {
    if (busy()) return;
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  };

  const run = () => {
    timer = undefined;
    if (running) { again = true; return; }
    running = o.onChange()
      .then(() => o.log.info('reloaded: changes apply to the next request'))
      .catch((err: Error & { format?: () => string }) =>
        o.log.error(`${typeof err.format === 'function' ? err.format() : err.message}\nkeeping the last good version of the service`))
      .finally(() => {
        running = undefined;
        if (again) { again = false; run(); }
        wake();
      });
  };

  const ignored = (path: string) => IGNORED.test(relative(dir, path).split(sep).join('/'));

  const unwatch = (path: string) => {
    for (const [d, w] of watchers) {
      if (d === path || d.startsWith(path + sep)) { w.close(); watchers.delete(d); }
    }
  };

  const changed = (folder: string, file: string | null) => {
    const path = file === null ? folder : join(folder, file);
    if (closed || ignored(path)) return;
    clearTimeout(timer);
    timer = setTimeout(run, SETTLE_MS);
    // A folder created (or moved in) gets its own watch; one removed loses it.
    if (file !== null) {
      stat(path).then((s) => { if (s.isDirectory()) void add(path); }, () => unwatch(path));
    }
  };

  const add = async (folder: string): Promise<void> => {
    if (closed || watchers.has(folder) || (folder !== dir && ignored(folder))) return;
    let w: FSWatcher;
    try {
      w = watch(folder, (_event, file) => changed(folder, file === null ? null : String(file)));
    } catch (err) {
      if (folder === dir) o.log.warn(`watching ${dir}: ${(err as Error).message}; changes will not reload`);
      return;
    }
    w.on('error', () => unwatch(folder));
    watchers.set(folder, w);
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isDirectory()) await add(join(folder, entry.name));
  };
  void add(dir);

  return {
    settled: (maxWaitMs = 2000) => new Promise<void>((resolve) => {
      if (!busy()) return resolve();
      const cap = setTimeout(resolve, maxWaitMs);
      waiters.push(() => { clearTimeout(cap); resolve(); });
    }),
    close: () => {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      for (const w of watchers.values()) w.close();
      watchers.clear();
      wake();
    },
  };
}
