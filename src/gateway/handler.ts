// The gateway's request listener: picks the API (REST under its stage, then HTTP API), the route,
// answers preflights and "no route" itself, and never lets one request's failure escape.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpApiPreflight } from './cors.ts';
import { HTTP_API_ERRORS, REST_ERRORS } from './errors.ts';
import { handleHttpApi, sendHttpApi } from './http-api.ts';
import { errorReply, send } from './reply.ts';
import { headerValue, parseRequest, routePath, type ParsedRequest } from './request.ts';
import { handleRest } from './rest-api.ts';
import type { GatewayState, RouteTable } from './types.ts';

export function createHandler(state: { current: GatewayState }): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // The state (and its route table) is read once: an update mid-request does not affect this one.
    const g = state.current;
    route(g, g.table, req, res).catch((err: unknown) => {
      g.log.error(`gateway: ${req.method} ${req.url} failed: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent) send(res, errorReply(REST_ERRORS.internalServerError), ['x-amzn-RequestId', g.ids.uuid()]);
      else res.destroy();
    });
  };
}

async function route(g: GatewayState, table: RouteTable, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const p = parseRequest(req, g.clock.now());
  const underStage = !table.stagePrefix || p.segments[0] === table.stage;
  if (table.rest.size > 0 && underStage) {
    const from = table.stagePrefix ? 1 : 0;
    const m = table.rest.match(p.method, routePath(p.segments, from), p.segments, from, p.rawSegments);
    if (m) return handleRest(g, table, p, req, res, m.route, m.params);
  }
  const hasHttpApi = table.httpApi.size > 0 || table.httpApiDefault !== null;
  if (hasHttpApi) {
    const m = table.httpApi.match(p.method, routePath(p.segments), p.segments);
    if (p.method === 'OPTIONS' && table.httpApiCors && (!m || m.route.method !== 'OPTIONS')) {
      const origin = headerValue(p.rawHeaders, 'origin');
      if (origin !== undefined && headerValue(p.rawHeaders, 'access-control-request-method') !== undefined) {
        const id = g.ids.short();
        send(res, httpApiPreflight(table.httpApiCors, origin), ['apigw-requestid', id, 'x-amzn-RequestId', id]);
        return;
      }
    }
    if (m) return handleHttpApi(g, table, p, req, res, m.route, m.params);
    if (table.httpApiDefault) return handleHttpApi(g, table, p, req, res, table.httpApiDefault, null);
  }
  noRoute(g, res, table, p, underStage, hasHttpApi);
}

/** REST answers 403 "Missing Authentication Token" for unknown routes; HTTP APIs answer 404. */
function noRoute(g: GatewayState, res: ServerResponse, table: RouteTable, p: ParsedRequest, underStage: boolean, hasHttpApi: boolean): void {
  if (table.rest.size > 0 && (underStage || !hasHttpApi)) {
    send(res, errorReply(REST_ERRORS.missingAuthenticationToken), ['x-amzn-RequestId', g.ids.uuid(), 'x-amz-apigw-id', g.ids.short()]);
    return;
  }
  const id = g.ids.short();
  sendHttpApi(res, table, p, errorReply(HTTP_API_ERRORS.notFound), ['apigw-requestid', id, 'x-amzn-RequestId', id]);
}
