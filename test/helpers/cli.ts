// Runs the `gannet` command as a real process, as a user would: `node bin/gannet.js …` with the
// system's older Node first on PATH (when the machine has one), so bin/gannet.js must re-execute
// itself on the pinned Node 24. Also: throwaway service folders for tests that write their own.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

export const GANNET_BIN = fileURLToPath(new URL('../../bin/gannet.js', import.meta.url));

/** The first `node` on PATH outside node_modules, when it is older than 24 (the system Node). */
export const SYSTEM_NODE: string | undefined = findSystemNode();

function findSystemNode(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '' || dir.includes('node_modules')) continue;
    const candidate = join(dir, 'node');
    try { accessSync(candidate, constants.X_OK); } catch { continue; }
    const r = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    const major = Number(r.stdout?.split('.')[0]);
    return major > 0 && major < 24 ? candidate : undefined;
  }
  return undefined;
}

/** The command that starts gannet, and an environment whose PATH puts the system Node first. */
export function gannetCommand(args: string[], env: Record<string, string> = {}): { cmd: string; argv: string[]; env: NodeJS.ProcessEnv } {
  const node = SYSTEM_NODE ?? process.execPath;
  const path = SYSTEM_NODE ? `${dirname(SYSTEM_NODE)}${delimiter}${process.env.PATH ?? ''}` : process.env.PATH ?? '';
  return { cmd: node, argv: [GANNET_BIN, ...args], env: { ...process.env, PATH: path, ...env } };
}

export type GannetResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs `gannet ARGS…` to completion (killed after `timeoutMs`, default 60 s). */
export function runGannet(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<GannetResult> {
  const c = gannetCommand(args, opts.env);
  return new Promise((resolve, reject) => {
    const child = spawn(c.cmd, c.argv, { cwd: opts.cwd, env: c.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; });
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, opts.timeoutMs ?? 60_000);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

/** A service folder in a temp dir holding `files` (path → text; a `bootstrap` is made executable). */
export function tempService(t: TestContext, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-e2e-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    if (path.endsWith('bootstrap')) chmodSync(file, 0o755);
  }
}

/** The lines of a serverless.yml, joined (keeps tests' YAML readable and its line numbers countable). */
export function yaml(...lines: string[]): string {
  return lines.join('\n') + '\n';
}
