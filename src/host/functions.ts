// Functions as the invoker and pool see them: the current spec's functions, each with the
// environment the host adds (the AWS endpoint, credentials) and the revision of the code. Lookups
// (name, key, partial or full ARN) go through the same directory the AWS endpoint uses.
import type { FunctionSpec, ServiceSpec } from '../config/types.ts';
import type { ResolvedFunction } from '../pool/types.ts';
import type { FunctionResolver } from '../invoke/index.ts';
import type { FunctionDirectory } from '../services/types.ts';
import { createFunctionDirectory } from '../services/functions.ts';

export type HostedFunctions = FunctionResolver & {
  /** Swaps in a new spec (after a reload): every function gets a new revision. */
  update(spec: ServiceSpec): void;
  spec(): ServiceSpec;
  /** The same functions as the AWS endpoint names them. */
  directory: FunctionDirectory;
};

export function hostedFunctions(initial: ServiceSpec, hostEnvironment: () => Record<string, string>, now: () => number): HostedFunctions {
  let spec = initial;
  let revision = 1;
  let env = hostEnvironment();
  let resolved = new Map<FunctionSpec, ResolvedFunction>();
  const directory = createFunctionDirectory(() => spec, now);

  return {
    directory,
    resolve(nameOrArn) {
      const fn = directory.find(nameOrArn);
      if (fn === undefined) return undefined;
      let r = resolved.get(fn);
      if (r === undefined) {
        r = { spec: fn, service: spec, arn: directory.arnOf(fn), hostEnvironment: env, revision: `${revision}` };
        resolved.set(fn, r);
      }
      return r;
    },
    update(next) {
      spec = next;
      revision += 1;
      env = hostEnvironment();
      resolved = new Map();
    },
    spec: () => spec,
  };
}
