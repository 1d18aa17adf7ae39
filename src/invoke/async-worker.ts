// Drains the per-function async queues: one claim loop per function, woken by the store when a
// message may be ready (no busy polling), never running more events than the function's reserved
// concurrency or the worker's overall bound allows.
import type { ResolvedFunction } from '../pool/types.ts';
import type { ClaimedMessage } from '../store/types.ts';
import { ASYNC_QUEUE_PREFIX, asyncQueueName } from './async-queue.ts';
import { processAsyncEvent, type AsyncEventDeps } from './async-event.ts';

/** Longest single wait on an empty queue; the store wakes the loop earlier when a message is due. */
const IDLE_WAIT_MS = 20_000;
/** After a failed claim or wait (the store is unwell), wait this long before trying again. */
const STORE_ERROR_WAIT_MS = 1_000;
/** A claimed event stays hidden this long: the run (twice the timeout, for a cold start) plus delivery. */
const VISIBILITY_MARGIN_MS = 5_000;
/** How often to look again for a function that is not deployed (its queue keeps its events). */
const MISSING_FUNCTION_POLL_MS = 5_000;

type QueueLoop = {
  functionName: string;
  queue: string;
  inFlight: number;
  /** Resolves the loop's wait for a free slot. */
  wake?: () => void;
  running?: Promise<void>;
};

export function visibilityMs(fn: ResolvedFunction): number {
  return fn.spec.timeout * 2000 + VISIBILITY_MARGIN_MS;
}

export class AsyncWorker {
  readonly #deps: AsyncEventDeps;
  readonly #maxInFlight: number;
  readonly #loops = new Map<string, QueueLoop>();
  readonly #tasks = new Set<Promise<void>>();
  #inFlight = 0;
  #abort: AbortController | undefined;

  constructor(deps: AsyncEventDeps, maxInFlight: number) {
    this.#deps = deps;
    this.#maxInFlight = maxInFlight;
  }

  /** Starts draining every async queue already in the store (events accepted before a restart) and new ones. */
  start(): void {
    if (this.#abort !== undefined) return;
    this.#abort = new AbortController();
    for (const loop of this.#loops.values()) this.#launch(loop);
    this.#deps.ctx.store.queues.list(ASYNC_QUEUE_PREFIX).then((queues) => {
      for (const q of queues) if (q.internal && q.name.startsWith(ASYNC_QUEUE_PREFIX)) this.watch(q.name.slice(ASYNC_QUEUE_PREFIX.length));
    }, (err: unknown) => this.#deps.ctx.log.error(`could not list async queues: ${(err as Error)?.message ?? err}`));
  }

  /** Ensures the function's queue is drained (called when its queue is first used). */
  watch(functionName: string): void {
    let loop = this.#loops.get(functionName);
    if (loop === undefined) {
      loop = { functionName, queue: asyncQueueName(functionName), inFlight: 0 };
      this.#loops.set(functionName, loop);
    }
    if (this.#abort !== undefined && !this.#abort.signal.aborted) this.#launch(loop);
  }

  /** Stops claiming and waits for the events in flight to be handed on (acked or released). */
  async stop(): Promise<void> {
    const abort = this.#abort;
    if (abort === undefined) return;
    abort.abort();
    for (const loop of this.#loops.values()) loop.wake?.();
    await Promise.all([...this.#loops.values()].map((l) => l.running));
    await Promise.all([...this.#tasks]);
    for (const loop of this.#loops.values()) loop.running = undefined;
    this.#abort = undefined;
  }

  #launch(loop: QueueLoop): void {
    if (loop.running !== undefined) return;
    const signal = this.#abort!.signal;
    loop.running = this.#drain(loop, signal).catch((err: unknown) => {
      this.#deps.ctx.log.error(`async queue ${loop.queue} stopped: ${(err as Error)?.stack ?? err}`);
    });
  }

  async #drain(loop: QueueLoop, signal: AbortSignal): Promise<void> {
    const { ctx } = this.#deps;
    while (!signal.aborted) {
      const fn = ctx.functions.resolve(loop.functionName);
      // Not waitForMessage: it returns at once while the queue holds events, which nobody may run now.
      if (fn === undefined) { await this.#pause(MISSING_FUNCTION_POLL_MS, signal); continue; }
      // Reserved concurrency 0 still takes one event at a time, so the pool throttles it and it ages out as on Lambda.
      const limit = fn.spec.reservedConcurrency === undefined ? this.#maxInFlight : Math.max(1, fn.spec.reservedConcurrency);
      const free = Math.min(limit - loop.inFlight, this.#maxInFlight - this.#inFlight);
      if (free <= 0) { await this.#waitForSlot(loop, signal); continue; }
      let claimed: ClaimedMessage[];
      try {
        claimed = await ctx.store.queues.claim(loop.queue, free, visibilityMs(fn));
      } catch (err) {
        ctx.log.error(`could not claim from ${loop.queue}: ${(err as Error)?.message ?? err}`);
        await this.#pause(STORE_ERROR_WAIT_MS, signal);
        continue;
      }
      if (claimed.length === 0) { await this.#waitForMessage(loop, IDLE_WAIT_MS, signal); continue; }
      for (const msg of claimed) this.#run(loop, msg);
    }
  }

  #run(loop: QueueLoop, msg: ClaimedMessage): void {
    loop.inFlight++;
    this.#inFlight++;
    const task: Promise<void> = processAsyncEvent(this.#deps, loop.queue, msg)
      .catch((err: unknown) => {
        // Left claimed: the event becomes visible again after its visibility timeout.
        this.#deps.ctx.log.error(`async event ${msg.id} on ${loop.queue} failed, it will be retried: ${(err as Error)?.message ?? err}`);
      })
      .finally(() => {
        loop.inFlight--;
        this.#inFlight--;
        this.#tasks.delete(task);
        for (const l of this.#loops.values()) l.wake?.();
      });
    this.#tasks.add(task);
  }

  async #waitForMessage(loop: QueueLoop, timeoutMs: number, signal: AbortSignal): Promise<void> {
    try {
      await this.#deps.ctx.store.queues.waitForMessage(loop.queue, timeoutMs, signal);
    } catch (err) {
      if (signal.aborted) return;
      this.#deps.ctx.log.error(`could not wait on ${loop.queue}: ${(err as Error)?.message ?? err}`);
      await this.#pause(STORE_ERROR_WAIT_MS, signal);
    }
  }

  async #pause(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await this.#deps.ctx.clock.sleep(ms, signal);
    } catch {
      // aborted: the loop checks the signal
    }
  }

  #waitForSlot(loop: QueueLoop, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      loop.wake = () => { loop.wake = undefined; resolve(); };
    });
  }
}
