// The service host's buckets across a reload: `s3` event rules and a bucket's CorsConfiguration
// follow serverless.yml as it changes, while a CORS configuration set through the S3 API stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteBucketCorsCommand, GetBucketCorsCommand, PutBucketCorsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startServiceHost } from '../../src/host/index.ts';
import type { Logger } from '../../src/shared/log.ts';
import { eventually } from '../helpers/function-output.ts';

const service = (suffix: string, cors: boolean) => `
service: host-buckets
provider: {name: aws, runtime: nodejs20.x}
functions:
  seen:
    handler: handler.seen
    events:
      - s3: {bucket: host-buckets-in, existing: true, rules: [{suffix: ${suffix}}]}
resources:
  Resources:
    In:
      Type: AWS::S3::Bucket
      Properties:
        BucketName: host-buckets-in
${cors ? `        CorsConfiguration:
          CorsRules: [{AllowedOrigins: ['https://a.example'], AllowedMethods: [GET]}]` : ''}
    Other:
      Type: AWS::S3::Bucket
      Properties: {BucketName: host-buckets-other, VersioningConfiguration: {Status: Enabled}, WebsiteConfiguration: {IndexDocument: index.html}}
`;

test('reloading serverless.yml changes which keys notify and the declared CORS; API-set CORS stays', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-host-buckets-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'package.json'), '{"private": true}');
  writeFileSync(join(dir, 'handler.js'), 'exports.seen = async (e) => { console.log("SEEN " + e.Records[0].s3.object.key); };\n');
  writeFileSync(join(dir, 'serverless.yml'), service('.a', true));
  const lines: string[] = [];
  const log: Logger = { info: () => {}, debug: () => {}, warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) };
  const host = await startServiceHost({ dir, log, awsPort: 0, watch: false, schedules: false, spares: 0, onFunctionLog: (l) => lines.push(l) });
  t.after(() => host.close());
  const s3 = new S3Client({ endpoint: host.awsUrl!, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  t.after(() => s3.destroy());
  const seen = () => lines.filter((l) => l.includes('SEEN ')).map((l) => l.slice(l.indexOf('SEEN ') + 5));
  const put = (key: string) => s3.send(new PutObjectCommand({ Bucket: 'host-buckets-in', Key: key, Body: key }));

  assert.ok(lines.some((l) => /Other \(AWS::S3::Bucket\): VersioningConfiguration, WebsiteConfiguration not emulated/.test(l)), lines.join('\n'));
  await put('one.b');
  await put('one.a');
  await eventually('one.a seen', () => seen().includes('one.a'));
  assert.equal((await s3.send(new GetBucketCorsCommand({ Bucket: 'host-buckets-in' }))).CORSRules?.[0]?.AllowedOrigins?.[0], 'https://a.example');

  writeFileSync(join(dir, 'serverless.yml'), service('.b', false));
  await host.reload();
  await put('two.a');
  await put('two.b');
  await eventually('two.b seen', () => seen().includes('two.b'));
  assert.deepEqual(seen(), ['one.a', 'two.b'], 'the rule in force when each object was written decided');
  const gone = await s3.send(new GetBucketCorsCommand({ Bucket: 'host-buckets-in' })).catch((err: Error) => err);
  assert.equal((gone as Error).name, 'NoSuchCORSConfiguration', 'CORS removed from serverless.yml is removed from the bucket');

  await s3.send(new PutBucketCorsCommand({ Bucket: 'host-buckets-in', CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['PUT'] }] } }));
  await host.reload();
  assert.equal((await s3.send(new GetBucketCorsCommand({ Bucket: 'host-buckets-in' }))).CORSRules?.[0]?.AllowedMethods?.[0], 'PUT', 'CORS set through the API survives a reload');
  await s3.send(new DeleteBucketCorsCommand({ Bucket: 'host-buckets-in' }));
});
