// Test peers for the gateway: a ServiceSpec builder, an invoker that runs plain JS functions in
// this process (the gateway is what is under test), and a real HTTP server on a free port.
import { createServer, request, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { EventSpec, FunctionSpec, HttpApiAuthorizerSpec, ServiceSpec, CorsSpec } from '../../src/config/types.ts';
import type { Invoker, InvokeOptions, InvokeResult } from '../../src/invoke/types.ts';
import type { Logger } from '../../src/shared/log.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway/index.ts';

export type Handler = (event: any) => unknown;

export function fn(key: string, events: EventSpec[]): FunctionSpec {
  return {
    key, name: `svc-dev-${key}`, handler: `handler.${key}`, runtime: 'nodejs20.x', memorySize: 1024, timeout: 6,
    environment: {}, maximumRetryAttempts: 2, maximumEventAge: 21600, destinations: {}, events,
    architecture: 'x86_64', codeDir: '/tmp',
  };
}

export function http(method: string, path: string, extra: Partial<Extract<EventSpec, { type: 'http' }>> = {}): EventSpec {
  return {
    type: 'http', method, path, integration: 'lambda-proxy', private: false, async: false,
    requiredParameters: { paths: [], querystrings: [], headers: [] }, ...extra,
  };
}

export function httpApi(method: string, path: string, authorizer?: { name: string; scopes?: string[] }): EventSpec {
  return authorizer ? { type: 'httpApi', method, path, authorizer } : { type: 'httpApi', method, path };
}

export function service(functions: FunctionSpec[], provider: {
  binaryMediaTypes?: string[]; httpApiCors?: CorsSpec; authorizers?: Record<string, HttpApiAuthorizerSpec>; payload?: '1.0' | '2.0';
} = {}): ServiceSpec {
  return {
    service: 'svc', stage: 'dev', region: 'us-east-1', accountId: '123456789012',
    provider: {
      name: 'aws', runtime: 'nodejs20.x', stage: 'dev', region: 'us-east-1', memorySize: 1024, timeout: 6, environment: {},
      httpApi: { authorizers: provider.authorizers ?? {}, payload: provider.payload ?? '2.0', ...(provider.httpApiCors && { cors: provider.httpApiCors }) },
      apiGateway: { binaryMediaTypes: provider.binaryMediaTypes ?? [] }, iamStatements: [],
    },
    functions: Object.fromEntries(functions.map((f) => [f.key, f])),
    resources: [], outputs: {}, custom: {}, dir: '/tmp', file: '/tmp/serverless.yml', warnings: [],
  };
}

/** Thrown by a test handler to make the invoker report that status instead of a function error. */
export class InvokeStatus extends Error {
  status: InvokeResult['status'];
  constructor(status: InvokeResult['status']) { super(status); this.status = status; }
}

export type Call = { functionName: string; event: any; opts: InvokeOptions };

/** Runs handlers by deployed function name; records every call. Errors become Lambda error payloads. */
export function inProcessInvoker(handlers: Record<string, Handler>): Invoker & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async invoke(functionName, payload, opts) {
      const event = JSON.parse(payload.toString('utf8'));
      calls.push({ functionName, event, opts });
      const handler = handlers[functionName];
      if (!handler) throw new Error(`no test handler for ${functionName}`);
      const base = { requestId: `req-${calls.length}`, executedVersion: '$LATEST' };
      try {
        const value = await handler(event);
        const body = value instanceof Buffer ? value : Buffer.from(JSON.stringify(value === undefined ? null : value));
        return { ...base, status: 'ok', payload: body };
      } catch (err) {
        if (err instanceof InvokeStatus) return { ...base, status: err.status, payload: Buffer.from('{}') };
        const e = err as Error;
        return {
          ...base, status: 'handled-error', functionError: 'Handled',
          payload: Buffer.from(JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: [] })),
        };
      }
    },
  };
}

export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`), debug: () => {} };
}

export type Started = { url: string; port: number; gateway: Gateway; server: Server; log: Logger & { lines: string[] } };

/** Starts the gateway on 127.0.0.1:<free port>; stopped when the test ends. */
export async function startGateway(t: TestContext, spec: ServiceSpec, invoker: Invoker, opts: Partial<GatewayOptions> = {}): Promise<Started> {
  const log = collectingLogger();
  const gateway = createGateway({ spec, invoker, log, ...opts });
  const server = createServer({ keepAliveTimeout: 5000 }, gateway.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, gateway, server, log };
}

/**
 * Asserts `actual` has exactly the keys of `fixture` (recursively) with values of the same JSON
 * type. Paths listed in `maps` are open maps (headers, claims): only their value types are compared.
 */
export function assertSameShape(actual: unknown, fixture: unknown, maps: string[] = [], path = '$'): void {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(actual) !== kind(fixture)) throw new Error(`${path}: expected ${kind(fixture)}, got ${kind(actual)} (${JSON.stringify(actual)})`);
  if (kind(fixture) !== 'object') return;
  const a = actual as Record<string, unknown>;
  const f = fixture as Record<string, unknown>;
  if (maps.includes(path)) {
    const sample = Object.values(f)[0];
    for (const k in a) if (sample !== undefined) assertSameShape(a[k], sample, maps, `${path}.${k}`);
    return;
  }
  for (const k in f) {
    if (!(k in a)) throw new Error(`${path}.${k}: missing (the AWS event has it)`);
    assertSameShape(a[k], f[k], maps, `${path}.${k}`);
  }
  for (const k in a) if (!(k in f)) throw new Error(`${path}.${k}: not in the AWS event`);
}

/** Sends raw headers (repeats and casing kept), returns status, headers and body. */
export function rawRequest(url: string, method: string, headers: [string, string][], body?: Buffer | string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    // A raw header array makes Node send exactly these headers, so Host is added here.
    const flat = [['Host', new URL(url).host], ...headers].flat();
    const req = request(url, { method, headers: flat as unknown as Record<string, string> }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}


export const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

/** A clock whose now() the test moves; sleeps are real timers. */
export function fakeClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let offset = 0;
  return {
    now: () => start + offset,
    advance: (ms) => { offset += ms; },
    sleep: (ms, signal) => new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
    }),
  };
}


/** A response body as JSON, typed loosely for assertions (Response.json() is Promise<unknown>). */
export const json = (r: Response): Promise<any> => r.json();
