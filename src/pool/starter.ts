// Starting one instance of a function: a prewarmed or fresh Node process (with its TypeScript
// bundle built first if the handler is .ts), or a Runtime API instance for Python and custom
// runtimes. Failures before the runtime starts (a TypeScript error, a pip failure) become init errors.
import {
  ApiInstance, lambdaEnvironment, logStreamName, NodeInstance, pythonRequirementsDir, runtimeFamily,
  findTypeScriptHandler, type InitResult, type RuntimeApi, type RuntimeInstance, type TypeScriptBuilds,
} from '../runtime/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import type { SpareCells } from './spares.ts';
import type { ResolvedFunction } from './types.ts';

export type StarterContext = {
  log: Logger;
  clock: Clock;
  spares: SpareCells;
  builds: TypeScriptBuilds;
  python: string;
  runtimeApi: () => RuntimeApi;
};

export type InitFailure = Extract<InitResult, { ok: false }>;

export type Started =
  /** `refill`: tops the prewarmed processes up again; the pool calls it once the cold start has answered. */
  | { instance: RuntimeInstance; fromSpare: boolean; failure?: undefined; refill?: () => void }
  | { instance?: undefined; fromSpare: false; failure: InitFailure; refill?: undefined };

/** Never rejects: anything that stops the instance from starting is reported as an init failure. */
export async function startInstance(ctx: StarterContext, fn: ResolvedFunction): Promise<Started> {
  try {
    return await startByRuntime(ctx, fn);
  } catch (err) {
    ctx.log.error(`could not start an instance of ${fn.spec.name}: ${(err as Error).stack ?? String(err)}`);
    return { fromSpare: false, failure: initFailure('Runtime.Unknown', `Gannet could not start the runtime: ${(err as Error).message}`) };
  }
}

async function startByRuntime(ctx: StarterContext, fn: ResolvedFunction): Promise<Started> {
  const family = runtimeFamily(fn.spec.runtime);
  if (family === 'node') return startNode(ctx, fn);
  if (family === 'python' || family === 'custom') return startApi(ctx, fn, family);
  return {
    fromSpare: false,
    failure: initFailure('Runtime.InvalidRuntime', `The runtime '${fn.spec.runtime}' of function ${fn.spec.name} is not supported by Gannet (nodejs*, python*, provided*).`),
  };
}

/**
 * NODE_OPTIONS is read when a process starts, so a prewarmed process can honour it only when it
 * asks for nothing but source maps (which the bootstrap turns on at run time).
 */
function nodeOptions(value: string | undefined): { spareOk: boolean; sourceMaps: boolean } {
  const tokens = (value ?? '').split(/\s+/).filter((t) => t !== '');
  const sourceMaps = tokens.includes('--enable-source-maps');
  return { spareOk: tokens.every((t) => t === '--enable-source-maps'), sourceMaps };
}

async function startNode(ctx: StarterContext, fn: ResolvedFunction): Promise<Started> {
  const { spec } = fn;
  const env = lambdaEnvironment(fn, { logStreamName: logStreamName(ctx.clock.now()) });
  const opts = nodeOptions(env.NODE_OPTIONS);
  const spare = opts.spareOk ? ctx.spares.take(spec.memorySize) : undefined;
  // A fresh process starts now, while the bundle (if any) builds.
  const instance = spare ?? new NodeInstance({ memorySizeMb: spec.memorySize, log: ctx.log, env });
  let modulePath: string | undefined;
  try {
    const source = await findTypeScriptHandler(spec.codeDir, spec.handler);
    if (source !== undefined) modulePath = (await ctx.builds.bundleFor(fn.service.dir, source)).outFile;
  } catch (err) {
    instance.kill('stopped');
    return { fromSpare: false, failure: initFailure('Runtime.UserCodeSyntaxError', (err as Error).message) };
  }
  instance.specialize({
    env,
    handler: spec.handler,
    taskRoot: spec.codeDir,
    runtime: spec.runtime,
    ...(modulePath !== undefined && { modulePath }),
    sourceMaps: opts.sourceMaps || modulePath !== undefined,
  }, spare === undefined);
  return { instance, fromSpare: spare !== undefined, refill: () => ctx.spares.refill(spec.memorySize) };
}

async function startApi(ctx: StarterContext, fn: ResolvedFunction, family: 'python' | 'custom'): Promise<Started> {
  const { spec } = fn;
  const env = lambdaEnvironment(fn, { logStreamName: logStreamName(ctx.clock.now()) });
  if (family === 'python') {
    let requirements: string | undefined;
    try {
      requirements = await pythonRequirementsDir(spec.codeDir, ctx.python);
    } catch (err) {
      return { fromSpare: false, failure: initFailure('Runtime.ImportModuleError', (err as Error).message) };
    }
    env.PYTHONPATH = [requirements, spec.codeDir].filter((p) => p !== undefined).join(':');
  }
  const instance = ApiInstance.start({
    runtimeApi: ctx.runtimeApi(), log: ctx.log, codeDir: spec.codeDir, runtime: spec.runtime, env, python: ctx.python,
  });
  return { instance, fromSpare: false };
}

function initFailure(errorType: string, errorMessage: string): InitFailure {
  return { ok: false, initDurationMs: 0, errorType, payload: Buffer.from(JSON.stringify({ errorType, errorMessage })) };
}
