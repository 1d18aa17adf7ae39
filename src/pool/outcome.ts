// Lambda's words for what happened to one invocation: the payloads and log lines the platform
// itself produces for crashes, timeouts, memory exhaustion and oversized responses (aws-compat §2, §4).
import { MAX_RESPONSE_BYTES, describeExit, type ExitInfo } from '../runtime/index.ts';
import type { RuntimeOutcome } from './types.ts';

type Base = { logs: string[]; durationMs: number; initDurationMs?: number; maxMemoryUsedMb: number };

function jsonBuffer(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export function outcome(status: RuntimeOutcome['status'], payload: Buffer, base: Base, errorType?: string, timedOut = false): RuntimeOutcome {
  const o: RuntimeOutcome = { status, payload, logs: base.logs, durationMs: base.durationMs, maxMemoryUsedMb: base.maxMemoryUsedMb, timedOut };
  if (errorType !== undefined) o.errorType = errorType;
  if (base.initDurationMs !== undefined) o.initDurationMs = base.initDurationMs;
  return o;
}

/** `Task timed out after 3.00 seconds`: the budget in seconds with two decimals. */
export function timeoutSeconds(budgetMs: number): string {
  return (budgetMs / 1000).toFixed(2);
}

export function timedOut(requestId: string, budgetMs: number, base: Base, at: number): RuntimeOutcome {
  base.logs.push(`${new Date(at).toISOString()} ${requestId} Task timed out after ${timeoutSeconds(budgetMs)} seconds`);
  const payload = jsonBuffer({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds(budgetMs)} seconds` });
  return outcome('crash', payload, base, 'Sandbox.Timedout', true);
}

/** The runtime process ended before answering (exit, crash, or killed over its memory). */
export function exited(requestId: string, exit: ExitInfo, base: Base, memorySizeMb: number): RuntimeOutcome {
  const reason = exit.signal === null && exit.code === 0
    ? 'Runtime exited without providing a reason'
    : `Runtime exited with error: ${describeExit(exit)}`;
  const errorType = exit.reason === 'memory' ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
  const errorMessage = `RequestId: ${requestId} Error: ${reason}`;
  base.logs.push(errorMessage, errorType);
  if (exit.reason === 'memory') base.maxMemoryUsedMb = memorySizeMb;
  return outcome('crash', jsonBuffer({ errorType, errorMessage }), base, errorType);
}

export function responseTooLarge(size: number, base: Base): RuntimeOutcome {
  const errorMessage = `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`;
  base.logs.push(errorMessage);
  return outcome('crash', jsonBuffer({ errorMessage, errorType: 'Function.ResponseSizeTooLarge' }), base, 'Function.ResponseSizeTooLarge');
}

/** The INIT_START platform line that opens a cold start's logs. */
export function initStartLine(runtime: string, region: string): string {
  const version = runtime.replace(/\.x$/, '').replace(/^nodejs/, 'nodejs:').replace(/^python/, 'python:');
  return `INIT_START Runtime Version: ${version}.v${process.versions.node.split('.')[0]}\tRuntime Version ARN: arn:aws:lambda:${region}::runtime:gannet-${runtime}`;
}
