// Turns authorizer settings from serverless.yml into ready-to-run authorizers (identity source
// readers, validation regexp, result cache), once per route table.
import type { FunctionSpec, HttpApiAuthorizerSpec, RestAuthorizerSpec } from '../../config/types.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/log.ts';
import { DEFAULT_AUTHORIZER_TTL_SECONDS, MAX_AUTHORIZER_TTL_SECONDS } from '../limits.ts';
import { AuthorizerCache } from './cache.ts';
import type { AuthorizerResult, HttpApiAuthorizer, IdentitySource, RestAuthorizer } from '../types.ts';

export type FunctionLookup = (nameOrArn: string) => FunctionSpec | undefined;

function ttlMs(seconds: number | undefined): number {
  const s = seconds ?? DEFAULT_AUTHORIZER_TTL_SECONDS;
  return Math.max(0, Math.min(MAX_AUTHORIZER_TTL_SECONDS, s)) * 1000;
}

/** REST: 'method.request.header.Authorization', 'method.request.querystring.token', 'context.x', 'stageVariables.x'. */
export function parseRestIdentitySource(text: string): IdentitySource | undefined {
  const s = text.trim();
  let m = /^method\.request\.header\.(.+)$/i.exec(s);
  if (m) return { in: 'header', name: m[1]!.toLowerCase() };
  m = /^method\.request\.querystring\.(.+)$/i.exec(s);
  if (m) return { in: 'query', name: m[1]! };
  m = /^(context|stageVariables)\.(.+)$/.exec(s);
  if (m) return { in: m[1] as 'context' | 'stageVariables', name: m[2]! };
  return undefined;
}

/** HTTP API: '$request.header.Authorization', '$request.querystring.token', '$context.x', '$stageVariables.x'. */
export function parseHttpApiIdentitySource(text: string): IdentitySource | undefined {
  const s = text.trim();
  let m = /^\$request\.header\.(.+)$/i.exec(s);
  if (m) return { in: 'header', name: m[1]!.toLowerCase() };
  m = /^\$request\.querystring\.(.+)$/i.exec(s);
  if (m) return { in: 'query', name: m[1]! };
  m = /^\$(context|stageVariables)\.(.+)$/.exec(s);
  if (m) return { in: m[1] as 'context' | 'stageVariables', name: m[2]! };
  return undefined;
}

export function compileRestAuthorizer(spec: RestAuthorizerSpec, lookup: FunctionLookup, clock: Clock, log: Logger): RestAuthorizer {
  const fn = lookup(spec.name);
  if (!fn) log.warn(`http authorizer '${spec.name}' names no function of this service; requests to its routes get 500`);
  const sources: IdentitySource[] = [];
  for (const part of spec.identitySource.split(',')) {
    if (part.trim() === '') continue;
    const src = parseRestIdentitySource(part);
    if (src) sources.push(src);
    else log.warn(`authorizer '${spec.name}': identitySource '${part.trim()}' is not method.request.header.X, method.request.querystring.X, context.X or stageVariables.X; ignored`);
  }
  let validation: RegExp | null = null;
  if (spec.identityValidationExpression) {
    // API Gateway tests the whole token (Java's Matcher.matches), so the expression is anchored.
    try { validation = new RegExp(`^(?:${spec.identityValidationExpression})$`); } catch (err) {
      log.warn(`authorizer '${spec.name}': identityValidationExpression is not a valid regular expression (${(err as Error).message}); not applied`);
    }
  }
  const ms = ttlMs(spec.resultTtlInSeconds);
  return {
    name: spec.name, type: spec.type, functionName: fn?.name ?? null, sources, validation, ttlMs: ms,
    cache: new AuthorizerCache<AuthorizerResult>(clock, ms),
  };
}

export function compileHttpApiAuthorizer(name: string, spec: HttpApiAuthorizerSpec | undefined, lookup: FunctionLookup,
  clock: Clock, log: Logger): HttpApiAuthorizer {
  if (!spec) {
    log.warn(`httpApi authorizer '${name}' is not defined under provider.httpApi.authorizers; requests to its routes get 500`);
    return { kind: 'missing', name };
  }
  if (spec.type === 'jwt') {
    const source = parseHttpApiIdentitySource(spec.identitySource || '$request.header.Authorization') ?? { in: 'header', name: 'authorization' };
    return { kind: 'jwt', name, source, issuer: spec.issuerUrl, audience: spec.audience };
  }
  const fn = lookup(spec.functionName);
  if (!fn) log.warn(`httpApi authorizer '${name}': functionName '${spec.functionName}' names no function of this service; requests to its routes get 500`);
  const sources: IdentitySource[] = [];
  for (const part of spec.identitySource) {
    const src = parseHttpApiIdentitySource(part);
    if (src) sources.push(src);
    else log.warn(`httpApi authorizer '${name}': identitySource '${part}' is not $request.header.X, $request.querystring.X, $context.X or $stageVariables.X; ignored`);
  }
  const ms = ttlMs(spec.resultTtlInSeconds);
  return {
    kind: 'lambda', name, functionName: fn?.name ?? null, sources, simple: spec.enableSimpleResponses,
    payload: spec.payloadVersion, ttlMs: ms, cache: new AuthorizerCache<AuthorizerResult>(clock, ms),
  };
}
