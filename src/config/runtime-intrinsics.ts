// The intrinsics a running function needs resolved: environment values (`QUEUE_URL: !Ref Jobs`) and
// event source ARNs. What cannot be resolved becomes a warning naming the key, never a crash.

import type { Destination, FunctionSpec } from './types.ts';
import type { KeyPath } from './source.ts';
import { defaultIntrinsicTable } from './intrinsic-table.ts';
import { IntrinsicError, resolveIntrinsics, type IntrinsicTable } from './intrinsics.ts';
import type { Obj, Reader } from './validate/reader.ts';
import type { BuiltService } from './validate/service.ts';

export function resolveRuntimeIntrinsics(r: Reader, built: BuiltService): void {
  const { spec } = built;
  const table = defaultIntrinsicTable(spec);
  for (const fn of Object.values(spec.functions)) {
    const env = built.rawEnvironment.get(fn.key) ?? { values: {}, ownKeys: new Set<string>() };
    fn.environment = environmentOf(r, table, fn, env.values, env.ownKeys);
    resolveEvents(r, table, fn);
    const dests = built.rawDestinations.get(fn.key);
    for (const which of ['onSuccess', 'onFailure'] as const) {
      const d = dests?.[which] as { type: Destination['type']; arn: unknown } | undefined;
      if (!d) continue;
      const path = ['functions', fn.key, 'destinations', which];
      const arn = tryResolve(r, table, path, d.arn, `destination ${which} is not set`);
      if (typeof arn === 'string') fn.destinations[which] = { type: d.type, arn };
    }
    if (dests?.onError !== undefined) {
      const arn = tryResolve(r, table, ['functions', fn.key, 'onError'], dests.onError, 'failed events are not sent to a dead-letter queue');
      if (typeof arn === 'string') fn.onError = arn;
    }
  }
}

function environmentOf(r: Reader, table: IntrinsicTable, fn: FunctionSpec, raw: Obj, ownKeys: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    // Report at the key where the value was written: the function's own, else the provider's.
    const path: KeyPath = ownKeys.has(name) ? ['functions', fn.key, 'environment', name] : ['provider', 'environment', name];
    if (value === null || value === undefined) {
      r.warn(path, `environment variable ${name} has no value and is not set`);
      continue;
    }
    const resolved = tryResolve(r, table, path, value, ownKeys.has(name) ? `${name} is not set` : `${name} is not set for any function`);
    if (resolved === undefined) continue; // AWS::NoValue removes the key; unresolved was warned about
    if (typeof resolved === 'string') out[name] = resolved;
    else if (typeof resolved === 'number' || typeof resolved === 'boolean') out[name] = String(resolved);
    else throw r.fail(path, 'a string, number or boolean (environment values are text)', resolved);
  }
  return out;
}

function resolveEvents(r: Reader, table: IntrinsicTable, fn: FunctionSpec): void {
  const path: KeyPath = ['functions', fn.key, 'events'];
  for (const e of fn.events) {
    if (e.type === 'sqs' && typeof e.arn !== 'string') {
      e.arn = tryResolve(r, table, path, e.arn, 'this sqs event keeps its unresolved ARN and receives nothing') ?? e.arn;
    } else if (e.type === 'sns' && e.arn !== undefined && typeof e.arn !== 'string') {
      const arn = tryResolve(r, table, path, e.arn, 'this sns event keeps its unresolved ARN and receives nothing');
      if (typeof arn === 'string') {
        e.arn = arn;
        e.topicName ??= arn.slice(arn.lastIndexOf(':') + 1);
      }
    } else if (e.type === 's3' && typeof e.bucket !== 'string') {
      e.bucket = tryResolve(r, table, path, e.bucket, 'this s3 event keeps its unresolved bucket and receives nothing') ?? e.bucket;
    }
  }
}

function tryResolve(r: Reader, table: IntrinsicTable, path: KeyPath, value: unknown, consequence: string): unknown {
  try {
    return resolveIntrinsics(value, table);
  } catch (err) {
    if (!(err instanceof IntrinsicError)) throw err;
    r.warn(path, `${err.message}; ${consequence}`);
    return undefined;
  }
}
