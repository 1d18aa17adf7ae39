// `sqs` events: a poller per event source mapping, as Lambda runs them. It long-polls the queue,
// invokes the function synchronously with a batch, deletes the batch on success (or all but the
// reported failures with ReportBatchItemFailures) and otherwise leaves it to reappear after the
// queue's visibility timeout, so redrive to a DLQ stays the queue's business.
import type { FunctionSpec, SqsEvent } from '../config/types.ts';
import type { Invoker } from '../invoke/types.ts';
import type { Logger } from '../shared/log.ts';
import type { Clock } from '../shared/clock.ts';
import { failedItems, sqsEvent, type ReceivedSqsMessage } from './sqs-event.ts';

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
const DEFAULT_CONCURRENCY = 5;
const ERROR_BACKOFF_MS = 1000;

export function startSqsPoller(o: SqsPollerOptions): { stop(): void } {
  const abort = new AbortController();
  // Lambda scales pollers with the backlog; locally a few concurrent batches, within the function's limits.
  const lanes = Math.max(1, Math.min(o.event.maximumConcurrency ?? DEFAULT_CONCURRENCY, o.fn.reservedConcurrency ?? DEFAULT_CONCURRENCY));
  for (let i = 0; i < lanes; i++) void lane(o, abort.signal);
  return { stop: () => abort.abort() };
}

async function lane(o: SqsPollerOptions, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const batch = await collectBatch(o, signal);
      if (signal.aborted) return;
      if (batch.length > 0) await deliver(o, batch);
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
      waitSeconds: left >= 1000 ? Math.min(LONG_POLL_SECONDS, Math.floor(left / 1000)) : 0, signal,
    });
    batch.push(...more);
    if (more.length === 0 && o.clock.now() >= windowEnds) break;
  }
  return batch;
}

async function deliver(o: SqsPollerOptions, batch: ReceivedSqsMessage[]): Promise<void> {
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
