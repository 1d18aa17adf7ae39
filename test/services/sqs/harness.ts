// Starts Gannet's AWS endpoint with the SQS and SNS providers over a real temp store, and builds real
// SDK clients for it: SQS over JSON (the SDK's default) or over query (the same SDK told to speak
// the query protocol, as CLI 2.9 and SDKs before 3.447 do), SNS over query.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { openStore, type Store } from '../../../src/store/index.ts';
import { createAwsEndpoint } from '../../../src/services/index.ts';
import { createSqsProvider, type SqsProvider } from '../../../src/services/sqs/index.ts';
import { createSnsProvider, type SnsProvider } from '../../../src/services/sns/index.ts';
import type { ServiceEnv } from '../../../src/services/types.ts';
import type { InvokeOptions } from '../../../src/invoke/types.ts';
import { systemClock, type Clock } from '../../../src/shared/clock.ts';
import type { Logger } from '../../../src/shared/log.ts';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const PROTOCOLS = ['json', 'query'] as const;
export type SqsProtocol = typeof PROTOCOLS[number];

export type RecordedInvocation = { functionName: string; payload: unknown; opts: InvokeOptions };

export type AwsHarness = {
  endpoint: string;
  dir: string;
  store: Store;
  sqsProvider: SqsProvider;
  snsProvider: SnsProvider;
  /** Async invocations handed to the invoker (SNS → Lambda deliveries). */
  invocations: RecordedInvocation[];
  logs: string[];
  /** Requests seen per wire protocol, so a test can tell which one a client really spoke. */
  seen: Record<SqsProtocol, number>;
  sqs(protocol: SqsProtocol): SQSClient;
  sns(): SNSClient;
  close(): Promise<void>;
};

export function collectingLogger(lines: string[]): Logger {
  return {
    info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`), debug: () => {},
  };
}

const FUNCTIONS = ['svc-dev-worker', 'svc-dev-audit'];

export async function startAws(opts: { dir?: string; clock?: Clock } = {}): Promise<AwsHarness> {
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'gannet-sqs-'));
  const clock = opts.clock ?? systemClock;
  const store = await openStore({ dir, clock });
  const logs: string[] = [];
  const log = collectingLogger(logs);
  const invocations: RecordedInvocation[] = [];
  const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
  const env: ServiceEnv = {
    store, clock, log, region: REGION, accountId: ACCOUNT,
    notifications: { s3: async () => {} },
    invoker: {
      async invoke(functionName, payload, o) {
        invocations.push({ functionName, payload: JSON.parse(payload.toString('utf8')), opts: o });
        return { requestId: `req-${invocations.length}`, status: 'queued', payload: Buffer.alloc(0), executedVersion: '$LATEST' };
      },
    },
    functions: {
      find: (ref) => {
        const name = ref.startsWith('arn:') ? ref.split(':')[6] : ref;
        return FUNCTIONS.includes(name ?? '') ? { name } as never : undefined;
      },
      all: () => [],
      arnOf: (fn) => fnArn(fn.name),
    },
  };
  const sqsProvider = createSqsProvider(env);
  const snsProvider = createSnsProvider(env, sqsProvider);
  const handler = createAwsEndpoint({ providers: [sqsProvider, snsProvider], log, region: REGION, accountId: ACCOUNT });
  const seen: Record<SqsProtocol, number> = { json: 0, query: 0 };
  const server = http.createServer((req, res) => {
    if (req.headers['x-amz-target']) seen.json++;
    else if (String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) seen.query++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: { destroy(): void }[] = [];
  return {
    endpoint, dir, store, sqsProvider, snsProvider, invocations, logs, seen,
    sqs(protocol) {
      const client = new SQSClient({
        endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1,
        ...(protocol === 'query' ? {
          protocol: AwsQueryProtocol as never,
          protocolSettings: { defaultNamespace: 'com.amazonaws.sqs', xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/', version: '2012-11-05' } as never,
        } : {}),
      });
      clients.push(client);
      return client;
    },
    sns() {
      const client = new SNSClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) c.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` and returns the error it rejects with (fails when it resolves). */
export async function rejection(fn: () => Promise<unknown>): Promise<Error & Record<string, any>> {
  try {
    await fn();
  } catch (err) {
    return err as Error & Record<string, any>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
