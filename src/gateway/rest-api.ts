// One REST API (`http` event) request: body, authorizer, request validation, integration, response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorizeRest } from './auth/rest-lambda.ts';
import { restPreflight, restResponseCors } from './cors.ts';
import { REST_ERRORS, missingParameters } from './errors.ts';
import { errorReply, integrate, send, sendAndClose } from './reply.ts';
import { headerValue, hostName, parseQuery, readBody, type ParsedRequest } from './request.ts';
import { buildLambdaIntegrationEvent, buildRestEvent } from './rest-event.ts';
import { mapLambdaIntegrationResponse, mapV1Response, type Reply } from './response.ts';
import type { Exchange, GatewayState, RestRoute, RouteTable } from './types.ts';

/** Required request parameters missing from the request, as API Gateway's validator lists them. */
export function missingRequired(ex: Exchange, route: RestRoute): string[] {
  const { paths, querystrings, headers } = route.required;
  if (paths.length + querystrings.length + headers.length === 0) return [];
  const missing: [string, string][] = [];
  for (const h of headers) if (headerValue(ex.req.rawHeaders, h.toLowerCase()) === undefined) missing.push([`method.request.header.${h}`, h]);
  for (const p of paths) if (!ex.params || ex.params[p] === undefined || ex.params[p] === '') missing.push([`method.request.path.${p}`, p]);
  if (querystrings.length) {
    const present = new Set(parseQuery(ex.req.rawQuery).map(([k]) => k));
    for (const q of querystrings) if (!present.has(q)) missing.push([`method.request.querystring.${q}`, q]);
  }
  return missing.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, name]) => name);
}

export async function handleRest(g: GatewayState, table: RouteTable, p: ParsedRequest, req: IncomingMessage, res: ServerResponse,
  route: RestRoute, params: Record<string, string> | null): Promise<void> {
  const requestId = g.ids.uuid();
  const extendedRequestId = g.ids.short();
  const trace = g.ids.trace(p.startedAt);
  const gatewayHeaders = ['x-amzn-RequestId', requestId, 'x-amz-apigw-id', extendedRequestId, 'X-Amzn-Trace-Id', trace];
  const origin = headerValue(p.rawHeaders, 'origin');

  if (route.integration === 'cors-preflight') {
    send(res, restPreflight(route.cors!, origin), gatewayHeaders);
    return;
  }
  const read = await readBody(req);
  if (!read.ok) {
    if (read.reason === 'too-large') sendAndClose(res, errorReply(REST_ERRORS.requestTooLarge), gatewayHeaders);
    else res.destroy();
    return;
  }
  const ex: Exchange = {
    table, req: p, requestId, extendedRequestId, body: read.body, contentType: headerValue(p.rawHeaders, 'content-type'),
    host: hostName(p), userAgent: headerValue(p.rawHeaders, 'user-agent') ?? '', params, traceId: trace,
    requestTime: g.formatTime(p.startedAt),
  };

  let authorizer: Record<string, unknown> | null = null;
  if (route.authorizer) {
    const outcome = await authorizeRest(g, ex, route, route.authorizer);
    if (!outcome.ok) { send(res, errorReply(outcome.error, outcome.headers), gatewayHeaders); return; }
    authorizer = outcome.authorizer;
  }
  const missing = missingRequired(ex, route);
  if (missing.length) { send(res, errorReply(missingParameters(missing)), gatewayHeaders); return; }

  const nonProxy = route.integration === 'lambda';
  const event = nonProxy ? buildLambdaIntegrationEvent(ex, route, authorizer) : buildRestEvent(ex, route, authorizer);
  const trigger = { kind: 'http' as const, routeKey: `${p.method} ${route.resource}` };

  if (route.async) {
    // `async: true`: API Gateway invokes with X-Amz-Invocation-Type Event and answers at once.
    try {
      await g.invoker.invoke(route.functionName, Buffer.from(JSON.stringify(event)), { mode: 'async', trigger });
      send(res, { status: 200, headers: ['Content-Type', 'application/json'], body: '{}' }, gatewayHeaders);
    } catch (err) {
      g.log.error(`${route.functionKey}: async invocation was not accepted: ${(err as Error).message}`);
      send(res, errorReply(REST_ERRORS.internalServerError), gatewayHeaders);
    }
    return;
  }

  const outcome = await integrate(g, route.functionName, event, trigger);
  let reply: Reply | null;
  if (outcome.kind === 'timeout') {
    g.log.warn(`${route.functionKey}: ${p.method} ${p.rawPath} passed the ${g.timeoutMs} ms integration timeout (504)`);
    reply = errorReply(REST_ERRORS.integrationTimeout);
  } else if (outcome.kind === 'failed') {
    g.log.error(`${route.functionKey}: invocation failed: ${outcome.error.message}`);
    reply = errorReply(REST_ERRORS.internalServerError);
  } else {
    const { result } = outcome;
    if (result.status === 'throttled') reply = errorReply(REST_ERRORS.integrationThrottled);
    else if (nonProxy) reply = mapLambdaIntegrationResponse(result.payload, result.status !== 'ok');
    else if (result.status !== 'ok') reply = errorReply(REST_ERRORS.internalServerError);
    else {
      reply = mapV1Response(result.payload, 'rest');
      if (!reply) {
        g.log.warn(`${route.functionKey}: Execution failed due to configuration error: Malformed Lambda proxy response (502)`);
        reply = errorReply(REST_ERRORS.internalServerError);
      }
    }
  }
  send(res, reply, gatewayHeaders, nonProxy && route.cors ? restResponseCors(route.cors, origin) : undefined);
}
