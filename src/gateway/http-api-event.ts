// The HTTP API (payload 2.0) event, built one way for the integration and the Lambda authorizer,
// plus the payload 1.0 variant HTTP APIs send when `provider.httpApi.payload: '1.0'`.
import { isUtf8 } from 'node:buffer';
import { restHeaders, restQuery, restRequestContext } from './rest-event.ts';
import type { Exchange, HttpApiRoute } from './types.ts';

const TEXT_TYPE = /^(text\/|application\/(json|javascript|xml)(\s*;|$)|[^;]*\+(json|xml)(\s*;|$))/i;

/**
 * HTTP APIs pass text bodies as strings and base64-encode everything else: a body is text when its
 * Content-Type is text/*, application/json, application/javascript, application/xml or a +json/+xml
 * type, and it is valid UTF-8. No Content-Type (or form posts) means base64.
 */
export function httpApiBody(ex: Exchange): { body: string | undefined; isBase64Encoded: boolean } {
  if (ex.body.length === 0) return { body: undefined, isBase64Encoded: false };
  const ct = ex.contentType;
  if (ct !== undefined && TEXT_TYPE.test(ct.trimStart()) && isUtf8(ex.body)) return { body: ex.body.toString('utf8'), isBase64Encoded: false };
  return { body: ex.body.toString('base64'), isBase64Encoded: true };
}

export type V2Headers = { headers: Record<string, string>; cookies: string[] | undefined };

export function httpApiHeaders(ex: Exchange): V2Headers {
  const raw = ex.req.rawHeaders;
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  let forwardedFor: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    if (lower === 'cookie') {
      cookies ??= [];
      for (const c of value.split(';')) { const t = c.trim(); if (t !== '') cookies.push(t); }
      continue;
    }
    if (lower === 'connection' || lower === 'keep-alive' || lower === 'transfer-encoding' || lower === 'x-forwarded-port' || lower === 'x-forwarded-proto') continue;
    if (lower === 'x-forwarded-for') { forwardedFor = forwardedFor ? `${forwardedFor}, ${value}` : value; continue; }
    const prev = headers[lower];
    headers[lower] = prev === undefined ? value : `${prev},${value}`;
  }
  // API Gateway buffers the body, so a chunked request reaches the function with a content-length.
  if (ex.body.length > 0 && headers['content-length'] === undefined) headers['content-length'] = String(ex.body.length);
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${ex.req.sourceIp}` : ex.req.sourceIp;
  headers['x-forwarded-port'] = String(ex.req.localPort);
  headers['x-forwarded-proto'] = 'http';
  if (headers['x-amzn-trace-id'] === undefined) headers['x-amzn-trace-id'] = ex.traceId;
  return { headers, cookies };
}

export function httpApiQuery(ex: Exchange): Record<string, string> | undefined {
  const q = restQuery(ex);
  if (!q) return undefined;
  const out: Record<string, string> = {};
  for (const k in q.multi) out[k] = q.multi[k]!.join(',');
  return out;
}

export function httpApiRequestContext(ex: Exchange, route: HttpApiRoute, authorizer: Record<string, unknown> | null): Record<string, unknown> {
  const { table, req, host } = ex;
  const dot = host.indexOf('.');
  const ctx: Record<string, unknown> = { accountId: table.accountId, apiId: table.httpApiId };
  if (authorizer) ctx.authorizer = authorizer;
  ctx.domainName = host;
  ctx.domainPrefix = dot === -1 ? host : host.slice(0, dot);
  ctx.http = { method: req.method, path: req.rawPath, protocol: 'HTTP/1.1', sourceIp: req.sourceIp, userAgent: ex.userAgent };
  ctx.requestId = ex.requestId;
  ctx.routeKey = route.routeKey;
  ctx.stage = '$default';
  ctx.time = ex.requestTime;
  ctx.timeEpoch = req.startedAt;
  return ctx;
}

/** The payload 2.0 event. Empty collections are left out, not null. */
export function buildHttpApiEvent(ex: Exchange, route: HttpApiRoute, authorizer: Record<string, unknown> | null): Record<string, unknown> {
  const { headers, cookies } = httpApiHeaders(ex);
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: ex.req.rawPath,
    rawQueryString: ex.req.rawQuery,
  };
  if (cookies) event.cookies = cookies;
  event.headers = headers;
  const query = httpApiQuery(ex);
  if (query) event.queryStringParameters = query;
  if (ex.params) event.pathParameters = ex.params;
  event.requestContext = httpApiRequestContext(ex, route, authorizer);
  const { body, isBase64Encoded } = httpApiBody(ex);
  if (body !== undefined) event.body = body;
  event.isBase64Encoded = isBase64Encoded;
  return event;
}

/** The 2.0 Lambda authorizer event: the request without body, plus type, routeArn and identitySource. */
export function buildHttpApiAuthorizerEvent(ex: Exchange, route: HttpApiRoute, routeArn: string, identity: string[]): Record<string, unknown> {
  const { headers, cookies } = httpApiHeaders(ex);
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn,
    identitySource: identity,
    routeKey: route.routeKey,
    rawPath: ex.req.rawPath,
    rawQueryString: ex.req.rawQuery,
    cookies: cookies ?? [],
    headers,
    queryStringParameters: httpApiQuery(ex) ?? {},
    requestContext: httpApiRequestContext(ex, route, null),
    pathParameters: ex.params ?? {},
    stageVariables: {},
  };
}

/** Payload 1.0 on an HTTP API: the REST-shaped event, with version '1.0' and the HTTP API body rule. */
export function buildHttpApiV1Event(ex: Exchange, route: HttpApiRoute, authorizer: Record<string, unknown> | null): Record<string, unknown> {
  const { headers, multiValueHeaders } = restHeaders(ex);
  const query = restQuery(ex);
  const { body, isBase64Encoded } = httpApiBody(ex);
  const resource = route.routeKey === '$default' ? '$default' : route.resource;
  return {
    version: '1.0',
    resource,
    path: ex.req.rawPath,
    httpMethod: ex.req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query ? query.single : null,
    multiValueQueryStringParameters: query ? query.multi : null,
    requestContext: restRequestContext(ex, resource, route.resourceId, '$default', ex.table.httpApiId, authorizer),
    pathParameters: ex.params,
    stageVariables: null,
    body: body ?? null,
    isBase64Encoded,
  };
}
