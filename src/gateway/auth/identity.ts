// Reads one identity source value from a request (header, query string; context and stage
// variables are always empty locally).
import { headerValue, parseQuery } from '../request.ts';
import type { Exchange, IdentitySource } from '../types.ts';
import type { GatewayError } from '../errors.ts';

export function readIdentity(ex: Exchange, source: IdentitySource): string | undefined {
  if (source.in === 'header') {
    const v = headerValue(ex.req.rawHeaders, source.name);
    return v === undefined || v === '' ? undefined : v;
  }
  if (source.in === 'query') {
    for (const [k, v] of parseQuery(ex.req.rawQuery)) if (k === source.name && v !== '') return v;
    return undefined;
  }
  return undefined;
}

/** What an authorizer decided: go on with this requestContext.authorizer, or answer with an error. */
export type AuthOutcome =
  | { ok: true; authorizer: Record<string, unknown> }
  | { ok: false; error: GatewayError; headers?: string[] };
