// `functions:` into FunctionSpecs with the framework's defaults and Lambda's limits. Environment
// values and event ARNs may still hold intrinsics here; load.ts resolves them once the whole
// service (and so the intrinsic table) is known.

import type { Destination, EventSpec, FunctionSpec, ProviderSpec } from '../types.ts';
import type { KeyPath } from '../source.ts';
import { functionArn } from '../naming.ts';
import { FUNCTION_KEYS, FUNCTION_UNSUPPORTED } from './keys.ts';
import { readEvents, reportOtherEvents, type EventContext } from './events.ts';
import type { Obj, Reader } from './reader.ts';
import { isIntrinsicKey } from '../intrinsics.ts';

export const LIMITS = {
  timeout: { min: 1, max: 900, expected: 'a number of seconds (1-900)' },
  memorySize: { min: 128, max: 10240, expected: 'a number of MB (128-10240)' },
  maximumRetryAttempts: { min: 0, max: 2, expected: 'a number of retries (0-2)' },
  maximumEventAge: { min: 60, max: 21600, expected: 'a number of seconds (60-21600)' },
  reservedConcurrency: { min: 0, max: 100000, expected: 'a number of concurrent instances (0 or more)' },
  provisionedConcurrency: { min: 0, max: 100000, expected: 'a number of instances (0 or more)' },
} as const;

export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAXIMUM_EVENT_AGE = 21600;

export type ServiceContext = {
  r: Reader;
  service: string;
  stage: string;
  region: string;
  accountId: string;
  dir: string;
  provider: ProviderSpec;
  providerArchitecture: 'x86_64' | 'arm64';
};

export type FunctionsResult = {
  functions: Record<string, FunctionSpec>;
  /** Provider environment merged under each function's, values not yet resolved or stringified. */
  rawEnvironment: Map<string, { values: Obj; ownKeys: Set<string> }>;
  /** Destination and dead-letter ARNs given as intrinsics, resolved later. */
  rawDestinations: Map<string, { onSuccess?: unknown; onFailure?: unknown; onError?: unknown }>;
};

export function readFunctions(ctx: ServiceContext, raw: unknown): FunctionsResult {
  const { r } = ctx;
  const path: KeyPath = ['functions'];
  const fns = r.map(path, raw, 'a map of function names to their settings');
  const deployedNames = new Map<string, string>();
  for (const [key, def] of Object.entries(fns)) {
    const fpath = [...path, key];
    if (def === null || def === undefined) throw r.fail(fpath, 'the settings of function ' + key + ' (at least a handler)', def);
    const m = r.map(fpath, def, 'a map of function settings (handler, events...)');
    deployedNames.set(key, r.string([...fpath, 'name'], m.name) ?? `${ctx.service}-${ctx.stage}-${key}`);
  }
  const result: FunctionsResult = { functions: {}, rawEnvironment: new Map(), rawDestinations: new Map() };
  const evCtx: EventContext = { ...ctx, functionNames: deployedNames, otherEvents: new Map(), httpApiRoutes: new Map() };
  for (const [key, def] of Object.entries(fns)) {
    const spec = readFunction(evCtx, key, def as Obj, result);
    if (spec) result.functions[key] = spec;
  }
  reportOtherEvents(evCtx);
  return result;
}

function readFunction(ctx: EventContext, key: string, def: Obj, out: FunctionsResult): FunctionSpec | undefined {
  const { r, provider } = ctx;
  const path: KeyPath = ['functions', key];
  r.unknownKeys(path, def, new Set([...FUNCTION_KEYS, ...Object.keys(FUNCTION_UNSUPPORTED)]), 'function');
  for (const [k, why] of Object.entries(FUNCTION_UNSUPPORTED)) {
    if (def[k] !== undefined && def[k] !== null) r.warn([...path, k], why);
  }
  if (def.image !== undefined && def.handler === undefined) {
    r.warn(path, `function ${key} is skipped: container image functions are not supported`);
    return undefined;
  }
  const runtime = r.string([...path, 'runtime'], def.runtime, 'a runtime name such as nodejs20.x') ?? provider.runtime;
  const isProvided = runtime.startsWith('provided');
  let handler = '';
  if (def.handler === undefined || def.handler === null) {
    if (!isProvided) throw r.fail([...path, 'handler'], 'a handler such as src/file.export (required for runtime ' + runtime + ')', def.handler);
  } else {
    if (typeof def.handler !== 'string') throw r.fail([...path, 'handler'], 'a handler string such as src/file.export', def.handler);
    handler = def.handler;
    if (!isProvided && !/\.[^./\\]+$/.test(handler)) {
      throw r.fail([...path, 'handler'], 'a handler of the form <file>.<export>, e.g. src/orders.create', handler);
    }
  }
  const num = (name: keyof typeof LIMITS) => {
    const l = LIMITS[name];
    return r.int([...path, name], def[name], l.min, l.max, l.expected);
  };
  const architecture = readArchitecture(r, [...path, 'architecture'], def.architecture) ?? providerArchitecture(ctx);
  const name = ctx.functionNames.get(key)!;
  const env = r.map([...path, 'environment'], def.environment, 'a map of environment variables');
  out.rawEnvironment.set(key, { values: { ...provider.environment, ...env }, ownKeys: new Set(Object.keys(env)) });

  const spec: FunctionSpec = {
    key,
    name,
    handler,
    runtime,
    memorySize: num('memorySize') ?? provider.memorySize,
    timeout: num('timeout') ?? provider.timeout,
    environment: {},
    maximumRetryAttempts: num('maximumRetryAttempts') ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
    maximumEventAge: num('maximumEventAge') ?? DEFAULT_MAXIMUM_EVENT_AGE,
    destinations: {},
    events: [],
    architecture,
    codeDir: ctx.dir,
  };
  const reserved = num('reservedConcurrency');
  if (reserved !== undefined) spec.reservedConcurrency = reserved;
  const provisioned = num('provisionedConcurrency');
  if (provisioned !== undefined) spec.provisionedConcurrency = provisioned;
  if (!/^(nodejs|python|provided)/.test(runtime)) {
    r.warn([...path, 'runtime'], `runtime ${runtime} is not supported by Gannet (Node.js, Python and provided runtimes are)`);
  }
  const rawDests: { onSuccess?: unknown; onFailure?: unknown; onError?: unknown } = {};
  if (def.onError !== undefined && def.onError !== null) {
    // The Serverless Framework takes Ref, Fn::GetAtt and Fn::ImportValue here too.
    if (typeof def.onError === 'string') spec.onError = def.onError;
    else if (isIntrinsic(def.onError)) rawDests.onError = def.onError;
    else throw r.fail([...path, 'onError'], 'an SNS topic or SQS queue ARN', def.onError);
  }
  const dests = r.map([...path, 'destinations'], def.destinations, 'a map with onSuccess and/or onFailure');
  for (const which of ['onSuccess', 'onFailure'] as const) {
    const d = readDestination(ctx, [...path, 'destinations', which], dests[which]);
    if (d === undefined) continue;
    if ('arn' in d && typeof d.arn === 'string') spec.destinations[which] = d as Destination;
    else rawDests[which] = d;
  }
  for (const k of Object.keys(dests)) {
    if (k !== 'onSuccess' && k !== 'onFailure') r.warn([...path, 'destinations', k], `unknown destinations key "${k}" is ignored`);
  }
  if (Object.keys(rawDests).length > 0) out.rawDestinations.set(key, rawDests);
  spec.events = readEvents(ctx, key, def.events);
  const payload = functionPayload(r, [...path, 'httpApi'], def.httpApi);
  if (payload) for (const e of spec.events) if (e.type === 'httpApi') e.payload = payload;
  return spec;
}

function providerArchitecture(ctx: EventContext): 'x86_64' | 'arm64' {
  return ctx.providerArchitecture;
}

/** `functions.X.httpApi.payload` overrides the provider's payload version for X's routes. */
function functionPayload(r: Reader, path: KeyPath, v: unknown): '1.0' | '2.0' | undefined {
  const m = r.map(path, v, 'a map (payload)');
  return m.payload === undefined || m.payload === null ? undefined : readPayload(r, [...path, 'payload'], m.payload);
}

export function readPayload(r: Reader, path: KeyPath, v: unknown): '1.0' | '2.0' {
  const s = String(v);
  if (s === '1' || s === '1.0') return '1.0';
  if (s === '2' || s === '2.0') return '2.0';
  throw r.fail(path, "'1.0' or '2.0'", v);
}

export function readArchitecture(r: Reader, path: KeyPath, v: unknown): 'x86_64' | 'arm64' | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === 'x86_64' || v === 'arm64') return v;
  throw r.fail(path, 'x86_64 or arm64', v);
}

/**
 * A destination: a function of this service by name, an ARN (its service read from it), or
 * `{type, arn}`. An intrinsic ARN comes back as `{type, arn: <intrinsic>}` for later resolution.
 */
function readDestination(ctx: EventContext, path: KeyPath, v: unknown): Destination | { type: Destination['type']; arn: unknown } | undefined {
  const { r } = ctx;
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    if (v.startsWith('arn:')) return { type: destinationTypeOfArn(r, path, v), arn: v };
    const deployed = ctx.functionNames.get(v);
    if (deployed === undefined) {
      throw r.fail(path, `a function of this service (${[...ctx.functionNames.keys()].join(', ')}) or an ARN`, v);
    }
    return { type: 'function', arn: functionArn(ctx.region, ctx.accountId, deployed) };
  }
  if (r.isMap(v)) {
    // The Serverless Framework cannot tell a destination's kind from Ref or Fn::GetAtt alone.
    if (isIntrinsic(v)) throw r.fail(path, '{type, arn} when the ARN comes from Ref or Fn::GetAtt (e.g. type: sqs, arn: !GetAtt Queue.Arn)', v);
    const type = v.type;
    const types = ['function', 'sqs', 'sns', 'eventBridge'];
    if (v.arn === undefined || v.arn === null) throw r.fail([...path, 'arn'], 'the ARN of the destination', v.arn);
    if (type === undefined && typeof v.arn === 'string') return readDestination(ctx, path, v.arn);
    if (typeof type !== 'string' || !types.includes(type)) throw r.fail([...path, 'type'], 'one of function, sqs, sns, eventBridge', type);
    if (type === 'function' && typeof v.arn === 'string' && !v.arn.startsWith('arn:')) return readDestination(ctx, [...path, 'arn'], v.arn);
    return { type: type as Destination['type'], arn: v.arn };
  }
  throw r.fail(path, 'a function name, an ARN, or {type, arn}', v);
}

function destinationTypeOfArn(r: Reader, path: KeyPath, arn: string): Destination['type'] {
  const service = arn.split(':')[2];
  if (service === 'lambda') return 'function';
  if (service === 'sqs') return 'sqs';
  if (service === 'sns') return 'sns';
  if (service === 'events') return 'eventBridge';
  throw r.fail(path, 'the ARN of a Lambda function, SQS queue, SNS topic or EventBridge bus', arn);
}

/** `{Ref: …}`, `{'Fn::GetAtt': …}` and the like: one key, an intrinsic's name. */
function isIntrinsic(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && isIntrinsicKey(keys[0]!);
}
