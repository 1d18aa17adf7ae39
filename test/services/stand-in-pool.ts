// TEMPORARY peer until src/pool/index.ts lands: runs fixture handlers in this process with the
// Pool seam's contract (GANNET_THROTTLED at reserved concurrency, Lambda's error payloads).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GannetError } from '../../src/shared/errors.ts';
import type { Pool, ResolvedFunction, InvocationEvent, RuntimeOutcome } from '../../src/pool/types.ts';

export function standInPool(): Pool {
  const busy = new Map<string, number>();
  return {
    async run(fn: ResolvedFunction, event: InvocationEvent): Promise<RuntimeOutcome> {
      const name = fn.spec.name;
      const running = busy.get(name) ?? 0;
      if (fn.spec.reservedConcurrency !== undefined && running >= fn.spec.reservedConcurrency) {
        throw new GannetError('GANNET_THROTTLED', `${name} is at its reserved concurrency`);
      }
      busy.set(name, running + 1);
      const started = performance.now();
      try {
        const dot = fn.spec.handler.lastIndexOf('.');
        const mod = await import(pathToFileURL(join(fn.spec.codeDir, fn.spec.handler.slice(0, dot) + '.mjs')).href);
        const context = {
          awsRequestId: event.requestId, functionName: name, invokedFunctionArn: event.invokedFunctionArn,
          clientContext: event.clientContext ? JSON.parse(Buffer.from(event.clientContext, 'base64').toString('utf8')) : undefined,
        };
        const result = await mod[fn.spec.handler.slice(dot + 1)](JSON.parse(event.payload.toString('utf8')), context);
        return { status: 'ok', payload: Buffer.from(JSON.stringify(result) ?? 'null'), logs: [], durationMs: performance.now() - started, maxMemoryUsedMb: 1, timedOut: false };
      } catch (err) {
        const e = err as Error;
        const payload = { errorType: e.name, errorMessage: e.message, trace: String(e.stack).split('\n') };
        return { status: 'error', payload: Buffer.from(JSON.stringify(payload)), errorType: e.name, logs: [], durationMs: performance.now() - started, maxMemoryUsedMb: 1, timedOut: false };
      } finally {
        busy.set(name, (busy.get(name) ?? 1) - 1);
      }
    },
    busy: (name) => busy.get(name) ?? 0,
    drain: async () => {},
    close: async () => {},
  };
}
