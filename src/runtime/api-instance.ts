// An instance that speaks the real Runtime API: a custom runtime's `bootstrap` executable
// (provided, provided.al2, provided.al2023) or Gannet's Python bootstrap.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import type { InvocationEvent } from '../pool/types.ts';
import type { Logger } from '../shared/log.ts';
import type { RuntimeApi, RuntimeApiSession } from './api-server.ts';
import { RUNTIME_DIR } from './environment.ts';
import { InstanceProcess } from './instance-process.ts';
import type { ExitInfo, InitResult, InvokeAnswer, RuntimeInstance } from './types.ts';

export type ApiInstanceOptions = {
  runtimeApi: RuntimeApi;
  log: Logger;
  codeDir: string;
  runtime: string;
  /** The instance's environment without AWS_LAMBDA_RUNTIME_API (the session adds it). */
  env: Record<string, string>;
  /** Python interpreter for python* runtimes. */
  python: string;
};

export const PYTHON_BOOTSTRAP = join(RUNTIME_DIR, 'python', 'bootstrap.py');

/** Where Lambda looks for a custom runtime's entry point, in order (layers would add /opt). */
function bootstrapCandidates(codeDir: string): string[] {
  return [join(codeDir, 'bootstrap')];
}

export class ApiInstance implements RuntimeInstance {
  readonly id = randomUUID();
  readonly ready: Promise<InitResult>;
  readonly exited: Promise<ExitInfo>;
  peakRssMb = 0;
  #proc: InstanceProcess | undefined;
  #session: RuntimeApiSession | undefined;
  #started: Promise<void>;
  #exitSeen: ExitInfo | undefined;

  private constructor(opts: ApiInstanceOptions) {
    let settleExit!: (e: ExitInfo) => void;
    this.exited = new Promise((resolve) => { settleExit = resolve; });
    const startedAt = performance.now();
    let settleReady!: (r: InitResult) => void;
    this.ready = new Promise((resolve) => { settleReady = resolve; });
    this.#started = this.#start(opts, startedAt, settleReady, settleExit).catch((err: Error) => {
      // No port or no process: the instance never ran.
      void this.#session?.close();
      settleReady({ ok: false, initDurationMs: performance.now() - startedAt, errorType: 'Runtime.Unknown', payload: errorBody('Runtime.Unknown', `Gannet could not start the runtime: ${err.message}`) });
      this.#exitSeen ??= { code: null, signal: null };
      settleExit(this.#exitSeen);
    });
  }

  static start(opts: ApiInstanceOptions): ApiInstance {
    return new ApiInstance(opts);
  }

  get pid(): number | undefined {
    return this.#proc?.pid;
  }

  get alive(): boolean {
    return this.#exitSeen === undefined;
  }

  async #start(opts: ApiInstanceOptions, startedAt: number, settleReady: (r: InitResult) => void, settleExit: (e: ExitInfo) => void): Promise<void> {
    const elapsed = () => performance.now() - startedAt;
    let command: string;
    let args: string[];
    if (opts.runtime.startsWith('python')) {
      command = opts.python;
      args = [PYTHON_BOOTSTRAP];
    } else {
      const found = await firstExecutable(bootstrapCandidates(opts.codeDir));
      if (found === undefined) {
        const message = `Couldn't find valid bootstrap(s): [${bootstrapCandidates(opts.codeDir).join(' ')}]`;
        settleReady({ ok: false, initDurationMs: elapsed(), errorType: 'Runtime.InvalidEntrypoint', payload: errorBody('Runtime.InvalidEntrypoint', message) });
        this.#exitSeen = { code: null, signal: null };
        settleExit(this.#exitSeen);
        return;
      }
      command = found;
      args = [];
    }
    const session = await opts.runtimeApi.openSession();
    this.#session = session;
    const child = spawn(command, args, {
      cwd: opts.codeDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so stopping the instance stops whatever it started too.
      detached: true,
      env: { ...opts.env, AWS_LAMBDA_RUNTIME_API: session.address },
    });
    const proc = new InstanceProcess(child, opts.log, `[${opts.runtime} ${child.pid ?? '?'}]`);
    this.#proc = proc;
    void proc.exited.then(async (exit) => {
      this.#exitSeen = exit;
      await session.close();
      if (proc.spawnError !== undefined) {
        const message = `Couldn't start the runtime '${command}': ${proc.spawnError.message}`;
        settleReady({ ok: false, initDurationMs: elapsed(), errorType: 'Runtime.InvalidEntrypoint', payload: errorBody('Runtime.InvalidEntrypoint', message) });
      } else {
        settleReady({ ok: false, initDurationMs: elapsed(), errorType: 'Runtime.ExitError', exit });
      }
      settleExit(exit);
    });
    void session.ready.then((r) => {
      if (r.ok) settleReady({ ok: true, initDurationMs: elapsed() });
      else settleReady({ ok: false, initDurationMs: elapsed(), errorType: r.errorType, payload: r.payload });
    });
  }

  async invoke(event: InvocationEvent, deadlineAt: number): Promise<InvokeAnswer> {
    await this.#started;
    const session = this.#session;
    const proc = this.#proc;
    if (session === undefined || proc === undefined || this.#exitSeen !== undefined) {
      return { kind: 'exit', exit: this.#exitSeen ?? { code: null, signal: null } };
    }
    const exit = proc.exited.then((e): InvokeAnswer => ({ kind: 'exit', exit: e }));
    return Promise.race([session.invoke(event, deadlineAt), exit]);
  }

  takeLogs(): string[] {
    return this.#proc?.logs.take() ?? [];
  }

  kill(reason: ExitInfo['reason']): void {
    this.#proc?.kill(reason);
    if (this.#proc === undefined) void this.#started.then(() => this.#proc?.kill(reason));
  }
}

async function firstExecutable(paths: string[]): Promise<string | undefined> {
  for (const p of paths) {
    try {
      await access(p, constants.X_OK);
      return p;
    } catch { /* try the next one */ }
  }
  return undefined;
}

function errorBody(errorType: string, errorMessage: string): Buffer {
  return Buffer.from(JSON.stringify({ errorType, errorMessage }));
}
