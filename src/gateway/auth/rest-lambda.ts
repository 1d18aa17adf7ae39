// REST API Lambda authorizers (TOKEN and REQUEST): identity checks without invoking, the cached or
// fresh answer, then the IAM policy evaluated against this request's method ARN.
import { REST_ERRORS } from '../errors.ts';
import { buildRestRequestAuthorizerEvent, restPath } from '../rest-event.ts';
import type { Exchange, GatewayState, RestAuthorizer, RestRoute } from '../types.ts';
import { readIdentity, type AuthOutcome } from './identity.ts';
import { readLambdaAnswer } from './lambda-answer.ts';
import { evaluatePolicy, executeApiArn } from './policy.ts';

const fail = (error: typeof REST_ERRORS[keyof typeof REST_ERRORS]): AuthOutcome => ({ ok: false, error });

export async function authorizeRest(g: GatewayState, ex: Exchange, route: RestRoute, auth: RestAuthorizer): Promise<AuthOutcome> {
  const { table } = ex;
  const methodArn = executeApiArn(table.region, table.accountId, table.restApiId, table.stage, ex.req.method, restPath(ex));
  let key: string;
  let event: Record<string, unknown>;
  if (auth.type === 'token') {
    const token = readIdentity(ex, auth.sources[0] ?? { in: 'header', name: 'authorization' });
    if (token === undefined) return fail(REST_ERRORS.unauthorized);
    if (auth.validation && !auth.validation.test(token)) return fail(REST_ERRORS.unauthorized);
    key = token;
    event = { type: 'TOKEN', authorizationToken: token, methodArn };
  } else {
    const values = auth.sources.map((s) => readIdentity(ex, s));
    // With caching on, every identity source is required (it is the cache key).
    if (auth.ttlMs > 0 && values.some((v) => v === undefined)) return fail(REST_ERRORS.unauthorized);
    key = values.join('\u0000');
    event = buildRestRequestAuthorizerEvent(ex, route, methodArn);
  }
  if (auth.functionName === null) {
    g.log.error(`authorizer '${auth.name}' names no function of this service`);
    return fail(REST_ERRORS.authorizerConfiguration);
  }

  let result = auth.cache.get(key);
  let latency = 0;
  if (!result) {
    const started = g.clock.now();
    let inv;
    try {
      inv = await g.invoker.invoke(auth.functionName, Buffer.from(JSON.stringify(event)), { mode: 'sync', trigger: { kind: 'authorizer' } });
    } catch (err) {
      g.log.error(`authorizer '${auth.name}' could not be invoked: ${(err as Error).message}`);
      return fail(REST_ERRORS.authorizerConfiguration);
    }
    latency = g.clock.now() - started;
    const answer = readLambdaAnswer(inv, false);
    if (answer.kind === 'unauthorized') return fail(REST_ERRORS.unauthorized);
    if (answer.kind === 'invalid') {
      g.log.warn(`authorizer '${auth.name}' (request ${ex.requestId}): ${answer.reason}; API Gateway answers 500 AuthorizerConfigurationException`);
      return fail(REST_ERRORS.authorizerConfiguration);
    }
    result = answer.result;
    auth.cache.set(key, result);
  }

  const decision = evaluatePolicy(result.policy ?? [], methodArn);
  if (decision === 'explicit-deny') return fail(REST_ERRORS.explicitDeny);
  if (decision === 'implicit-deny') return fail(REST_ERRORS.implicitDeny);
  // REST hands context values to the integration as strings.
  const authorizer: Record<string, unknown> = { principalId: result.principalId };
  for (const k in result.context) authorizer[k] = String(result.context[k]);
  authorizer.integrationLatency = latency;
  return { ok: true, authorizer };
}
