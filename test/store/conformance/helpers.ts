// Small helpers shared by the conformance suite's files.
import type { TestContext } from 'node:test';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Clock } from '../../../src/shared/clock.ts';
import type { QueueConfig, Store } from '../../../src/store/index.ts';
import type { MakeStore, StoreFixture } from '../conformance.ts';

/** A fresh store for one test, cleaned up when the test ends, pass or fail. */
export async function freshStore(t: TestContext, makeStore: MakeStore, clock?: Clock): Promise<StoreFixture> {
  const fixture = await makeStore(clock);
  t.after(() => fixture.cleanup());
  return fixture;
}

export function queueConfig(name: string, over: Partial<QueueConfig> = {}): QueueConfig {
  return { name, fifo: name.endsWith('.fifo'), attributes: {}, tags: {}, createdAt: 1_700_000_000_000, internal: false, ...over };
}

export async function createQueue(store: Store, name: string, over: Partial<QueueConfig> = {}): Promise<void> {
  await store.queues.create(queueConfig(name, over));
}

export function md5hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

/** Deterministic bytes for (seed, size), so a reader can check a body without keeping a copy. */
export function patternBytes(seed: number, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** A readable that yields `data` in chunks, yielding to the event loop between them (a slow client). */
export function chunked(data: Buffer, chunkSize = 64 * 1024): Readable {
  return Readable.from((async function* () {
    for (let off = 0; off < data.length; off += chunkSize) {
      await new Promise((r) => setImmediate(r));
      yield data.subarray(off, off + chunkSize);
    }
  })());
}

export async function readAll(body: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks);
}

/** Resolves to 'pending' if `p` has not settled once queued work has run. */
export async function stateOf(p: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> {
  let state: 'resolved' | 'rejected' | 'pending' = 'pending';
  p.then(() => { state = 'resolved'; }, () => { state = 'rejected'; });
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  return state;
}

/** Fails with a clear message instead of hanging the run when `p` never settles. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const limit = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms); });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
