// Writing responses, and the integration call with API Gateway's timeout. One place sets the
// headers API Gateway adds to everything it sends.
import type { ServerResponse } from 'node:http';
import type { InvokeResult, Trigger } from '../invoke/types.ts';
import type { GatewayError } from './errors.ts';
import type { Reply } from './response.ts';
import { systemClock } from '../shared/clock.ts';
import type { GatewayState } from './types.ts';

// Framing is Node's job: the function's own values for these would conflict with the real body.
function framing(lowerName: string): boolean {
  return lowerName === 'content-length' || lowerName === 'transfer-encoding' || lowerName === 'connection';
}

/** Sends a reply plus gateway headers (flat [name, value...]); a body is never sent for HEAD. */
export function send(res: ServerResponse, reply: Reply, gatewayHeaders: string[], extra?: string[]): void {
  if (res.headersSent || res.destroyed) return;
  const flat: string[] = [];
  const h = reply.headers;
  for (let i = 0; i < h.length; i += 2) if (!framing(h[i]!.toLowerCase())) flat.push(h[i]!, h[i + 1]!);
  if (extra) for (let i = 0; i < extra.length; i++) flat.push(extra[i]!);
  for (let i = 0; i < gatewayHeaders.length; i++) flat.push(gatewayHeaders[i]!);
  flat.push('Content-Length', String(typeof reply.body === 'string' ? Buffer.byteLength(reply.body) : reply.body.length));
  res.writeHead(reply.status, flat);
  res.end(reply.body);
}

export function errorReply(err: GatewayError, headers?: string[]): Reply {
  const h = ['Content-Type', 'application/json'];
  if (err.errorType) h.push('x-amzn-ErrorType', err.errorType);
  if (headers) h.push(...headers);
  return { status: err.status, headers: h, body: err.body };
}

/** Sends a gateway error and closes the connection (used when the request body was left unread). */
export function sendAndClose(res: ServerResponse, reply: Reply, gatewayHeaders: string[]): void {
  res.shouldKeepAlive = false;
  send(res, reply, gatewayHeaders, ['Connection', 'close']);
}

export type IntegrationOutcome = { kind: 'result'; result: InvokeResult } | { kind: 'timeout' } | { kind: 'failed'; error: Error };

const TIMED_OUT: IntegrationOutcome = Object.freeze({ kind: 'timeout' });

/**
 * Invokes the function synchronously and gives up after the integration timeout. Like API Gateway,
 * giving up does not stop the function: it runs on to its own timeout.
 */
export function integrate(g: GatewayState, functionName: string, event: unknown, trigger: Trigger): Promise<IntegrationOutcome> {
  const payload = Buffer.from(JSON.stringify(event));
  let invocation: Promise<InvokeResult>;
  try { invocation = g.invoker.invoke(functionName, payload, { mode: 'sync', trigger }); } catch (err) {
    return Promise.resolve({ kind: 'failed', error: err as Error });
  }
  if (g.clock === systemClock) {
    // The hot path: one plain timer per request. An AbortController, its event listener and a
    // Promise.race cost more than the rest of the integration bookkeeping together.
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, g.timeoutMs, TIMED_OUT);
      invocation.then(
        (result) => { clearTimeout(timer); resolve({ kind: 'result', result }); },
        (error: Error) => { clearTimeout(timer); resolve({ kind: 'failed', error }); },
      );
    });
  }
  return integrateWithClock(g, invocation);
}

// Aborting with our own reason: a reason-less abort() builds a DOMException (with a stack).
const ANSWERED = Object.freeze({ name: 'Answered', message: 'the integration answered before the timeout' });

async function integrateWithClock(g: GatewayState, invocation: Promise<InvokeResult>): Promise<IntegrationOutcome> {
  const timer = new AbortController();
  const answered: Promise<IntegrationOutcome> = invocation
    .then((result) => ({ kind: 'result' as const, result }), (error: Error) => ({ kind: 'failed' as const, error }));
  const timeout: Promise<IntegrationOutcome> = g.clock.sleep(g.timeoutMs, timer.signal).then(() => TIMED_OUT, () => TIMED_OUT);
  try {
    return await Promise.race([answered, timeout]);
  } finally {
    timer.abort(ANSWERED);
  }
}
