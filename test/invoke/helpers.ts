// A real invoker for tests: the real pool running fixture handlers as processes, the real sqlite
// store in a temp dir, and a directory of fixture functions. Everything is closed by t.after.
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { FunctionSpec, ServiceSpec } from '../../src/config/types.ts';
import type { ResolvedFunction } from '../../src/pool/types.ts';
import type { Pool } from '../../src/pool/types.ts';
import type { Store } from '../../src/store/types.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { systemClock } from '../../src/shared/clock.ts';
import type { Logger } from '../../src/shared/log.ts';
import { createPool } from '../../src/pool/index.ts';
import { openStore } from '../../src/store/index.ts';
import { createInvoker, queueSinks, type FunctionResolver, type RunningInvoker, type InvokerContext } from '../../src/invoke/index.ts';
import { eventually as pollUntil } from '../helpers/function-output.ts';

export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

export function arnOf(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

export function fixtureService(functions: FunctionSpec[]): ServiceSpec {
  return {
    service: 'invoketest', stage: 'test', region: REGION, accountId: ACCOUNT,
    provider: {
      name: 'aws', runtime: 'nodejs22.x', stage: 'test', region: REGION, memorySize: 1024, timeout: 6, environment: {},
      httpApi: { authorizers: {}, payload: '2.0' }, apiGateway: { binaryMediaTypes: [] }, iamStatements: [],
    },
    functions: Object.fromEntries(functions.map((f) => [f.key, f])),
    resources: [], outputs: {}, custom: {}, dir: FIXTURES, file: join(FIXTURES, 'serverless.yml'), warnings: [],
  };
}

/** A function running `handlers.<export>` from the fixtures folder. */
export function fixtureFunction(key: string, exportName: string, over: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    key, name: `invoketest-test-${key}`, handler: `handlers.${exportName}`, runtime: 'nodejs22.x',
    memorySize: 256, timeout: 3, environment: {}, maximumRetryAttempts: 2, maximumEventAge: 21600,
    destinations: {}, events: [], architecture: 'x86_64', codeDir: FIXTURES, ...over,
  };
}

export function directory(functions: FunctionSpec[]): FunctionResolver & { byKey(key: string): ResolvedFunction } {
  const service = fixtureService(functions);
  const byName = new Map<string, ResolvedFunction>();
  const byKey = new Map<string, ResolvedFunction>();
  for (const spec of functions) {
    const fn: ResolvedFunction = { spec, service, arn: arnOf(spec.name), hostEnvironment: {}, revision: '1' };
    byName.set(spec.name, fn);
    byName.set(fn.arn, fn);
    byKey.set(spec.key, fn);
  }
  return {
    resolve: (nameOrArn) => byName.get(nameOrArn),
    byKey: (key) => byKey.get(key)!,
  };
}

export function tempDir(t: TestContext, prefix = 'gannet-invoke-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Lines a fixture wrote to its RUNS_FILE. */
export function runsIn(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
}

export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    debug: () => {},
  };
}

/** A clock that can be moved forward (event ages), sleeping in real time. */
export function skewableClock(): Clock & { skewMs: number } {
  const clock = {
    skewMs: 0,
    now: () => Date.now() + clock.skewMs,
    sleep: systemClock.sleep,
  };
  return clock;
}

export type Harness = {
  invoker: RunningInvoker;
  store: Store;
  pool: Pool;
  dir: string;
  log: ReturnType<typeof collectingLogger>;
  logLines: string[];
  fns: ReturnType<typeof directory>;
};

export async function harness(t: TestContext, functions: FunctionSpec[], over: Partial<InvokerContext> & { dir?: string } = {}): Promise<Harness> {
  const dir = over.dir ?? tempDir(t);
  const clock = over.clock ?? systemClock;
  const store = await openStore({ dir, clock });
  const pool = createPool({ clock, log: collectingLogger() });
  const log = collectingLogger();
  const logLines: string[] = [];
  const fns = directory(functions);
  const invoker = createInvoker({
    functions: fns, pool, store, clock, log, sinks: queueSinks(store), region: REGION, accountId: ACCOUNT,
    onLog: (line) => logLines.push(line), ...over,
  });
  t.after(async () => {
    await invoker.stop();
    await pool.close();
    await store.close();
  });
  return { invoker, store, pool, dir, log, logLines, fns };
}

/** The shared poller (test/helpers/function-output.ts), with the check first as these tests write it. */
export function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  return pollUntil(what, check, timeoutMs);
}

/** The function of the SIGKILL test, shared by the host process and the test that takes over. */
export function durableFunction(runsFile: string) {
  return fixtureFunction('durable', 'counted', { environment: { RUNS_FILE: runsFile }, timeout: 1, reservedConcurrency: 4 });
}
