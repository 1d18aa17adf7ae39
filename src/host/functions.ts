// Functions as the invoker and pool see them: the current spec's functions, each with the
// environment the host adds (the AWS endpoint, credentials) and the revision of the code.
import type { ServiceSpec } from '../config/types.ts';
import type { ResolvedFunction } from '../pool/types.ts';
import type { FunctionResolver } from '../invoke/index.ts';
import { parseFunctionRef, functionArn } from '../services/identifiers.ts';

export type HostedFunctions = FunctionResolver & {
  /** Swaps in a new spec (after a reload): every function gets a new revision. */
  update(spec: ServiceSpec): void;
  spec(): ServiceSpec;
};

export function hostedFunctions(initial: ServiceSpec, hostEnvironment: () => Record<string, string>): HostedFunctions {
  let spec = initial;
  let revision = 0;
  let byName = new Map<string, ResolvedFunction>();

  const index = () => {
    revision += 1;
    byName = new Map();
    const env = hostEnvironment();
    for (const fn of Object.values(spec.functions)) {
      const resolved: ResolvedFunction = {
        spec: fn, service: spec, arn: functionArn(spec.region, spec.accountId, fn.name),
        hostEnvironment: env, revision: `${revision}`,
      };
      byName.set(fn.name, resolved);
      if (!byName.has(fn.key)) byName.set(fn.key, resolved);
    }
  };
  index();

  const lookup = (nameOrArn: string): ResolvedFunction | undefined => {
    const direct = byName.get(nameOrArn);
    if (direct) return direct;
    const ref = parseFunctionRef(nameOrArn);
    return ref ? byName.get(ref.name) : undefined;
  };

  return {
    resolve: lookup,
    update(next) { spec = next; index(); },
    spec: () => spec,
  };
}
