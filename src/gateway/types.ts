// Shapes of the gateway: its options and public handle, and the compiled route table it swaps on update.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsSpec, HttpEvent, ServiceSpec } from '../config/types.ts';
import type { Invoker } from '../invoke/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import type { RouteTarget, Router } from './router.ts';
import type { AuthorizerCache } from './auth/cache.ts';

export type FetchLike = (url: string | URL, init?: { signal?: AbortSignal; headers?: Record<string, string> }) => Promise<Response>;

export type GatewayOptions = {
  spec: ServiceSpec;
  invoker: Invoker;
  log: Logger;
  clock?: Clock;
  /** REST routes live under /<stage>/ (default true); false is `--no-stage-prefix`. */
  stagePrefix?: boolean;
  /** Integration timeout; REST answers 504 and HTTP API 503 when it passes (default 29000). */
  integrationTimeoutMs?: number;
  /** fetch used for OpenID discovery and JWKS downloads by JWT authorizers (default: global fetch). */
  jwksFetch?: FetchLike;
};

export type RouteInfo = { method: string; path: string; functionKey: string; kind: 'rest' | 'httpApi' };

export type Gateway = {
  /** An http request listener: `http.createServer(gateway.handler)`. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Swaps the route table atomically; requests in flight finish on the table they started with. */
  update(spec: ServiceSpec): void;
  routes(): RouteInfo[];
};

/** Where an authorizer reads one identity value. */
export type IdentitySource =
  | { in: 'header'; name: string }      // lower-cased name
  | { in: 'query'; name: string }
  | { in: 'context' | 'stageVariables'; name: string };

export type RestAuthorizer = {
  name: string;
  type: 'token' | 'request';
  functionName: string | null;   // null: the named function does not exist (500 at request time)
  sources: IdentitySource[];
  validation: RegExp | null;
  ttlMs: number;
  cache: AuthorizerCache<AuthorizerResult>;
};

export type HttpApiAuthorizer =
  | { kind: 'jwt'; name: string; source: IdentitySource; issuer: string; audience: string[] }
  | { kind: 'lambda'; name: string; functionName: string | null; sources: IdentitySource[]; simple: boolean;
      payload: '1.0' | '2.0'; ttlMs: number; cache: AuthorizerCache<AuthorizerResult> }
  | { kind: 'missing'; name: string };

/** A Lambda authorizer's parsed answer, as cached. */
export type AuthorizerResult = {
  principalId?: string;
  policy?: PolicyStatement[];          // IAM-policy answers
  isAuthorized?: boolean;              // simple answers (HTTP API)
  context: Record<string, unknown>;
};

/** A policy statement with its Action and Resource patterns compiled to anchored regexps. */
export type PolicyStatement = { effect: 'Allow' | 'Deny'; actions: RegExp[]; resources: RegExp[] };

export type RestCors = { origins: string[]; headers: string[]; methods: string[]; allowCredentials: boolean; maxAge?: number; cacheControl?: string };

export type RestRoute = RouteTarget & {
  kind: 'rest';
  resource: string;                  // '/users/{id}'
  resourceId: string;
  functionKey: string;
  functionName: string;
  integration: HttpEvent['integration'] | 'cors-preflight';
  async: boolean;
  required: { paths: string[]; querystrings: string[]; headers: string[] };
  authorizer: RestAuthorizer | null;
  cors: RestCors | null;
};

export type HttpApiRoute = RouteTarget & {
  kind: 'httpApi';
  routeKey: string;                  // 'GET /users/{id}' | '$default'
  resource: string;                  // '/users/{id}' | '$default'
  resourceId: string;
  functionKey: string;
  functionName: string;
  authorizer: HttpApiAuthorizer | null;
  scopes: string[] | null;
  payload: '1.0' | '2.0';
};

export type HttpApiCors = Omit<CorsSpec, 'methods'> & { methods: string[]; anyOrigin: boolean };

/** Everything a request needs, compiled once per spec; replaced whole on update. */
export type RouteTable = {
  spec: ServiceSpec;
  stage: string;
  stagePrefix: boolean;
  region: string;
  accountId: string;
  restApiId: string;
  httpApiId: string;
  /** Changes on every update, like a new API Gateway deployment. */
  deploymentId: string;
  rest: Router<RestRoute>;
  httpApi: Router<HttpApiRoute>;
  httpApiDefault: HttpApiRoute | null;
  httpApiCors: HttpApiCors | null;
  isBinary: (contentType: string | undefined) => boolean;
  list: RouteInfo[];
};

/** One request as it moves through the gateway: parsed once, read by every builder. */
export type Exchange = {
  table: RouteTable;
  req: import('./request.ts').ParsedRequest;
  requestId: string;
  /** REST's extendedRequestId (also the x-amz-apigw-id header). */
  extendedRequestId: string;
  body: Buffer;
  contentType: string | undefined;
  host: string;
  userAgent: string;
  params: Record<string, string> | null;
  traceId: string;
  requestTime: string;
};

/** The running gateway: the current table (swapped on update) and what every request uses. */
export type GatewayState = {
  table: RouteTable;
  invoker: Invoker;
  log: Logger;
  clock: Clock;
  timeoutMs: number;
  formatTime: (epochMs: number) => string;
  ids: import('./time.ts').IdSource;
  jwks: import('./auth/jwt.ts').JwksCache;
};
