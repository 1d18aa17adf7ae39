// Wakes long polls: waiters are kept per queue and resolved when a send, a release or a move makes
// a message visible, or when the timer for the earliest hidden message (delayed send, lease
// expiry, delayed release) fires. Backend-independent; each backend tells it what changed.
import type { Clock } from '../shared/clock.ts';

type QueueWaiters = {
  waiters: Set<() => void>;
  timerAt: number;              // when the pending timer fires; Infinity when none
  timer?: AbortController;
};

const ignore = () => {};
/** setTimeout's limit; a wake-up further away just fires early and waiters wait again. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class QueueNotifier {
  #clock: Clock;
  #queues = new Map<string, QueueWaiters>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** A message is visible on `queue` now. */
  wake(queue: string): void {
    const q = this.#queues.get(queue);
    if (!q) return;
    for (const done of [...q.waiters]) done();
  }

  /** Something changed that this process did not see (another connection wrote): wake everyone. */
  wakeAll(): void {
    for (const name of [...this.#queues.keys()]) this.wake(name);
  }

  /** A message on `queue` becomes visible at `at`. Only the earliest time matters: when it fires,
   *  waiters re-check the store and wait again with the next time it reports. */
  wakeAt(queue: string, at: number): void {
    const q = this.#queues.get(queue);
    if (!q || at >= q.timerAt) return;
    q.timer?.abort();
    const timer = new AbortController();
    q.timer = timer;
    q.timerAt = at;
    this.#clock.sleep(Math.min(MAX_TIMER_MS, Math.max(0, at - this.#clock.now())), timer.signal).then(() => {
      if (q.timer !== timer) return;
      q.timer = undefined;
      q.timerAt = Infinity;
      this.wake(queue);
    }, ignore);
  }

  /** Resolves on the next wake of `queue`, after `timeoutMs`, or when `signal` aborts. */
  wait(queue: string, timeoutMs: number, signal?: AbortSignal, nextVisibleAt?: number): Promise<void> {
    if (signal?.aborted || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      let q = this.#queues.get(queue);
      if (!q) {
        q = { waiters: new Set(), timerAt: Infinity };
        this.#queues.set(queue, q);
      }
      const entry = q;
      const timeout = new AbortController();
      const done = () => {
        if (!entry.waiters.delete(done)) return;
        timeout.abort();
        signal?.removeEventListener('abort', done);
        if (entry.waiters.size === 0) {
          entry.timer?.abort();
          if (this.#queues.get(queue) === entry) this.#queues.delete(queue);
        }
        resolve();
      };
      entry.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
      this.#clock.sleep(Math.min(MAX_TIMER_MS, timeoutMs), timeout.signal).then(done, ignore);
      if (nextVisibleAt !== undefined) this.wakeAt(queue, nextVisibleAt);
    });
  }

  hasWaiters(queue: string): boolean {
    return this.#queues.has(queue);
  }

  get waiting(): number {
    let n = 0;
    for (const q of this.#queues.values()) n += q.waiters.size;
    return n;
  }

  /** Resolves every waiter (the store is closing). */
  close(): void {
    this.wakeAll();
  }
}
