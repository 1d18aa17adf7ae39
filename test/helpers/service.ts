// Runs a service directory in-process through the same service host `gannet dev` uses, minus the
// CLI: gateway on a free port, a temporary store. Everything it starts is stopped by `close()`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceSpec } from '../../src/config/types.ts';
import type { GatewayOptions } from '../../src/gateway/index.ts';
import type { Logger } from '../../src/shared/log.ts';
import { startServiceHost } from '../../src/host/index.ts';

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
  const dataDir = mkdtempSync(join(tmpdir(), 'gannet-service-'));
  const host = await startServiceHost({
    dir, dataDir, log, port: 0, spares: 0, schedules: false,
    variables: { ...process.env, ...opts.env },
    onFunctionLog: (line) => logs.push(line),
    ...(opts.pythonPath !== undefined && { pythonPath: opts.pythonPath }),
    ...(opts.stagePrefix !== undefined && { stagePrefix: opts.stagePrefix }),
    gatewayOptions: {
      ...(opts.integrationTimeoutMs !== undefined && { integrationTimeoutMs: opts.integrationTimeoutMs }),
      ...(opts.jwksFetch !== undefined && { jwksFetch: opts.jwksFetch }),
    },
  }).catch((err: unknown) => { rmSync(dataDir, { recursive: true, force: true }); throw err; });
  return {
    url: host.gatewayUrl!, spec: host.spec(), logs,
    close: async () => { await host.close(); rmSync(dataDir, { recursive: true, force: true }); },
  };
}
