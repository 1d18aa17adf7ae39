// The servers under test, each started on free ports from a fresh copy of its service, so every
// run starts from an empty store: bare Node, bare Node + handler, gannet dev, serverless-offline.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GANNET_BIN } from '../../test/helpers/gannet-process.ts';
import type { Processes, Server } from './processes.ts';

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
export const SERVICE_DIR = join(BENCH_DIR, 'service');

const LISTENING = /listening (http:\/\/\S+)/;
const GANNET_READY = /ready: gateway (http:\/\/\S+)/;

export function startBare(procs: Processes, withHandler: boolean): Promise<Server> {
  const script = join(BENCH_DIR, 'servers', withHandler ? 'bare-handler.ts' : 'bare.ts');
  return procs.start(withHandler ? 'bare-handler' : 'bare', process.execPath, [script], { readyLine: LISTENING });
}

/** A scratch folder for one run; removed by the returned function. */
export function scratchDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `gannet-bench-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies the benchmark service (handler, package.json, serverless.yml) into `dir`. */
export function copyService(dir: string): void {
  for (const f of ['handler.js', 'package.json', 'serverless.yml']) cpSync(join(SERVICE_DIR, f), join(dir, f));
}

/** `gannet dev` on a copy of `serviceDir` (or the given folder as is), as a user starts it. */
export async function startGannet(procs: Processes, serviceDir: string, args: string[] = []): Promise<Server> {
  return procs.start('gannet dev', process.execPath, [GANNET_BIN, 'dev', serviceDir, '--port', '0', '--aws-port', '0', ...args], {
    readyLine: GANNET_READY, timeoutMs: 120_000,
  });
}

/** A service folder with `count` functions, each behind its own HTTP API route `GET /f<i>`. */
export function writeManyFunctionService(dir: string, count: number): void {
  cpSync(join(SERVICE_DIR, 'handler.js'), join(dir, 'handler.js'));
  cpSync(join(SERVICE_DIR, 'package.json'), join(dir, 'package.json'));
  const lines = ['service: bench-many', "frameworkVersion: '3'", 'provider:', '  name: aws', '  runtime: nodejs20.x', 'functions:'];
  for (let i = 1; i <= count; i++) {
    lines.push(`  f${i}:`, '    handler: handler.hello', '    events:', `      - httpApi: GET /f${i}`);
  }
  writeFileSync(join(dir, 'serverless.yml'), lines.join('\n') + '\n');
}
