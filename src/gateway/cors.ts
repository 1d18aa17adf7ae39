// CORS as API Gateway does it. REST: the OPTIONS MOCK method Serverless creates answers 200 with
// the configured headers (echoing a matching Origin when several are allowed); lambda-proxy
// responses get nothing added. HTTP API: the API answers preflights itself (204) and adds or
// overrides the allow-origin/expose/credentials headers on every response to an allowed Origin.
import type { Reply } from './response.ts';
import type { HttpApiCors, RestCors } from './types.ts';

function originMatches(pattern: string, origin: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === origin;
  const re = new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.+') + '$');
  return re.test(origin);
}

/** The Allow-Origin a REST mock sends: the request Origin when it matches a configured one, else the first. */
export function restAllowOrigin(cors: RestCors, origin: string | undefined): string {
  if (origin !== undefined && cors.origins.length > 1 && cors.origins.some((o) => originMatches(o, origin))) return origin;
  return cors.origins[0] ?? '*';
}

export function restPreflight(cors: RestCors, origin: string | undefined): Reply {
  const headers = [
    'Content-Type', 'application/json',
    'Access-Control-Allow-Origin', restAllowOrigin(cors, origin),
    'Access-Control-Allow-Headers', cors.headers.join(','),
    'Access-Control-Allow-Methods', cors.methods.join(','),
  ];
  if (cors.allowCredentials) headers.push('Access-Control-Allow-Credentials', 'true');
  if (cors.maxAge) headers.push('Access-Control-Max-Age', String(cors.maxAge));
  if (cors.cacheControl) headers.push('Cache-Control', cors.cacheControl);
  return { status: 200, headers, body: '' };
}

/** Headers for a non-proxy (`integration: lambda`) response on a path with `cors`. */
export function restResponseCors(cors: RestCors, origin: string | undefined): string[] {
  const headers = ['Access-Control-Allow-Origin', restAllowOrigin(cors, origin)];
  if (cors.allowCredentials) headers.push('Access-Control-Allow-Credentials', 'true');
  return headers;
}

function httpAllowOrigin(cors: HttpApiCors, origin: string): string | undefined {
  if (cors.anyOrigin) return cors.allowCredentials ? origin : '*';
  return cors.origins.some((o) => originMatches(o, origin)) ? origin : undefined;
}

export function httpApiPreflight(cors: HttpApiCors, origin: string): Reply {
  const allow = httpAllowOrigin(cors, origin);
  if (allow === undefined) return { status: 204, headers: [], body: '' };
  const headers = ['access-control-allow-origin', allow, 'access-control-allow-methods', cors.methods.join(',')];
  if (cors.headers.length) headers.push('access-control-allow-headers', cors.headers.join(','));
  if (cors.allowCredentials) headers.push('access-control-allow-credentials', 'true');
  if (cors.maxAge !== undefined) headers.push('access-control-max-age', String(cors.maxAge));
  return { status: 204, headers, body: '' };
}

/** The CORS headers an HTTP API puts on a response for this Origin ([] when the Origin is not allowed). */
export function httpApiResponseCors(cors: HttpApiCors, origin: string): string[] {
  const allow = httpAllowOrigin(cors, origin);
  if (allow === undefined) return [];
  const headers = ['access-control-allow-origin', allow];
  if (cors.allowCredentials) headers.push('access-control-allow-credentials', 'true');
  if (cors.exposedResponseHeaders?.length) headers.push('access-control-expose-headers', cors.exposedResponseHeaders.join(','));
  return headers;
}

const CORS_OVERRIDDEN = new Set(['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers']);

/** Removes the function's own values for the headers the HTTP API CORS configuration overrides. */
export function withoutCorsHeaders(flat: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) if (!CORS_OVERRIDDEN.has(flat[i]!.toLowerCase())) out.push(flat[i]!, flat[i + 1]!);
  return out;
}
