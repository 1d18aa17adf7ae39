// One HTTP API (`httpApi` event) request: body, authorizer (JWT or Lambda), integration, response,
// and the CORS headers the API adds for allowed origins.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorizeHttpLambda } from './auth/http-lambda.ts';
import type { AuthOutcome } from './auth/identity.ts';
import { authorizeJwt } from './auth/jwt.ts';
import { httpApiResponseCors, withoutCorsHeaders } from './cors.ts';
import { HTTP_API_ERRORS } from './errors.ts';
import { buildHttpApiEvent, buildHttpApiV1Event } from './http-api-event.ts';
import { errorReply, integrate, send, sendAndClose } from './reply.ts';
import { headerValue, hostName, readBody, type ParsedRequest } from './request.ts';
import { mapV1Response, mapV2Response, type Reply } from './response.ts';
import type { Exchange, GatewayState, HttpApiRoute, RouteTable } from './types.ts';

/** Sends an HTTP API reply, with CORS headers when the API has CORS and the Origin is allowed. */
export function sendHttpApi(res: ServerResponse, table: RouteTable, p: ParsedRequest, reply: Reply, gatewayHeaders: string[], close = false): void {
  let extra: string[] | undefined;
  if (table.httpApiCors) {
    const origin = headerValue(p.rawHeaders, 'origin');
    if (origin !== undefined) {
      const cors = httpApiResponseCors(table.httpApiCors, origin);
      if (cors.length) { reply = { ...reply, headers: withoutCorsHeaders(reply.headers) }; extra = cors; }
    }
  }
  if (close) { res.shouldKeepAlive = false; (extra ??= []).push('Connection', 'close'); }
  send(res, reply, gatewayHeaders, extra);
}

function authorize(g: GatewayState, ex: Exchange, route: HttpApiRoute): Promise<AuthOutcome> | AuthOutcome {
  const auth = route.authorizer!;
  if (auth.kind === 'jwt') return authorizeJwt(g, ex, route, auth);
  if (auth.kind === 'lambda') return authorizeHttpLambda(g, ex, route, auth);
  g.log.error(`httpApi authorizer '${auth.name}' is not defined under provider.httpApi.authorizers`);
  return { ok: false, error: HTTP_API_ERRORS.internalServerError };
}

export async function handleHttpApi(g: GatewayState, table: RouteTable, p: ParsedRequest, req: IncomingMessage, res: ServerResponse,
  route: HttpApiRoute, params: Record<string, string> | null): Promise<void> {
  const requestId = g.ids.short();
  const trace = g.ids.trace(p.startedAt);
  const gatewayHeaders = ['apigw-requestid', requestId, 'x-amzn-RequestId', requestId];
  const read = await readBody(req);
  if (!read.ok) {
    if (read.reason === 'too-large') sendHttpApi(res, table, p, errorReply(HTTP_API_ERRORS.requestTooLarge), gatewayHeaders, true);
    else res.destroy();
    return;
  }
  const ex: Exchange = {
    table, req: p, requestId, extendedRequestId: requestId, body: read.body, contentType: headerValue(p.rawHeaders, 'content-type'),
    host: hostName(p), userAgent: headerValue(p.rawHeaders, 'user-agent') ?? '', params, traceId: trace,
    requestTime: g.formatTime(p.startedAt),
  };

  let authorizer: Record<string, unknown> | null = null;
  if (route.authorizer) {
    const outcome = await authorize(g, ex, route);
    if (!outcome.ok) { sendHttpApi(res, table, p, errorReply(outcome.error, outcome.headers), gatewayHeaders); return; }
    authorizer = outcome.authorizer;
  }

  const v2 = route.payload === '2.0';
  const event = v2 ? buildHttpApiEvent(ex, route, authorizer) : buildHttpApiV1Event(ex, route, authorizer);
  const outcome = await integrate(g, route.functionName, event, { kind: 'http', routeKey: route.routeKey });
  let reply: Reply | null;
  if (outcome.kind === 'timeout') {
    g.log.warn(`${route.functionKey}: ${p.method} ${p.rawPath} passed the ${g.timeoutMs} ms integration timeout (503)`);
    reply = errorReply(HTTP_API_ERRORS.serviceUnavailable);
  } else if (outcome.kind === 'failed') {
    g.log.error(`${route.functionKey}: invocation failed: ${outcome.error.message}`);
    reply = errorReply(HTTP_API_ERRORS.internalServerError);
  } else if (outcome.result.status === 'throttled') {
    reply = errorReply(HTTP_API_ERRORS.tooManyRequests);
  } else if (outcome.result.status !== 'ok') {
    reply = errorReply(HTTP_API_ERRORS.internalServerError);
  } else {
    reply = v2 ? mapV2Response(outcome.result.payload) : mapV1Response(outcome.result.payload, 'httpApi');
    if (!reply) {
      g.log.warn(`${route.functionKey}: the function's response is not a valid payload ${route.payload} response (500)`);
      reply = errorReply(HTTP_API_ERRORS.internalServerError);
    }
  }
  sendHttpApi(res, table, p, reply, gatewayHeaders);
}
