// The pool: owns every instance. One event per instance at a time; warm instances are reused while
// their revision matches; a busy function gets another instance up to its reserved concurrency and
// the host-wide cap, or waits briefly for a busy one when that is quicker (scale.ts); idle
// instances stop after the idle timeout (scale to zero). Nothing is
// allocated for a function until its first invocation.
import {
  MAX_RESPONSE_BYTES, startRuntimeApi, TypeScriptBuilds, type InvokeAnswer, type RuntimeApi, type RuntimeInstance,
} from '../runtime/index.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { GannetError } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import { exited, initStartLine, outcome, responseTooLarge, timedOut } from './outcome.ts';
import { DEFAULT_SCALE_UP_AFTER_MS, defaultEagerInstances, nextMeanDuration, shouldStartAnother } from './scale.ts';
import { SpareCells } from './spares.ts';
import { startInstance, type Started, type StarterContext } from './starter.ts';
import type { InvocationEvent, Pool, ResolvedFunction, RuntimeOutcome } from './types.ts';
import { MemoryWatchdog, readRssMb } from './watchdog.ts';

export type PoolOptions = {
  log: Logger;
  clock?: Clock;
  /** Instances on this host, all functions together (default 64). */
  maxInstances?: number;
  /** An idle instance stops after this long (default 10 minutes). */
  idleTimeoutMs?: number;
  /** Prewarmed Node processes kept ready (default 1). */
  spares?: number;
  /** Memory size of the first prewarmed processes (default 1024, the Serverless Framework's default). */
  spareMemoryMb?: number;
  /** Python interpreter; else $GANNET_PYTHON, else python3 on PATH. */
  pythonPath?: string;
  /** Instances a function gets at once before events wait for a busy one (default: the core count; see scale.ts). */
  eagerInstances?: number;
  /** How long an event waits for a busy instance before another starts (default 10 ms; see scale.ts). */
  scaleUpAfterMs?: number;
};

export type PoolStats = {
  /** Functions holding at least one instance. */
  functions: number;
  /** Instances of functions (starting, busy or idle); spares not included. */
  instances: number;
  busy: number;
  idle: number;
  /** Prewarmed Node processes loaded and waiting for a function. */
  spares: number;
};

/** Lambda's init phase limit; a slower init keeps going under the invocation's own budget. */
const INIT_LIMIT_MS = 10_000;

type FunctionState = {
  name: string;
  revision: string;
  slots: Set<Slot>;
  idle: Slot[];
  busy: number;
  /** Events waiting for a busy instance, oldest first. */
  waiters: Waiter[];
  meanDurationMs: number | undefined;
  /** When an instance of the function last became ready (performance.now()). */
  readyAt: number;
  scaleCheck: NodeJS.Timeout | undefined;
};

type Waiter = { fn: ResolvedFunction; since: number; resolve(slot: Slot): void; reject(err: Error): void };

type Slot = {
  fn: FunctionState;
  revision: string;
  memorySizeMb: number;
  started: Promise<Started>;
  instance: RuntimeInstance | undefined;
  fresh: boolean;
  /** Its init finished (or failed): it no longer counts as starting. */
  ready: boolean;
  busy: boolean;
  retired: boolean;
  destroyed: boolean;
  lastUsed: number;
  overLimit(rssMb: number): void;
};

export class InstancePool implements Pool {
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #maxInstances: number;
  readonly #idleTimeoutMs: number;
  readonly #eagerInstances: number;
  readonly #scaleUpAfterMs: number;
  readonly #functions = new Map<string, FunctionState>();
  readonly #busySlots = new Set<Slot>();
  readonly #spares: SpareCells;
  readonly #starter: StarterContext;
  readonly #watchdog: MemoryWatchdog;
  readonly #sweeper: NodeJS.Timeout;
  #runtimeApi: RuntimeApi | undefined;
  #total = 0;
  #closed = false;

  constructor(opts: PoolOptions) {
    this.#log = opts.log;
    this.#clock = opts.clock ?? systemClock;
    this.#maxInstances = opts.maxInstances ?? 64;
    this.#idleTimeoutMs = opts.idleTimeoutMs ?? 10 * 60_000;
    this.#eagerInstances = opts.eagerInstances ?? defaultEagerInstances();
    this.#scaleUpAfterMs = opts.scaleUpAfterMs ?? DEFAULT_SCALE_UP_AFTER_MS;
    this.#spares = new SpareCells(opts.log, opts.spares ?? 1);
    this.#spares.prime(opts.spareMemoryMb ?? 1024);
    this.#starter = {
      log: opts.log,
      clock: this.#clock,
      spares: this.#spares,
      builds: new TypeScriptBuilds(),
      python: opts.pythonPath ?? process.env.GANNET_PYTHON ?? 'python3',
      runtimeApi: () => (this.#runtimeApi ??= startRuntimeApi({ log: opts.log })),
    };
    this.#watchdog = new MemoryWatchdog(() => this.#watched(), () => this.#busySlots.size > 0);
    this.#sweeper = setInterval(() => this.#sweep(), Math.max(25, Math.min(this.#idleTimeoutMs / 2, 30_000)));
    this.#sweeper.unref();
  }

  /** `budgetMs`: how long the handler may run, counted from when the instance receives the event. */
  async run(fn: ResolvedFunction, event: InvocationEvent, budgetMs: number): Promise<RuntimeOutcome> {
    if (this.#closed) throw new GannetError('GANNET_POOL_CLOSED', `Cannot run ${fn.spec.name}: the pool is closed.`);
    const name = fn.spec.name;
    const reserved = fn.spec.reservedConcurrency;
    let state = this.#functions.get(name);
    if (reserved !== undefined && (reserved === 0 || (state !== undefined && state.busy + state.waiters.length >= reserved))) {
      throw throttled(`Function ${name} is throttled: its reserved concurrency (${reserved}) is in use. Retry later, or raise reservedConcurrency in serverless.yml.`, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    if (state === undefined) {
      state = { name, revision: fn.revision, slots: new Set(), idle: [], busy: 0, waiters: [], meanDurationMs: undefined, readyAt: 0, scaleCheck: undefined };
      this.#functions.set(name, state);
    } else if (state.revision !== fn.revision) {
      this.#retireRevision(state, fn.revision);
    }
    let slot = this.#takeIdle(state, fn.revision);
    if (slot === undefined) {
      if (this.#liveSlots(state, fn.revision) >= this.#eagerInstances) {
        slot = await this.#waitForSlot(state, fn);
      } else {
        if (this.#total >= this.#maxInstances && !this.#evictIdle()) {
          throw throttled(`Function ${name} is throttled: this host runs its maximum of ${this.#maxInstances} instances. Retry later, or raise the instance limit.`, 'ConcurrentInvocationLimitExceeded');
        }
        slot = this.#start(state, fn);
      }
    }
    slot.busy = true;
    state.busy++;
    this.#busySlots.add(slot);
    this.#watchdog.wake();
    try {
      return await this.#execute(slot, fn, event, budgetMs);
    } finally {
      slot.busy = false;
      state.busy--;
      this.#busySlots.delete(slot);
      this.#release(slot);
      this.#forgetIfEmpty(state);
    }
  }

  /** Counts for tests, metrics and the footprint benchmark. */
  stats(): PoolStats {
    let idle = 0;
    for (const state of this.#functions.values()) idle += state.idle.length;
    return { functions: this.#functions.size, instances: this.#total, busy: this.#busySlots.size, idle, spares: this.#spares.ready };
  }

  busy(functionName: string): number {
    return this.#functions.get(functionName)?.busy ?? 0;
  }

  async drain(functionName?: string, opts: { force?: boolean } = {}): Promise<void> {
    const states = functionName === undefined ? [...this.#functions.values()] : [this.#functions.get(functionName)].filter((s) => s !== undefined);
    const waits: Promise<unknown>[] = [];
    for (const state of states) {
      for (const slot of state.slots) {
        slot.retired = true;
        waits.push(slot.started.then((s) => s.instance?.exited));
        if (!slot.busy || opts.force === true) this.#destroy(slot);
      }
      this.#forgetIfEmpty(state);
    }
    await Promise.all(waits);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweeper);
    this.#watchdog.stop();
    for (const state of this.#functions.values()) {
      clearTimeout(state.scaleCheck);
      for (const w of state.waiters.splice(0)) w.reject(new GannetError('GANNET_POOL_CLOSED', `Cannot run ${state.name}: the pool closed while the event waited for an instance.`));
    }
    await Promise.all([this.drain(undefined, { force: true }), this.#spares.close()]);
    await this.#runtimeApi?.close();
  }

  /** The warm path first: this is the code every request runs. */
  async #execute(slot: Slot, fn: ResolvedFunction, event: InvocationEvent, budgetMs: number): Promise<RuntimeOutcome> {
    let prefix: string[] | undefined;
    let initDurationMs: number | undefined;
    if (slot.fresh) {
      const cold = await this.#coldStart(slot, fn, event, budgetMs);
      slot.ready = true;
      slot.fn.readyAt = performance.now();
      if ('status' in cold) { this.#refillSpares(slot); return cold; }
      prefix = cold.logs;
      initDurationMs = cold.initDurationMs;
    }
    const instance = slot.instance!;
    const t0 = performance.now();
    const timer = setTimeout(() => instance.kill('timeout'), budgetMs);
    const answer = await instance.invoke(event, Date.now() + budgetMs);
    clearTimeout(timer);
    const durationMs = performance.now() - t0;
    if (prefix !== undefined) this.#refillSpares(slot);
    // A first invocation runs cold code (lazy compilation): it says little about the next ones.
    if (prefix === undefined && (answer.kind === 'response' || answer.kind === 'error')) {
      slot.fn.meanDurationMs = nextMeanDuration(slot.fn.meanDurationMs, answer.handlerMs ?? durationMs);
    }
    const taken = instance.takeLogs();
    const logs = prefix === undefined ? taken : prefix.concat(taken);
    if (instance.peakRssMb === 0) instance.peakRssMb = (await readRssMb(instance.pid)) ?? 0;
    const base = { logs, durationMs, maxMemoryUsedMb: instance.peakRssMb, ...(initDurationMs !== undefined && { initDurationMs }) };
    return this.#outcomeOf(slot, answer, event.requestId, budgetMs, base);
  }

  #outcomeOf(slot: Slot, answer: InvokeAnswer, requestId: string, budgetMs: number, base: Parameters<typeof outcome>[2]): RuntimeOutcome {
    switch (answer.kind) {
      case 'response':
        if (answer.payload.length > MAX_RESPONSE_BYTES) return responseTooLarge(answer.payload.length, base);
        return outcome('ok', answer.payload, base);
      case 'error':
        return outcome('error', answer.payload, base, answer.errorType);
      case 'fatal':
        slot.retired = true;
        return outcome('crash', answer.payload, base, answer.errorType);
      case 'too-large':
        return responseTooLarge(answer.size, base);
      case 'exit':
        slot.retired = true;
        if (answer.exit.reason === 'timeout') return timedOut(requestId, budgetMs, base, this.#clock.now());
        return exited(requestId, answer.exit, base, slot.memorySizeMb);
    }
  }

  /** Waits for the instance's init; returns the INIT_START and init log lines, or the failed outcome. */
  async #coldStart(slot: Slot, fn: ResolvedFunction, event: InvocationEvent, budgetMs: number): Promise<RuntimeOutcome | { logs: string[]; initDurationMs: number }> {
    slot.fresh = false;
    const started = await slot.started;
    const logs = [initStartLine(fn.spec.runtime, fn.service.region)];
    const failed = (payload: Buffer, errorType: string, initDurationMs: number): RuntimeOutcome => {
      slot.retired = true;
      return outcome('crash', payload, { logs, durationMs: 0, initDurationMs, maxMemoryUsedMb: started.instance?.peakRssMb ?? 0 }, errorType);
    };
    if (started.failure !== undefined) {
      logs.push(`${new Date(this.#clock.now()).toISOString()}\tundefined\tERROR\t${started.failure.payload!.toString('utf8')}`);
      return failed(started.failure.payload!, started.failure.errorType, 0);
    }
    const instance = started.instance;
    slot.instance = instance;
    const limit = Math.max(INIT_LIMIT_MS, budgetMs);
    const timer = setTimeout(() => instance.kill('timeout'), limit);
    const init = await instance.ready;
    clearTimeout(timer);
    logs.push(...instance.takeLogs());
    if (init.ok) return { logs, initDurationMs: init.initDurationMs };
    if (init.payload !== undefined) return failed(init.payload, init.errorType, init.initDurationMs);
    const exit = init.exit ?? { code: null, signal: null };
    const base = { logs, durationMs: 0, initDurationMs: init.initDurationMs, maxMemoryUsedMb: instance.peakRssMb };
    slot.retired = true;
    if (exit.reason === 'timeout') return timedOut(event.requestId, limit, base, this.#clock.now());
    return exited(event.requestId, exit, base, slot.memorySizeMb);
  }

  #start(state: FunctionState, fn: ResolvedFunction): Slot {
    const slot: Slot = {
      fn: state,
      revision: fn.revision,
      memorySizeMb: fn.spec.memorySize,
      started: startInstance(this.#starter, fn),
      instance: undefined,
      fresh: true,
      ready: false,
      busy: false,
      retired: false,
      destroyed: false,
      lastUsed: this.#clock.now(),
      overLimit: (rssMb) => {
        this.#log.warn(`${fn.spec.name}: instance ${slot.instance?.pid} uses ${rssMb} MB, over its memory size of ${fn.spec.memorySize} MB; stopping it`);
        slot.instance?.kill('memory');
      },
    };
    state.slots.add(slot);
    this.#total++;
    void slot.started.then((s) => {
      if (s.instance === undefined) return;
      slot.instance = s.instance;
      if (slot.destroyed) s.instance.kill('stopped');
      // An instance that dies while idle is forgotten at once.
      void s.instance.exited.then(() => {
        if (slot.busy) return;
        this.#destroy(slot);
        this.#forgetIfEmpty(state);
      });
    });
    return slot;
  }

  /** New code or configuration: idle instances of other revisions stop now, busy ones when done. */
  #retireRevision(state: FunctionState, revision: string): void {
    state.revision = revision;
    for (const slot of state.slots) {
      if (slot.revision === revision) continue;
      slot.retired = true;
      if (!slot.busy) this.#destroy(slot);
    }
  }

  #takeIdle(state: FunctionState, revision: string): Slot | undefined {
    let slot = state.idle.pop();
    while (slot !== undefined && (slot.revision !== revision || slot.instance?.alive !== true)) {
      this.#destroy(slot);
      slot = state.idle.pop();
    }
    return slot;
  }

  #release(slot: Slot): void {
    if (slot.retired || slot.destroyed || this.#closed || slot.instance?.alive !== true) return this.#destroy(slot);
    slot.lastUsed = this.#clock.now();
    const waiters = slot.fn.waiters;
    const i = waiters.length === 0 ? -1 : waiters.findIndex((w) => w.fn.revision === slot.revision);
    if (i !== -1) return waiters.splice(i, 1)[0]!.resolve(slot);
    slot.fn.idle.push(slot);
  }

  /**
   * A replacement prewarmed process starts after the cold start has answered, on a later turn of
   * the event loop: spawning blocks this process (fork and exec, 4-9 ms measured for gannet dev),
   * and run as soon as the instance was ready it held back the cold start's own event and answer
   * (first request through a prewarmed process: 13-27 ms before, see bench/).
   */
  #refillSpares(slot: Slot): void {
    void slot.started.then((s) => { if (s.refill !== undefined) setImmediate(s.refill); });
  }

  /** Instances of this revision that are starting or running (and will be free again). */
  #liveSlots(state: FunctionState, revision: string): number {
    let n = 0;
    for (const slot of state.slots) if (slot.revision === revision && !slot.retired) n++;
    return n;
  }

  /** Waits for a busy instance of the function to free up, or for one started for this event (see scale.ts). */
  #waitForSlot(state: FunctionState, fn: ResolvedFunction): Promise<Slot> {
    return new Promise((resolve, reject) => {
      state.waiters.push({ fn, since: performance.now(), resolve, reject });
      this.#scheduleScaleCheck(state, this.#scaleUpAfterMs);
    });
  }

  #scheduleScaleCheck(state: FunctionState, afterMs: number): void {
    if (state.scaleCheck !== undefined || state.waiters.length === 0 || this.#closed) return;
    state.scaleCheck = setTimeout(() => {
      state.scaleCheck = undefined;
      this.#scaleCheck(state);
    }, afterMs);
  }

  #scaleCheck(state: FunctionState): void {
    const head = state.waiters[0];
    if (head === undefined || this.#closed) return;
    let starting = 0;
    for (const slot of state.slots) if (!slot.ready && !slot.retired) starting++;
    const view = {
      waitedMs: performance.now() - Math.max(head.since, state.readyAt),
      waiting: state.waiters.length, busy: state.busy, starting, meanDurationMs: state.meanDurationMs,
    };
    if (shouldStartAnother(view, this.#scaleUpAfterMs) && (this.#total < this.#maxInstances || this.#evictIdle())) {
      state.waiters.shift();
      head.resolve(this.#start(state, head.fn));
    }
    this.#scheduleScaleCheck(state, this.#scaleUpAfterMs);
  }

  #destroy(slot: Slot): void {
    if (slot.destroyed) return;
    slot.destroyed = true;
    slot.retired = true;
    const state = slot.fn;
    state.slots.delete(slot);
    const i = state.idle.indexOf(slot);
    if (i !== -1) state.idle.splice(i, 1);
    this.#total--;
    // Waiting events must not wait on an instance that is gone.
    if (state.waiters.length > 0) { clearTimeout(state.scaleCheck); state.scaleCheck = undefined; this.#scheduleScaleCheck(state, 0); }
    const instance = slot.instance;
    if (instance === undefined) return;
    // Lines printed while idle would have gone to the next invocation; there will be none.
    if (!slot.busy) for (const line of instance.takeLogs()) this.#log.info(`${state.name} ${line}`);
    instance.kill('stopped');
  }

  /** A function with no instances left holds no memory on the host. */
  #forgetIfEmpty(state: FunctionState): void {
    if (state.slots.size === 0 && state.busy === 0 && state.waiters.length === 0 && this.#functions.get(state.name) === state) this.#functions.delete(state.name);
  }

  /** Frees one place for a new instance by stopping the least recently used idle one. */
  #evictIdle(): boolean {
    let oldest: Slot | undefined;
    for (const state of this.#functions.values()) {
      const candidate = state.idle[0];
      if (candidate !== undefined && (oldest === undefined || candidate.lastUsed < oldest.lastUsed)) oldest = candidate;
    }
    if (oldest === undefined) return false;
    this.#destroy(oldest);
    this.#forgetIfEmpty(oldest.fn);
    return true;
  }

  #sweep(): void {
    const cutoff = this.#clock.now() - this.#idleTimeoutMs;
    for (const state of [...this.#functions.values()]) {
      // Idle lists are in release order: the longest idle come first.
      while (state.idle.length > 0 && state.idle[0]!.lastUsed <= cutoff) this.#destroy(state.idle[0]!);
      this.#forgetIfEmpty(state);
    }
  }

  *#watched() {
    for (const slot of this.#busySlots) {
      if (slot.instance !== undefined) yield { instance: slot.instance, memorySizeMb: slot.memorySizeMb, overLimit: slot.overLimit };
    }
  }
}

function throttled(message: string, reason: string): GannetError {
  const err = new GannetError('GANNET_THROTTLED', message, { awsCode: 'TooManyRequestsException', status: 429 });
  (err as GannetError & { reason: string }).reason = reason;
  return err;
}
