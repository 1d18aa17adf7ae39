// The invoker: where every trigger ends. Sync invocations run through the pool at once; async ones
// are queued durably and run by the worker with Lambda's retries, event age and destinations.
import { randomUUID } from 'node:crypto';
import type { Invoker, InvokeOptions, InvokeResult } from './types.ts';
import type { InvokerContext } from './context.ts';
import { resolveFunction } from './function-ref.ts';
import { runInvocation } from './run.ts';
import { AsyncQueues, validateAsyncPayloadSize } from './async-queue.ts';
import { AsyncWorker } from './async-worker.ts';
import { RecordWriter } from './record-writer.ts';

export type { Invoker, InvokeOptions, InvokeResult, InvocationRecord, Trigger } from './types.ts';
export type { InvokerContext, FunctionResolver, DestinationSinks, EventBridgeEntry } from './context.ts';
export { MAX_ASYNC_PAYLOAD_BYTES, asyncQueueName, ASYNC_QUEUE_PREFIX } from './async-queue.ts';
export { parseFunctionRef } from './function-ref.ts';
export { destinationRecord, type DestinationRecord, type DestinationCondition } from './destinations.ts';
export { queueSinks, stringAttributes } from './sinks.ts';
export { printLogs, parseSince, type LogsQuery } from './logs.ts';

export type RunningInvoker = Invoker & {
  /** Starts the async worker (also drains events accepted before a restart). */
  start(): void;
  /** Stops the worker (events in flight are handed on first) and writes pending records. Does not close the pool or store. */
  stop(): Promise<void>;
};

const DEFAULT_MAX_ASYNC_IN_FLIGHT = 32;
const NO_PAYLOAD = Buffer.alloc(0);

export function createInvoker(ctx: InvokerContext): RunningInvoker {
  const queues = new AsyncQueues(ctx.store, ctx.clock);
  const records = new RecordWriter(ctx);
  const run = { ctx, records };

  const invoke = (functionName: string, payload: Buffer, opts: InvokeOptions): Promise<InvokeResult> => {
    const { fn, qualifier } = resolveFunction(ctx, functionName, opts.qualifier);
    if (opts.mode === 'sync') {
      const req = {
        fn, qualifier, payload, requestId: randomUUID(), trigger: opts.trigger, attempt: 1,
        clientContext: opts.clientContext, tail: opts.tail, deadlineMs: opts.deadlineMs,
      };
      return runInvocation(run, req);
    }
    return invokeAsync(fn.spec.name, qualifier, payload, opts);
  };

  const invokeAsync = async (functionName: string, qualifier: string | undefined, payload: Buffer, opts: InvokeOptions): Promise<InvokeResult> => {
    validateAsyncPayloadSize(payload);
    const requestId = randomUUID();
    const ev = { requestId, functionName, trigger: opts.trigger, payload: payload.toString('utf8'), enqueuedAt: ctx.clock.now() };
    await queues.enqueue(qualifier === undefined ? ev : { ...ev, qualifier });
    return { requestId, status: 'queued', payload: NO_PAYLOAD, executedVersion: '$LATEST' };
  };

  // Resolution errors surface as rejections, as every caller awaits the result.
  const invoker: Invoker = {
    invoke: (functionName, payload, opts) => {
      try { return invoke(functionName, payload, opts); } catch (err) { return Promise.reject(err); }
    },
  };
  const worker = new AsyncWorker({ ctx, records, invoker, scale: ctx.retryDelayScale ?? 1 }, ctx.maxAsyncInFlight ?? DEFAULT_MAX_ASYNC_IN_FLIGHT);
  queues.onNewQueue = (name) => worker.watch(name);

  return {
    invoke: invoker.invoke,
    start: () => worker.start(),
    stop: async () => {
      await worker.stop();
      await records.flush();
    },
  };
}
