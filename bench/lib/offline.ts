// serverless-offline, the local emulator most Serverless Framework teams use, as the peer to
// compare with. It lives in bench/offline with its own package.json and lock file (serverless@3
// and serverless-offline@14, installed with --legacy-peer-deps: serverless-offline 14 declares
// Serverless Framework v4 as its peer, which needs an account login and a download). It is
// installed on the first run; when that is impossible its scenarios are skipped with a note.
import { execFile } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Processes, Server } from './processes.ts';
import { BENCH_DIR, SERVICE_DIR, copyService } from './services.ts';

const run = promisify(execFile);
export const OFFLINE_DIR = join(BENCH_DIR, 'offline');
const MODULES = join(OFFLINE_DIR, 'node_modules');

export type OfflineMode = 'worker-threads' | 'in-process';

/** Installs serverless-offline from the lock file when missing; resolves to a reason when it cannot. */
export async function ensureOffline(log: (line: string) => void): Promise<{ ok: true } | { ok: false; reason: string }> {
  const installed = () => existsSync(join(MODULES, 'serverless-offline', 'package.json')) && existsSync(join(MODULES, 'serverless', 'bin', 'serverless.js'));
  if (installed()) return { ok: true };
  log('installing serverless@3 and serverless-offline@14 in bench/offline (first run only)…');
  try {
    await run('npm', ['ci', '--legacy-peer-deps', '--no-audit', '--no-fund'], { cwd: OFFLINE_DIR, timeout: 600_000, maxBuffer: 16 << 20 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { ok: false, reason: `npm ci in bench/offline failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' ')}` };
  }
  return installed() ? { ok: true } : { ok: false, reason: 'npm ci in bench/offline did not install serverless-offline' };
}

/** serverless-offline on the benchmark service, in a scratch copy that lists the plugin. */
export async function startOffline(procs: Processes, dir: string, mode: OfflineMode): Promise<Server> {
  copyService(dir);
  const yml = readFileSync(join(SERVICE_DIR, 'serverless.yml'), 'utf8');
  writeFileSync(join(dir, 'serverless.yml'), `${yml}\nplugins:\n  - serverless-offline\n`);
  symlinkSync(MODULES, join(dir, 'node_modules'), 'dir');
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  const args = [join(MODULES, 'serverless', 'bin', 'serverless.js'), 'offline', 'start',
    '--host', '127.0.0.1', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)];
  if (mode === 'in-process') args.push('--useInProcess');
  const env = { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', SLS_DEPRECATION_DISABLE: '*' };
  const server = await procs.start(`serverless-offline (${mode})`, process.execPath, args, {
    cwd: dir, env, readyUrl: `http://127.0.0.1:${httpPort}/hello`, timeoutMs: 120_000,
  });
  server.url = `http://127.0.0.1:${httpPort}`;
  return server;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
