// The whole resolved config into a ServiceSpec: service name, provider settings with the framework's
// defaults, functions, resources and outputs. Intrinsics are still unresolved at this stage.

import type { HttpApiAuthorizerSpec, ProviderSpec, ResourceSpec, ServiceSpec, CorsSpec } from '../types.ts';
import type { KeyPath } from '../source.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, DEFAULT_STAGE } from '../variables/sources.ts';
import { LIMITS, readArchitecture, readFunctions, readPayload, type FunctionsResult, type ServiceContext } from './functions.ts';
import { DEFAULT_CORS_HEADERS, HTTP_METHODS, stringList } from './http.ts';
import { PROVIDER_KEYS, PROVIDER_UNSUPPORTED, TOP_LEVEL_KEYS, TOP_LEVEL_UNSUPPORTED } from './keys.ts';
import type { Obj, Reader } from './reader.ts';

export const DEFAULT_RUNTIME = 'nodejs20.x';
export const DEFAULT_MEMORY_SIZE = 1024;
export const DEFAULT_TIMEOUT = 6;
export const DEFAULT_JWT_IDENTITY_SOURCE = '$request.header.Authorization';

export type BuildOptions = { dir: string; file: string; stage?: string; region?: string };

export type BuiltService = { spec: ServiceSpec } & Omit<FunctionsResult, 'functions'>;

/** Plugins whose job Gannet does itself, so leaving them out changes nothing. */
const PLUGINS_COVERED: Record<string, string> = {
  'serverless-offline': 'gannet dev serves the API itself',
  'serverless-esbuild': 'Gannet bundles TypeScript itself',
  'serverless-plugin-typescript': 'Gannet runs TypeScript itself',
  'serverless-webpack': 'Gannet bundles handlers itself',
  'serverless-offline-sqs': 'Gannet serves SQS itself',
  'serverless-offline-sns': 'Gannet serves SNS itself',
  'serverless-s3-local': 'Gannet serves S3 itself',
  'serverless-plugin-existing-s3': 'existingS3 events are read by Gannet',
  'serverless-pseudo-parameters': 'Gannet resolves pseudo parameters itself',
  'serverless-lift': 'Gannet provides Lift\'s queue and storage construct types itself (other construct types are listed)',
};

export function buildService(r: Reader, config: unknown, opts: BuildOptions): BuiltService {
  if (!r.isMap(config)) throw r.fail([], 'a map with service, provider and functions', config);
  r.unknownKeys([], config, new Set([...TOP_LEVEL_KEYS, ...Object.keys(TOP_LEVEL_UNSUPPORTED)]), 'top-level');
  for (const [k, why] of Object.entries(TOP_LEVEL_UNSUPPORTED)) {
    if (config[k] !== undefined && config[k] !== null) r.warn([k], why);
  }
  warnPlugins(r, config.plugins);
  const service = readServiceName(r, config.service);
  const providerRaw = r.map(['provider'], config.provider, 'a map of provider settings (name: aws, runtime...)');
  const stage = opts.stage || r.string(['provider', 'stage'], providerRaw.stage) || DEFAULT_STAGE;
  const region = opts.region || r.string(['provider', 'region'], providerRaw.region) || DEFAULT_REGION;
  // Stage and region end up in names, ARNs, URLs and folder names (.gannet/<stage>).
  const stageExpected = 'a stage name of letters, digits, - and _ (e.g. dev, prod)';
  if (!/^[A-Za-z0-9_-]+$/.test(stage)) {
    throw opts.stage ? r.failReason([], `--stage ${JSON.stringify(stage)}: expected ${stageExpected}`) : r.fail(['provider', 'stage'], stageExpected, stage);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    const expected = 'an AWS region name such as us-east-1';
    throw opts.region ? r.failReason([], `--region ${JSON.stringify(region)}: expected ${expected}`) : r.fail(['provider', 'region'], expected, region);
  }
  const custom = r.map(['custom'], config.custom);
  const gannet = r.map(['custom', 'gannet'], custom.gannet, 'a map of Gannet settings (accountId)');
  const accountId = r.string(['custom', 'gannet', 'accountId'], gannet.accountId) ?? DEFAULT_ACCOUNT_ID;
  if (!/^\d{12}$/.test(accountId)) throw r.fail(['custom', 'gannet', 'accountId'], 'a 12-digit AWS account id', gannet.accountId);
  const authorizersByArn = new Set<string>();
  const provider = readProvider(r, providerRaw, stage, region, authorizersByArn);
  const ctx: ServiceContext = {
    r, service, stage, region, accountId, dir: opts.dir, provider,
    providerArchitecture: readArchitecture(r, ['provider', 'architecture'], providerRaw.architecture) ?? 'x86_64',
  };
  const fns = readFunctions(ctx, mergeFunctionList(r, config.functions));
  checkAuthorizerFunctions(r, provider, fns, authorizersByArn);
  fillHttpApiCorsMethods(provider, fns);
  const res = readResources(r, config.resources);
  const spec: ServiceSpec = {
    service, stage, region, accountId, provider,
    functions: fns.functions,
    resources: res.resources,
    outputs: res.outputs,
    conditions: res.conditions,
    mappings: res.mappings,
    custom,
    dir: opts.dir,
    file: opts.file,
    warnings: r.warnings,
  };
  return { spec, rawEnvironment: fns.rawEnvironment, rawDestinations: fns.rawDestinations };
}

/** `functions:` may be a list of maps (often one `${file(...)}` each), merged in order. */
function mergeFunctionList(r: Reader, v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  const merged: Obj = {};
  v.forEach((part, i) => {
    if (part === null || part === undefined) return;
    for (const [key, def] of Object.entries(r.map(['functions', i], part, 'a map of function names to their settings'))) {
      merged[key] = def;
      r.source.alias(['functions', key], ['functions', i, key]);
    }
  });
  return merged;
}

function readServiceName(r: Reader, v: unknown): string {
  const expected = 'a service name (letters, digits, dashes), e.g. service: orders';
  if (r.isMap(v)) return readServiceName(r, v.name);
  const s = r.requiredString(['service'], v, expected);
  if (!/^[a-zA-Z][a-zA-Z0-9-]*$/.test(s)) throw r.fail(['service'], expected, v);
  return s;
}

function warnPlugins(r: Reader, v: unknown): void {
  if (v === undefined || v === null) return;
  // `plugins: {localPath, modules: [...]}` is the older object form.
  const list = r.isMap(v) ? r.list(['plugins', 'modules'], v.modules) : r.list(['plugins'], v, 'a list of plugin names');
  const base: KeyPath = r.isMap(v) ? ['plugins', 'modules'] : ['plugins'];
  list.forEach((p, i) => {
    const name = String(p);
    const covered = PLUGINS_COVERED[name];
    r.warn([...base, i], covered
      ? `plugin ${name} is not loaded: ${covered}`
      : `plugin ${name} is not loaded: Gannet does not run Serverless Framework plugins, so what it adds is missing`);
  });
}

function readProvider(r: Reader, p: Obj, stage: string, region: string, authorizersByArn: Set<string>): ProviderSpec {
  const path: KeyPath = ['provider'];
  r.unknownKeys(path, p, new Set([...PROVIDER_KEYS, ...Object.keys(PROVIDER_UNSUPPORTED)]), 'provider');
  for (const [k, why] of Object.entries(PROVIDER_UNSUPPORTED)) {
    if (p[k] !== undefined && p[k] !== null) r.warn([...path, k], why);
  }
  const name = r.string([...path, 'name'], p.name) ?? 'aws';
  if (name !== 'aws') throw r.fail([...path, 'name'], 'aws (Gannet runs AWS Lambda services)', p.name);
  const lim = (k: 'timeout' | 'memorySize') => r.int([...path, k], p[k], LIMITS[k].min, LIMITS[k].max, LIMITS[k].expected);
  const httpApi = r.map([...path, 'httpApi'], p.httpApi, 'a map (cors, payload, authorizers)');
  const apiGateway = r.map([...path, 'apiGateway'], p.apiGateway, 'a map of API Gateway settings');
  const iam = r.map([...path, 'iam'], p.iam);
  const role = iam.role;
  const statements = r.isMap(role) && role.statements !== undefined
    ? r.list([...path, 'iam', 'role', 'statements'], role.statements)
    : r.list([...path, 'iamRoleStatements'], p.iamRoleStatements);
  const provider: ProviderSpec = {
    name,
    runtime: r.string([...path, 'runtime'], p.runtime, 'a runtime name such as nodejs20.x') ?? DEFAULT_RUNTIME,
    stage,
    region,
    memorySize: lim('memorySize') ?? DEFAULT_MEMORY_SIZE,
    timeout: lim('timeout') ?? DEFAULT_TIMEOUT,
    environment: r.map([...path, 'environment'], p.environment, 'a map of environment variables'),
    httpApi: {
      authorizers: readHttpApiAuthorizers(r, [...path, 'httpApi', 'authorizers'], httpApi.authorizers, authorizersByArn),
      payload: httpApi.payload === undefined || httpApi.payload === null ? '2.0' : readPayload(r, [...path, 'httpApi', 'payload'], httpApi.payload),
    },
    apiGateway: {
      binaryMediaTypes: apiGateway.binaryMediaTypes === undefined ? [] : stringList(r, [...path, 'apiGateway', 'binaryMediaTypes'], apiGateway.binaryMediaTypes),
    },
    iamStatements: statements,
  };
  const cors = readHttpApiCors(r, [...path, 'httpApi', 'cors'], httpApi.cors);
  if (cors) provider.httpApi.cors = cors;
  if (httpApi.id !== undefined) r.warn([...path, 'httpApi', 'id'], 'an external HTTP API (id) is not used; Gannet serves its own');
  return provider;
}

function readHttpApiCors(r: Reader, path: KeyPath, v: unknown): CorsSpec | undefined {
  if (v === undefined || v === null || v === false) return undefined;
  if (v === true) return { origins: ['*'], headers: [...DEFAULT_CORS_HEADERS], allowCredentials: false };
  const c = r.map(path, v, 'true or a map (allowedOrigins, allowedHeaders, allowedMethods, allowCredentials, exposedResponseHeaders, maxAge)');
  const cors: CorsSpec = {
    origins: c.allowedOrigins === undefined ? ['*'] : stringList(r, [...path, 'allowedOrigins'], c.allowedOrigins),
    headers: c.allowedHeaders === undefined ? [...DEFAULT_CORS_HEADERS] : stringList(r, [...path, 'allowedHeaders'], c.allowedHeaders),
    allowCredentials: r.bool([...path, 'allowCredentials'], c.allowCredentials, false),
  };
  if (c.allowedMethods !== undefined) cors.methods = stringList(r, [...path, 'allowedMethods'], c.allowedMethods).map((m) => m.toUpperCase());
  if (c.exposedResponseHeaders !== undefined) cors.exposedResponseHeaders = stringList(r, [...path, 'exposedResponseHeaders'], c.exposedResponseHeaders);
  const maxAge = r.int([...path, 'maxAge'], c.maxAge, 0, 86400, 'a number of seconds (0-86400)');
  if (maxAge !== undefined) cors.maxAge = maxAge;
  if (cors.allowCredentials && cors.origins.includes('*')) {
    throw r.fail([...path, 'allowCredentials'], 'allowCredentials only with explicit allowedOrigins (AWS refuses it with *)', true);
  }
  return cors;
}

/**
 * A request authorizer runs a function of this service: `functionName` is its key; a `functionArn`
 * naming one of the service's deployed functions is turned into that key.
 */
function checkAuthorizerFunctions(r: Reader, provider: ProviderSpec, fns: FunctionsResult, byArnNames: Set<string>): void {
  const keys = Object.keys(fns.functions);
  for (const [name, a] of Object.entries(provider.httpApi.authorizers)) {
    if (a.type !== 'request' || a.functionName in fns.functions) continue;
    const path = ['provider', 'httpApi', 'authorizers', name];
    const byArn = Object.values(fns.functions).find((f) => f.name === a.functionName);
    if (byArn) {
      a.functionName = byArn.key;
    } else if (byArnNames.has(name)) {
      r.warn([...path, 'functionArn'], `authorizer ${name} runs a function outside this service, which Gannet cannot run; its routes refuse every request`);
    } else {
      throw r.fail([...path, 'functionName'], `a function of this service (${keys.join(', ')})`, a.functionName);
    }
  }
}

/** Without `allowedMethods`, the framework allows OPTIONS plus every method the routes use. */
function fillHttpApiCorsMethods(provider: ProviderSpec, fns: FunctionsResult): void {
  const cors = provider.httpApi.cors;
  if (!cors || cors.methods) return;
  const methods = new Set(['OPTIONS']);
  for (const fn of Object.values(fns.functions)) {
    for (const e of fn.events) {
      if (e.type !== 'httpApi') continue;
      if (e.method === 'ANY') for (const m of HTTP_METHODS) methods.add(m);
      else methods.add(e.method);
    }
  }
  cors.methods = [...methods];
}

function readHttpApiAuthorizers(r: Reader, path: KeyPath, v: unknown, authorizersByArn: Set<string>): Record<string, HttpApiAuthorizerSpec> {
  const out: Record<string, HttpApiAuthorizerSpec> = {};
  for (const [name, def] of Object.entries(r.map(path, v, 'a map of authorizer names to settings'))) {
    const apath = [...path, name];
    const a = r.map(apath, def, 'authorizer settings (type, identitySource, issuerUrl, audience / functionName)');
    const type = r.string([...apath, 'type'], a.type) ?? 'jwt';
    if (type === 'jwt') {
      out[name] = {
        type: 'jwt',
        name,
        identitySource: r.string([...apath, 'identitySource'], a.identitySource) ?? DEFAULT_JWT_IDENTITY_SOURCE,
        issuerUrl: r.requiredString([...apath, 'issuerUrl'], a.issuerUrl, 'the issuer URL of the JWT authorizer'),
        audience: a.audience === undefined || a.audience === null ? [] : stringList(r, [...apath, 'audience'], a.audience),
      };
    } else if (type === 'request') {
      let functionName = r.string([...apath, 'functionName'], a.functionName);
      const fromArn = functionName === undefined;
      if (functionName === undefined) {
        const arn = r.string([...apath, 'functionArn'], a.functionArn);
        if (arn === undefined) throw r.fail([...apath, 'functionName'], 'functionName (a function of this service) or functionArn', undefined);
        functionName = arn.slice(arn.lastIndexOf(':') + 1);
      }
      out[name] = {
        type: 'request',
        name,
        functionName,
        identitySource: a.identitySource === undefined || a.identitySource === null ? [] : stringList(r, [...apath, 'identitySource'], a.identitySource),
        enableSimpleResponses: r.bool([...apath, 'enableSimpleResponses'], a.enableSimpleResponses, false),
        payloadVersion: a.payloadVersion === undefined || a.payloadVersion === null ? '2.0' : readPayload(r, [...apath, 'payloadVersion'], a.payloadVersion),
        resultTtlInSeconds: r.int([...apath, 'resultTtlInSeconds'], a.resultTtlInSeconds, 0, 3600, 'a number of seconds (0-3600)') ?? 0,
      };
      if (fromArn) authorizersByArn.add(name);
    } else {
      throw r.fail([...apath, 'type'], 'jwt or request', a.type);
    }
  }
  return out;
}

type Resources = { resources: ResourceSpec[]; outputs: Record<string, unknown>; conditions: Record<string, unknown>; mappings: Record<string, unknown> };

/** `resources:` as a map, or a list of fragments (often `${file(...)}` each) merged in order. */
function readResources(r: Reader, v: unknown): Resources {
  const out: Resources = { resources: [], outputs: {}, conditions: {}, mappings: {} };
  const byId = new Map<string, ResourceSpec>();
  const fragments: [KeyPath, unknown][] = Array.isArray(v) ? v.map((f, i) => [['resources', i], f]) : [[['resources'], v]];
  for (const [path, frag] of fragments) {
    const f = r.map(path, frag, 'a map with Resources (and Outputs, Conditions)');
    for (const [id, def] of Object.entries(r.map([...path, 'Resources'], f.Resources, 'a map of logical ids to resources'))) {
      const rpath = [...path, 'Resources', id];
      const d = r.map(rpath, def, 'a resource with Type and Properties');
      const type = r.requiredString([...rpath, 'Type'], d.Type, 'a resource type such as AWS::SQS::Queue');
      const properties = r.map([...rpath, 'Properties'], d.Properties, 'a map of resource properties');
      byId.set(id, { logicalId: id, type, properties });
    }
    Object.assign(out.outputs, r.map([...path, 'Outputs'], f.Outputs));
    Object.assign(out.conditions, r.map([...path, 'Conditions'], f.Conditions));
    Object.assign(out.mappings, r.map([...path, 'Mappings'], f.Mappings));
  }
  out.resources = [...byId.values()];
  return out;
}
