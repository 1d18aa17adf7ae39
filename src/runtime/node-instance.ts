// A Node instance: a child running node/bootstrap.cjs, spoken to over Gannet's private channel.
//
// Why not the Runtime API over loopback HTTP, as custom runtimes and Python get? Measured through
// the whole pool (Node 24, 2 cores, 1 KB event echoed back, one warm instance, sequential calls):
//   Runtime API over keep-alive loopback HTTP (a Node client as custom runtime)   0.42-0.50 ms
//   this channel: a socketpair with length-prefixed frames                         0.06 ms
// (a bare keep-alive HTTP round trip inside one process alone costs 0.17 ms). The frames carry
// the event and the response as raw bytes (the host never parses them); the child writes with
// blocking writes, so console records precede the response on the wire and survive a crash.
// Everything Lambda-visible (environment, context, errors, log format) stays the same.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { InvocationEvent } from '../pool/types.ts';
import type { Logger } from '../shared/log.ts';
import { encodeFrame, FRAME, FrameDecoder } from './frames.ts';
import { InstanceProcess } from './instance-process.ts';
import { LineSplitter } from './log-lines.ts';
import { baseEnvironment, RUNTIME_DIR } from './environment.ts';
import type { ExitInfo, InitResult, InvokeAnswer, RuntimeInstance } from './types.ts';

const BOOTSTRAP = join(RUNTIME_DIR, 'node', 'bootstrap.cjs');

/** What turns a stem cell into an instance of one function. */
export type NodeInitConfig = {
  env: Record<string, string>;
  handler: string;
  taskRoot: string;
  runtime: string;
  /** A prebuilt module to load instead of resolving the handler (TypeScript bundles). */
  modulePath?: string;
  sourceMaps?: boolean;
};

export type NodeSpawnOptions = {
  memorySizeMb: number;
  log: Logger;
  /** Environment at spawn; a stem cell starts with the base environment and learns the rest at init. */
  env?: Record<string, string>;
};

/** Lambda's Node bootstrap leaves ~10% of the memory to everything that is not the V8 heap. */
export function heapLimitMb(memorySizeMb: number): number {
  return Math.max(16, Math.floor(memorySizeMb * 0.9));
}

export class NodeInstance implements RuntimeInstance {
  readonly id = randomUUID();
  readonly memorySizeMb: number;
  readonly ready: Promise<InitResult>;
  readonly exited: Promise<ExitInfo>;
  peakRssMb = 0;
  readonly #proc: InstanceProcess;
  readonly #toChild: Socket;
  readonly #spawnedAt = performance.now();
  #specialized = false;
  #standby = false;
  #initStartedAt = 0;
  #settleReady!: (r: InitResult) => void;
  #answer: ((a: InvokeAnswer) => void) | undefined;
  readonly #stdout = new LineSplitter((line) => this.#proc.logs.add(line));
  readonly #stderr = new LineSplitter((line) => this.#proc.logs.add(line));

  constructor(opts: NodeSpawnOptions) {
    this.memorySizeMb = opts.memorySizeMb;
    const child = spawn(process.execPath, [`--max-old-space-size=${heapLimitMb(opts.memorySizeMb)}`, BOOTSTRAP], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      // Its own process group, so stopping the instance stops whatever the handler started too.
      detached: true,
      env: opts.env ?? baseEnvironment(),
    });
    this.#proc = new InstanceProcess(child, opts.log, `[node ${child.pid ?? '?'}]`);
    this.exited = this.#proc.exited;
    this.#toChild = child.stdio[3] as Socket;
    this.#toChild.on('error', () => { /* the child died; 'close' reports it */ });
    const fromChild = child.stdio[4] as Socket;
    const decoder = new FrameDecoder((type, header, body) => this.#onFrame(type, header, body));
    fromChild.on('data', (chunk: Buffer) => decoder.push(chunk));
    fromChild.on('error', () => { /* as above */ });
    this.ready = new Promise((resolve) => { this.#settleReady = resolve; });
    void this.exited.then((exit) => this.#onExit(exit));
  }

  get pid(): number | undefined {
    return this.#proc.pid;
  }

  get alive(): boolean {
    return this.#proc.alive;
  }

  get specialized(): boolean {
    return this.#specialized;
  }

  /** The runtime is loaded and waits for a function (a ready stem cell). */
  get standby(): boolean {
    return this.#standby;
  }

  /**
   * Gives a stem cell its function. `countSpawn`: the instance was started for this function, so
   * Init Duration includes the process start (a prewarmed one only pays for the module load).
   */
  specialize(cfg: NodeInitConfig, countSpawn: boolean): void {
    this.#specialized = true;
    this.#initStartedAt = countSpawn ? this.#spawnedAt : performance.now();
    this.#write(FRAME.INIT, JSON.stringify(cfg));
  }

  invoke(event: InvocationEvent, deadlineAt: number): Promise<InvokeAnswer> {
    if (!this.#proc.alive) return Promise.resolve({ kind: 'exit', exit: { code: null, signal: null } });
    const header: Record<string, unknown> = { id: event.requestId, deadline: deadlineAt, arn: event.invokedFunctionArn };
    if (event.traceId !== undefined) header.trace = event.traceId;
    if (event.clientContext !== undefined) header.clientContext = Buffer.from(event.clientContext, 'base64').toString('utf8');
    if (event.cognitoIdentity !== undefined) header.identity = event.cognitoIdentity;
    return new Promise((resolve) => {
      this.#answer = resolve;
      this.#write(FRAME.INVOKE, JSON.stringify(header), event.payload);
    });
  }

  takeLogs(): string[] {
    this.#stdout.flush();
    this.#stderr.flush();
    return this.#proc.logs.take();
  }

  kill(reason: ExitInfo['reason']): void {
    this.#proc.kill(reason);
  }

  #write(type: number, header: string, body?: Buffer): void {
    const parts = encodeFrame(type, header, body);
    if (parts.length === 1) {
      this.#toChild.write(parts[0]);
    } else {
      this.#toChild.cork();
      for (const p of parts) this.#toChild.write(p);
      this.#toChild.uncork();
    }
  }

  #onFrame(type: number, header: string, body: Buffer): void {
    switch (type) {
      case FRAME.LOG:
        this.#proc.logs.add(body.toString('utf8'));
        return;
      case FRAME.OUTPUT:
        (header === '2' ? this.#stderr : this.#stdout).push(body);
        return;
      case FRAME.RESPONSE:
      case FRAME.ERROR: {
        const h = JSON.parse(header) as { id: string; ms?: number; errorType?: string; rss?: number; fatal?: boolean };
        if (h.rss !== undefined && h.rss > this.peakRssMb) this.peakRssMb = h.rss;
        const answer = this.#answer;
        this.#answer = undefined;
        if (answer === undefined) return;
        if (type === FRAME.RESPONSE) answer({ kind: 'response', payload: body, handlerMs: h.ms });
        else answer({ kind: h.fatal === true ? 'fatal' : 'error', payload: body, errorType: h.errorType ?? 'Error', handlerMs: h.ms });
        return;
      }
      case FRAME.STANDBY:
        this.#standby = true;
        return;
      case FRAME.READY:
        this.#settleReady({ ok: true, initDurationMs: performance.now() - this.#initStartedAt });
        return;
      case FRAME.INIT_ERROR: {
        const h = JSON.parse(header) as { errorType: string };
        this.#settleReady({ ok: false, initDurationMs: performance.now() - this.#initStartedAt, errorType: h.errorType, payload: body });
        return;
      }
    }
  }

  #onExit(exit: ExitInfo): void {
    this.#stdout.flush();
    this.#stderr.flush();
    this.#settleReady({ ok: false, initDurationMs: this.#specialized ? performance.now() - this.#initStartedAt : 0, errorType: 'Runtime.ExitError', exit });
    const answer = this.#answer;
    this.#answer = undefined;
    answer?.({ kind: 'exit', exit });
  }
}
