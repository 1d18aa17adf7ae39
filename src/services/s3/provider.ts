// The S3 provider: one request through the chain address → expiry check → identify → operation →
// CORS → reply, with every failure answered as S3's XML error in one place.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoredObject } from '../../store/types.ts';
import type { AwsServiceProvider, CallerIdentity, ServiceEnv } from '../types.ts';
import { sendError, sendReply, toAwsXmlError, type RestXmlReply } from '../protocol/rest-xml.ts';
import { parseAmzDate, parseAuthorization } from '../sigv4.ts';
import { parseS3Address, virtualHostBases } from './addressing.ts';
import type { ObjectEventName, S3Call, S3Context } from './call.ts';
import { header } from './call.ts';
import { validateBucketName, requireBucket } from './buckets.ts';
import { CORS_CONFIG_KEY, corsHeaders, parseCorsConfig, preflight } from './cors.ts';
import { invalidArgument, requestExpired } from './errors.ts';
import { identifyOperation, S3_OPERATIONS } from './operations.ts';

export type S3ProviderOptions = {
  /** Extra host names under which `<bucket>.<host>` is virtual-host addressing (e.g. 's3.example.com'). */
  virtualHostBases?: string[];
};

export type S3Provider = AwsServiceProvider & {
  /** Creates the bucket if missing (buckets from `resources:` and `s3` events); validates the name. */
  ensureBucket(name: string): Promise<void>;
};

/** Sequencers are hex and increase per key: epoch ms shifted left 20 bits plus a counter. */
function sequencerSource(now: () => number): () => string {
  let last = 0n;
  return () => {
    const candidate = BigInt(now()) << 20n;
    last = candidate > last ? candidate : last + 1n;
    return last.toString(16).toUpperCase().padStart(18, '0');
  };
}

export function createS3Provider(env: ServiceEnv, opts: S3ProviderOptions = {}): S3Provider {
  const bases = virtualHostBases(opts.virtualHostBases);
  const nextSequencer = sequencerSource(() => env.clock.now());

  async function notify(call: S3Call, eventName: ObjectEventName, bucket: string, key: string, object?: StoredObject): Promise<void> {
    try {
      await env.notifications.s3({
        eventName, bucket, key, sequencer: nextSequencer(), sourceIp: call.sourceIp, requestId: call.requestId, hostId: call.hostId,
        time: env.clock.now(),
        ...(object ? { size: object.size, etag: object.etag.replace(/^"|"$/g, '') } : {}),
      });
    } catch (err) {
      env.log.error(`S3 notification ${eventName} for s3://${bucket}/${key} failed: ${(err as Error).message}`);
    }
  }

  const ctx: S3Context = { env, objects: env.store.objects, notify };

  async function dispatch(call: S3Call): Promise<RestXmlReply> {
    if (call.method === 'OPTIONS') {
      if (call.bucket === undefined) throw invalidArgument('CORS preflight needs a bucket', 'bucket', '');
      const info = await requireBucket(ctx, call.bucket);
      return preflight(parseCorsConfig(info.config[CORS_CONFIG_KEY]), header(call, 'origin'),
        header(call, 'access-control-request-method'), header(call, 'access-control-request-headers'));
    }
    const versionId = call.query.get('versionId');
    if (versionId !== null && versionId !== 'null') throw invalidArgument('Invalid version id specified', 'versionId', versionId);
    const reply = await S3_OPERATIONS[identifyOperation(call)](ctx, call);
    const origin = header(call, 'origin');
    if (origin !== undefined && call.bucket !== undefined) {
      const info = await ctx.objects.getBucket(call.bucket);
      reply.headers = { ...reply.headers, ...corsHeaders(parseCorsConfig(info?.config[CORS_CONFIG_KEY]), origin, call.method) };
    }
    return reply;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, caller: CallerIdentity): Promise<void> {
    const ids = { requestId: randomBytes(8).toString('hex').toUpperCase(), hostId: randomBytes(48).toString('base64') };
    const head = req.method === 'HEAD';
    try {
      const address = parseS3Address(req.url ?? '/', req.headers.host, bases);
      const call: S3Call = {
        method: req.method ?? 'GET', query: address.query, headers: req.headers, body: req, caller,
        requestId: ids.requestId, hostId: ids.hostId, sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        ...(address.bucket !== undefined ? { bucket: address.bucket } : {}),
        ...(address.key !== undefined ? { key: address.key } : {}),
      };
      if (caller.presigned) checkPresignedExpiry(req, env.clock.now());
      await sendReply(res, await dispatch(call), ids, head);
    } catch (err) {
      const e = toAwsXmlError(err);
      const path = (req.url ?? '/').split('?')[0]; // query strings of presigned URLs carry signatures
      if (!req.socket || req.socket.destroyed || res.destroyed) {
        // The client went away mid-transfer (aborted upload or download): nothing to answer, nothing wrong here.
        env.log.debug(`S3 ${req.method} ${path}: connection closed by the client (${(err as Error).message})`);
      } else if ((e.status ?? 500) >= 500) {
        env.log.error(`S3 ${req.method} ${path}: ${e.message}${e.cause instanceof Error ? ` (${e.cause.stack})` : ''}`);
      } else {
        env.log.debug(`S3 ${req.method} ${path}: ${e.awsCode} ${e.message}`);
      }
      sendError(res, e, ids, head);
    }
  }

  async function ensureBucket(name: string): Promise<void> {
    validateBucketName(name);
    await env.store.objects.createBucket(name, env.region);
  }

  return { name: 's3', handle, ensureBucket };
}

/** Presigned URLs stop working X-Amz-Expires seconds after X-Amz-Date, with S3's AccessDenied. */
function checkPresignedExpiry(req: IncomingMessage, now: number): void {
  const auth = parseAuthorization(req);
  if (!auth?.presigned) return;
  const signedAt = parseAmzDate(auth.date);
  if (signedAt === undefined || auth.expiresSeconds === undefined) return;
  const expiresAt = signedAt + auth.expiresSeconds * 1000;
  if (now > expiresAt) {
    throw requestExpired(new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'), String(auth.expiresSeconds));
  }
}
