// Invocation records leave the response path: they are queued and appended on the next turn of the
// event loop, after the caller has its result (the sqlite append is a synchronous INSERT).
import type { InvocationRecord } from './types.ts';
import type { InvokerContext } from './context.ts';

export class RecordWriter {
  readonly #ctx: InvokerContext;
  #pending: InvocationRecord[] = [];
  #scheduled: NodeJS.Immediate | undefined;

  constructor(ctx: InvokerContext) {
    this.#ctx = ctx;
  }

  write(record: InvocationRecord): void {
    this.#pending.push(record);
    this.#scheduled ??= setImmediate(() => void this.flush());
  }

  /** Appends everything queued; a failed append is reported, never thrown at a caller. */
  async flush(): Promise<void> {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    const batch = this.#pending;
    this.#pending = [];
    for (const record of batch) {
      try {
        await this.#ctx.store.records.append(record);
      } catch (err) {
        this.#ctx.log.error(`could not record invocation ${record.requestId} of ${record.functionName}: ${(err as Error)?.message ?? err}`);
      }
    }
  }
}
