// The environment of an instance, built as Lambda builds it (aws-compat §1.4). The host's own
// environment does not leak in (a host NODE_OPTIONS or NODE_EXTRA_CA_CERTS would change how user
// code behaves): only HOME and PATH are carried over, so tools and caches keep working.
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedFunction } from '../pool/types.ts';

/** Gannet's runtime folder: what Lambda calls /var/runtime (LAMBDA_RUNTIME_DIR). */
export const RUNTIME_DIR = dirname(fileURLToPath(import.meta.url));

/** Variables users cannot set (CreateFunction rejects them); Gannet's values win over the function's. */
export const RESERVED_VARIABLES: ReadonlySet<string> = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', 'TZ',
]);

/** `2024/01/31/[$LATEST]0123abcd...`: one stream per instance, as Lambda names them. */
export function logStreamName(now: number, version = '$LATEST'): string {
  const d = new Date(now);
  const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}

/** The minimal environment a process starts with before it knows its function (stem cells). */
export function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  };
  if (process.env.HOME !== undefined) env.HOME = process.env.HOME;
  return env;
}

export type EnvironmentOptions = {
  /** host:port of the Runtime API, absent for Gannet's Node channel. */
  runtimeApi?: string;
  logStreamName: string;
  initializationType?: 'on-demand' | 'provisioned-concurrency';
};

/** The complete environment of one instance of `fn`. */
export function lambdaEnvironment(fn: ResolvedFunction, opts: EnvironmentOptions): Record<string, string> {
  const { spec, service } = fn;
  const taskRoot = spec.codeDir;
  const region = service.region;
  const env: Record<string, string> = {
    ...baseEnvironment(),
    NODE_PATH: [join(RUNTIME_DIR, 'node_modules'), RUNTIME_DIR, join(taskRoot, 'node_modules'), taskRoot].join(':'),
    // Defaults so SDKs never wander off to instance metadata for credentials; the host overrides them.
    AWS_ACCESS_KEY_ID: 'gannet',
    AWS_SECRET_ACCESS_KEY: 'gannet',
    AWS_SESSION_TOKEN: 'gannet',
  };
  if (spec.runtime.startsWith('python')) {
    // The pool puts the function's installed requirements in front (see python/requirements.ts).
    env.PYTHONPATH = taskRoot;
    // Output reaches the pool as it is printed, so lines are attributed to the right invocation.
    env.PYTHONUNBUFFERED = '1';
    // The code folder is read-only on Lambda, so no bytecode is cached there. Cached bytecode is also
    // trusted by mtime in whole seconds plus size: a handler saved twice within a second would run stale.
    env.PYTHONDONTWRITEBYTECODE = '1';
  }
  for (const [k, v] of Object.entries(spec.environment)) if (!RESERVED_VARIABLES.has(k)) env[k] = v;
  Object.assign(env, {
    _HANDLER: spec.handler,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: opts.initializationType ?? 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: opts.logStreamName,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: RUNTIME_DIR,
    TZ: ':UTC',
  });
  // OS-only runtimes (provided.*) have no execution environment name on Lambda.
  if (!spec.runtime.startsWith('provided')) env.AWS_EXECUTION_ENV = `AWS_Lambda_${spec.runtime}`;
  if (opts.runtimeApi !== undefined) env.AWS_LAMBDA_RUNTIME_API = opts.runtimeApi;
  Object.assign(env, fn.hostEnvironment);
  return env;
}
