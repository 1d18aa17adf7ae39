// Reading invocation records back for `gannet logs`: since/filter selection, and following new
// records as they are written (tail).
import { GannetError } from '../shared/errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { Store } from '../store/types.ts';
import type { InvocationRecord } from './types.ts';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PAGE = 500;
const DEFAULT_FOLLOW_MS = 250;

/** `30s`, `10m`, `2h`, `1d` (before now) or an ISO date, to epoch ms. */
export function parseSince(text: string, now: number): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text.trim());
  if (m) return now - Number(m[1]) * UNIT_MS[m[2]!]!;
  const at = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text.trim()) : NaN;
  if (Number.isNaN(at)) {
    throw new GannetError('GANNET_USAGE', `--since expects an age like 30s, 10m, 2h, 1d or an ISO date like 2024-01-31T12:00:00Z, got "${text}"`);
  }
  return at;
}

export type LogsQuery = {
  functionName: string;
  /** Epoch ms; only invocations that started at or after it. */
  since?: number;
  /** Only invocations with a log line containing this text. */
  filter?: string;
  /** Keep following new invocations until `signal` aborts. */
  tail?: boolean;
  signal?: AbortSignal;
  followEveryMs?: number;
};

export type LogsOutput = { store: Store; clock: Clock; write(line: string): void };

/** Prints the matching invocations' log lines, oldest first; with `tail`, follows until aborted. Returns how many were printed. */
export async function printLogs(out: LogsOutput, q: LogsQuery): Promise<number> {
  let afterSeq: number | undefined;
  let printed = 0;
  const since = q.since;
  for (;;) {
    for (;;) {
      const filter = { functionName: q.functionName, limit: PAGE } as Parameters<Store['records']['query']>[0];
      if (afterSeq !== undefined) filter.afterSeq = afterSeq;
      else if (since !== undefined) filter.since = since;
      if (q.filter !== undefined) filter.text = q.filter;
      const page = await out.store.records.query(filter);
      for (const rec of page) {
        afterSeq = rec.seq;
        if (since !== undefined && rec.startedAt < since) continue;
        if (q.filter !== undefined && !rec.logs.some((l) => l.includes(q.filter!))) continue;
        printRecord(out, rec);
        printed++;
      }
      if (page.length < PAGE) break;
    }
    if (!q.tail || q.signal?.aborted) return printed;
    if (afterSeq === undefined) afterSeq = 0;
    try {
      await out.clock.sleep(q.followEveryMs ?? DEFAULT_FOLLOW_MS, q.signal);
    } catch {
      return printed;
    }
  }
}

function printRecord(out: LogsOutput, rec: InvocationRecord): void {
  // Throttled invocations never started, so Lambda writes no lines for them; say so in one.
  if (rec.logs.length === 0) {
    out.write(`${new Date(rec.startedAt).toISOString()}\t${rec.requestId}\t${rec.outcome.toUpperCase()}${rec.errorType ? `\t${rec.errorType}` : ''}`);
    return;
  }
  for (const line of rec.logs) out.write(line);
}
