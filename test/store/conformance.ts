// The Store conformance suite: one body of tests every backend must pass (sqlite now, postgres
// later). A backend test file calls storeConformance('name', makeStore) with its own fixture.
import { describe } from 'node:test';
import type { Clock } from '../../src/shared/clock.ts';
import type { Store } from '../../src/store/index.ts';
import { queueConformance } from './conformance/queues.ts';
import { waitConformance } from './conformance/waiting.ts';
import { fifoConformance } from './conformance/fifo.ts';
import { concurrencyConformance } from './conformance/concurrency.ts';
import { objectConformance } from './conformance/objects.ts';
import { multipartConformance } from './conformance/multipart.ts';
import { conditionalWriteConformance } from './conformance/conditional-writes.ts';
import { recordConformance } from './conformance/records.ts';
import { durabilityConformance } from './conformance/durability.ts';

export type StoreFixture = {
  store: Store;
  /** Another handle on the same data: a second connection, as a second process or node has. */
  reopen(clock?: Clock): Promise<Store>;
  /** How a child process opens this same store: `(await import(module))[exportName](args)`. */
  child: { module: string; exportName: string; args: unknown };
  /** Closes every handle and removes the data. */
  cleanup(): Promise<void>;
};

/** A fresh, empty store; `clock` (default: the system clock) is used for all its times. */
export type MakeStore = (clock?: Clock) => Promise<StoreFixture>;

export function storeConformance(backend: string, makeStore: MakeStore): void {
  describe(`${backend} store conformance`, () => {
    queueConformance(makeStore);
    waitConformance(makeStore);
    fifoConformance(makeStore);
    concurrencyConformance(makeStore);
    objectConformance(makeStore);
    multipartConformance(makeStore);
    conditionalWriteConformance(makeStore);
    recordConformance(makeStore);
    durabilityConformance(makeStore);
  });
}
