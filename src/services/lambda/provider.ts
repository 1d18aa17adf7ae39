// The Lambda API provider: one method per implemented operation, one dispatcher, and one
// "not implemented" error for the rest. Wire details live in protocol/rest-json.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsServiceProvider, CallerIdentity, ServiceEnv } from '../types.ts';
import { compileRoutes, serveRestJson, type RestJsonContext, type RestJsonService } from '../protocol/rest-json.ts';
import { invalidParameterValue, notImplemented, requestTooLarge, serviceException, tooManyRequests, validationError } from './errors.ts';
import { functionConfiguration, getFunctionOutput, type ConfigurationContext } from './configuration.ts';
import { invoke, resolveFunction, type InvokeInput } from './invoke.ts';
import { LAMBDA_OPERATIONS } from './routes.ts';

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

export interface LambdaOperations {
  Invoke(input: Input, ctx: RestJsonContext): Promise<Output>;
  ListFunctions(input: Input): Promise<Output>;
  GetFunction(input: Input): Promise<Output>;
  GetFunctionConfiguration(input: Input): Promise<Output>;
}

const DEFAULT_MAX_ITEMS = 50;
const MAX_MAX_ITEMS = 10_000;

const routes = compileRoutes(LAMBDA_OPERATIONS);

const LAMBDA_WIRE: RestJsonService = {
  operations: LAMBDA_OPERATIONS,
  bodyTooLarge: (_operation, limit) => requestTooLarge(limit),
  internalError: serviceException,
};

export function lambdaOperations(env: ServiceEnv): LambdaOperations {
  const configCtx: ConfigurationContext = { functions: env.functions, region: env.region, accountId: env.accountId };
  return {
    async Invoke(input, ctx) {
      try {
        return await invoke(env, input as InvokeInput, (id) => { ctx.requestId = id; });
      } catch (err) {
        // A pool refusing for lack of capacity is Lambda's throttle, however it reached us.
        if ((err as { code?: unknown })?.code === 'GANNET_THROTTLED') throw tooManyRequests('ConcurrentInvocationLimitExceeded');
        throw err;
      }
    },

    async ListFunctions(input) {
      const maxItems = parseMaxItems(input.MaxItems as string | undefined);
      if (input.FunctionVersion !== undefined && input.FunctionVersion !== 'ALL') {
        throw validationError(String(input.FunctionVersion), 'functionVersion', 'Member must satisfy enum value set: [ALL]');
      }
      const all = env.functions.all(); // sorted by name
      // The marker is the name of the first function of the next page: stable across reloads.
      const marker = input.Marker as string | undefined;
      const start = marker ? all.findIndex((fn) => fn.name >= marker) : 0;
      const page = start === -1 ? [] : all.slice(start, start + maxItems);
      const out: Output = { Functions: page.map((fn) => functionConfiguration(fn, configCtx)) };
      const next = start === -1 ? undefined : all[start + maxItems];
      if (next !== undefined) out.NextMarker = next.name;
      return out;
    },

    async GetFunction(input) {
      const { fn } = resolveFunction(env, input.FunctionName as string, input.Qualifier as string | undefined);
      return getFunctionOutput(fn, configCtx);
    },

    async GetFunctionConfiguration(input) {
      const { fn } = resolveFunction(env, input.FunctionName as string, input.Qualifier as string | undefined);
      return functionConfiguration(fn, configCtx);
    },
  };
}

function parseMaxItems(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_MAX_ITEMS;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw invalidParameterValue(`MaxItems must be an integer between 1 and ${MAX_MAX_ITEMS}, got '${raw}'.`);
  if (n < 1) throw validationError(raw, 'maxItems', 'Member must have value greater than or equal to 1');
  if (n > MAX_MAX_ITEMS) throw validationError(raw, 'maxItems', `Member must have value less than or equal to ${MAX_MAX_ITEMS}`);
  return n;
}

export function createLambdaProvider(env: ServiceEnv): AwsServiceProvider {
  const ops = lambdaOperations(env);
  const table = ops as unknown as Record<string, ((input: Input, ctx: RestJsonContext) => Promise<Output>) | undefined>;
  return {
    name: 'lambda',
    handle(req: IncomingMessage, res: ServerResponse, caller: CallerIdentity): Promise<void> {
      return serveRestJson(req, res, caller.region, LAMBDA_WIRE, routes, (operation, input, ctx) => {
        const op = Object.hasOwn(table, operation) ? table[operation] : undefined;
        if (op === undefined) throw notImplemented(operation);
        return op.call(ops, input, ctx);
      });
    },
  };
}
