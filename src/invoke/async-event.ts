// One claimed async event, start to finish: run it, then retry (a delayed release), finish
// (destination, dead-letter queue) or back off (throttled). The message is acked only once its
// outcome is durably handed on, so a host killed at any point loses nothing (at-least-once).
import type { ResolvedFunction } from '../pool/types.ts';
import type { ClaimedMessage } from '../store/types.ts';
import type { GannetError } from '../shared/errors.ts';
import type { InvokerContext } from './context.ts';
import type { Invoker, InvokeResult } from './types.ts';
import { decodeAsyncEvent, type AsyncEvent } from './async-queue.ts';
import {
  NEW_EVENT_STATE, eventExpired, retriesExhausted, retryDelayMs, throttleDelayMs, type AsyncEventState,
} from './async-retry.ts';
import {
  deliverDeadLetter, deliverDestination, destinationRecord, type DestinationCondition, type LastResponse,
} from './destinations.ts';
import { LATEST } from './function-ref.ts';
import { runInvocation } from './run.ts';
import type { RecordWriter } from './record-writer.ts';

/** kv namespace of the state of events between attempts, keyed by queue message id. */
export const ASYNC_STATE_NS = 'gannet-async-state';

/** How long to leave an event whose function has disappeared before looking again. */
const MISSING_FUNCTION_DELAY_MS = 60_000;

export type AsyncEventDeps = {
  ctx: InvokerContext;
  records: RecordWriter;
  /** For destinations that are functions (an async invoke of the target). */
  invoker: Invoker;
  scale: number;
};

type Handling = { deps: AsyncEventDeps; queue: string; msg: ClaimedMessage; ev: AsyncEvent; fn: ResolvedFunction; state: AsyncEventState };

export async function processAsyncEvent(deps: AsyncEventDeps, queue: string, msg: ClaimedMessage): Promise<void> {
  const { ctx } = deps;
  const ev = decodeAsyncEvent(msg.body);
  if (ev === undefined) {
    ctx.log.error(`dropping unreadable async event ${msg.id} on ${queue}`);
    await ctx.store.queues.ack(queue, [msg.receipt]);
    return;
  }
  const fn = ctx.functions.resolve(ev.functionName);
  if (fn === undefined) {
    ctx.log.warn(`async event ${ev.requestId} waits: function ${ev.functionName} is not deployed`);
    await ctx.store.queues.release(queue, msg.receipt, MISSING_FUNCTION_DELAY_MS);
    return;
  }
  // A first delivery has no stored state; later ones (retries, throttles, a host that died) may.
  const state = msg.receiveCount > 1
    ? (await ctx.store.kv.get<AsyncEventState>(ASYNC_STATE_NS, msg.id)) ?? NEW_EVENT_STATE
    : NEW_EVENT_STATE;
  const h: Handling = { deps, queue, msg, ev, fn, state };

  if (state.undelivered !== undefined) {
    return finish(h, state.undelivered.condition, state.attempts, state.last);
  }
  if (eventExpired(ev.enqueuedAt, ctx.clock.now(), fn.spec.maximumEventAge)) {
    return finish(h, 'EventAgeExceeded', state.attempts, state.last);
  }

  let result: InvokeResult | undefined;
  try {
    result = await runInvocation(deps, {
      fn, qualifier: ev.qualifier, payload: Buffer.from(ev.payload, 'utf8'),
      requestId: ev.requestId, trigger: ev.trigger, attempt: state.attempts + 1,
    });
  } catch (err) {
    // A system error (the pool could not start the function): retried like a throttle.
    ctx.log.warn(`async event ${ev.requestId} of ${fn.spec.name} hit a system error, will retry: ${(err as Error)?.message ?? err}`);
  }
  if (result === undefined || result.status === 'throttled') {
    const next: AsyncEventState = { ...state, throttles: state.throttles + 1 };
    return retryLater(h, next, throttleDelayMs(next.throttles, deps.scale));
  }
  if (result.status === 'ok') {
    return finish(h, 'Success', state.attempts + 1, { payload: result.payload.toString('utf8') });
  }
  const attempts = state.attempts + 1;
  const last: LastResponse = { payload: result.payload.toString('utf8') };
  if (result.functionError !== undefined) last.functionError = result.functionError;
  if (retriesExhausted(attempts, fn.spec.maximumRetryAttempts)) return finish(h, 'RetriesExhausted', attempts, last);
  return retryLater(h, { ...state, attempts, last }, retryDelayMs(attempts, deps.scale));
}

/** State first, then the release: if the host dies between the two, the event still comes back. */
async function retryLater(h: Handling, next: AsyncEventState, delayMs: number): Promise<void> {
  const { store } = h.deps.ctx;
  await store.kv.put(ASYNC_STATE_NS, h.msg.id, next);
  await store.queues.release(h.queue, h.msg.receipt, delayMs);
}

async function finish(h: Handling, condition: DestinationCondition, invokeCount: number, last: LastResponse | undefined): Promise<void> {
  const { ctx, invoker } = h.deps;
  const { fn, ev } = h;
  try {
    if (condition === 'Success') {
      const dest = fn.spec.destinations.onSuccess;
      if (dest !== undefined) await deliverDestination(ctx, invoker, dest, record(h, condition, invokeCount, last));
    } else if (fn.spec.destinations.onFailure !== undefined) {
      await deliverDestination(ctx, invoker, fn.spec.destinations.onFailure, record(h, condition, invokeCount, last));
    } else if (fn.spec.onError !== undefined) {
      await deliverDeadLetter(ctx, fn, fn.spec.onError, ev.requestId, ev.payload, last);
    } else {
      ctx.log.warn(`async event ${ev.requestId} of ${fn.spec.name} discarded after ${invokeCount} attempt(s): ${condition}`);
    }
  } catch (err) {
    if (!deliveryWorthRetrying(h, err)) {
      ctx.log.error(`could not deliver the ${condition} record of ${ev.requestId} (${fn.spec.name}); dropped: ${(err as Error)?.message ?? err}`);
    } else {
      ctx.log.warn(`could not deliver the ${condition} record of ${ev.requestId} (${fn.spec.name}), will retry: ${(err as Error)?.message ?? err}`);
      const next: AsyncEventState = { ...h.state, attempts: invokeCount, throttles: h.state.throttles + 1, undelivered: { condition } };
      if (last !== undefined) next.last = last;
      return retryLater(h, next, throttleDelayMs(next.throttles, h.deps.scale));
    }
  }
  await ctx.store.queues.ack(h.queue, [h.msg.receipt]);
  if (h.msg.receiveCount > 1) await ctx.store.kv.delete(ASYNC_STATE_NS, h.msg.id);
}

/** A missing target (4xx) will not appear by waiting; anything else is retried until the event is too old. */
function deliveryWorthRetrying(h: Handling, err: unknown): boolean {
  const { status, code } = (err ?? {}) as Partial<GannetError>;
  if (code === 'GANNET_NO_SINK' || (status !== undefined && status < 500)) return false;
  return !eventExpired(h.ev.enqueuedAt, h.deps.ctx.clock.now(), h.fn.spec.maximumEventAge);
}

function record(h: Handling, condition: DestinationCondition, invokeCount: number, last: LastResponse | undefined) {
  return destinationRecord({
    at: h.deps.ctx.clock.now(), requestId: h.ev.requestId, functionArn: `${h.fn.arn}:${h.ev.qualifier ?? LATEST}`,
    condition, invokeCount, requestPayload: h.ev.payload, response: last,
  });
}
