// The pool module: instances of functions (spawn, warm reuse, prewarmed spares, scale to zero,
// concurrency, memory and time limits, crash isolation). It knows nothing of triggers.
import { InstancePool, type PoolOptions, type PoolStats } from './pool.ts';
import type { Pool } from './types.ts';

export type { Pool, PoolOptions, PoolStats };
export type HostPool = Pool & { stats(): PoolStats };
export type { ResolvedFunction, InvocationEvent, RuntimeOutcome } from './types.ts';

/** Creates the host's pool; prewarmed Node processes start now, before any function is known. */
export function createPool(opts: PoolOptions): HostPool {
  return new InstancePool(opts);
}
