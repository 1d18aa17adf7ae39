// `http` (REST API, payload 1.0) and `httpApi` (HTTP API, payload 2.0) events, with the framework's
// defaults for CORS and authorizers.

import type { CorsSpec, HttpApiEvent, HttpEvent, RestAuthorizerSpec } from '../types.ts';
import type { KeyPath } from '../source.ts';
import type { EventContext } from './events.ts';
import type { Obj, Reader } from './reader.ts';

/** Headers the framework allows with `cors: true` (REST and HTTP API alike). */
export const DEFAULT_CORS_HEADERS = [
  'Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token', 'X-Amz-User-Agent', 'X-Amzn-Trace-Id',
];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export const DEFAULT_REST_IDENTITY_SOURCE = 'method.request.header.Authorization';
export const DEFAULT_AUTHORIZER_TTL = 300;

export function readHttpEvent(ctx: EventContext, path: KeyPath, v: unknown): HttpEvent | undefined {
  const { r } = ctx;
  let def: Obj;
  if (typeof v === 'string') {
    const parts = v.trim().split(/\s+/);
    if (parts.length !== 2) throw r.fail(path, '"METHOD path", e.g. GET /users/{id}', v);
    def = { method: parts[0], path: parts[1] };
  } else if (r.isMap(v)) {
    def = v;
  } else {
    throw r.fail(path, '"METHOD path" or a map with path and method', v);
  }
  const method = restMethod(r, [...path, 'method'], def.method);
  const routePath = r.requiredString([...path, 'path'], def.path, 'a path such as users/{id}');
  const asyncInvoke = r.bool([...path, 'async'], def.async, false);
  const integration = readIntegration(r, [...path, 'integration'], def.integration, asyncInvoke);
  if (integration === undefined) return undefined;
  const event: HttpEvent = {
    type: 'http',
    method,
    path: normalizeRestPath(routePath),
    integration,
    private: r.bool([...path, 'private'], def.private, false),
    async: asyncInvoke,
    requiredParameters: readRequestParameters(r, [...path, 'request'], def.request),
  };
  if (def.cors !== undefined && def.cors !== null && def.cors !== false) {
    event.cors = readRestCors(r, [...path, 'cors'], def.cors, method);
  }
  if (def.authorizer !== undefined && def.authorizer !== null) {
    const auth = readRestAuthorizer(ctx, [...path, 'authorizer'], def.authorizer);
    if (auth) event.authorizer = auth;
  }
  return event;
}

function restMethod(r: Reader, path: KeyPath, v: unknown): string {
  const s = r.requiredString(path, v, 'an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY)').toUpperCase();
  if (s === 'ANY' || s === '*') return 'ANY';
  if (!HTTP_METHODS.includes(s)) throw r.fail(path, 'an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY)', v);
  return s;
}

/** `users/{id}/` and `/users/{id}` are the same resource `/users/{id}`. */
export function normalizeRestPath(p: string): string {
  const trimmed = p.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  return `/${trimmed}`;
}

function readIntegration(r: Reader, path: KeyPath, v: unknown, asyncInvoke: boolean): HttpEvent['integration'] | undefined {
  if (v === undefined || v === null) return asyncInvoke ? 'lambda' : 'lambda-proxy';
  const s = r.requiredString(path, v, 'lambda-proxy or lambda').toUpperCase().replace(/-/g, '_');
  if (s === 'LAMBDA_PROXY' || s === 'AWS_PROXY') return 'lambda-proxy';
  if (s === 'LAMBDA' || s === 'AWS') return 'lambda';
  if (s === 'HTTP' || s === 'HTTP_PROXY' || s === 'MOCK') {
    r.warn(path, `integration ${String(v)} is not served by Gannet; this http event is ignored`);
    return undefined;
  }
  throw r.fail(path, 'lambda-proxy, lambda, http, http-proxy or mock', v);
}

function readRequestParameters(r: Reader, path: KeyPath, v: unknown): HttpEvent['requiredParameters'] {
  const out = { paths: [] as string[], querystrings: [] as string[], headers: [] as string[] };
  const request = r.map(path, v, 'a map (parameters, schemas, template...)');
  const params = r.map([...path, 'parameters'], request.parameters, 'a map with paths, querystrings and headers');
  for (const where of ['paths', 'querystrings', 'headers'] as const) {
    const entries = r.map([...path, 'parameters', where], params[where], `a map of ${where} names to true (required) or false`);
    for (const [name, spec] of Object.entries(entries)) {
      const required = r.isMap(spec) ? spec.required === true || spec.required === 'true' : spec === true || spec === 'true';
      if (required) out[where].push(name);
    }
  }
  return out;
}

export function readRestCors(r: Reader, path: KeyPath, v: unknown, method: string): CorsSpec {
  const withMethod = (methods: string[]) => {
    const out = [...methods];
    if (!out.includes('OPTIONS')) out.push('OPTIONS');
    if (!out.includes(method)) out.push(method);
    return out;
  };
  if (v === true || v === 'true') {
    return { origins: ['*'], headers: [...DEFAULT_CORS_HEADERS], methods: ['OPTIONS', method], allowCredentials: false };
  }
  const c = r.map(path, v, 'true or a map (origin/origins, headers, allowCredentials, maxAge, cacheControl)');
  const origins = c.origins !== undefined
    ? stringList(r, [...path, 'origins'], c.origins)
    : [r.string([...path, 'origin'], c.origin) ?? '*'];
  const cors: CorsSpec = {
    origins,
    headers: c.headers !== undefined ? stringList(r, [...path, 'headers'], c.headers) : [...DEFAULT_CORS_HEADERS],
    methods: withMethod(c.methods !== undefined ? stringList(r, [...path, 'methods'], c.methods).map((m) => m.toUpperCase()) : []),
    allowCredentials: r.bool([...path, 'allowCredentials'], c.allowCredentials, false),
  };
  const maxAge = r.int([...path, 'maxAge'], c.maxAge, 0, 86400 * 365, 'a number of seconds');
  if (maxAge !== undefined) cors.maxAge = maxAge;
  const cacheControl = r.string([...path, 'cacheControl'], c.cacheControl);
  if (cacheControl !== undefined) cors.cacheControl = cacheControl;
  if (c.exposedResponseHeaders !== undefined) cors.exposedResponseHeaders = stringList(r, [...path, 'exposedResponseHeaders'], c.exposedResponseHeaders);
  return cors;
}

export function stringList(r: Reader, path: KeyPath, v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return r.list(path, v, 'a string or a list of strings').map((x, i) => r.requiredString([...path, i], x));
}

function readRestAuthorizer(ctx: EventContext, path: KeyPath, v: unknown): RestAuthorizerSpec | undefined {
  const { r } = ctx;
  let name: string | undefined;
  let arn: string | undefined;
  let type: string | undefined;
  let def: Obj = {};
  if (typeof v === 'string') {
    if (v.toUpperCase() === 'AWS_IAM') type = 'AWS_IAM';
    else if (v.includes(':')) arn = v;
    else name = v;
  } else if (r.isMap(v)) {
    def = v;
    type = r.string([...path, 'type'], def.type);
    if (def.arn !== undefined) {
      if (typeof def.arn !== 'string') {
        r.warn([...path, 'arn'], 'authorizers given by an intrinsic ARN are not run; requests pass without authorization');
        return undefined;
      }
      arn = def.arn;
    } else if (def.name !== undefined) {
      name = r.requiredString([...path, 'name'], def.name, 'the name of a function of this service');
    } else if (!type || type.toUpperCase() !== 'AWS_IAM') {
      throw r.fail(path, 'an authorizer with a name (a function of this service) or an arn', v);
    }
  } else {
    throw r.fail(path, 'a function name, an ARN, or a map with name/arn', v);
  }
  const upper = type?.toUpperCase();
  if (upper === 'AWS_IAM') {
    r.warn(path, 'aws_iam authorization is not checked by Gannet; requests pass without authorization');
    return undefined;
  }
  if (upper === 'COGNITO_USER_POOLS') {
    r.warn(path, 'Cognito user pool authorizers are not checked by Gannet; requests pass without authorization');
    return undefined;
  }
  if (arn !== undefined) {
    const fnName = arn.slice(arn.lastIndexOf(':') + 1);
    const key = [...ctx.functionNames].find(([, deployed]) => deployed === fnName)?.[0];
    if (arn.includes(':cognito-idp:')) {
      r.warn(path, 'Cognito user pool authorizers are not checked by Gannet; requests pass without authorization');
      return undefined;
    }
    if (!key) {
      r.warn(path, `authorizer ${arn} is not a function of this service, so it cannot run; requests pass without authorization`);
      return undefined;
    }
    name = key;
  }
  if (!ctx.functionNames.has(name!)) {
    throw r.fail(typeof v === 'string' ? path : [...path, 'name'], `a function of this service (${[...ctx.functionNames.keys()].join(', ')})`, name);
  }
  let authType: 'token' | 'request' = 'token';
  if (upper === 'REQUEST') authType = 'request';
  else if (upper !== undefined && upper !== 'TOKEN') throw r.fail([...path, 'type'], 'token, request, COGNITO_USER_POOLS or aws_iam', type);
  const ttl = r.int([...path, 'resultTtlInSeconds'], def.resultTtlInSeconds, 0, 3600, 'a number of seconds (0-3600)') ?? DEFAULT_AUTHORIZER_TTL;
  let identitySource = r.string([...path, 'identitySource'], def.identitySource);
  if (identitySource === undefined && !(authType === 'request' && ttl === 0)) identitySource = DEFAULT_REST_IDENTITY_SOURCE;
  const spec: RestAuthorizerSpec = { name: name!, type: authType, identitySource: identitySource ?? '', resultTtlInSeconds: ttl };
  const ive = r.string([...path, 'identityValidationExpression'], def.identityValidationExpression);
  if (ive !== undefined) spec.identityValidationExpression = ive;
  return spec;
}

const HTTP_API_ROUTE = /^(ANY|GET|POST|PUT|PATCH|OPTIONS|HEAD|DELETE|\*) (\/\S*)$/i;

export function readHttpApiEvent(ctx: EventContext, path: KeyPath, v: unknown, fnKey: string): HttpApiEvent | undefined {
  const { r, provider } = ctx;
  let method: string | undefined;
  let routePath: string;
  let def: Obj = {};
  if (typeof v === 'string') {
    if (v.trim() === '*') {
      routePath = '*';
    } else {
      const m = HTTP_API_ROUTE.exec(v.trim());
      if (!m) throw r.fail(path, '"METHOD /path" (e.g. POST /orders) or "*"', v);
      method = m[1]!;
      routePath = m[2]!;
    }
  } else if (r.isMap(v)) {
    def = v;
    routePath = r.requiredString([...path, 'path'], def.path, 'a path such as /orders/{id}, or *');
    method = r.string([...path, 'method'], def.method);
  } else {
    throw r.fail(path, '"METHOD /path", "*", or a map with method and path', v);
  }
  let event: HttpApiEvent;
  if (routePath === '*') {
    if (method !== undefined && method !== '*' && method.toUpperCase() !== 'ANY') {
      throw r.fail([...path, 'method'], 'no method (or *) with path *', method);
    }
    event = { type: 'httpApi', method: 'ANY', path: '$default' };
  } else {
    if (method === undefined) throw r.fail([...path, 'method'], 'an HTTP method (GET, POST, ..., or * for any)', method);
    let m = method.toUpperCase();
    if (m === '*') m = 'ANY';
    if (m !== 'ANY' && !HTTP_METHODS.includes(m)) throw r.fail([...path, 'method'], 'an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY or *)', method);
    if (!routePath.startsWith('/')) {
      r.warn([...path, 'path'], `httpApi paths start with "/" on AWS; read as /${routePath}`);
      routePath = `/${routePath}`;
    }
    event = { type: 'httpApi', method: m, path: routePath };
  }
  const routeKey = `${event.method} ${event.path}`;
  const other = ctx.httpApiRoutes.get(routeKey);
  if (other !== undefined) {
    throw r.failReason(path, `duplicate httpApi route ${routeKey === 'ANY $default' ? '*' : routeKey} (already used by function ${other})`);
  }
  ctx.httpApiRoutes.set(routeKey, fnKey);
  event.payload = provider.httpApi.payload;
  if (def.authorizer !== undefined && def.authorizer !== null) {
    const apath = [...path, 'authorizer'];
    const a = typeof def.authorizer === 'string' ? { name: def.authorizer } : r.map(apath, def.authorizer, 'an authorizer name or {name, scopes}');
    if (typeof a.type === 'string' && a.type.toLowerCase() === 'aws_iam') {
      r.warn(apath, 'aws_iam authorization is not checked by Gannet; requests pass without authorization');
    } else if (a.id !== undefined) {
      r.warn(apath, 'authorizers of an external HTTP API (id) are not run; requests pass without authorization');
    } else {
      const name = r.requiredString([...apath, 'name'], a.name, 'the name of an authorizer in provider.httpApi.authorizers');
      if (!(name in provider.httpApi.authorizers)) {
        const known = Object.keys(provider.httpApi.authorizers);
        throw r.fail(typeof def.authorizer === 'string' ? apath : [...apath, 'name'],
          known.length ? `an authorizer in provider.httpApi.authorizers (${known.join(', ')})` : 'an authorizer declared in provider.httpApi.authorizers (none are)', name);
      }
      event.authorizer = { name };
      if (a.scopes !== undefined) event.authorizer.scopes = stringList(r, [...apath, 'scopes'], a.scopes);
    }
  }
  return event;
}
