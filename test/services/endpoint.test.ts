// The shared AWS endpoint: service identification, region, dispatch, failures answered in the
// request's protocol, health, CORS and logging — with real HTTP and real SDK clients.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { SNSClient, ListTopicsCommand } from '@aws-sdk/client-sns';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { createAwsEndpoint } from '../../src/services/index.ts';
import type { AwsServiceProvider, CallerIdentity } from '../../src/services/types.ts';
import { collectingLogger } from './lambda-harness.ts';

type Seen = { service: string; caller: CallerIdentity; method: string; url: string; body: string };

/** A provider that reads the whole body and answers with what it saw; `fail` makes it throw instead. */
function recordingProvider(name: string, seen: Seen[], fail?: () => boolean): AwsServiceProvider {
  return {
    name,
    async handle(req: IncomingMessage, res: ServerResponse, caller: CallerIdentity) {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (fail?.()) throw new Error(`${name} provider exploded`);
      const s = { service: name, caller, method: req.method!, url: req.url!, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      const body = JSON.stringify(s);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': 'r1' });
      res.end(body);
    },
  };
}

async function start(t: TestContext, providers: AwsServiceProvider[]) {
  const log = collectingLogger();
  const server = http.createServer(createAwsEndpoint({ providers, log, region: 'us-east-1', accountId: '000000000000' }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log };
}

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };
const signedFor = (service: string, region = 'us-east-1') =>
  `AWS4-HMAC-SHA256 Credential=AKIDTEST/20240131/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;

test('identifies the service: SigV4 scope, X-Amz-Target, Lambda path, query Action, else S3', async (t) => {
  const seen: Seen[] = [];
  const { endpoint } = await start(t, ['lambda', 'sqs', 'sns', 's3', 'dynamodb'].map((n) => recordingProvider(n, seen)));
  const last = () => seen.at(-1)!;

  await fetch(`${endpoint}/`, { method: 'POST', headers: { authorization: signedFor('sns', 'eu-west-1'), 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListTopics' });
  assert.equal(last().service, 'sns');
  assert.equal(last().caller.region, 'eu-west-1');
  assert.equal(last().caller.accessKeyId, 'AKIDTEST');
  assert.equal(last().body, 'Action=ListTopics');

  await fetch(`${endpoint}/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20240131%2Fap-south-1%2Fs3%2Faws4_request&X-Amz-Signature=00`);
  assert.equal(last().service, 's3');
  assert.equal(last().caller.presigned, true);
  assert.equal(last().caller.region, 'ap-south-1');

  await fetch(`${endpoint}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
  assert.equal(last().service, 'sqs');
  assert.equal(last().caller.region, 'us-east-1', 'unsigned requests get the default region');
  await fetch(`${endpoint}/`, { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
  assert.equal(last().service, 'dynamodb');

  await fetch(`${endpoint}/2015-03-31/functions/f/invocations`, { method: 'POST', body: '{"a":1}' });
  assert.equal(last().service, 'lambda');
  assert.equal(last().body, '{"a":1}');
  await fetch(`${endpoint}/2015-03-31/functions/`);
  assert.equal(last().service, 'lambda');

  await fetch(`${endpoint}/?Action=ListQueues&Version=2012-11-05`);
  assert.equal(last().service, 'sqs');

  // A form body is read to find the Action, and the provider still reads all of it.
  const form = 'Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Message=' + 'm'.repeat(100_000);
  await fetch(`${endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: form });
  assert.equal(last().service, 'sns');
  assert.equal(last().body, form);
  await fetch(`${endpoint}/000000000000/orders`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=SendMessage&MessageBody=x' });
  assert.equal(last().service, 'sqs');

  // Anything else is S3, and its body streams through untouched.
  await fetch(`${endpoint}/bucket/a/b.txt`, { method: 'PUT', body: 'object body' });
  assert.equal(last().service, 's3');
  assert.equal(last().body, 'object body');
  await fetch(`${endpoint}/bucket/form.txt`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
  assert.equal(last().service, 's3');
  assert.equal(last().body, 'a=b');

  // The region can also come from the Host (sqs.<region>.localhost).
  const viaHost = await new Promise<Seen>((resolve, reject) => {
    const req = http.request(`${endpoint}/?Action=ListQueues`, { headers: { host: 'sqs.ap-southeast-2.localhost:4566' } }, (res) => {
      let b = ''; res.on('data', (c) => { b += c; }); res.on('end', () => resolve(JSON.parse(b)));
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(viaHost.caller.region, 'ap-southeast-2');
});

test('real SDK clients reach the right provider over one port', async (t) => {
  const seen: Seen[] = [];
  const { endpoint } = await start(t, ['lambda', 'sqs', 'sns', 's3'].map((n) => recordingProvider(n, seen)));
  const opts = { endpoint, region: 'us-west-2', credentials, maxAttempts: 1 };
  const clients = [new LambdaClient(opts), new SQSClient(opts), new SNSClient(opts), new S3Client({ ...opts, forcePathStyle: true })];
  t.after(() => clients.forEach((c) => c.destroy()));
  // The recording providers do not speak each protocol: only where the request went matters here.
  await (clients[0] as LambdaClient).send(new ListFunctionsCommand({})).catch(() => {});
  await (clients[1] as SQSClient).send(new ListQueuesCommand({})).catch(() => {});
  await (clients[2] as SNSClient).send(new ListTopicsCommand({})).catch(() => {});
  await (clients[3] as S3Client).send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'hello' })).catch(() => {});
  assert.deepEqual(seen.map((s) => s.service), ['lambda', 'sqs', 'sns', 's3']);
  assert.ok(seen.every((s) => s.caller.region === 'us-west-2'));
});

test('a service without a provider gets a clear NotImplemented error its client can read', async (t) => {
  const { endpoint } = await start(t, [recordingProvider('lambda', [])]);
  const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  t.after(() => sqs.destroy());
  const err = await sqs.send(new ListQueuesCommand({})).then(() => assert.fail('should fail'), (e: Error & { $metadata: { httpStatusCode: number } }) => e);
  assert.equal(err.name, 'NotImplemented');
  assert.equal(err.$metadata.httpStatusCode, 501);
  assert.match(err.message, /does not provide the AWS service 'sqs'.*Services on this endpoint: lambda/);

  const res = await fetch(`${endpoint}/`, { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
  assert.equal(res.status, 501);
  const body = await res.json() as { __type: string; message: string };
  assert.equal(body.__type, 'NotImplemented');
  assert.match(body.message, /'dynamodb' \(identified by the X-Amz-Target header\)/);
});

test('a provider that throws answers 500 InternalFailure in the request protocol, and the endpoint lives on', async (t) => {
  let failing = true;
  const providers = ['lambda', 'sqs', 'sns', 's3'].map((n) => recordingProvider(n, [], () => failing));
  const { endpoint, log } = await start(t, providers);

  const lambdaRes = await fetch(`${endpoint}/2015-03-31/functions/f/invocations`, { method: 'POST', body: '{}' });
  assert.equal(lambdaRes.status, 500);
  assert.equal(lambdaRes.headers.get('x-amzn-errortype'), 'InternalFailure');
  assert.match((await lambdaRes.json() as { message: string }).message, /lambda provider exploded/);

  const jsonRes = await fetch(`${endpoint}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
  assert.equal(jsonRes.status, 500);
  assert.equal((await jsonRes.json() as { __type: string }).__type, 'InternalFailure');

  const queryRes = await fetch(`${endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListTopics&Version=2010-03-31' });
  assert.equal(queryRes.status, 500);
  const xml = await queryRes.text();
  assert.match(xml, /^<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Receiver<\/Type><Code>InternalFailure<\/Code>/);

  const s3 = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
  t.after(() => s3.destroy());
  const s3err = await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })).then(() => assert.fail('should fail'), (e: Error) => e);
  assert.equal(s3err.name, 'InternalError');

  assert.ok(log.lines.some((l) => l.startsWith('error: AWS endpoint: the sqs provider failed')));
  failing = false;
  const ok = await fetch(`${endpoint}/2015-03-31/functions/f/invocations`, { method: 'POST', body: '{}' });
  assert.equal(ok.status, 200);
});

test('health, CORS and one debug line per request', async (t) => {
  const seen: Seen[] = [];
  const { endpoint, log } = await start(t, ['sqs', 'lambda', 's3'].map((n) => recordingProvider(n, seen)));

  const health = await fetch(`${endpoint}/_gannet/health`);
  assert.equal(health.status, 200);
  const h = await health.json() as { status: string; services: string[] };
  assert.equal(h.status, 'ok');
  assert.deepEqual(h.services, ['lambda', 's3', 'sqs']);

  const preflight = await fetch(`${endpoint}/2015-03-31/functions/f/invocations`, {
    method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,x-amz-date' },
  });
  assert.equal(preflight.status, 200);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://app.test');
  assert.equal(preflight.headers.get('access-control-allow-headers'), 'authorization,x-amz-date');
  assert.match(preflight.headers.get('access-control-allow-methods')!, /POST/);
  const rootPreflight = await fetch(`${endpoint}/`, {
    method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-amz-target' },
  });
  assert.equal(rootPreflight.status, 200);

  const actual = await fetch(`${endpoint}/2015-03-31/functions/f/invocations`, { method: 'POST', headers: { origin: 'http://app.test' }, body: '{}' });
  assert.equal(actual.headers.get('access-control-allow-origin'), 'http://app.test');
  assert.match(actual.headers.get('access-control-expose-headers')!, /X-Amz-Function-Error/);

  // S3 keeps its own per-bucket CORS: its preflights and responses go to the S3 provider untouched.
  const before = seen.length;
  const s3Preflight = await fetch(`${endpoint}/bucket/key`, { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'PUT' } });
  assert.equal(s3Preflight.headers.get('access-control-allow-origin'), null);
  assert.equal(seen.length, before + 1);
  assert.equal(seen.at(-1)!.service, 's3');

  assert.ok(log.lines.some((l) => /^debug: aws lambda POST \/2015-03-31\/functions\/f\/invocations 200 [\d.]+ms \(path\)$/.test(l)), log.lines.join('\n'));
  assert.ok(log.lines.some((l) => /^debug: aws s3 OPTIONS \/bucket\/key 200 /.test(l)));
  assert.ok(!log.lines.some((l) => l.includes('X-Amz-Signature')));
});

test('a client that disconnects mid-body is not an error, and the endpoint keeps serving', async (t) => {
  const seen: Seen[] = [];
  const { endpoint, log } = await start(t, ['lambda', 'sns'].map((n) => recordingProvider(n, seen)));
  for (const [path, type] of [['/2015-03-31/functions/f/invocations', 'application/json'], ['/', 'application/x-www-form-urlencoded']] as const) {
    await new Promise<void>((resolve) => {
      const req = http.request(`${endpoint}${path}`, { method: 'POST', headers: { 'content-type': type, 'content-length': 1000 } });
      req.on('error', () => resolve());
      req.write('Action=Publish&Version=2010-03-31&');
      setTimeout(() => { req.destroy(); resolve(); }, 50);
    });
  }
  const res = await fetch(`${endpoint}/2015-03-31/functions/f/invocations`, { method: 'POST', body: '{}' });
  assert.equal(res.status, 200);
  assert.ok(!log.lines.some((l) => l.startsWith('error:')), log.lines.join('\n'));
});
