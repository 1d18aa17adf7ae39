// Lambda's async retry policy as plain functions: when to retry, after how long, when to give up.

/** Lambda retries a failed async event after ~1 minute, then after ~2 more minutes. */
const FUNCTION_ERROR_DELAYS_MS = [60_000, 120_000];
/** Throttles and system errors back off exponentially from ~1 s up to ~5 min, until the event expires. */
const THROTTLE_FIRST_DELAY_MS = 1_000;
const THROTTLE_MAX_DELAY_MS = 300_000;

/** Where an event stands between attempts; stored beside the queue row while the event waits. */
export type AsyncEventState = {
  /** Executions that ended in a function error (throttles do not count). */
  attempts: number;
  throttles: number;
  last?: { payload: string; functionError?: 'Handled' | 'Unhandled' };
  /** The outcome is settled but its record could not be delivered yet: deliver, do not run again. */
  undelivered?: { condition: 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' };
};

export const NEW_EVENT_STATE: AsyncEventState = { attempts: 0, throttles: 0 };

/** Delay before retry number `failedAttempts` (1-based) after a function error. */
export function retryDelayMs(failedAttempts: number, scale: number): number {
  const base = FUNCTION_ERROR_DELAYS_MS[Math.min(failedAttempts, FUNCTION_ERROR_DELAYS_MS.length) - 1]!;
  return Math.round(base * scale);
}

export function throttleDelayMs(throttles: number, scale: number): number {
  const base = Math.min(THROTTLE_FIRST_DELAY_MS * 2 ** Math.max(0, throttles - 1), THROTTLE_MAX_DELAY_MS);
  return Math.round(base * scale);
}

export function retriesExhausted(failedAttempts: number, maximumRetryAttempts: number): boolean {
  return failedAttempts > maximumRetryAttempts;
}

export function eventExpired(enqueuedAt: number, now: number, maximumEventAgeSeconds: number): boolean {
  return now - enqueuedAt >= maximumEventAgeSeconds * 1000;
}
