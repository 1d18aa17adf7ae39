// When a function has no idle instance: start another one, or wait for a busy one to free up.
//
// Lambda gives every concurrent event its own instance, and so did the pool at first. On a
// 2-core machine that loses: wrk with 50 connections on a handler that answers in ~0.1 ms made
// gannet dev start 50 Node processes, which then fought over the two cores (418 req/s, p50 91 ms).
// Fixed instance counts at 50 connections on 2 cores (req/s; wrk, 5 s each, one after another on
// a shared machine, so only the shape counts): 1 instance 1,190 · 2: 2,089 · 3: 1,994 · 4: 1,458 ·
// 6: 728 · 50: 1,978 (in another round 2: 3,371 · 4: 4,003); gannet dev's CPU per request was
// lowest at 2-4. The gateway needs one core and the instances the other; a single instance idles
// while the host reads its answer, so a few help and many hurt.
//
// So an event waits for a busy instance once its function has `eager` instances (default: the
// core count), unless waiting looks slower than a cold start: when the first waiter has waited
// `scaleUpAfterMs` and the queue, at the handler's recent duration, would take SCALE_UP_DRAIN_MS
// to drain, one more instance starts (one at a time, never while another is still starting).
// The duration is the runtime's own measure of the handler (the host's also counts scheduling
// delays: it read 1-44 ms for a 0.05 ms handler once 20 instances competed, which fed on itself).
// Slow or I/O-bound handlers (a 300 ms database call) still get an instance per concurrent event
// within a few cold starts; fast ones share a few warm instances. Waiting does not eat into a
// function's timeout: its budget starts when its instance receives the event.
import { availableParallelism } from 'node:os';

export const DEFAULT_SCALE_UP_AFTER_MS = 10;

/** Another instance starts only if the queue would take at least this long to drain (a few cold starts). */
export const SCALE_UP_DRAIN_MS = 50;

export function defaultEagerInstances(): number {
  return Math.max(1, availableParallelism());
}

/** What the decision needs to know about one function right now. */
export type QueueView = {
  /** How long the first waiter has waited, counted from the later of its arrival and the last instance becoming ready. */
  waitedMs: number;
  waiting: number;
  busy: number;
  /** Instances of the function that are starting (not yet ready). */
  starting: number;
  /** Recent mean invocation duration; undefined before the first one finished. */
  meanDurationMs: number | undefined;
};

export function shouldStartAnother(q: QueueView, scaleUpAfterMs: number): boolean {
  if (q.waiting === 0) return false;
  if (q.busy === 0 && q.starting === 0) return true; // nothing will free up: start now
  if (q.starting > 0 || q.waitedMs < scaleUpAfterMs) return false;
  if (q.meanDurationMs === undefined) return true;
  return (q.meanDurationMs * q.waiting) / Math.max(1, q.busy) >= Math.max(scaleUpAfterMs, SCALE_UP_DRAIN_MS);
}

/** Mean duration, weighted to the recent invocations. */
export function nextMeanDuration(mean: number | undefined, durationMs: number): number {
  return mean === undefined ? durationMs : mean * 0.8 + durationMs * 0.2;
}
