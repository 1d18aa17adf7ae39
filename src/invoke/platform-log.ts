// The lines Lambda itself writes around an invocation (START, END, REPORT, the timeout notice),
// and the X-Amz-Log-Result tail built from them.
import type { RuntimeOutcome } from '../pool/types.ts';

/** X-Amz-Log-Result carries the last 4 KB of the invocation's log text. */
export const LOG_TAIL_BYTES = 4096;

export type ReportFields = {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  /** 'timeout', or 'error' with the Runtime.* error type for crashes and init failures. */
  status?: 'timeout' | 'error';
  errorType?: string;
};

/** Since Aug 2025 on-demand init time is billed too, so a cold REPORT bills duration + init. */
export function billedDurationMs(durationMs: number, initDurationMs?: number): number {
  return Math.ceil(durationMs + (initDurationMs ?? 0));
}

export function reportLine(f: ReportFields): string {
  let line = `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\tBilled Duration: ${billedDurationMs(f.durationMs, f.initDurationMs)} ms\tMemory Size: ${f.memorySizeMb} MB\tMax Memory Used: ${Math.round(f.maxMemoryUsedMb)} MB`;
  if (f.initDurationMs !== undefined) line += `\tInit Duration: ${f.initDurationMs.toFixed(2)} ms`;
  if (f.status === 'timeout') line += '\tStatus: timeout';
  else if (f.status === 'error') line += `\tStatus: error\tError Type: ${f.errorType ?? 'Runtime.Unknown'}`;
  return line;
}

export function timeoutLine(at: number, requestId: string, deadlineMs: number): string {
  return `${new Date(at).toISOString()} ${requestId} Task timed out after ${(deadlineMs / 1000).toFixed(2)} seconds`;
}

/** REPORT's Status: crashes and Runtime.* failures are platform errors; a thrown handler error is not. */
export function reportStatus(outcome: RuntimeOutcome): { status?: 'timeout' | 'error'; errorType?: string } {
  if (outcome.timedOut) return { status: 'timeout' };
  if (outcome.status === 'crash' || (outcome.status === 'error' && outcome.errorType?.startsWith('Runtime.'))) {
    return { status: 'error', errorType: outcome.errorType ?? 'Runtime.Unknown' };
  }
  return {};
}

/**
 * The invocation's full log as Lambda writes it: INIT_START (if the pool reported one) before
 * START, the function's lines, the timeout notice (unless the pool already wrote it), END, REPORT.
 */
export function frameLogs(requestId: string, outcome: RuntimeOutcome, report: string, at: number, deadlineMs: number): string[] {
  const inner = outcome.logs;
  const lines: string[] = [];
  let i = 0;
  while (i < inner.length && inner[i]!.startsWith('INIT_START')) lines.push(inner[i++]!);
  lines.push(`START RequestId: ${requestId} Version: $LATEST`);
  for (; i < inner.length; i++) lines.push(inner[i]!);
  if (outcome.timedOut && !inner.some((l) => l.includes('Task timed out after'))) {
    lines.push(timeoutLine(at, requestId, deadlineMs));
  }
  lines.push(`END RequestId: ${requestId}`, report);
  return lines;
}

/** base64 of the last 4 KB of the log text, as X-Amz-Log-Result. */
export function logTail(lines: string[]): string {
  const text = Buffer.from(lines.join('\n') + '\n', 'utf8');
  return (text.length > LOG_TAIL_BYTES ? text.subarray(text.length - LOG_TAIL_BYTES) : text).toString('base64');
}
