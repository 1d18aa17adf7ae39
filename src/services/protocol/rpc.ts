// One request of an RPC-style AWS service (SQS, SNS) from bytes to bytes: read the body, pick the
// protocol the client spoke (JSON 1.0 by X-Amz-Target, else query), decode, call the provider's
// operation, and answer in the same protocol. Providers only ever see (operation, input, context).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../shared/log.ts';
import type { CallerIdentity } from '../types.ts';
import type { OperationShapes } from './shapes.ts';
import { ServiceError, toServiceError } from './service-error.ts';
import { decodeJsonInput, encodeJsonError, encodeJsonResult, JSON_CONTENT_TYPE, jsonOperation } from './json.ts';
import { decodeQueryInput, encodeQueryError, encodeQueryResult, parseForm } from './query.ts';

/** Form encoding can triple a 1 MiB message; anything larger than this is not a valid request. */
export const MAX_RPC_BODY_BYTES = 16 * 1024 * 1024;

export type RpcService = {
  jsonTargetPrefix: string;      // 'AmazonSQS'
  jsonNamespace: string;         // 'com.amazonaws.sqs'
  queryVersion: string;          // '2012-11-05'
  xmlNamespace: string;          // 'http://queue.amazonaws.com/doc/2012-11-05/'
  /** SQS's query errors carry an empty `<Detail/>`; SNS's do not. */
  queryErrorDetail: boolean;
  shapes: Record<string, OperationShapes>;
};

export type RpcContext = {
  protocol: 'json' | 'query';
  operation: string;
  requestId: string;
  /** `http://<Host the client used>`, for URLs handed back to the client (SQS queue URLs). */
  origin: string;
  /** The request path: some old SQS clients post to the queue URL's path instead of `/`. */
  path: string;
  region: string;
  /** Aborted when the client goes away (ends long polls early). */
  signal: AbortSignal;
};

export type RpcHandler = (operation: string, input: Record<string, unknown>, ctx: RpcContext) => Promise<unknown>;

export async function serveRpc(req: IncomingMessage, res: ServerResponse, caller: CallerIdentity,
  service: RpcService, handler: RpcHandler, log: Logger): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const target = header(req, 'x-amz-target');
  const ctx: RpcContext = {
    protocol: target !== undefined ? 'json' : 'query',
    operation: '',
    requestId: randomUUID(),
    origin: requestOrigin(req),
    path: url.pathname,
    region: caller.region,
    signal: clientGone(res),
  };
  try {
    const body = await readBody(req);
    let input: Record<string, unknown>;
    if (ctx.protocol === 'json') {
      const op = jsonOperation(target, service.jsonTargetPrefix);
      if (op === undefined) throw invalidAction(`X-Amz-Target '${target}' names no operation of this service`);
      ctx.operation = op;
      const decoded = decodeJsonInput(body);
      if (!decoded) throw new ServiceError('GANNET_AWS_SERIALIZATION', 'SerializationException',
        `The body of ${op} is not a JSON object; send the operation's input as JSON`);
      input = decoded;
    } else {
      const params = parseForm(body, url.search.slice(1));
      const action = params.get('Action');
      if (!action) throw new ServiceError('GANNET_AWS_MISSING_ACTION', 'MissingAction',
        'The request names no Action; send Action=<Operation> form-encoded', { queryCode: 'MissingAction' });
      ctx.operation = action;
      const shapes = service.shapes[action];
      if (!shapes) throw invalidAction(`The action ${action} is not valid for this endpoint`);
      input = decodeQueryInput(params, shapes.input);
    }
    const result = await handler(ctx.operation, input, ctx);
    writeResult(res, service, ctx, result);
  } catch (err) {
    const answer = toServiceError(err);
    if (answer !== err) {
      log.error(`AWS ${service.jsonTargetPrefix} ${ctx.operation || 'request'} failed (request ${ctx.requestId}): ${(err as Error)?.stack ?? err}`);
    }
    writeError(res, service, ctx, answer);
  }
}

/** The error for operations a service does not implement (yet), in one place. */
export function notImplemented(operation: string): ServiceError {
  return new ServiceError('GANNET_AWS_NOT_IMPLEMENTED', 'InvalidAction',
    `Gannet does not implement ${operation}; see the README's feature table for what is supported`);
}

function invalidAction(message: string): ServiceError {
  return new ServiceError('GANNET_AWS_INVALID_ACTION', 'InvalidAction', message);
}

function writeResult(res: ServerResponse, service: RpcService, ctx: RpcContext, result: unknown): void {
  if (ctx.protocol === 'json') {
    send(res, 200, JSON_CONTENT_TYPE, encodeJsonResult(result), ctx.requestId);
  } else {
    const xml = encodeQueryResult(ctx.operation, service.xmlNamespace, ctx.requestId, result, service.shapes[ctx.operation]?.output);
    send(res, 200, 'text/xml', xml, ctx.requestId);
  }
}

function writeError(res: ServerResponse, service: RpcService, ctx: RpcContext, err: ServiceError): void {
  if (res.headersSent) { res.destroy(); return; }
  if (ctx.protocol === 'json') {
    const { body, headers } = encodeJsonError(err, service.jsonNamespace);
    send(res, err.status, JSON_CONTENT_TYPE, body, ctx.requestId, headers);
  } else {
    send(res, err.status, 'text/xml', encodeQueryError(err, service.xmlNamespace, ctx.requestId, service.queryErrorDetail), ctx.requestId);
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string, requestId: string,
  extra: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': bytes.length,
    'x-amzn-requestid': requestId,
    ...extra,
  });
  res.end(bytes);
}

/** Reads the whole body; past the limit it keeps draining (so the error can still be answered). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_RPC_BODY_BYTES) chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => {
      if (size > MAX_RPC_BODY_BYTES) {
        reject(new ServiceError('GANNET_AWS_REQUEST_TOO_LARGE', 'RequestEntityTooLarge',
          `The request body is ${size} bytes, over the ${MAX_RPC_BODY_BYTES}-byte limit; send smaller messages or batches`, { status: 413 }));
      } else {
        resolve(Buffer.concat(chunks).toString('utf8'));
      }
    });
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function requestOrigin(req: IncomingMessage): string {
  const host = header(req, 'host') ?? 'localhost';
  const forwarded = header(req, 'x-forwarded-proto');
  const tls = (req.socket as { encrypted?: boolean }).encrypted === true;
  const proto = forwarded?.split(',')[0]?.trim() || (tls ? 'https' : 'http');
  return `${proto}://${host}`;
}

function clientGone(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => { if (!res.writableFinished) controller.abort(new Error('client disconnected')); });
  return controller.signal;
}
