// The process side of an instance, shared by the Node channel and the Runtime API instances:
// its stdout/stderr as log records, its exit (after the output was read to the end), and kill.
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../shared/log.ts';
import { LineSplitter, LogBuffer } from './log-lines.ts';
import type { ExitInfo } from './types.ts';

/** How long output may keep arriving after the process exited. */
const EXIT_DRAIN_MS = 200;

export class InstanceProcess {
  readonly child: ChildProcess;
  readonly logs: LogBuffer;
  readonly exited: Promise<ExitInfo>;
  alive = true;
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  spawnError: Error | undefined;
  #killReason: ExitInfo['reason'];

  constructor(child: ChildProcess, log: Logger, label: string) {
    this.child = child;
    this.logs = new LogBuffer((line) => log.info(`${label} ${line}`));
    const splitters: LineSplitter[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue;
      const splitter = new LineSplitter((line) => this.logs.add(line));
      splitters.push(splitter);
      stream.on('data', (chunk: Buffer) => splitter.push(chunk));
    }
    this.exited = new Promise((resolve) => {
      child.once('error', (err) => {
        // Spawning failed: 'close' may not follow, so settle here.
        this.spawnError = err;
        this.alive = false;
        resolve({ code: null, signal: null });
      });
      let settled = false;
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        this.alive = false;
        for (const s of splitters) s.flush();
        const exit: ExitInfo = { code, signal };
        if (this.#killReason !== undefined) exit.reason = this.#killReason;
        resolve(exit);
      };
      child.once('close', settle);
      // 'close' waits for stdout/stderr to end; a grandchild that inherited them (curl in a shell
      // bootstrap) may hold them open. Give the output a moment to drain, then stop waiting.
      child.once('exit', (code, signal) => {
        this.alive = false;
        // The sandbox ends with its runtime: stop anything it left running.
        if (child.pid !== undefined) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group already gone */ }
        setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          settle(code, signal);
        }, EXIT_DRAIN_MS).unref();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Kills the instance's whole process group (it was spawned detached), as Lambda ends a sandbox. */
  kill(reason: ExitInfo['reason']): void {
    if (!this.alive) return;
    if (this.#killReason === undefined) this.#killReason = reason;
    const pid = this.child.pid;
    try {
      if (pid === undefined) throw new Error('no pid');
      process.kill(-pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }
}

/** Go's os/exec wording, which Lambda's errors quote: `exit status 1`, `signal: killed`. */
export function describeExit(exit: ExitInfo): string {
  if (exit.signal !== null) return `signal: ${SIGNAL_WORDS[exit.signal] ?? exit.signal}`;
  return `exit status ${exit.code ?? 'unknown'}`;
}

const SIGNAL_WORDS: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed', SIGTERM: 'terminated', SIGABRT: 'aborted', SIGSEGV: 'segmentation fault',
  SIGINT: 'interrupt', SIGHUP: 'hangup', SIGBUS: 'bus error', SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception', SIGPIPE: 'broken pipe', SIGTRAP: 'trace/breakpoint trap',
};
