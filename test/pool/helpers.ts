// Builds ResolvedFunction values for pool and runtime tests, and a pool that is always closed.
import type { TestContext } from 'node:test';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionSpec, ServiceSpec } from '../../src/config/types.ts';
import { createPool, type HostPool, type PoolOptions } from '../../src/pool/index.ts';
import type { InvocationEvent, ResolvedFunction } from '../../src/pool/types.ts';
import type { Logger } from '../../src/shared/log.ts';
import { eventually as pollUntil } from '../helpers/function-output.ts';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    debug: () => {},
  };
}

export function resolvedFunction(over: Partial<FunctionSpec> & { codeDir: string; handler: string }, serviceDir = over.codeDir): ResolvedFunction {
  const name = over.name ?? `svc-dev-${over.key ?? 'fn'}`;
  const spec: FunctionSpec = {
    key: 'fn',
    name,
    runtime: 'nodejs20.x',
    memorySize: 1024,
    timeout: 6,
    environment: {},
    maximumRetryAttempts: 2,
    maximumEventAge: 21600,
    destinations: {},
    events: [],
    architecture: 'x86_64',
    ...over,
  };
  const service = {
    service: 'svc', stage: 'dev', region: 'us-east-1', accountId: '000000000000', functions: { [spec.key]: spec },
    resources: [], outputs: {}, custom: {}, dir: serviceDir, file: join(serviceDir, 'serverless.yml'), warnings: [],
  } as unknown as ServiceSpec;
  return {
    spec,
    service,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    hostEnvironment: {},
    revision: 'r1',
  };
}

export function eventFor(fn: ResolvedFunction, payload: unknown = {}, over: Partial<InvocationEvent> = {}): InvocationEvent {
  return {
    requestId: randomUUID(),
    payload: Buffer.from(JSON.stringify(payload)),
    invokedFunctionArn: fn.arn,
    ...over,
  };
}

/** A pool closed when the test ends (spares 0 unless asked: most tests need no prewarmed process). */
export function testPool(t: TestContext, opts: Partial<PoolOptions> = {}): HostPool & { log: ReturnType<typeof collectingLogger> } {
  const log = collectingLogger();
  const pool = createPool({ log, spares: 0, ...opts });
  t.after(() => pool.close());
  return Object.assign(pool, { log });
}

export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-pool-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function json(buf: Buffer): any {
  return JSON.parse(buf.toString('utf8'));
}

/** The shared poller (test/helpers/function-output.ts), with the check first as these tests write it. */
export function eventually<T>(check: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  return pollUntil('the pool to reach the expected state', check, ms);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
