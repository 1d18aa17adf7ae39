// The gateway module's public surface: an API Gateway-compatible HTTP request listener for a
// service's `http` (REST, payload 1.0) and `httpApi` (HTTP API, payload 2.0) events.
//
//   const gateway = createGateway({ spec, invoker, log });
//   http.createServer({ keepAliveTimeout: 65_000 }, gateway.handler).listen(3000);
//   gateway.update(newSpec);   // on hot reload; requests in flight keep the old routes
import { systemClock } from '../shared/clock.ts';
import { JwksCache } from './auth/jwt.ts';
import { compileRoutes } from './compile.ts';
import { createHandler } from './handler.ts';
import { DEFAULT_INTEGRATION_TIMEOUT_MS } from './limits.ts';
import { IdSource, requestTimeFormatter } from './time.ts';
import type { Gateway, GatewayOptions, GatewayState } from './types.ts';

export type { Gateway, GatewayOptions, RouteInfo, FetchLike } from './types.ts';
export { MAX_REQUEST_BODY_BYTES, DEFAULT_INTEGRATION_TIMEOUT_MS } from './limits.ts';
export { REST_ERRORS, HTTP_API_ERRORS } from './errors.ts';

export function createGateway(opts: GatewayOptions): Gateway {
  const clock = opts.clock ?? systemClock;
  const stagePrefix = opts.stagePrefix ?? true;
  const compile = (spec: GatewayOptions['spec']) => compileRoutes(spec, { stagePrefix, clock, log: opts.log });
  const base: Omit<GatewayState, 'table'> = {
    invoker: opts.invoker,
    log: opts.log,
    clock,
    timeoutMs: opts.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS,
    formatTime: requestTimeFormatter(),
    ids: new IdSource(),
    jwks: new JwksCache(opts.jwksFetch),
  };
  const state = { current: { ...base, table: compile(opts.spec) } as GatewayState };
  return {
    handler: createHandler(state),
    update(spec) {
      // Compile first: a spec that fails to compile leaves the running table in place.
      const table = compile(spec);
      state.current = { ...base, table };
    },
    routes: () => state.current.table.list.map((r) => ({ ...r })),
  };
}
