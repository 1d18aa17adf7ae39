// Starts the S3 provider on a real HTTP server over a real temp store, with a sink that records
// notifications, and builds real SDK clients for it (path style and virtual-host style).
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import { openStore, type Store } from '../../../src/store/index.ts';
import { createS3Provider, type S3Provider } from '../../../src/services/s3/index.ts';
import type { S3Notification, ServiceEnv } from '../../../src/services/types.ts';
import { createAwsEndpoint } from '../../../src/services/index.ts';
import { systemClock, type Clock } from '../../../src/shared/clock.ts';
import type { Logger } from '../../../src/shared/log.ts';

export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export type S3Harness = {
  port: number;
  endpoint: string;
  dir: string;
  store: Store;
  provider: S3Provider;
  notifications: S3Notification[];
  logs: string[];
  /** Path-style client (forcePathStyle). */
  client(over?: Partial<S3ClientConfig>): S3Client;
  /** Virtual-host client: Host `<bucket>.localhost:<port>`, every name resolved to 127.0.0.1. */
  virtualHostClient(over?: Partial<S3ClientConfig>): S3Client;
  close(): Promise<void>;
};

/** `*.localhost` need not resolve on a test machine; this agent sends every connection to loopback. */
export const loopbackLookup: LookupFunction = ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
  if (opts?.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;

export function collectingLogger(lines: string[]): Logger {
  return {
    info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`), debug: (m) => lines.push(`debug: ${m}`),
  };
}

/** The provider's environment; S3 uses only store, notifications, clock, log, region and account. */
export function s3Env(store: Store, notifications: S3Notification[], log: Logger, clock: Clock = systemClock): ServiceEnv {
  const unused = (what: string) => () => { throw new Error(`S3 must not use ${what}`); };
  return {
    store, clock, log, region: REGION, accountId: '000000000000',
    notifications: { s3: async (n) => { notifications.push(n); } },
    invoker: { invoke: unused('the invoker') },
    functions: { find: unused('functions'), all: unused('functions'), arnOf: unused('functions') },
  };
}

export async function startS3(opts: { clock?: Clock; secretFor?: (accessKeyId: string) => string | undefined } = {}): Promise<S3Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-s3-'));
  const store = await openStore({ dir });
  const notifications: S3Notification[] = [];
  const logs: string[] = [];
  const log = collectingLogger(logs);
  const provider = createS3Provider(s3Env(store, notifications, log, opts.clock));
  // Through the real AWS endpoint: S3 is what unsigned requests and s3-signed ones reach.
  const server = http.createServer(createAwsEndpoint({
    providers: [provider], log, region: REGION, accountId: '000000000000', ...(opts.secretFor ? { secretFor: opts.secretFor } : {}),
  }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const clients: S3Client[] = [];
  const make = (cfg: S3ClientConfig) => {
    const c = new S3Client({ region: REGION, credentials: CREDENTIALS, ...cfg });
    clients.push(c);
    return c;
  };
  return {
    port, dir, store, provider, notifications, logs,
    endpoint: `http://127.0.0.1:${port}`,
    client: (over = {}) => make({ endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, ...over }),
    virtualHostClient: (over = {}) => make({
      endpoint: `http://localhost:${port}`, forcePathStyle: false,
      requestHandler: { httpAgent: new http.Agent({ lookup: loopbackLookup }) }, ...over,
    }),
    async close() {
      for (const c of clients) c.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: Buffer; text: string };

/** One HTTP request with full control of the headers (including Host), for wire-level checks. */
export function rawRequest(port: number, opts: { method?: string; path: string; headers?: Record<string, string | number>; body?: Buffer | string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The S3 error a call fails with; fails the test when it succeeds or fails otherwise. */
export async function s3Error(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (err) {
    if (err instanceof S3ServiceException) return err;
    throw err;
  }
  assert.fail('expected an S3 error');
}
