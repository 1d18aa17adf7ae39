// HTTP API Lambda authorizers (payload 1.0 or 2.0; simple {isAuthorized} answers or IAM policies).
import { HTTP_API_ERRORS } from '../errors.ts';
import { buildHttpApiAuthorizerEvent } from '../http-api-event.ts';
import { restHeaders, restQuery, restRequestContext } from '../rest-event.ts';
import type { Exchange, GatewayState, HttpApiAuthorizer, HttpApiRoute } from '../types.ts';
import { readIdentity, type AuthOutcome } from './identity.ts';
import { readLambdaAnswer } from './lambda-answer.ts';
import { evaluatePolicy, executeApiArn } from './policy.ts';

type LambdaAuthorizer = Extract<HttpApiAuthorizer, { kind: 'lambda' }>;

function v1Event(ex: Exchange, route: HttpApiRoute, routeArn: string, identity: string[]): Record<string, unknown> {
  const { headers, multiValueHeaders } = restHeaders(ex);
  const query = restQuery(ex);
  return {
    version: '1.0', type: 'REQUEST', methodArn: routeArn, identitySource: identity.join(','),
    authorizationToken: identity.join(','), resource: route.resource, path: ex.req.rawPath, httpMethod: ex.req.method,
    headers, multiValueHeaders, queryStringParameters: query ? query.single : {},
    multiValueQueryStringParameters: query ? query.multi : {}, pathParameters: ex.params ?? {}, stageVariables: {},
    requestContext: restRequestContext(ex, route.resource, route.resourceId, '$default', ex.table.httpApiId, null),
  };
}

export async function authorizeHttpLambda(g: GatewayState, ex: Exchange, route: HttpApiRoute, auth: LambdaAuthorizer): Promise<AuthOutcome> {
  const values: string[] = [];
  for (const s of auth.sources) {
    const v = readIdentity(ex, s);
    if (v === undefined) return { ok: false, error: HTTP_API_ERRORS.unauthorized };
    values.push(v);
  }
  if (auth.functionName === null) {
    g.log.error(`httpApi authorizer '${auth.name}' names no function of this service`);
    return { ok: false, error: HTTP_API_ERRORS.internalServerError };
  }
  const { table } = ex;
  const routeArn = executeApiArn(table.region, table.accountId, table.httpApiId, '$default', ex.req.method, ex.req.rawPath);
  const key = values.join('\u0000');
  let result = auth.cache.get(key);
  if (!result) {
    const event = auth.payload === '2.0' ? buildHttpApiAuthorizerEvent(ex, route, routeArn, values) : v1Event(ex, route, routeArn, values);
    let inv;
    try {
      inv = await g.invoker.invoke(auth.functionName, Buffer.from(JSON.stringify(event)), { mode: 'sync', trigger: { kind: 'authorizer' } });
    } catch (err) {
      g.log.error(`httpApi authorizer '${auth.name}' could not be invoked: ${(err as Error).message}`);
      return { ok: false, error: HTTP_API_ERRORS.internalServerError };
    }
    const answer = readLambdaAnswer(inv, auth.simple);
    if (answer.kind === 'unauthorized') return { ok: false, error: HTTP_API_ERRORS.unauthorized };
    if (answer.kind === 'invalid') {
      g.log.warn(`httpApi authorizer '${auth.name}' (request ${ex.requestId}): ${answer.reason}; API Gateway answers 500`);
      return { ok: false, error: HTTP_API_ERRORS.internalServerError };
    }
    result = answer.result;
    auth.cache.set(key, result);
  }
  const allowed = auth.simple ? result.isAuthorized === true : evaluatePolicy(result.policy ?? [], routeArn) === 'allow';
  if (!allowed) return { ok: false, error: HTTP_API_ERRORS.forbidden };
  const context = { ...result.context };
  if (!auth.simple && result.principalId !== undefined) context.principalId = result.principalId;
  return { ok: true, authorizer: route.payload === '2.0' ? { lambda: context } : context };
}
