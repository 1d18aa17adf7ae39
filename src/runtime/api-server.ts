// The Lambda Runtime API (2018-06-01) that custom runtimes (`bootstrap` executables) and the
// Python bootstrap call, over real loopback HTTP (aws-compat §2). The paths must be exactly
// /2018-06-01/runtime/..., so instances are told apart by port: each session listens on its own
// 127.0.0.1 port, and AWS_LAMBDA_RUNTIME_API is that `host:port` (no scheme).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InvocationEvent } from '../pool/types.ts';
import type { Logger } from '../shared/log.ts';

/** The largest buffered response the Runtime API accepts: 6 MiB + 100 bytes. */
export const MAX_RESPONSE_BYTES = 6_291_556;
/** Error bodies are passed through to the caller; the same bound keeps a runaway runtime in check. */
const MAX_ERROR_BYTES = MAX_RESPONSE_BYTES;

const PREFIX = '/2018-06-01/runtime/';
const INVOCATION = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

/** What the runtime answered for one event. */
export type ApiAnswer =
  | { kind: 'response'; payload: Buffer }
  | { kind: 'error'; payload: Buffer; errorType: string }
  | { kind: 'too-large'; size: number };

/** How init ended from the Runtime API's point of view: first `next`, or `init/error`. */
export type ApiInitResult = { ok: true } | { ok: false; errorType: string; payload: Buffer };

type Pending = { event: InvocationEvent; deadlineAt: number; answered: boolean; resolve: (a: ApiAnswer) => void };

/** One instance's view of the Runtime API. */
export class RuntimeApiSession {
  /** `127.0.0.1:<port>`, the value of AWS_LAMBDA_RUNTIME_API. */
  address = '';
  readonly ready: Promise<ApiInitResult>;
  readonly #server: Server;
  readonly #log: Logger;
  #initDone = false;
  #settleReady!: (r: ApiInitResult) => void;
  /** A `next` request waiting for an event. */
  #waiting: ServerResponse | undefined;
  /** The event handed out (or queued), until the runtime answers it. */
  #current: Pending | undefined;
  #delivered = false;

  constructor(log: Logger) {
    this.#log = log;
    this.ready = new Promise((resolve) => { this.#settleReady = resolve; });
    this.#server = createServer((req, res) => this.#route(req, res));
    // `next` long-polls without limit, and a kept-alive connection may idle for a whole invocation.
    this.#server.requestTimeout = 0;
    this.#server.keepAliveTimeout = 0;
    this.#server.headersTimeout = 0;
  }

  async listen(host = '127.0.0.1'): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const addr = this.#server.address() as AddressInfo;
    this.address = `${host}:${addr.port}`;
  }

  /** Hands one event to the runtime (now, or at its next `next`); settles with its answer. */
  invoke(event: InvocationEvent, deadlineAt: number): Promise<ApiAnswer> {
    return new Promise((resolve) => {
      this.#current = { event, deadlineAt, answered: false, resolve };
      this.#delivered = false;
      const waiting = this.#waiting;
      if (waiting !== undefined) {
        this.#waiting = undefined;
        this.#deliver(waiting);
      }
    });
  }

  async close(): Promise<void> {
    this.#waiting?.destroy();
    this.#waiting = undefined;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    if (url === `${PREFIX}invocation/next`) {
      if (req.method !== 'GET') return methodNotAllowed(req, res);
      return this.#next(res);
    }
    if (url === `${PREFIX}init/error`) {
      if (req.method !== 'POST') return methodNotAllowed(req, res);
      return void this.#initError(req, res);
    }
    const m = INVOCATION.exec(url);
    if (m !== null) {
      if (req.method !== 'POST') return methodNotAllowed(req, res);
      return void this.#answer(req, res, decodeURIComponent(m[1]!), m[2] as 'response' | 'error');
    }
    req.resume();
    sendJson(res, 404, { errorMessage: `No Runtime API route for ${req.method} ${url}`, errorType: 'NotFound' });
  }

  #next(res: ServerResponse): void {
    if (!this.#initDone) {
      this.#initDone = true;
      this.#settleReady({ ok: true });
    }
    const current = this.#current;
    if (current !== undefined && !this.#delivered) return this.#deliver(res);
    this.#waiting?.destroy();
    this.#waiting = res;
  }

  #deliver(res: ServerResponse): void {
    const { event, deadlineAt } = this.#current!;
    this.#delivered = true;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': event.payload.length,
      'Lambda-Runtime-Aws-Request-Id': event.requestId,
      'Lambda-Runtime-Deadline-Ms': deadlineAt,
      'Lambda-Runtime-Invoked-Function-Arn': event.invokedFunctionArn,
    };
    if (event.traceId !== undefined) headers['Lambda-Runtime-Trace-Id'] = event.traceId;
    if (event.clientContext !== undefined) {
      headers['Lambda-Runtime-Client-Context'] = Buffer.from(event.clientContext, 'base64').toString('utf8');
    }
    if (event.cognitoIdentity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = event.cognitoIdentity;
    res.writeHead(200, headers);
    res.end(event.payload);
  }

  async #initError(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, MAX_ERROR_BYTES);
    if (this.#initDone) {
      return sendJson(res, 403, { errorMessage: 'Init error reported after the runtime was initialised', errorType: 'InvalidStateTransition' });
    }
    this.#initDone = true;
    sendJson(res, 202, { status: 'OK' });
    this.#settleReady({ ok: false, errorType: errorTypeOf(req, body.bytes, 'Runtime.Unknown'), payload: body.bytes });
  }

  async #answer(req: IncomingMessage, res: ServerResponse, id: string, kind: 'response' | 'error'): Promise<void> {
    const current = this.#current;
    if (current === undefined || current.event.requestId !== id || !this.#delivered || current.answered) {
      req.resume();
      return sendJson(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    }
    const body = await readBody(req, kind === 'response' ? MAX_RESPONSE_BYTES : MAX_ERROR_BYTES);
    if (current.answered || this.#current !== current) {
      return sendJson(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    }
    current.answered = true;
    this.#current = undefined;
    if (body.size > (kind === 'response' ? MAX_RESPONSE_BYTES : MAX_ERROR_BYTES)) {
      sendJson(res, 413, { errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, errorType: 'RequestEntityTooLarge' });
      return settleSoon(current, { kind: 'too-large', size: body.size });
    }
    sendJson(res, 202, { status: 'OK' });
    if (kind === 'response') settleSoon(current, { kind: 'response', payload: body.bytes });
    else settleSoon(current, { kind: 'error', payload: body.bytes, errorType: errorTypeOf(req, body.bytes, 'Runtime.Unknown') });
    this.#log.debug(`runtime api ${this.address}: ${kind} for ${id}`);
  }
}

/**
 * The runtime printed its output before it posted the answer, but stdout and this socket are
 * separate pipes: settling after the current poll phase lets output already written be read first.
 */
function settleSoon(p: Pending, answer: ApiAnswer): void {
  setImmediate(() => p.resolve(answer));
}

/** The error's type: the body's errorType (what callers see), else the Lambda-Runtime-Function-Error-Type header. */
function errorTypeOf(req: IncomingMessage, body: Buffer, fallback: string): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errorType?: unknown };
    if (typeof parsed?.errorType === 'string' && parsed.errorType !== '') return parsed.errorType;
  } catch { /* not JSON: the body is still passed through */ }
  const header = req.headers['lambda-runtime-function-error-type'];
  if (typeof header === 'string' && header !== '') return header;
  return fallback;
}

/** Reads a body, keeping at most `limit` bytes but counting all of them. */
function readBody(req: IncomingMessage, limit: number): Promise<{ bytes: Buffer; size: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve({ bytes: size <= limit ? Buffer.concat(chunks, size) : Buffer.alloc(0), size }));
    req.on('error', () => resolve({ bytes: Buffer.concat(chunks), size }));
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function methodNotAllowed(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  sendJson(res, 405, { errorMessage: `Method ${req.method} not allowed on ${req.url}`, errorType: 'MethodNotAllowed' });
}

/** The Runtime API of one Gannet host: opens a session (its own port) per instance. */
export interface RuntimeApi {
  openSession(): Promise<RuntimeApiSession>;
  close(): Promise<void>;
}

export function startRuntimeApi(opts: { log: Logger; host?: string }): RuntimeApi {
  const sessions = new Set<RuntimeApiSession>();
  return {
    async openSession() {
      const session = new RuntimeApiSession(opts.log);
      await session.listen(opts.host ?? '127.0.0.1');
      sessions.add(session);
      const close = session.close.bind(session);
      session.close = async () => {
        sessions.delete(session);
        await close();
      };
      return session;
    },
    async close() {
      await Promise.all([...sessions].map((s) => s.close()));
    },
  };
}
