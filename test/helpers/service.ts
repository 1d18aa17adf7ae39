// Runs a service directory the way `gannet dev` does, minus the CLI: config, store, pool, invoker
// and gateway on a free port. End-to-end tests of examples use it; everything it starts is stopped
// by `close()`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadService } from '../../src/config/index.ts';
import type { ServiceSpec } from '../../src/config/types.ts';
import { openStore } from '../../src/store/index.ts';
import { createPool } from '../../src/pool/index.ts';
import type { ResolvedFunction } from '../../src/pool/types.ts';
import { createInvoker } from '../../src/invoke/index.ts';
import { createGateway, type GatewayOptions } from '../../src/gateway/index.ts';
import type { Logger } from '../../src/shared/log.ts';
import { systemClock } from '../../src/shared/clock.ts';

export type ServiceOptions = {
  /** Environment for `${env:...}` in serverless.yml (added to process.env). */
  env?: Record<string, string>;
  /** Python interpreter for python runtimes (else $GANNET_PYTHON, else python3). */
  pythonPath?: string;
  stagePrefix?: boolean;
  integrationTimeoutMs?: number;
  jwksFetch?: GatewayOptions['jwksFetch'];
};

export type RunningService = { url: string; spec: ServiceSpec; logs: string[]; close(): Promise<void> };

export async function startService(dir: string, opts: ServiceOptions = {}): Promise<RunningService> {
  const logs: string[] = [];
  const log: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(`warn: ${m}`), error: (m) => logs.push(`error: ${m}`), debug: () => {} };
  const clock = systemClock;
  const spec = await loadService(dir, { env: { ...process.env, ...opts.env } });
  const dataDir = mkdtempSync(join(tmpdir(), 'gannet-service-'));
  const closers: (() => Promise<void> | void)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  const close = async () => { for (const c of closers.reverse()) await c(); };
  try {
    const store = await openStore({ dir: dataDir, clock, log });
    closers.push(() => store.close());
    const pool = createPool({ log, clock, spares: 0, ...(opts.pythonPath !== undefined && { pythonPath: opts.pythonPath }) });
    closers.push(() => pool.close());
    const byName = new Map<string, ResolvedFunction>();
    for (const fn of Object.values(spec.functions)) {
      const resolved: ResolvedFunction = {
        spec: fn, service: spec, arn: `arn:aws:lambda:${spec.region}:${spec.accountId}:function:${fn.name}`,
        hostEnvironment: {}, revision: '1',
      };
      byName.set(fn.name, resolved);
      byName.set(resolved.arn, resolved);
    }
    const refused = (what: string) => async () => { throw new Error(`${what} destinations are not wired in startService`); };
    const invoker = createInvoker({
      functions: { resolve: (name) => byName.get(name) }, pool, store, clock, log,
      region: spec.region, accountId: spec.accountId,
      sinks: { sqs: refused('SQS'), sns: refused('SNS'), eventBridge: refused('EventBridge') },
      onLog: (line) => logs.push(line),
    });
    closers.push(() => invoker.stop());
    const gateway = createGateway({
      spec, invoker, log, clock,
      ...(opts.stagePrefix !== undefined && { stagePrefix: opts.stagePrefix }),
      ...(opts.integrationTimeoutMs !== undefined && { integrationTimeoutMs: opts.integrationTimeoutMs }),
      ...(opts.jwksFetch !== undefined && { jwksFetch: opts.jwksFetch }),
    });
    const server = createServer({ keepAliveTimeout: 5000 }, gateway.handler);
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
    closers.push(() => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spec, logs, close };
  } catch (err) {
    await close();
    throw err;
  }
}
