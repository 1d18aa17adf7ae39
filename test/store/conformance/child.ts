// Runs a conformance child script as a real process (process.execPath) and reads its output lines.
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { StoreFixture } from '../conformance.ts';

export type Child = {
  proc: ChildProcess;
  lines: string[];
  /** Resolves when a line matching `test` appears (or rejects if the child exits first). */
  waitForLine(test: (line: string) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
};

export function startChild(t: TestContext, script: string, fixture: StoreFixture, ...args: string[]): Child {
  const file = fileURLToPath(new URL(`../fixtures/${script}`, import.meta.url));
  const proc = spawn(process.execPath, [file, JSON.stringify(fixture.child), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); });
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const lines: string[] = [];
  const watchers = new Set<() => void>();
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of [...watchers]) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    proc.on('close', (code, signal) => { resolve({ code, signal, stderr }); for (const w of [...watchers]) w(); });
  });
  return {
    proc, lines, exited,
    waitForLine(test) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find(test);
          if (hit !== undefined) { watchers.delete(check); resolve(hit); return; }
          if (proc.exitCode !== null || proc.signalCode !== null) {
            watchers.delete(check);
            reject(new Error(`child ${script} exited (${proc.exitCode ?? proc.signalCode}) before the expected line; stderr:\n${stderr}`));
          }
        };
        watchers.add(check);
        check();
      });
    },
  };
}
