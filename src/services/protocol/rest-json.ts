// The restJson1 protocol (Lambda): the operation is chosen by method + path template, its input
// members are bound to path labels, query params, headers, a raw payload or a JSON body, and the
// output goes back the same way. Errors are `x-amzn-ErrorType` + a JSON body. Providers see only
// (operation, input) and return an output object; they never read headers.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GannetError } from '../../shared/errors.ts';
import { ServiceError } from './service-error.ts';

/** Where an input member is read from. `payload` is the raw body (a Buffer); `body` a JSON member. */
export type InputBinding =
  | { in: 'path'; name: string } | { in: 'query'; name: string } | { in: 'header'; name: string }
  | { in: 'payload' } | { in: 'body' };

/** Where an output member goes; unbound members go into the JSON body. */
export type OutputBinding = { in: 'header'; name: string } | { in: 'status' } | { in: 'payload'; contentType: string };

export type RestOperation = {
  name: string;
  method: string;
  /** Path template, optionally with a required literal query: `/2018-10-31/layers?find=LayerVersion`. */
  path: string;
  /** Success status when no output member is bound to the status code. */
  status: number;
  input?: Record<string, InputBinding>;
  output?: Record<string, OutputBinding>;
  /** Largest body this operation accepts; larger bodies are drained and refused. */
  maxBodyBytes?: number;
};

export type RestJsonService = {
  operations: RestOperation[];
  /** The error for a body over `maxBodyBytes` (each service words its own). */
  bodyTooLarge(operation: string, limit: number, size: number): ServiceError;
  /** The error clients see when a handler fails unexpectedly (Lambda: ServiceException). */
  internalError(err: unknown): ServiceError;
};

export type RestJsonContext = { operation: string; requestId: string; region: string };

/** Returns the output object; members named in the operation's `output` bindings leave as headers/status/payload. */
export type RestJsonHandler = (operation: string, input: Record<string, unknown>, ctx: RestJsonContext) => Promise<Record<string, unknown>>;

/** Default for operations that name no limit: generous for JSON management calls. */
export const MAX_REST_JSON_BODY_BYTES = 16 * 1024 * 1024;

type CompiledRoute = { op: RestOperation; pattern: RegExp; labels: string[]; query?: [string, string] };

/** Compiles a service's operations once; the result is what `serveRestJson` matches against. */
export function compileRoutes(operations: RestOperation[]): CompiledRoute[] {
  const routes = operations.map((op): CompiledRoute => {
    const [path, literal] = op.path.split('?') as [string, string | undefined];
    const labels: string[] = [];
    const source = path.split('/').map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      labels.push(m[1]!);
      return '([^/]+)';
    }).join('/');
    const route: CompiledRoute = { op, pattern: new RegExp(`^${source}$`), labels };
    if (literal !== undefined) route.query = literal.split('=') as [string, string];
    return route;
  });
  // Routes with a required query literal are more specific than the same path without one.
  return routes.sort((a, b) => (b.query ? 1 : 0) - (a.query ? 1 : 0));
}

export type RouteMatch = { op: RestOperation; labels: Record<string, string> };

export function matchRoute(routes: CompiledRoute[], method: string, url: URL): RouteMatch | undefined {
  // Clients differ on a trailing slash (the CLI sends `/2015-03-31/functions/`, the SDK does not).
  const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  for (const route of routes) {
    if (route.op.method !== method) continue;
    if (route.query && url.searchParams.get(route.query[0]) !== route.query[1]) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    const labels: Record<string, string> = {};
    route.labels.forEach((name, i) => { labels[name] = safeDecode(m[i + 1]!); });
    return { op: route.op, labels };
  }
  return undefined;
}

export async function serveRestJson(req: IncomingMessage, res: ServerResponse, region: string,
  service: RestJsonService, routes: CompiledRoute[], handler: RestJsonHandler): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const ctx: RestJsonContext = { operation: '', requestId: randomUUID(), region };
  try {
    const match = matchRoute(routes, req.method ?? 'GET', url);
    if (!match) {
      await drain(req);
      throw new ServiceError('GANNET_AWS_UNKNOWN_OPERATION', 'UnknownOperationException',
        `No operation of this service matches ${req.method} ${url.pathname}`, { status: 404 });
    }
    ctx.operation = match.op.name;
    const input = await decodeInput(req, url, match, service);
    const output = await handler(ctx.operation, input, ctx);
    writeOutput(res, match.op, output, ctx.requestId);
  } catch (err) {
    writeRestJsonError(res, toRestJsonError(err, service), ctx.requestId);
  }
}

async function decodeInput(req: IncomingMessage, url: URL, match: RouteMatch, service: RestJsonService): Promise<Record<string, unknown>> {
  const { op } = match;
  const bindings = op.input ?? {};
  const limit = op.maxBodyBytes ?? MAX_REST_JSON_BODY_BYTES;
  const read = await readBody(req, limit);
  if (read.size > limit) throw service.bodyTooLarge(op.name, limit, read.size);
  const input: Record<string, unknown> = {};
  let json: Record<string, unknown> | undefined;
  for (const [member, b] of Object.entries(bindings)) {
    let value: unknown;
    switch (b.in) {
      case 'path': value = match.labels[b.name]; break;
      case 'query': value = url.searchParams.get(b.name) ?? undefined; break;
      case 'header': { const h = req.headers[b.name.toLowerCase()]; value = Array.isArray(h) ? h.join(',') : h; break; }
      case 'payload': value = read.body; break;
      case 'body': json ??= parseJsonBody(read.body); value = json[member]; break;
    }
    if (value !== undefined) input[member] = value;
  }
  return input;
}

function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch { /* reported below */ }
  throw new ServiceError('GANNET_AWS_SERIALIZATION', 'SerializationException', 'The request body is not a JSON object');
}

function writeOutput(res: ServerResponse, op: RestOperation, output: Record<string, unknown>, requestId: string): void {
  if (res.destroyed) return;
  const headers: Record<string, string | number> = { 'x-amzn-requestid': requestId };
  let status = op.status;
  let payload: Buffer | undefined;
  const rest: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(output)) {
    const b = op.output?.[member];
    if (value === undefined) continue;
    if (!b) rest[member] = value;
    else if (b.in === 'header') headers[b.name] = String(value);
    else if (b.in === 'status') status = Number(value);
    else { payload = value as Buffer; headers['content-type'] = b.contentType; }
  }
  const hasPayloadBinding = op.output !== undefined && Object.values(op.output).some((b) => b.in === 'payload');
  if (!hasPayloadBinding) {
    payload = Buffer.from(JSON.stringify(rest), 'utf8');
    headers['content-type'] = 'application/json';
  }
  if (status === 204 || status === 304) payload = undefined;
  headers['content-length'] = payload?.length ?? 0;
  res.writeHead(status, headers);
  res.end(payload);
}

/**
 * Extra wire details some services give some errors: more body fields (Lambda's throttle `Reason`),
 * headers (`Retry-After`), and the message member's casing where the model spells it `Message`.
 */
export type RestJsonError = ServiceError & { fields?: Record<string, string>; headers?: Record<string, string>; messageKey?: 'Message' | 'message' };

/** ServiceErrors pass through; a GannetError carrying an AWS code (e.g. from the invoker) keeps it. */
export function toRestJsonError(err: unknown, service: RestJsonService): RestJsonError {
  if (err instanceof ServiceError) return err;
  if (err instanceof GannetError && err.awsCode !== undefined && err.status !== undefined) {
    return new ServiceError(err.code, err.awsCode, err.message, { status: err.status, cause: err });
  }
  return service.internalError(err);
}

/**
 * The restJson1 error: status, `x-amzn-ErrorType: <Code>`, and a JSON body with `Type`
 * (`User` for the caller's faults, `Service` for ours) and `message` (or `Message`), plus any extra fields
 * (Lambda's throttle `Reason`). SDKs and the CLI read the code from the header.
 */
export function writeRestJsonError(res: ServerResponse, err: RestJsonError, requestId: string): void {
  if (res.headersSent) { res.destroy(); return; }
  if (res.destroyed) return;
  const body = Buffer.from(JSON.stringify({
    Type: err.fault === 'Sender' ? 'User' : 'Service',
    [err.messageKey ?? 'message']: err.message,
    ...err.fields,
  }), 'utf8');
  res.writeHead(err.status, {
    'content-type': 'application/json',
    'content-length': body.length,
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': err.awsCode,
    ...err.headers,
  });
  res.end(body);
}

export type BodyRead = { body: Buffer; size: number };

/**
 * Reads the body up to `limit` bytes. A larger body is still read to its end (and dropped) so the
 * client, which is usually still sending, receives the error response instead of a reset.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else if (chunks.length > 0) chunks.length = 0;
  }
  return { body: size <= limit ? Buffer.concat(chunks, size) : Buffer.alloc(0), size };
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req as AsyncIterable<Buffer>) { /* discard */ }
}

function safeDecode(value: string): string {
  try { return decodeURIComponent(value); } catch { return value; }
}
