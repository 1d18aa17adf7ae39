// Queue and scheduled services laid out as the Serverless Framework's public examples are
// (fixtures/framework-style) run under Gannet unchanged: schedules fire on demand with
// `gannet invoke --schedule`, and the Lift queue workers consume messages sent with the SDK and by
// their producer functions (boto3, aws-sdk v2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GANNET_BIN, startGannetDev } from '../helpers/gannet-process.ts';

const publicDir = (name: string) => fileURLToPath(new URL(`./fixtures/framework-style/${name}`, import.meta.url));

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-public-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function invokeSchedule(dir: string, fn: string, dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [GANNET_BIN, 'invoke', dir, '-f', fn, '--schedule', '--data-dir', dataDir], { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

test('aws-node-scheduled-cron: both schedules (rate and cron) fire on demand', async (t) => {
  const dataDir = tempDir(t);
  for (const fn of ['cron', 'secondCron']) {
    const r = await invokeSchedule(publicDir('aws-node-scheduled-cron'), fn, dataDir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'null', 'the handler returns nothing');
    assert.match(r.stderr, new RegExp(`INFO\\tScheduled function "scheduled-cron-example-dev-${fn}" fired at `), r.stderr);
  }
});

test('aws-python-scheduled-cron: both schedules (rate and cron) fire on demand', async (t) => {
  const dataDir = tempDir(t);
  for (const fn of ['rateHandler', 'cronHandler']) {
    const r = await invokeSchedule(publicDir('aws-python-scheduled-cron'), fn, dataDir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`\\[INFO\\]\\t\\S+\\t\\S+\\tScheduled function aws-python-scheduled-cron-dev-${fn} fired at `), r.stderr);
  }
});

test('aws-python-sqs-worker (Lift queue): the worker consumes messages from the SDK and from the producer', async (t) => {
  const dev = await startGannetDev(t, publicDir('aws-python-sqs-worker'), ['--no-watch', '--data-dir', tempDir(t)]);
  assert.match(dev.stderr(), /plugin serverless-lift is not loaded: Gannet provides Lift's queue and storage construct types itself/);
  assert.match(dev.stderr(), /POST\s+\S+\/produce → producer/);

  const sqs = new SQSClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  t.after(() => sqs.destroy());
  await sqs.send(new SendMessageCommand({
    QueueUrl: `${dev.awsUrl}/000000000000/aws-python-sqs-worker-dev-jobs`, MessageBody: 'sent with the SDK',
    MessageAttributes: { Origin: { DataType: 'String', StringValue: 'from the test' } },
  }));
  await dev.waitFor(/\[INFO\]\t\S+\t\S+\tBody: sent with the SDK\n\[INFO\]\t\S+\t\S+\tOrigin: from the test/);

  // The producer sends with boto3 to the queue URL Lift's ${construct:jobs.queueUrl} gave it.
  const produced = await fetch(`${dev.url}/produce`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": "John"}' });
  assert.deepEqual({ status: produced.status, body: await produced.json() }, { status: 200, body: { message: 'Queued' } });
  await dev.waitFor(/\[INFO\]\t\S+\t\S+\tBody: \{"name": "John"\}\n\[INFO\]\t\S+\t\S+\tOrigin: producer/);
});

test('aws-node-sqs-worker (Lift queue, aws-sdk v2): the worker consumes messages from the SDK and from the producer', async (t) => {
  const dev = await startGannetDev(t, publicDir('aws-node-sqs-worker'), ['--no-watch', '--data-dir', tempDir(t)]);
  const sqs = new SQSClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  t.after(() => sqs.destroy());
  await sqs.send(new SendMessageCommand({
    QueueUrl: `${dev.awsUrl}/000000000000/aws-node-sqs-worker-dev-jobs`, MessageBody: 'sent with the SDK',
    MessageAttributes: { Origin: { DataType: 'String', StringValue: 'from the test' } },
  }));
  await dev.waitFor(/INFO\tOrigin: from the test\n\S+\t\S+\tINFO\tBody: sent with the SDK/);

  const produced = await fetch(`${dev.url}/produce`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": "John"}' });
  assert.deepEqual({ status: produced.status, body: await produced.json() }, { status: 200, body: { message: 'Queued' } });
  await dev.waitFor(/INFO\tOrigin: producer\n\S+\t\S+\tINFO\tBody: \{"name": "John"\}/);
});
