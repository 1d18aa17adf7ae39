// Gannet's AWS-compatible endpoint: every AWS API on one port (default 4566), as one ordered chain
// of small steps — health → identify the service → CORS → authenticate (server only) → find its
// provider → caller identity (region) → dispatch — with one debug line per request and every
// failure answered, never thrown.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GannetError } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import type { AwsServiceProvider, CallerIdentity } from './types.ts';
import { identifyService, type Identification } from './identify.ts';
import { addCorsHeaders, answerPreflight, isEndpointPreflight } from './cors.ts';
import { writeFailure } from './failure.ts';
import { authenticate, type SecretLookup } from './authenticate.ts';

export type AwsEndpointOptions = {
  providers: AwsServiceProvider[];
  log: Logger;
  /** Region for requests that name none (unsigned, no region in the Host). */
  region: string;
  accountId: string;
  /**
   * When set, every request must carry a SigV4 signature made with the secret this returns for its
   * access key id (`gannet server`). Unset, any credentials are accepted (`gannet dev`).
   */
  secretFor?: SecretLookup;
  /** Clock for signature expiry; default Date.now. */
  now?: () => number;
};

export const HEALTH_PATH = '/_gannet/health';

type EndpointContext = {
  providers: Map<string, AwsServiceProvider>;
  log: Logger;
  region: string;
  accountId: string;
  secretFor: SecretLookup | undefined;
  now: () => number;
};

/** A request listener for `http.createServer`, mounted by the CLI on --aws-port. */
export function createAwsEndpoint(opts: AwsEndpointOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const ctx: EndpointContext = {
    providers: new Map(opts.providers.map((p) => [p.name, p])),
    log: opts.log,
    region: opts.region,
    accountId: opts.accountId,
    secretFor: opts.secretFor,
    now: opts.now ?? Date.now,
  };
  return (req, res) => {
    handleRequest(ctx, req, res).catch((err: unknown) => {
      // Only reached if answering the failure itself failed; never let it become an unhandled rejection.
      ctx.log.error(`AWS endpoint: could not answer ${req.method} ${pathOf(req)}: ${(err as Error)?.stack ?? err}`);
      res.destroy();
    });
  };
}

async function handleRequest(ctx: EndpointContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const startedAt = performance.now();
  let id: Identification | undefined;
  res.once('close', () => logRequest(ctx, req, res, id, startedAt));
  try {
    if (isHealthCheck(req)) return answerHealth(ctx, res);
    id = await identifyService(req);
    if (isEndpointPreflight(id.req, id.service)) return answerPreflight(id.req, res);
    if (id.service !== 's3') addCorsHeaders(id.req, res);
    let secret: string | undefined;
    if (ctx.secretFor !== undefined) {
      const auth = await authenticate(id, ctx.secretFor, ctx.now());
      if (!auth.ok) return writeFailure(id.req, res, id.service, { ...auth.failure, requestId: randomUUID() });
      id.req = auth.req;
      // S3 checks aws-chunked chunk signatures with it: the seed signature covers only the headers.
      if (id.auth) secret = ctx.secretFor(id.auth.accessKeyId);
    }
    const provider = ctx.providers.get(id.service);
    if (provider === undefined) return answerUnknownService(ctx, id, res);
    const caller = callerOf(ctx, id);
    if (secret !== undefined) caller.secretAccessKey = secret;
    await provider.handle(id.req, res, caller);
  } catch (err) {
    answerProviderFailure(ctx, req, res, id, err);
  }
}

function isHealthCheck(req: IncomingMessage): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && (req.url === HEALTH_PATH || req.url?.startsWith(HEALTH_PATH + '?') === true);
}

function answerHealth(ctx: EndpointContext, res: ServerResponse): void {
  const body = JSON.stringify({ status: 'ok', services: [...ctx.providers.keys()].sort(), region: ctx.region, accountId: ctx.accountId });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** The region a client signed for (or put in the Host, `sqs.eu-west-1.localhost`), else the default. */
export function callerOf(ctx: { region: string }, id: Identification): CallerIdentity {
  const caller: CallerIdentity = {
    service: id.service,
    region: id.auth?.region || regionFromHost(id.req.headers.host) || ctx.region,
    presigned: id.auth?.presigned ?? false,
  };
  if (id.auth?.accessKeyId) caller.accessKeyId = id.auth.accessKeyId;
  return caller;
}

const REGION_LABEL = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

function regionFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  return host.split(':')[0]!.split('.').find((label) => REGION_LABEL.test(label));
}

function answerUnknownService(ctx: EndpointContext, id: Identification, res: ServerResponse): void {
  const offered = [...ctx.providers.keys()].sort().join(', ') || 'none';
  const what = id.service === 'unknown'
    ? `the query action '${id.action}' belongs to no AWS service Gannet knows`
    : `Gannet does not provide the AWS service '${id.service}' (identified by ${describeVia(id)})`;
  writeFailure(id.req, res, id.service, {
    status: 501, code: 'NotImplemented', requestId: randomUUID(),
    message: `${what}. Services on this endpoint: ${offered}.`,
  });
}

function describeVia(id: Identification): string {
  switch (id.via) {
    case 'sigv4': return 'the SigV4 credential scope';
    case 'sigv2': return 'a Signature V2 Authorization header';
    case 'target': return 'the X-Amz-Target header';
    case 'path': return 'the request path';
    case 'action': return 'the query Action';
    case 'default': return 'no other marker, so S3';
  }
}

function answerProviderFailure(ctx: EndpointContext, req: IncomingMessage, res: ServerResponse, id: Identification | undefined, err: unknown): void {
  const service = id?.service ?? 'unknown';
  const requestId = randomUUID();
  const known = err instanceof GannetError && err.status !== undefined && err.awsCode !== undefined;
  if (res.destroyed || req.errored) {
    // The client went away mid-request: nothing to answer, nothing wrong with Gannet.
    ctx.log.debug(`aws ${service} ${req.method} ${pathOf(req)}: client disconnected (${(err as Error)?.message ?? err})`);
    return;
  }
  if (!known) {
    ctx.log.error(`AWS endpoint: the ${service} provider failed on ${req.method} ${pathOf(req)} (request ${requestId}): ${(err as Error)?.stack ?? err}`);
  }
  writeFailure(id?.req ?? req, res, service, {
    status: known ? err.status! : 500,
    code: known ? err.awsCode! : service === 's3' ? 'InternalError' : 'InternalFailure',
    message: known ? err.message : `Gannet failed while handling this ${service} request: ${(err as Error)?.message ?? err} (request ${requestId}; details in Gannet's log)`,
    requestId,
  });
}

function logRequest(ctx: EndpointContext, req: IncomingMessage, res: ServerResponse, id: Identification | undefined, startedAt: number): void {
  const ms = (performance.now() - startedAt).toFixed(1);
  const status = res.writableFinished ? String(res.statusCode) : 'aborted';
  ctx.log.debug(`aws ${id?.service ?? '-'} ${req.method} ${pathOf(req)} ${status} ${ms}ms${id ? ` (${id.via})` : ''}`);
}

// Query strings are left out of logs: presigned URLs carry credentials and signatures there.
function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
