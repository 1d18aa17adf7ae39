// The functions the AWS endpoint can name: one service's deployed functions, found by deployed
// name, `functions:` key, partial ARN or full ARN (with or without a qualifier). The lookup map is
// rebuilt only when the host hands over a different ServiceSpec object (a reload or deploy).
import { randomUUID } from 'node:crypto';
import type { FunctionSpec, ServiceSpec } from '../config/types.ts';
import type { FunctionDirectory, FunctionFacts } from './types.ts';
import { functionArn, parseFunctionRef } from './identifiers.ts';

type Index = {
  spec: ServiceSpec;
  byName: Map<string, FunctionSpec>;
  byKey: Map<string, FunctionSpec>;
  all: FunctionSpec[];
  loadedAt: number;
  revisionId: string;
};

export function createFunctionDirectory(getSpec: () => ServiceSpec, now: () => number = Date.now): FunctionDirectory {
  let index: Index | undefined;

  function current(): Index {
    const spec = getSpec();
    if (index?.spec !== spec) index = build(spec, now());
    return index;
  }

  return {
    find(nameOrArn) {
      const ix = current();
      // Region and account in an ARN are not checked: one Gannet serves one account, and clients
      // configured for another region still mean the function of that name.
      const ref = parseFunctionRef(nameOrArn);
      if (ref === undefined) return undefined;
      return ix.byName.get(ref.name) ?? ix.byKey.get(ref.name);
    },
    all: () => current().all,
    arnOf(fn) {
      const { spec } = current();
      return functionArn(spec.region, spec.accountId, fn.name);
    },
    describe(fn): FunctionFacts | undefined {
      const ix = current();
      if (ix.byName.get(fn.name) !== fn) return undefined;
      return { service: ix.spec, lastModified: ix.loadedAt, revisionId: ix.revisionId };
    },
  };
}

function build(spec: ServiceSpec, loadedAt: number): Index {
  const all = Object.values(spec.functions).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byName = new Map<string, FunctionSpec>();
  const byKey = new Map<string, FunctionSpec>();
  for (const fn of all) {
    byName.set(fn.name, fn);
    byKey.set(fn.key, fn);
  }
  return { spec, byName, byKey, all, loadedAt, revisionId: randomUUID() };
}
