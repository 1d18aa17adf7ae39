// The REST API (payload 1.0) event, built one way for every caller: the proxy integration, the
// REQUEST authorizer, HTTP API routes on payload 1.0, and Serverless's non-proxy template.
import { parseQuery } from './request.ts';
import type { Exchange, RestRoute } from './types.ts';

type Headers = { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> };

// API Gateway's proxy drops hop-by-hop headers and recomputes Content-Length.
function droppedRestHeader(lower: string): boolean {
  return lower === 'connection' || lower === 'content-length' || lower === 'keep-alive' || lower === 'transfer-encoding';
}

export function restHeaders(ex: Exchange): Headers {
  const raw = ex.req.rawHeaders;
  const headers: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  let forwardedFor: string | undefined;
  let hasTrace = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    if (droppedRestHeader(lower)) continue;
    if (lower === 'x-forwarded-for') { forwardedFor = forwardedFor ? `${forwardedFor}, ${value}` : value; continue; }
    if (lower === 'x-forwarded-port' || lower === 'x-forwarded-proto') continue;
    if (lower === 'x-amzn-trace-id') hasTrace = true;
    headers[name] = value;
    const list = multi[name];
    if (list) list.push(value); else multi[name] = [value];
  }
  const xff = forwardedFor ? `${forwardedFor}, ${ex.req.sourceIp}` : ex.req.sourceIp;
  headers['X-Forwarded-For'] = xff; multi['X-Forwarded-For'] = [xff];
  const port = String(ex.req.localPort);
  headers['X-Forwarded-Port'] = port; multi['X-Forwarded-Port'] = [port];
  headers['X-Forwarded-Proto'] = 'http'; multi['X-Forwarded-Proto'] = ['http'];
  if (!hasTrace) { headers['X-Amzn-Trace-Id'] = ex.traceId; multi['X-Amzn-Trace-Id'] = [ex.traceId]; }
  return { headers, multiValueHeaders: multi };
}

export function restQuery(ex: Exchange): { single: Record<string, string>; multi: Record<string, string[]> } | null {
  const pairs = parseQuery(ex.req.rawQuery);
  if (pairs.length === 0) return null;
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of pairs) {
    single[k] = v;                         // the last value wins
    const list = multi[k];
    if (list) list.push(v); else multi[k] = [v];
  }
  return { single, multi };
}

/** The request path without the stage prefix, as sent. */
export function restPath(ex: Exchange): string {
  const { rawPath } = ex.req;
  if (!ex.table.stagePrefix) return rawPath || '/';
  const rest = rawPath.slice(ex.table.stage.length + 1);
  return rest === '' ? '/' : rest;
}

export function restIdentity(ex: Exchange): Record<string, string | null> {
  return {
    accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null,
    cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
    cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: ex.req.sourceIp, user: null,
    userAgent: ex.userAgent, userArn: null, clientCert: null,
  };
}

function domainPrefix(host: string): string {
  const dot = host.indexOf('.');
  return dot === -1 ? host : host.slice(0, dot);
}

export function restRequestContext(ex: Exchange, resource: string, resourceId: string, stage: string, apiId: string,
  authorizer: Record<string, unknown> | null): Record<string, unknown> {
  const { table, req } = ex;
  const ctx: Record<string, unknown> = {
    accountId: table.accountId,
    apiId,
  };
  if (authorizer) ctx.authorizer = authorizer;
  ctx.deploymentId = table.deploymentId;
  ctx.domainName = ex.host;
  ctx.domainPrefix = domainPrefix(ex.host);
  ctx.extendedRequestId = ex.extendedRequestId;
  ctx.httpMethod = req.method;
  ctx.identity = restIdentity(ex);
  ctx.path = stage === '$default' ? req.rawPath : `/${stage}${restPath(ex)}`;
  ctx.protocol = 'HTTP/1.1';
  ctx.requestId = ex.requestId;
  ctx.requestTime = ex.requestTime;
  ctx.requestTimeEpoch = req.startedAt;
  ctx.resourceId = resourceId;
  ctx.resourcePath = resource;
  ctx.stage = stage;
  return ctx;
}

export function restBody(ex: Exchange): { body: string | null; isBase64Encoded: boolean } {
  if (ex.body.length === 0) return { body: null, isBase64Encoded: false };
  if (ex.table.isBinary(ex.contentType)) return { body: ex.body.toString('base64'), isBase64Encoded: true };
  return { body: ex.body.toString('utf8'), isBase64Encoded: false };
}

/** The lambda-proxy event (payload 1.0). `authorizer` is requestContext.authorizer, if any. */
export function buildRestEvent(ex: Exchange, route: RestRoute, authorizer: Record<string, unknown> | null): Record<string, unknown> {
  const { headers, multiValueHeaders } = restHeaders(ex);
  const query = restQuery(ex);
  const { body, isBase64Encoded } = restBody(ex);
  return {
    resource: route.resource,
    path: restPath(ex),
    httpMethod: ex.req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query ? query.single : null,
    multiValueQueryStringParameters: query ? query.multi : null,
    pathParameters: ex.params,
    stageVariables: null,
    requestContext: restRequestContext(ex, route.resource, route.resourceId, ex.table.stage, ex.table.restApiId, authorizer),
    body,
    isBase64Encoded,
  };
}

/** REQUEST authorizer event: the proxy event without body, plus type and methodArn. Empty maps are {}. */
export function buildRestRequestAuthorizerEvent(ex: Exchange, route: RestRoute, methodArn: string): Record<string, unknown> {
  const { headers, multiValueHeaders } = restHeaders(ex);
  const query = restQuery(ex);
  return {
    type: 'REQUEST',
    methodArn,
    resource: route.resource,
    path: restPath(ex),
    httpMethod: ex.req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query ? query.single : {},
    multiValueQueryStringParameters: query ? query.multi : {},
    pathParameters: ex.params ?? {},
    stageVariables: {},
    requestContext: restRequestContext(ex, route.resource, route.resourceId, ex.table.stage, ex.table.restApiId, null),
  };
}

function stringMap(source: Record<string, unknown> | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (source) for (const k in source) { const v = source[k]; out[k] = v === null || v === undefined ? '' : String(v); }
  return out;
}

/**
 * `integration: lambda` (non-proxy): the event Serverless's default request template renders —
 * body as JSON, then method, principalId, stage, headers, query, path, identity... all strings.
 */
export function buildLambdaIntegrationEvent(ex: Exchange, route: RestRoute, authorizer: Record<string, unknown> | null): Record<string, unknown> {
  let body: unknown = {};
  if (ex.body.length > 0) {
    const text = ex.body.toString('utf8');
    try { body = JSON.parse(text); } catch { body = text; }
  }
  const headers: Record<string, string> = {};
  const raw = ex.req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers[raw[i]!] = raw[i + 1]!;
  const query = restQuery(ex);
  return {
    body,
    method: ex.req.method,
    principalId: authorizer && typeof authorizer.principalId === 'string' ? authorizer.principalId : '',
    stage: ex.table.stage,
    cognitoPoolClaims: { sub: '' },
    enhancedAuthContext: stringMap(authorizer),
    headers,
    query: query ? query.single : {},
    path: ex.params ?? {},
    identity: stringMap(restIdentity(ex)),
    stageVariables: {},
    requestPath: route.resource,
  };
}
