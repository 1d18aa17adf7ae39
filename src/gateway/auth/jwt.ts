// HTTP API JWT authorizers: the issuer's OpenID discovery document names its JWKS, whose keys are
// fetched once and cached (jose refreshes on unknown kids); iss, aud/client_id, exp and nbf are
// checked, then the route's scopes against the token's scope/scp claims.
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { HTTP_API_ERRORS } from '../errors.ts';
import { JWKS_CACHE_MAX_AGE_MS } from '../limits.ts';
import type { Exchange, FetchLike, GatewayState, HttpApiAuthorizer, HttpApiRoute } from '../types.ts';
import { readIdentity, type AuthOutcome } from './identity.ts';

type JwtAuthorizer = Extract<HttpApiAuthorizer, { kind: 'jwt' }>;

/** JWKS per issuer, shared across route table updates; a failed discovery is retried next time. */
export class JwksCache {
  #byIssuer = new Map<string, Promise<JWTVerifyGetKey>>();
  #fetch: FetchLike;

  constructor(fetchImpl: FetchLike = fetch) { this.#fetch = fetchImpl; }

  get(issuer: string): Promise<JWTVerifyGetKey> {
    let entry = this.#byIssuer.get(issuer);
    if (!entry) {
      entry = this.#discover(issuer);
      entry.catch(() => this.#byIssuer.delete(issuer));
      this.#byIssuer.set(issuer, entry);
    }
    return entry;
  }

  async #discover(issuer: string): Promise<JWTVerifyGetKey> {
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const res = await this.#fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
    const doc = await res.json() as { jwks_uri?: unknown };
    if (typeof doc.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
    const fetchImpl = this.#fetch;
    return createRemoteJWKSet(new URL(doc.jwks_uri), {
      cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
      [customFetch]: (u: string, init: RequestInit) => fetchImpl(u, { signal: init.signal ?? undefined, headers: init.headers as Record<string, string> }),
    });
  }
}

function unauthorized(description: string): AuthOutcome {
  return {
    ok: false, error: HTTP_API_ERRORS.unauthorized,
    headers: ['www-authenticate', `Bearer scope="" error="invalid_token" error_description="${description}"`],
  };
}

// API Gateway's error_description texts; only the audience one is documented verbatim by AWS.
function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return 'the token does not have a valid issuer';
    if (err.claim === 'nbf') return 'the token is not valid yet';
    if (err.claim === 'iat') return 'the token was issued in the future';
    return `the token has an invalid ${err.claim} claim`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'signature is invalid';
  if (err instanceof errors.JWKSNoMatchingKey) return 'no matching key for the token kid';
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return 'the token signing algorithm is not supported';
  return 'the token is malformed';
}

/** Claims as API Gateway passes them: every value a string, arrays as "[a b]". */
export function stringifyClaims(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in payload) {
    const v = payload[k];
    out[k] = typeof v === 'string' ? v : Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  }
  return out;
}

function tokenScopes(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

export async function authorizeJwt(g: GatewayState, ex: Exchange, route: HttpApiRoute, auth: JwtAuthorizer): Promise<AuthOutcome> {
  const raw = readIdentity(ex, auth.source);
  if (raw === undefined) return { ok: false, error: HTTP_API_ERRORS.unauthorized };
  const token = raw.replace(/^Bearer\s+/i, '');
  let keys: JWTVerifyGetKey;
  try { keys = await g.jwks.get(auth.issuer); } catch (err) {
    g.log.error(`JWT authorizer '${auth.name}': cannot read the signing keys of ${auth.issuer}: ${(err as Error).message}`);
    return unauthorized('unable to retrieve the issuer signing keys');
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, { issuer: auth.issuer, currentDate: new Date(g.clock.now()) }));
  } catch (err) {
    return unauthorized(describe(err));
  }
  // aud is checked when present; client_id only when there is no aud.
  const aud = payload.aud === undefined ? (typeof payload.client_id === 'string' ? [payload.client_id] : []) : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!aud.some((a) => auth.audience.includes(a))) return unauthorized('the token does not have a valid audience');
  if (route.scopes) {
    const have = tokenScopes(payload);
    if (!route.scopes.some((s) => have.includes(s))) {
      return {
        ok: false, error: HTTP_API_ERRORS.forbidden,
        headers: ['www-authenticate', `Bearer scope="${route.scopes.join(' ')}" error="insufficient_scope" error_description="expected scopes: [${route.scopes.join(' ')}]"`],
      };
    }
  }
  return { ok: true, authorizer: { jwt: { claims: stringifyClaims(payload), scopes: route.scopes } } };
}
