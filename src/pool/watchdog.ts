// Resident memory of instances, read from /proc/<pid>/status (VmRSS): the "Max Memory Used" of
// REPORT and the check that stops an instance over its memory size, as Lambda's sandbox limit does.
// Sampled on a timer only while instances are busy, never on the invocation path.
import { readFile } from 'node:fs/promises';

export const WATCHDOG_INTERVAL_MS = 200;

/** VmRSS of a process in MB, or undefined when it is gone (or there is no /proc). */
export async function readRssMb(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/status`, 'latin1');
  } catch {
    return undefined;
  }
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(text);
  return m === null ? undefined : Math.ceil(Number(m[1]) / 1024);
}

export type Watched = { instance: { pid: number | undefined; peakRssMb: number }; memorySizeMb: number; overLimit(rssMb: number): void };

/** Samples the watched instances every interval while `watched()` has any. */
export class MemoryWatchdog {
  #timer: NodeJS.Timeout | undefined;
  #sampling = false;
  readonly #watched: () => Iterable<Watched>;
  readonly #hasWork: () => boolean;

  constructor(watched: () => Iterable<Watched>, hasWork: () => boolean) {
    this.#watched = watched;
    this.#hasWork = hasWork;
  }

  /** Called when an instance becomes busy. */
  wake(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.#tick(), WATCHDOG_INTERVAL_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #tick(): Promise<void> {
    if (!this.#hasWork()) return this.stop();
    if (this.#sampling) return;
    this.#sampling = true;
    try {
      await Promise.all([...this.#watched()].map(async (w) => {
        const rss = await readRssMb(w.instance.pid);
        if (rss === undefined) return;
        if (rss > w.instance.peakRssMb) w.instance.peakRssMb = rss;
        if (rss > w.memorySizeMb) w.overLimit(rss);
      }));
    } finally {
      this.#sampling = false;
    }
  }
}
