// `sqs` events: a poller per event source mapping, as Lambda runs them. One collector long-polls the
// queue and fills batches (up to `batchSize`, waiting up to `maximumBatchingWindow` for more);
// each batch is invoked synchronously while the collector gathers the next, with at most
// `concurrency` batches in flight. A batch is deleted on success (or all but the reported failures
// with ReportBatchItemFailures) and otherwise left to reappear after the queue's visibility
// timeout, so redrive to a DLQ stays the queue's business. Records no filter pattern matches are
// deleted unseen, as Lambda does.
import type { FunctionSpec, SqsEvent } from '../config/types.ts';
import type { Invoker } from '../invoke/types.ts';
import type { Logger } from '../shared/log.ts';
import type { Clock } from '../shared/clock.ts';
import { failedItems, sqsEvent, type ReceivedSqsMessage } from './sqs-event.ts';
import { filterSqsBatch } from './sqs-filter.ts';

/** What a poller needs of the SQS service. */
export type PolledQueue = {
  receive(queueArn: string, o: { max: number; waitSeconds: number; signal?: AbortSignal }): Promise<ReceivedSqsMessage[]>;
  delete(queueArn: string, receiptHandles: string[]): Promise<void>;
};

export type SqsPollerOptions = {
  fn: FunctionSpec; event: SqsEvent; queueArn: string; region: string;
  queue: PolledQueue; invoker: Invoker; clock: Clock; log: Logger;
};

const MAX_RECEIVE = 10;
const LONG_POLL_SECONDS = 20;
/** Lambda starts five pollers per mapping and scales with the backlog; locally five batches at a time. */
const DEFAULT_CONCURRENCY = 5;
const ERROR_BACKOFF_MS = 1000;

/** How many batches may run at once: the mapping's maximumConcurrency and the function's reservedConcurrency bound it. */
export function pollerConcurrency(fn: FunctionSpec, event: SqsEvent): number {
  return Math.min(event.maximumConcurrency ?? DEFAULT_CONCURRENCY, fn.reservedConcurrency ?? DEFAULT_CONCURRENCY, DEFAULT_CONCURRENCY);
}

export function startSqsPoller(o: SqsPollerOptions): { stop(): void } {
  const abort = new AbortController();
  const concurrency = pollerConcurrency(o.fn, o.event);
  if (concurrency < 1) {
    // reservedConcurrency 0 turns the function off: Lambda leaves the messages on the queue.
    o.log.warn(`function ${o.fn.key} has reservedConcurrency 0; its queue ${o.queueArn} is not polled`);
    return { stop: () => {} };
  }
  void collect(o, concurrency, abort.signal);
  return { stop: () => abort.abort() };
}

async function collect(o: SqsPollerOptions, concurrency: number, signal: AbortSignal): Promise<void> {
  let inFlight = 0;
  let slotFreed: (() => void) | undefined;
  while (!signal.aborted) {
    // Receive only with a free slot: a message taken while every slot is busy would sit invisible
    // in the poller instead of waiting on the queue, where another consumer could have it.
    if (inFlight >= concurrency) {
      await new Promise<void>((resolve) => { slotFreed = resolve; });
      continue;
    }
    try {
      const batch = await collectBatch(o, signal);
      if (signal.aborted) return;
      if (batch.length === 0) continue;
      inFlight += 1;
      void deliver(o, batch)
        .catch((err: Error) => o.log.error(`sqs poller ${o.queueArn} → ${o.fn.key}: ${err.message}`))
        .finally(() => { inFlight -= 1; const wake = slotFreed; slotFreed = undefined; wake?.(); });
    } catch (err) {
      if (signal.aborted) return;
      o.log.error(`sqs poller ${o.queueArn} → ${o.fn.key}: ${(err as Error).message}`);
      await o.clock.sleep(ERROR_BACKOFF_MS, signal).catch(() => {});
    }
  }
}

/** Up to batchSize messages: one long poll, then more while the batching window is open. */
async function collectBatch(o: SqsPollerOptions, signal: AbortSignal): Promise<ReceivedSqsMessage[]> {
  const batch = await o.queue.receive(o.queueArn, { max: Math.min(MAX_RECEIVE, o.event.batchSize), waitSeconds: LONG_POLL_SECONDS, signal });
  if (batch.length === 0 || signal.aborted) return batch;
  const windowEnds = o.clock.now() + o.event.maximumBatchingWindow * 1000;
  while (batch.length < o.event.batchSize && !signal.aborted) {
    const left = windowEnds - o.clock.now();
    const more = await o.queue.receive(o.queueArn, {
      max: Math.min(MAX_RECEIVE, o.event.batchSize - batch.length),
      // Long polls count whole seconds: round up rather than spin on short polls near the window's end.
      waitSeconds: left > 0 ? Math.min(LONG_POLL_SECONDS, Math.ceil(left / 1000)) : 0, signal,
    });
    batch.push(...more);
    if (more.length === 0 && o.clock.now() >= windowEnds) break;
  }
  return batch;
}

async function deliver(o: SqsPollerOptions, received: ReceivedSqsMessage[]): Promise<void> {
  const { keep: batch, drop } = filterSqsBatch(o.event.filterPatterns, received, o.queueArn, o.region);
  if (drop.length > 0) await o.queue.delete(o.queueArn, drop.map((m) => m.ReceiptHandle));
  if (batch.length === 0) return;
  const payload = Buffer.from(JSON.stringify(sqsEvent(batch, o.queueArn, o.region)));
  const result = await o.invoker.invoke(o.fn.name, payload, { mode: 'sync', trigger: { kind: 'sqs', queueArn: o.queueArn } });
  if (result.status !== 'ok') return; // the whole batch reappears after the visibility timeout
  let keep = new Set<string>();
  if (o.event.functionResponseType === 'ReportBatchItemFailures') {
    let response: unknown = null;
    try { response = JSON.parse(result.payload.toString('utf8')); } catch { response = null; }
    keep = failedItems(response, batch.map((m) => m.MessageId));
  }
  const done = batch.filter((m) => !keep.has(m.MessageId)).map((m) => m.ReceiptHandle);
  if (done.length > 0) await o.queue.delete(o.queueArn, done);
}
