// Signatures made by the real signers (SDK v3, the SDK's own SignatureV4 presigner, botocore via the
// AWS CLI) must verify with the right secret and fail with a wrong one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { LambdaClient, InvokeCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseAuthorization, verifySignature, type SignatureCheck, type SigV4Authorization } from '../../src/services/sigv4.ts';
import { awsCli, awsCliSkip } from '../helpers/aws-cli.ts';

type Seen = { auth: SigV4Authorization | undefined; right: SignatureCheck; wrong: SignatureCheck; url: string };

async function captureServer(t: { after(fn: () => unknown): void }) {
  const seen: Seen[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    seen.push({ auth: parseAuthorization(req), right: verifySignature(req, body, 'test'), wrong: verifySignature(req, body, 'other'), url: req.url ?? '' });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { seen, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// The SDK's checksum constructor: a plain hash, or an HMAC when given a secret.
class NodeSha256 {
  #secret: Uint8Array | string | undefined;
  #h: Hash | Hmac;
  constructor(secret?: Uint8Array | string) { this.#secret = secret; this.#h = this.#fresh(); }
  #fresh() { return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret); }
  update(data: Uint8Array | string) { this.#h.update(data); }
  async digest() { return new Uint8Array(this.#h.digest()); }
  reset() { this.#h = this.#fresh(); }
}

const credentials = { accessKeyId: 'AKIDGANNET', secretAccessKey: 'test' };

function assertVerified(s: Seen | undefined, service: string) {
  assert.ok(s, 'request reached the server');
  assert.equal(s.auth?.service, service);
  assert.equal(s.auth?.region, 'us-east-1');
  assert.deepEqual(s.right.ok, true, JSON.stringify(s.right));
  assert.equal(s.wrong.ok, false);
  assert.equal(!s.wrong.ok && s.wrong.reason, 'mismatch');
}

test('SDK v3 Lambda requests (ARN in the path, query string, binary body) verify', async (t) => {
  const { seen, endpoint } = await captureServer(t);
  const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  t.after(() => lambda.destroy());
  await lambda.send(new InvokeCommand({
    FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-hello', Qualifier: '$LATEST',
    Payload: Buffer.from('{"a":"ü ~*"}'), LogType: 'Tail',
  })).catch(() => {});
  await lambda.send(new ListFunctionsCommand({ MaxItems: 5, Marker: 'a b/c+d' })).catch(() => {});
  assert.equal(seen.length, 2);
  assertVerified(seen[0], 'lambda');
  assert.equal(seen[0]!.auth?.accessKeyId, 'AKIDGANNET');
  assert.equal(seen[0]!.auth?.presigned, false);
  assertVerified(seen[1], 'lambda');
});

test('SDK v3 SQS (JSON) and S3 (unsigned-payload header, odd keys) requests verify', async (t) => {
  const { seen, endpoint } = await captureServer(t);
  const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const s3 = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
  t.after(() => { sqs.destroy(); s3.destroy(); });
  await sqs.send(new SendMessageCommand({ QueueUrl: `${endpoint}/000000000000/q`, MessageBody: 'hello' })).catch(() => {});
  await s3.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'dir/a b+c(1)~.txt', Body: 'data' })).catch(() => {});
  assertVerified(seen[0], 'sqs');
  assertVerified(seen[1], 's3');
});

// Signed as @aws-sdk/s3-request-presigner does: UNSIGNED-PAYLOAD, not hoisted into the query.
test('a presigned URL made by the SDK signer verifies, and expires', async (t) => {
  const { seen, endpoint } = await captureServer(t);
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    service: 's3', region: 'us-east-1', credentials, uriEscapePath: false,
    sha256: NodeSha256 as any, // structurally a Checksum; the SDK types its constructor narrowly
  });
  const signed = await signer.presign({
    method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/bucket/some%20key.txt',
    query: { 'response-content-type': 'text/plain' }, headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  }, { expiresIn: 60, unhoistableHeaders: new Set(['x-amz-content-sha256']), unsignableHeaders: new Set(['x-amz-content-sha256']) });
  const qs = Object.entries(signed.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
  const res = await fetch(`${endpoint}${signed.path}?${qs}`);
  assert.equal(res.status, 200);
  const s = seen[0];
  assertVerified(s, 's3');
  assert.equal(s!.auth?.presigned, true);
  assert.equal(s!.auth?.expiresSeconds, 60);
  // The same URL, checked two minutes later, has expired.
  const late = await new Promise<SignatureCheck>((resolve) => {
    const req = new http.IncomingMessage(null as any);
    req.method = 'GET'; req.url = s!.url; req.headers = { host: url.host };
    resolve(verifySignature(req, Buffer.alloc(0), 'test', Date.now() + 120_000));
  });
  assert.equal(!late.ok && late.reason, 'expired');
});

test('unsigned and skewed requests are reported, not verified', async (t) => {
  const { seen, endpoint } = await captureServer(t);
  await fetch(`${endpoint}/x`);
  assert.equal(seen[0]!.auth, undefined);
  assert.equal(!seen[0]!.right.ok && seen[0]!.right.reason, 'unsigned');
  await fetch(`${endpoint}/x`, { headers: {
    authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20200101/eu-west-1/sns/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
    'x-amz-date': '20200101T000000Z',
  } });
  assert.equal(seen[1]!.auth?.service, 'sns');
  assert.equal(seen[1]!.auth?.region, 'eu-west-1');
  assert.deepEqual(seen[1]!.auth?.signedHeaders, ['host', 'x-amz-date']);
  assert.equal(!seen[1]!.right.ok && seen[1]!.right.reason, 'expired');
});

test('AWS CLI v2 (botocore) requests verify', { skip: awsCliSkip }, async (t) => {
  const { seen, endpoint } = await captureServer(t);
  await awsCli(['lambda', 'invoke', '--function-name', '000000000000:function:svc-dev-hello',
    '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"k": "v w"}', '/dev/null'], { endpoint });
  await awsCli(['sqs', 'send-message', '--queue-url', `${endpoint}/000000000000/q`, '--message-body', 'a&b=c d'], { endpoint });
  assert.ok(seen.length >= 2, `CLI requests seen: ${seen.length}`);
  assertVerified(seen[0], 'lambda');
  assertVerified(seen.find((s) => s.auth?.service === 'sqs'), 'sqs');
});
