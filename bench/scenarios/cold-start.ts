// Cold start: the first request to a function with no warm instance, through `gannet dev`, with a
// prewarmed spare process ("stem cell") and without one, against the floor of any process-based
// design: spawning `node -e ''`, and spawning a Node child that loads the handler and answers one
// IPC message. Each sample is a different function of one service, so every one is cold.
import { spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { result, type Machine, type ScenarioResult } from '../lib/results.ts';
import { sleep, type Processes } from '../lib/processes.ts';
import { scratchDir, SERVICE_DIR, startGannet, writeManyFunctionService } from '../lib/services.ts';
import { round } from './throughput.ts';

export type ColdStartOptions = {
  samples: number;
  /** Pause between samples, so the spare used by one cold start is replaced before the next. */
  settleMs: number;
  log(line: string): void;
};

// Instances get Lambda's environment, not the host's: the spawn baselines get the same minimum
// (a host variable such as NODE_EXTRA_CA_CERTS alone adds tens of ms to every Node spawn).
const SPAWN_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };

export async function coldStart(procs: Processes, o: ColdStartOptions, m: Machine): Promise<ScenarioResult[]> {
  const spawnEmpty = await timeEach(o.samples, o.settleMs / 4, spawnNodeEmpty);
  report(o, "spawn node -e ''", spawnEmpty);
  const spawnHandler = await timeEach(o.samples, o.settleMs / 4, spawnHandlerChild);
  report(o, 'spawn node + load handler + 1 IPC message', spawnHandler);
  const withSpare = await gannetColdStarts(procs, o, 1);
  report(o, 'gannet cold start, prewarmed spare', withSpare);
  const noSpare = await gannetColdStarts(procs, o, 0);
  report(o, 'gannet cold start, no spare', noSpare);

  const base = percentile(spawnEmpty, 50);
  const entry = (name: string, xs: number[], ratios: Record<string, number>) => result(m, {
    name, p50Ms: round(percentile(xs, 50), 2), p99Ms: round(percentile(xs, 99), 2), samples: xs.length, ratios,
  });
  const vsSpawn = (xs: number[]) => ({ "spawn node -e ''": round(percentile(xs, 50) / base, 3) });
  return [
    entry('cold-start: gannet, prewarmed spare', withSpare, vsSpawn(withSpare)),
    entry('cold-start: gannet, no spare', noSpare, vsSpawn(noSpare)),
    entry("cold-start: spawn node -e ''", spawnEmpty, {}),
    entry('cold-start: spawn node, load handler, answer 1 IPC message', spawnHandler, vsSpawn(spawnHandler)),
  ];
}

function report(o: ColdStartOptions, name: string, xs: number[]): void {
  o.log(`  ${name.padEnd(44)} p50 ${percentile(xs, 50).toFixed(2)} ms  p99 ${percentile(xs, 99).toFixed(2)} ms  (${xs.length} samples)`);
}

async function gannetColdStarts(procs: Processes, o: ColdStartOptions, spares: number): Promise<number[]> {
  const scratch = scratchDir('cold');
  writeManyFunctionService(scratch.dir, o.samples);
  const server = await startGannet(procs, scratch.dir, ['--spares', String(spares)]);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    // Open the connection first (an unknown route answers 404 without touching the pool), and give
    // the first spare time to start.
    await timedGet(agent, `${server.url}/nothing`);
    await sleep(o.settleMs);
    const times: number[] = [];
    for (let i = 1; i <= o.samples; i++) {
      const { ms, status } = await timedGet(agent, `${server.url}/f${i}`);
      if (status !== 200) throw new Error(`cold start of f${i} answered ${status}:\n${server.stderr()}`);
      times.push(ms);
      await sleep(o.settleMs);
    }
    return times;
  } finally {
    agent.destroy();
    await server.stop();
    scratch.remove();
  }
}

function timedGet(agent: Agent, url: string): Promise<{ ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0 }));
    }).on('error', reject);
  });
}

function spawnNodeEmpty(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore', env: SPAWN_ENV });
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - t0));
  });
}

// The child a minimal process-per-invocation design would spawn: load the handler, answer one
// event over Node's IPC channel.
const HANDLER_CHILD = `
const { hello } = require(process.argv[1]);
process.once('message', async (event) => { process.send(await hello(event, {}), () => process.exit(0)); });
`;

function spawnHandlerChild(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', HANDLER_CHILD, join(SERVICE_DIR, 'handler.js')], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: SPAWN_ENV });
    child.on('error', reject);
    child.once('message', () => { const ms = performance.now() - t0; child.kill(); resolve(ms); });
    child.send({ rawPath: '/hello' });
  });
}

async function timeEach(samples: number, pauseMs: number, f: () => Promise<number>): Promise<number[]> {
  await f(); // the first spawn warms the page cache; it is not counted
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    out.push(await f());
    await sleep(pauseMs);
  }
  return out;
}

export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

