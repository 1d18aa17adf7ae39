// Compiles a ServiceSpec into the gateway's route table: REST routes (with CORS preflight mocks),
// HTTP API routes, authorizers with their caches, and the binary media type test. Runs once per
// spec (start and every update), never per request.
import { createHash, randomBytes } from 'node:crypto';
import type { CorsSpec, FunctionSpec, ServiceSpec } from '../config/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import { Router, templateSegments } from './router.ts';
import { compileHttpApiAuthorizer, compileRestAuthorizer, type FunctionLookup } from './auth/compile.ts';
import type { HttpApiCors, HttpApiRoute, RestCors, RestRoute, RouteInfo, RouteTable } from './types.ts';

const ALL_METHODS = 'DELETE,GET,HEAD,PATCH,POST,PUT';

/** Stable ids that look like API Gateway's (10 lower-case alphanumerics), derived from the service. */
function fakeId(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[digest[i]! % alphabet.length];
  return out;
}

/** '/users/{id}' from 'users/{id}', '/users/{id}/', '' -> '/'. */
export function normalizeTemplate(path: string): string {
  return '/' + templateSegments(path).join('/');
}

function paramNames(template: string): string[] {
  return templateSegments(template).filter((s) => s.startsWith('{')).map((s) => s.slice(1, s.endsWith('+}') ? -2 : -1));
}

function functionLookup(spec: ServiceSpec): FunctionLookup {
  return (nameOrArn) => {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.split(':')[6] ?? nameOrArn : nameOrArn;
    const byKey = spec.functions[name];
    if (byKey) return byKey;
    return Object.values(spec.functions).find((f) => f.name === name);
  };
}

function binaryMatcher(types: string[]): (contentType: string | undefined) => boolean {
  if (types.length === 0) return () => false;
  const res = types.map((t) => new RegExp('^' + t.trim().toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^;]*') + '$'));
  return (contentType) => {
    if (!contentType) return false;
    const semi = contentType.indexOf(';');
    const mime = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
    return res.some((re) => re.test(mime));
  };
}

function mergeRestCors(into: RestCors | null, cors: CorsSpec, method: string): RestCors {
  const base: RestCors = into ?? { origins: [], headers: [], methods: ['OPTIONS'], allowCredentials: false };
  const union = (a: string[], b: string[]) => { for (const x of b) if (!a.includes(x)) a.push(x); return a; };
  union(base.origins, cors.origins.length ? cors.origins : ['*']);
  union(base.headers, cors.headers);
  union(base.methods, cors.methods ?? []);
  union(base.methods, [method]);
  base.allowCredentials ||= cors.allowCredentials;
  if (cors.maxAge !== undefined) base.maxAge ??= cors.maxAge;
  if (cors.cacheControl !== undefined) base.cacheControl ??= cors.cacheControl;
  return base;
}

export function compileRoutes(spec: ServiceSpec, opts: { stagePrefix: boolean; clock: Clock; log: Logger }): RouteTable {
  const { log, clock } = opts;
  const lookup = functionLookup(spec);
  const rest = new Router<RestRoute>();
  const httpApi = new Router<HttpApiRoute>();
  let httpApiDefault: HttpApiRoute | null = null;
  const list: RouteInfo[] = [];
  const restApiId = fakeId(`rest:${spec.service}:${spec.stage}`, 10);
  const httpApiId = fakeId(`http:${spec.service}:${spec.stage}`, 10);
  const restAuthorizers = new Map<string, ReturnType<typeof compileRestAuthorizer>>();
  const httpAuthorizers = new Map<string, ReturnType<typeof compileHttpApiAuthorizer>>();
  const corsByPath = new Map<string, RestCors>();
  const explicitOptions = new Set<string>();
  const prefix = opts.stagePrefix ? `/${spec.stage}` : '';
  const payload = spec.provider.httpApi.payload;
  const httpMethods = new Set<string>();
  const restRoutes: RestRoute[] = [];

  for (const fn of Object.values(spec.functions) as FunctionSpec[]) {
    for (const ev of fn.events) {
      if (ev.type === 'http') {
        const resource = normalizeTemplate(ev.path);
        const method = ev.method.toUpperCase();
        let authorizer = null;
        if (ev.authorizer) {
          const key = JSON.stringify(ev.authorizer);
          if (!restAuthorizers.has(key)) restAuthorizers.set(key, compileRestAuthorizer(ev.authorizer, lookup, clock, log));
          authorizer = restAuthorizers.get(key)!;
        }
        const route: RestRoute = {
          kind: 'rest', method, paramNames: paramNames(resource), resource,
          resourceId: fakeId(`resource:${resource}`, 6), functionKey: fn.key, functionName: fn.name,
          integration: ev.integration, async: ev.async, required: ev.requiredParameters, authorizer, cors: null,
        };
        if (!rest.add(resource, route)) { log.warn(`two functions declare http ${method} ${resource}; ${fn.key}'s is ignored`); continue; }
        restRoutes.push(route);
        if (method === 'OPTIONS') explicitOptions.add(resource);
        if (ev.cors) corsByPath.set(resource, mergeRestCors(corsByPath.get(resource) ?? null, ev.cors, method));
        list.push({ method, path: prefix + resource, functionKey: fn.key, kind: 'rest' });
        if (ev.private) log.warn(`function ${fn.key}: http 'private: true' (API keys) is not enforced by Gannet's gateway`);
      } else if (ev.type === 'httpApi') {
        const method = ev.method.toUpperCase();
        const isDefault = ev.path === '$default' || ev.path === '*';
        const template = isDefault ? '$default' : normalizeTemplate(ev.path);
        let authorizer = null;
        if (ev.authorizer) {
          const name = ev.authorizer.name;
          if (!httpAuthorizers.has(name)) {
            httpAuthorizers.set(name, compileHttpApiAuthorizer(name, spec.provider.httpApi.authorizers[name], lookup, clock, log));
          }
          authorizer = httpAuthorizers.get(name)!;
        }
        const route: HttpApiRoute = {
          kind: 'httpApi', method, paramNames: isDefault ? [] : paramNames(template),
          routeKey: isDefault ? '$default' : `${method} ${template}`, resource: template,
          resourceId: fakeId(`route:${method} ${template}`, 6), functionKey: fn.key, functionName: fn.name,
          authorizer, scopes: ev.authorizer?.scopes?.length ? ev.authorizer.scopes : null, payload: ev.payload ?? payload,
        };
        httpMethods.add(method);
        if (isDefault) {
          if (httpApiDefault) { log.warn(`two functions declare the httpApi '*' route; ${fn.key}'s is ignored`); continue; }
          httpApiDefault = route;
          list.push({ method: 'ANY', path: '/*', functionKey: fn.key, kind: 'httpApi' });
        } else {
          if (!httpApi.add(template, route)) { log.warn(`two functions declare httpApi '${method} ${template}'; ${fn.key}'s is ignored`); continue; }
          list.push({ method, path: template, functionKey: fn.key, kind: 'httpApi' });
        }
      }
    }
  }

  // REST CORS: Serverless adds an OPTIONS method with a MOCK integration on every path with `cors`.
  for (const [resource, cors] of corsByPath) {
    if (explicitOptions.has(resource)) continue;
    cors.methods = cors.methods.map((m) => (m === 'ANY' ? ALL_METHODS : m));
    rest.add(resource, {
      kind: 'rest', method: 'OPTIONS', paramNames: paramNames(resource), resource,
      resourceId: fakeId(`resource:${resource}`, 6), functionKey: '', functionName: '',
      integration: 'cors-preflight', async: false, required: { paths: [], querystrings: [], headers: [] },
      authorizer: null, cors,
    });
  }
  // Non-proxy (`integration: lambda`) responses carry the configured Allow-Origin; proxy ones do not.
  for (const r of restRoutes) if (r.integration === 'lambda') r.cors = corsByPath.get(r.resource) ?? null;

  return {
    spec, stage: spec.stage, stagePrefix: opts.stagePrefix, region: spec.region, accountId: spec.accountId,
    restApiId, httpApiId, deploymentId: randomBytes(3).toString('hex'), rest, httpApi, httpApiDefault,
    httpApiCors: compileHttpApiCors(spec.provider.httpApi.cors, httpMethods),
    isBinary: binaryMatcher(spec.provider.apiGateway.binaryMediaTypes),
    list,
  };
}

function compileHttpApiCors(cors: CorsSpec | undefined, methods: Set<string>): HttpApiCors | null {
  if (!cors) return null;
  const list = cors.methods ?? ['OPTIONS', ...[...methods].filter((m) => m !== 'ANY' && m !== 'OPTIONS')];
  const expanded = list.flatMap((m) => (m === '*' || m === 'ANY' ? ALL_METHODS.split(',') : [m]));
  return { ...cors, methods: [...new Set(expanded)], anyOrigin: cors.origins.length === 0 || cors.origins.includes('*') };
}
