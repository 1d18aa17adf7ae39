// Starting and stopping the servers under test. Each runs in its own process group, its stdout
// (function logs, request logs) goes to /dev/null for every server alike, and everything started
// is stopped when the run ends, also on Ctrl-C or a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';

export type Server = { name: string; url: string; pid: number; child: ChildProcess; stderr(): string; stop(): Promise<void> };

export type StartOptions = {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** A line on stderr that says the server is ready; its first group is the URL. */
  readyLine?: RegExp;
  /** Or: poll this URL until it answers. */
  readyUrl?: string;
  timeoutMs?: number;
};

/** Every process a run starts; `stopAll` on the way out. */
export class Processes {
  readonly #running = new Set<Server>();

  constructor() {
    const kill = () => { for (const s of this.#running) killGroup(s.child, 'SIGKILL'); };
    process.once('exit', kill);
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { kill(); process.exit(130); });
  }

  async start(name: string, command: string, args: string[], o: StartOptions): Promise<Server> {
    const devNull = openSync('/dev/null', 'w');
    const child = spawn(command, args, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', devNull, 'pipe'], detached: true });
    closeSync(devNull);
    let err = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => { err = (err + d).slice(-65536); });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const server: Server = {
      name, url: o.readyUrl ?? '', pid: child.pid!, child, stderr: () => err,
      stop: async () => {
        this.#running.delete(server);
        if (child.exitCode !== null || child.signalCode !== null) { killGroup(child, 'SIGKILL'); return; }
        killGroup(child, 'SIGINT');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
        // Whatever it left behind in its group (instances, workers) goes with it.
        killGroup(child, 'SIGKILL');
      },
    };
    this.#running.add(server);
    const deadline = Date.now() + (o.timeoutMs ?? 60_000);
    try {
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${err}`);
        if (Date.now() > deadline) throw new Error(`${name} was not ready within ${o.timeoutMs ?? 60_000} ms:\n${err}`);
        if (o.readyLine) {
          const m = o.readyLine.exec(err);
          if (m) { server.url = m[1]!; break; }
        } else if (o.readyUrl && await answers(o.readyUrl)) break;
        await sleep(50);
      }
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#running].map((s) => s.stop()));
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try { process.kill(-child.pid!, signal); } catch { /* already gone */ }
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: 1000 }, (res) => { res.resume(); resolve(true); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.end();
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resident memory of a process in MB (VmRSS), or undefined when it is gone. */
export async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(await readFile(`/proc/${pid}/status`, 'latin1'));
    return m === null ? undefined : Number(m[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** The pids of a process's descendants (from /proc/<pid>/task/<pid>/children). */
export async function descendants(pid: number): Promise<number[]> {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift()!;
    let text = '';
    try { text = await readFile(`/proc/${p}/task/${p}/children`, 'latin1'); } catch { continue; }
    for (const c of text.split(/\s+/).filter((t) => t !== '')) { out.push(Number(c)); queue.push(Number(c)); }
  }
  return out;
}
