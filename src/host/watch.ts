// Watches a service folder and reloads on change. Changes come in bursts (an editor writes a temp
// file, renames, touches), so they are coalesced; a reload that fails keeps the last good version.
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../shared/log.ts';

export type ServiceWatcher = { close(): void };

const IGNORED = /(^|\/)(\.gannet|node_modules|\.git|__pycache__|\.serverless)(\/|$)/;
const SETTLE_MS = 75;

export function watchService(dir: string, o: { log: Logger; onChange: () => Promise<unknown> }): ServiceWatcher {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const run = () => {
    if (running) { again = true; return; }
    running = o.onChange()
      .then(() => o.log.info('reloaded: changes apply to the next request'))
      .catch((err: Error & { format?: () => string }) =>
        o.log.error(`${typeof err.format === 'function' ? err.format() : err.message}\nkeeping the last good version of the service`))
      .finally(() => {
        running = undefined;
        if (again) { again = false; run(); }
      });
  };

  // `ignore` keeps Node's recursive watcher out of .gannet entirely: filtering events afterwards
  // still had it re-read the folder (readdirSync + statSync) on every store write, which is every
  // invocation — 18 % of gannet dev's CPU under load, and 10-100 ms stalls (measured with wrk).
  const ignore = (file: string) => IGNORED.test(file);
  const watcher: FSWatcher = watch(dir, { recursive: true, ignore }, (_event, file) => {
    if (file && IGNORED.test(String(file))) return;
    clearTimeout(timer);
    timer = setTimeout(run, SETTLE_MS);
  });
  watcher.on('error', (err) => o.log.warn(`watching ${dir}: ${err.message}`));
  return { close: () => { clearTimeout(timer); watcher.close(); } };
}
