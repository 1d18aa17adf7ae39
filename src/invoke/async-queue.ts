// Async invocations as rows: one internal queue per function, one message per event. The event is
// durable once `send` resolves; the worker (async-worker.ts) takes it from there.
import { GannetError } from '../shared/errors.ts';
import type { Store } from '../store/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { Trigger } from './types.ts';

/** Lambda's limit for an `Event` invocation's payload (raised from 256 KB to 1 MB in 2025). */
export const MAX_ASYNC_PAYLOAD_BYTES = 1_048_576;

export const ASYNC_QUEUE_PREFIX = 'gannet-async-';

export function asyncQueueName(functionName: string): string {
  return ASYNC_QUEUE_PREFIX + functionName;
}

/** The body of one queued event. `payload` is the event as UTF-8 text (Lambda events are JSON). */
export type AsyncEvent = {
  requestId: string;
  functionName: string;
  qualifier?: string;
  trigger: Trigger;
  payload: string;
  enqueuedAt: number;
};

export function validateAsyncPayloadSize(payload: Buffer): void {
  if (payload.length > MAX_ASYNC_PAYLOAD_BYTES) {
    throw new GannetError('GANNET_PAYLOAD_TOO_LARGE',
      `${payload.length} byte payload is too large for the Event invocation type (limit ${MAX_ASYNC_PAYLOAD_BYTES} bytes)`,
      { awsCode: 'RequestEntityTooLargeException', status: 413 });
  }
}

export function decodeAsyncEvent(body: string): AsyncEvent | undefined {
  try {
    const ev = JSON.parse(body) as AsyncEvent;
    return typeof ev.requestId === 'string' && typeof ev.functionName === 'string' && typeof ev.payload === 'string' ? ev : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates internal queues on first use. Holds only which queues are known to exist, per invoker;
 * `onNewQueue` tells the worker to start draining a queue it has not seen.
 */
export class AsyncQueues {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #known = new Map<string, Promise<void>>();
  onNewQueue: (functionName: string) => void = () => {};

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async enqueue(ev: AsyncEvent): Promise<void> {
    const queue = asyncQueueName(ev.functionName);
    const ready = this.#known.get(queue) ?? this.#ensure(queue, ev.functionName);
    await ready;
    await this.#store.queues.send(queue, [{ body: JSON.stringify(ev) }]);
  }

  #ensure(queue: string, functionName: string): Promise<void> {
    const ready = (async () => {
      if (await this.#store.queues.get(queue) === undefined) {
        try {
          await this.#store.queues.create({ name: queue, fifo: false, attributes: {}, tags: {}, createdAt: this.#clock.now(), internal: true });
        } catch (err) {
          // Another invoker on the same store may have created it between get and create.
          if (await this.#store.queues.get(queue) === undefined) throw err;
        }
      }
      this.onNewQueue(functionName);
    })();
    this.#known.set(queue, ready);
    ready.catch(() => this.#known.delete(queue));
    return ready;
  }
}
