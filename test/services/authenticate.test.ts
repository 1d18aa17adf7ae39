// The endpoint's authentication step (gannet server): signatures from real clients verify with the
// right secret, and each client reports its own error code when they do not.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { SQSClient, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { SNSClient, ListTopicsCommand } from '@aws-sdk/client-sns';
import { S3Client, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createAwsEndpoint } from '../../src/services/index.ts';
import type { AwsServiceProvider } from '../../src/services/types.ts';
import { awsCli, awsCliSkip } from '../helpers/aws-cli.ts';
import { collectingLogger } from './lambda-harness.ts';

type Seen = { service: string; body: string };

function recordingProvider(name: string, seen: Seen[]): AwsServiceProvider {
  return {
    name,
    async handle(req: IncomingMessage, res: ServerResponse) {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      seen.push({ service: name, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 }).end('{}');
    },
  };
}

const SECRETS: Record<string, string> = { AKIDGOOD: 'good-secret', test: 'test' };

async function start(t: TestContext) {
  const seen: Seen[] = [];
  const server = http.createServer(createAwsEndpoint({
    providers: ['lambda', 'sqs', 'sns', 's3'].map((n) => recordingProvider(n, seen)),
    log: collectingLogger(), region: 'us-east-1', accountId: '000000000000',
    secretFor: (key) => SECRETS[key],
  }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { seen, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function clients(endpoint: string, accessKeyId: string, secretAccessKey: string) {
  const opts = { endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 };
  return {
    lambda: new LambdaClient(opts), sqs: new SQSClient(opts), sns: new SNSClient(opts), s3: new S3Client({ ...opts, forcePathStyle: true }),
    destroy() { this.lambda.destroy(); this.sqs.destroy(); this.sns.destroy(); this.s3.destroy(); },
  };
}

const errorOf = (p: Promise<unknown>) => p.then(() => assert.fail('expected a failure'), (e: Error & { $metadata: { httpStatusCode: number } }) => e);

test('correctly signed SDK requests pass, bodies included', async (t) => {
  const { seen, endpoint } = await start(t);
  const c = clients(endpoint, 'AKIDGOOD', 'good-secret');
  t.after(() => c.destroy());
  await c.lambda.send(new InvokeCommand({ FunctionName: 'f', Payload: Buffer.from('{"signed":true}') })).catch(() => {});
  await c.sqs.send(new ListQueuesCommand({})).catch(() => {});
  await c.sns.send(new ListTopicsCommand({})).catch(() => {});
  await c.s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'object' })).catch(() => {});
  assert.deepEqual(seen.map((s) => s.service), ['lambda', 'sqs', 'sns', 's3']);
  assert.equal(seen[0]!.body, '{"signed":true}', 'the provider still reads the body that was hashed');
  const url = await getSignedUrl(c.s3, new GetObjectCommand({ Bucket: 'b', Key: 'k' }), { expiresIn: 60 });
  assert.equal((await fetch(url)).status, 200);
  assert.equal((await fetch(`${endpoint}/_gannet/health`)).status, 200, 'health needs no credentials');
});

test('a wrong secret or unknown key is refused with each service\'s error code', async (t) => {
  const { seen, endpoint } = await start(t);
  const wrong = clients(endpoint, 'AKIDGOOD', 'not-the-secret');
  const unknown = clients(endpoint, 'AKIDNOBODY', 'whatever');
  t.after(() => { wrong.destroy(); unknown.destroy(); });

  const lambdaWrong = await errorOf(wrong.lambda.send(new InvokeCommand({ FunctionName: 'f', Payload: Buffer.from('{}') })));
  assert.equal(lambdaWrong.name, 'InvalidSignatureException');
  assert.equal(lambdaWrong.$metadata.httpStatusCode, 403);
  assert.equal((await errorOf(unknown.lambda.send(new InvokeCommand({ FunctionName: 'f' })))).name, 'UnrecognizedClientException');

  assert.equal((await errorOf(wrong.sqs.send(new ListQueuesCommand({})))).name, 'SignatureDoesNotMatch');
  assert.equal((await errorOf(unknown.sqs.send(new ListQueuesCommand({})))).name, 'InvalidClientTokenId');
  assert.equal((await errorOf(wrong.sns.send(new ListTopicsCommand({})))).name, 'SignatureDoesNotMatch');
  assert.equal((await errorOf(unknown.sns.send(new ListTopicsCommand({})))).name, 'InvalidClientTokenId');

  assert.equal((await errorOf(wrong.s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })))).name, 'SignatureDoesNotMatch');
  assert.equal((await errorOf(unknown.s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })))).name, 'InvalidAccessKeyId');

  const unsigned = await fetch(`${endpoint}/2015-03-31/functions/f/invocations`, { method: 'POST', body: '{}' });
  assert.equal(unsigned.status, 403);
  assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  assert.equal(seen.length, 0, 'no refused request reached a provider');
});

test('AWS CLI requests verify too', { skip: awsCliSkip }, async (t) => {
  const { seen, endpoint } = await start(t);
  const r = await awsCli(['lambda', 'invoke', '--function-name', 'f', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"cli":1}', '/dev/null'], { endpoint });
  assert.equal(seen[0]?.body, '{"cli":1}', r.stderr);
  const bad = await awsCli(['lambda', 'invoke', '--function-name', 'f', '/dev/null'], { endpoint, env: { AWS_SECRET_ACCESS_KEY: 'wrong' } });
  assert.match(bad.stderr, /InvalidSignatureException/);
});
