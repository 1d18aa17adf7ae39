// A Gannet AWS endpoint on a free port with the Lambda provider over the real invoker, pool and
// store, running the fixture handlers as real processes; and an SDK client pointed at it. Everything stops in t.after.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { FunctionSpec, ServiceSpec } from '../../src/config/types.ts';
import { createInvoker, queueSinks } from '../../src/invoke/index.ts';
import { openStore } from '../../src/store/index.ts';
import { systemClock } from '../../src/shared/clock.ts';
import type { Logger } from '../../src/shared/log.ts';
import { createAwsEndpoint, createLambdaProvider, type ServiceEnv } from '../../src/services/index.ts';
import { hostedFunctions } from '../../src/host/functions.ts';
import { createPool } from '../../src/pool/index.ts';
import { ACCOUNT, REGION, testFunction, testService } from './fixtures.ts';

export const HANDLERS_DIR = new URL('./fixtures/', import.meta.url).pathname;

/** A function running `handlers.<exportName>` from test/services/fixtures. */
export function handlerFunction(key: string, exportName: string, over: Partial<FunctionSpec> = {}): FunctionSpec {
  return testFunction(key, { handler: `handlers.${exportName}`, codeDir: HANDLERS_DIR, timeout: 10, ...over });
}

export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
  };
}

export function tempDir(t: TestContext, prefix = 'gannet-services-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export type LambdaEndpoint = { endpoint: string; lambda: LambdaClient; dir: string; log: ReturnType<typeof collectingLogger>; spec: ServiceSpec };

export async function startLambdaEndpoint(t: TestContext, functions: FunctionSpec[]): Promise<LambdaEndpoint> {
  const dir = tempDir(t);
  const log = collectingLogger();
  const spec = testService(functions, { dir: HANDLERS_DIR });
  const store = await openStore({ dir: join(dir, 'store'), clock: systemClock });
  const pool = createPool({ log: collectingLogger(), clock: systemClock });
  const hosted = hostedFunctions(spec, () => ({}), Date.now);
  const invoker = createInvoker({
    functions: hosted, pool, store, clock: systemClock, log, sinks: queueSinks(store),
    region: REGION, accountId: ACCOUNT, retryDelayScale: 0.001,
  });
  invoker.start();
  const env: ServiceEnv = {
    store, invoker, functions: hosted.directory, notifications: { s3: async () => {} },
    clock: systemClock, log, region: REGION, accountId: ACCOUNT,
  };
  const server = http.createServer(createAwsEndpoint({ providers: [createLambdaProvider(env)], log, region: REGION, accountId: ACCOUNT }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const lambda = new LambdaClient({ endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  t.after(async () => {
    lambda.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await invoker.stop();
    await pool.close();
    await store.close();
  });
  return { endpoint, lambda, dir, log, spec };
}
