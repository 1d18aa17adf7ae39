// A Clock whose time moves only when a test advances it; sleepers wake in time order.
import type { Clock } from '../../src/shared/clock.ts';

type Sleeper = { at: number; seq: number; resolve: () => void };

export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #sleepers = new Set<Sleeper>();

  constructor(start = Date.UTC(2024, 0, 31, 12, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {
        at: this.#now + Math.max(0, ms), seq: this.#seq++,
        resolve: () => { signal?.removeEventListener('abort', onAbort); resolve(); },
      };
      const onAbort = () => { this.#sleepers.delete(sleeper); reject(signal!.reason); };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.add(sleeper);
    });
  }

  /** Moves time forward, waking each due sleeper at its own time and letting its continuation run. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      let next: Sleeper | undefined;
      for (const s of this.#sleepers) if (s.at <= target && (!next || s.at < next.at || (s.at === next.at && s.seq < next.seq))) next = s;
      if (!next) break;
      this.#sleepers.delete(next);
      this.#now = Math.max(this.#now, next.at);
      next.resolve();
      await settle();
    }
    this.#now = target;
    await settle();
  }

  get pendingSleeps(): number {
    return this.#sleepers.size;
  }
}

/** Lets promise continuations and immediates queued so far run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
