// Authorizer result cache: keyed by the identity source values, entries live resultTtlInSeconds.
// Bounded, oldest-first eviction (a Map keeps insertion order), so a flood of distinct tokens
// cannot grow memory without limit.
import type { Clock } from '../../shared/clock.ts';
import { AUTHORIZER_CACHE_MAX_ENTRIES } from '../limits.ts';

export class AuthorizerCache<V> {
  #entries = new Map<string, { value: V; expiresAt: number }>();
  #clock: Clock;
  #ttlMs: number;
  #max: number;

  constructor(clock: Clock, ttlMs: number, max = AUTHORIZER_CACHE_MAX_ENTRIES) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  get(key: string): V | undefined {
    if (this.#ttlMs <= 0) return undefined;
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= this.#clock.now()) { this.#entries.delete(key); return undefined; }
    return hit.value;
  }

  set(key: string, value: V): void {
    if (this.#ttlMs <= 0) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expiresAt: this.#clock.now() + this.#ttlMs });
  }
}
