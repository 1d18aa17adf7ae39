// Starts `gannet dev` as a real process, as a user would, on free ports; stops it (and every
// instance it started) when the test ends, even on failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { gannetCommand } from './cli.ts';

export const GANNET_BIN = fileURLToPath(new URL('../../bin/gannet.js', import.meta.url));

export type GannetDev = {
  url: string;          // the gateway, e.g. http://127.0.0.1:41353
  awsUrl: string;       // the AWS endpoint
  child: ChildProcess;
  /** Everything the process printed so far (stdout: function logs; stderr: Gannet's own lines). */
  stdout(): string;
  stderr(): string;
  /** Resolves when `text` (or a match of the regexp) has been printed on stdout or stderr. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/** `gannet dev DIR --port 0 --aws-port 0 …args`; resolves once it prints its ready line. */
/** With `systemNode`, bin/gannet.js is started by the system's older Node (first on PATH), as a user would. */
export async function startGannetDev(t: TestContext | undefined, dir: string, args: string[] = [], env: Record<string, string> = {}, opts: { systemNode?: boolean } = {}): Promise<GannetDev> {
  const devArgs = ['dev', dir, '--port', '0', '--aws-port', '0', ...args];
  const c = opts.systemNode ? gannetCommand(devArgs, env) : { cmd: process.execPath, argv: [GANNET_BIN, ...devArgs], env: { ...process.env, ...env } };
  const child = spawn(c.cmd, c.argv, { env: c.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => { out += d; for (const w of waiters) w(); });
  child.stderr!.on('data', (d: Buffer) => { err += d; for (const w of waiters) w(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { for (const w of waiters) w(); resolve(code); }));

  const waitFor = (text: string | RegExp, timeoutMs = 30_000) => new Promise<void>((resolve, reject) => {
    const check = () => {
      const all = out + err;
      if (typeof text === 'string' ? all.includes(text) : text.test(all)) { done(); resolve(); return; }
      if (child.exitCode !== null) { done(); reject(new Error(`gannet dev exited (${child.exitCode}) before printing ${text}\n${err}`)); }
    };
    const timer = setTimeout(() => { done(); reject(new Error(`timed out waiting for ${text}\nstdout:\n${out}\nstderr:\n${err}`)); }, timeoutMs);
    const done = () => { clearTimeout(timer); waiters.delete(check); };
    waiters.add(check);
    check();
  });

  const stop = async (signal: NodeJS.Signals = 'SIGINT') => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const killer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    }
    return child.exitCode;
  };
  t?.after(() => stop());

  await waitFor(/ready: gateway http:\/\/\S+/);
  const url = /ready: gateway (http:\/\/\S+)/.exec(err)![1]!;
  const awsUrl = /AWS endpoint: (http:\/\/\S+)/.exec(err)![1]!;
  return { url, awsUrl, child, stdout: () => out, stderr: () => err, waitFor, stop };
}
