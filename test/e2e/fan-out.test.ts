// examples/fan-out end to end under `gannet dev`: a job posted over HTTP fans out into tasks on
// SQS, workers (SDK calls from inside the functions) store results in S3, the last one publishes
// on SNS, `finalize` records the notice; then the scheduled cleanup runs once via `gannet invoke`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GANNET_BIN, startGannetDev } from '../helpers/gannet-process.ts';
import { eventually } from '../helpers/function-output.ts';

const dir = fileURLToPath(new URL('../../examples/fan-out', import.meta.url));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const BUCKET = 'fan-out-dev-results';

/** The JSON objects a function logged (`time\trequestId\tINFO\t{...}`) that have `key`. */
function logged(stdout: string, key: string): any[] {
  const out: any[] = [];
  for (const line of stdout.split('\n')) {
    const text = line.split('\t')[3];
    if (!text?.startsWith('{')) continue;
    try {
      const value = JSON.parse(text);
      if (key in value) out.push(value[key]);
    } catch { /* not one of the example's JSON lines */ }
  }
  return out;
}

function gannet(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [GANNET_BIN, ...args], { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

test('fan-out: a posted job fans out over SQS, fans in on SNS, and the scheduled cleanup removes it', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gannet-fan-out-'));
  const invokeDir = mkdtempSync(join(tmpdir(), 'gannet-fan-out-invoke-'));
  t.after(() => { rmSync(dataDir, { recursive: true, force: true }); rmSync(invokeDir, { recursive: true, force: true }); });
  const dev = await startGannetDev(t, dir, ['--no-watch', '--no-schedules', '--data-dir', dataDir]);
  const s3 = new S3Client({ endpoint: dev.awsUrl, region: 'us-east-1', forcePathStyle: true, credentials });
  const sqs = new SQSClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
  t.after(() => { s3.destroy(); sqs.destroy(); });

  // Document i has i + 1 words: 25 documents, 325 words.
  const documents = Array.from({ length: 25 }, (_, i) => Array.from({ length: i + 1 }, (_, w) => `word${w}`).join(' '));
  const posted = await fetch(`${dev.url}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documents }) });
  const submitted = await posted.json() as { jobId: string; tasks: number };
  assert.equal(posted.status, 202, JSON.stringify(submitted));
  assert.equal(submitted.tasks, 25);
  const { jobId } = submitted;

  const status = await eventually('the job to be finalized', async () => {
    const r = await fetch(`${dev.url}/jobs/${jobId}`);
    const body = await r.json() as { status: string; done: number; total: number; words?: number };
    assert.equal(r.status, 200, JSON.stringify(body));
    return body.status === 'finalized' ? body : undefined;
  }, 60_000);
  assert.equal(status.total, 25);
  assert.equal(status.done, 25);
  assert.equal(status.words, 325, 'the fan-in summed every task');

  // Every task ran once: one log line each, one result object each, first receive. (Function logs
  // reach gannet dev's output a moment after the invocation.)
  await eventually('the finalize log line', () => logged(dev.stdout(), 'finalized').includes(jobId));
  const processed = logged(dev.stdout(), 'processed').filter((p) => p.jobId === jobId).map((p) => p.task as number).sort((a, b) => a - b);
  assert.deepEqual(processed, Array.from({ length: 25 }, (_, i) => i));
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `results/${jobId}/` }));
  assert.equal(listed.KeyCount, 25);
  for (const o of listed.Contents ?? []) {
    const result = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: o.Key! }))).Body!.transformToString());
    assert.equal(result.receiveCount, 1, `${o.Key} was received more than once`);
    assert.equal(result.words, result.task + 1);
  }
  // The workers deleted what they processed: nothing left on the queue or in flight, nothing in the DLQ.
  for (const queue of ['fan-out-dev-tasks', 'fan-out-dev-tasks-dlq']) {
    const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${dev.awsUrl}/000000000000/${queue}`, AttributeNames: ['All'] }));
    assert.equal(a.Attributes?.ApproximateNumberOfMessages, '0', queue);
    assert.equal(a.Attributes?.ApproximateNumberOfMessagesNotVisible, '0', queue);
  }

  // finalize received the SNS event the completing worker published.
  const completed = logged(dev.stdout(), 'completed').filter((c) => c.jobId === jobId);
  assert.ok(completed.length >= 1);
  const final = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `jobs/${jobId}/final.json` }))).Body!.transformToString());
  assert.equal(final.words, 325);
  assert.equal(final.notice.topicArn, 'arn:aws:sns:us-east-1:000000000000:fan-out-dev-job-done');
  assert.equal(final.notice.subject, 'job complete');
  assert.ok(final.notice.subscriptionArn.startsWith(`${final.notice.topicArn}:`), final.notice.subscriptionArn);
  assert.match(final.notice.messageId, /^[0-9a-f-]{36}$/);

  // One tick of the cleanup schedule, on demand, against the running endpoint (`gannet dev`'s default port would need no -e).
  const tick = await gannet(['invoke', dir, '-f', 'cleanup', '--schedule', '--data-dir', invokeDir,
    '-e', `AWS_ENDPOINT_URL=${dev.awsUrl}`, '-e', 'RETENTION_MINUTES=0']);
  assert.equal(tick.code, 0, tick.stderr);
  const cleaned = JSON.parse(tick.stdout);
  assert.ok(cleaned.removed.includes(jobId), tick.stdout);
  const ticked = /\{"cleanup":\{"at":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"/.exec(tick.stderr);
  assert.ok(ticked, `the cleanup received a Scheduled Event:\n${tick.stderr}`);
  assert.equal((await fetch(`${dev.url}/jobs/${jobId}`)).status, 404, 'the cleaned-up job is gone');
});
