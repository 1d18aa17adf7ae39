// One invocation through the pool: the sync path, also used for every async attempt. Maps the
// runtime's outcome to Lambda's result, frames the logs and writes the invocation record.
import type { InvocationEvent, ResolvedFunction, RuntimeOutcome } from '../pool/types.ts';
import type { GannetError } from '../shared/errors.ts';
import type { InvocationRecord, InvokeResult, Trigger } from './types.ts';
import type { InvokerContext } from './context.ts';
import { LATEST } from './function-ref.ts';
import type { RecordWriter } from './record-writer.ts';
import { billedDurationMs, frameLogs, logTail, reportLine, reportStatus } from './platform-log.ts';

export type RunRequest = {
  fn: ResolvedFunction;
  qualifier: string | undefined;
  payload: Buffer;
  requestId: string;
  trigger: Trigger;
  /** 1 for the first try of an event; async retries count up. */
  attempt: number;
  clientContext?: string;
  tail?: boolean;
  /** Caller's deadline (ms) when shorter than the function's timeout. */
  deadlineMs?: number;
};

/** What one run needs: the host's context and where its record goes. */
export type RunContext = { ctx: InvokerContext; records: RecordWriter };

export async function runInvocation({ ctx, records }: RunContext, req: RunRequest): Promise<InvokeResult> {
  const { fn, requestId } = req;
  const timeoutMs = fn.spec.timeout * 1000;
  const deadlineMs = req.deadlineMs !== undefined && req.deadlineMs < timeoutMs ? req.deadlineMs : timeoutMs;
  const event: InvocationEvent = {
    requestId,
    payload: req.payload,
    invokedFunctionArn: req.qualifier === undefined ? fn.arn : `${fn.arn}:${req.qualifier}`,
  };
  if (req.clientContext !== undefined) event.clientContext = req.clientContext;
  const startedAt = ctx.clock.now();
  let outcome: RuntimeOutcome;
  try {
    outcome = await ctx.pool.run(fn, event, deadlineMs);
  } catch (err) {
    if ((err as GannetError)?.code === 'GANNET_THROTTLED') return throttled(records, req, startedAt, (err as { reason?: unknown }).reason);
    throw err;
  }
  return finish(ctx, records, req, outcome, startedAt, deadlineMs);
}

function finish(ctx: InvokerContext, records: RecordWriter, req: RunRequest, outcome: RuntimeOutcome, startedAt: number, deadlineMs: number): InvokeResult {
  const { fn, requestId } = req;
  const memorySizeMb = fn.spec.memorySize;
  const { status: reportStat, errorType: reportErrorType } = reportStatus(outcome);
  const report = reportLine({
    requestId, durationMs: outcome.durationMs, memorySizeMb, maxMemoryUsedMb: outcome.maxMemoryUsedMb,
    initDurationMs: outcome.initDurationMs, status: reportStat, errorType: reportErrorType,
  });
  const logs = frameLogs(requestId, outcome, report, ctx.clock.now(), deadlineMs);
  const onLog = ctx.onLog;
  if (onLog !== undefined) for (const line of logs) onLog(line);

  const status = outcome.status === 'ok' ? 'ok' : outcome.status === 'error' ? 'handled-error' : 'unhandled-error';
  const record: InvocationRecord = {
    requestId,
    functionName: fn.spec.name,
    version: LATEST,
    trigger: req.trigger.kind,
    startedAt,
    durationMs: outcome.durationMs,
    billedDurationMs: billedDurationMs(outcome.durationMs, outcome.initDurationMs),
    memorySizeMb,
    maxMemoryUsedMb: Math.round(outcome.maxMemoryUsedMb),
    outcome: outcome.timedOut ? 'timeout' : status,
    attempt: req.attempt,
    logs,
  };
  if (outcome.initDurationMs !== undefined) record.initDurationMs = outcome.initDurationMs;
  if (outcome.errorType !== undefined) record.errorType = outcome.errorType;
  records.write(record);

  const result: InvokeResult = { requestId, status, payload: outcome.payload, executedVersion: LATEST };
  // Current Node and Python runtimes report thrown errors and crashes alike as Unhandled (aws-compat §3).
  if (status !== 'ok') result.functionError = 'Unhandled';
  if (req.tail) result.logTail = logTail(logs);
  return result;
}

/** Lambda answers 429 TooManyRequestsException; the payload is its error body, ready to send. */
function throttled(records: RecordWriter, req: RunRequest, startedAt: number, poolReason: unknown): InvokeResult {
  const reason = typeof poolReason === 'string' ? poolReason : req.fn.spec.reservedConcurrency !== undefined
    ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : 'ConcurrentInvocationLimitExceeded';
  records.write({
    requestId: req.requestId, functionName: req.fn.spec.name, version: LATEST, trigger: req.trigger.kind,
    startedAt, durationMs: 0, billedDurationMs: 0, memorySizeMb: req.fn.spec.memorySize, maxMemoryUsedMb: 0,
    outcome: 'throttled', errorType: reason, attempt: req.attempt, logs: [],
  });
  return {
    requestId: req.requestId, status: 'throttled', executedVersion: LATEST,
    payload: Buffer.from(JSON.stringify({ Reason: reason, Type: 'User', message: 'Rate Exceeded.' })),
  };
}
