// examples/memo-pipeline under `gannet dev`, as its README runs it: work.json uploaded with the AWS
// SDK fans out into `.work` objects, each computed into the results bucket by Python functions that
// use Debian's boto3; `compute` runs only for keys ending in `.work`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startGannetDev, type GannetDev } from '../helpers/gannet-process.ts';
import { eventually } from '../helpers/function-output.ts';

const dir = fileURLToPath(new URL('../../examples/memo-pipeline', import.meta.url));
const PYTHON = '/usr/bin/python3';

function boto3Skip(): string | false {
  try {
    execFileSync(PYTHON, ['-c', 'import boto3'], { stdio: 'ignore' });
    return false;
  } catch {
    return `${PYTHON} with boto3 not found; install it with \`apt-get install -y python3-boto3\` to run this test`;
  }
}

describe('examples/memo-pipeline under gannet dev', { skip: boto3Skip() }, () => {
  let dev: GannetDev;
  let s3: S3Client;
  let dataDir: string;

  const read = async (bucket: string, key: string): Promise<string | undefined> => {
    try {
      const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await r.Body!.transformToString();
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  };
  const count = (re: RegExp) => [...dev.stdout().matchAll(re)].length;
  const computedKeys = () => [...dev.stdout().matchAll(/^computing (.+)$/gm)].map((m) => m[1]!);

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gannet-memo-'));
    dev = await startGannetDev(undefined, dir, ['--no-watch', '--no-schedules', '--data-dir', dataDir], { GANNET_PYTHON: PYTHON });
    s3 = new S3Client({ endpoint: dev.awsUrl, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  after(async () => {
    s3?.destroy();
    await dev?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('uploading work.json computes every operation into the results bucket', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'memo-work-dev', Key: 'work.json', Body: readFileSync(join(dir, 'work.json')), ContentType: 'application/json' }));

    const results = await eventually('both results', async () => {
      const [a, b] = [await read('memo-results-dev', '1_plus_1'), await read('memo-results-dev', '2_by_2')];
      return a !== undefined && b !== undefined && { a, b };
    }, 60_000);
    assert.deepEqual(results, { a: '2', b: '4' });

    const work = await s3.send(new ListObjectsV2Command({ Bucket: 'memo-processing-dev' }));
    assert.deepEqual(work.Contents?.map((o) => o.Key), ['1_plus_1.work', '2_by_2.work']);
    assert.equal(await read('memo-processing-dev', '2_by_2.work'), '2*2');
  });

  test('compute runs for .work keys only, and evaluates with a parser', async () => {
    // Keys that must not trigger compute first, then one that must. Targets are chosen before an
    // upload returns and compute's events are claimed in upload order, but a cold start may still
    // put a wrongly triggered run behind nested.work's: after that result, a short grace and then
    // every started run ended leave it nowhere to hide.
    for (const key of ['notes.txt', 'old.work.bak', 'work']) {
      await s3.send(new PutObjectCommand({ Bucket: 'memo-processing-dev', Key: key, Body: '6*7' }));
    }
    await s3.send(new PutObjectCommand({ Bucket: 'memo-processing-dev', Key: 'nested.work', Body: '-(1.5 + 2.5) * (3 - 5) / 4' }));
    assert.equal(await eventually('the nested result', () => read('memo-results-dev', 'nested'), 60_000), '2');

    await eventually('compute\'s log line for nested.work', () => computedKeys().includes('nested.work'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await eventually('every started invocation to end', () => count(/^START RequestId/gm) === count(/^REPORT RequestId/gm));
    const computed = computedKeys();
    assert.ok(computed.every((k) => k.endsWith('.work')), `compute ran for ${JSON.stringify(computed)}`);
    for (const key of ['notes.txt', 'old.work.bak', 'work']) {
      assert.equal(await read('memo-results-dev', key.replace(/\.work$/, '')), undefined, `no result for ${key}`);
    }
  });

  test('an operation the parser refuses is a function error, never evaluated as code', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'memo-processing-dev', Key: 'evil.work', Body: '__import__("os").system("true")' }));
    await eventually('the refusal in the function log', () => /CalculationError: unexpected character '_' at position 0/.test(dev.stdout()), 60_000);
    assert.equal(await read('memo-results-dev', 'evil'), undefined);
  });
});
