// Messages acknowledged by SendMessage survive a SIGKILL of the Gannet process: the endpoint runs in
// a child process, is killed with SIGKILL mid-life, and a new one on the same store serves them all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CREDENTIALS, REGION } from './harness.ts';

const CHILD = new URL('./fixtures/endpoint-child.ts', import.meta.url).pathname;

async function startChild(dir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8');
  for await (const chunk of child.stdout!) {
    out += chunk;
    if (out.includes('\n')) break;
  }
  const { port } = JSON.parse(out.split('\n')[0]!) as { port: number };
  return { child, endpoint: `http://127.0.0.1:${port}` };
}

test('queued messages survive kill -9 of the endpoint process', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-sqs-kill-'));
  const children: ChildProcess[] = [];
  t.after(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const first = await startChild(dir);
  children.push(first.child);
  const sqs = new SQSClient({ endpoint: first.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'durable' }));
  const N = 50;
  for (let i = 0; i < N; i += 10) {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: `m${i + j}`, MessageBody: `message ${i + j}` })) }));
  }
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'last one' }));
  sqs.destroy();
  first.child.kill('SIGKILL');
  await once(first.child, 'exit');

  const second = await startChild(dir);
  children.push(second.child);
  const again = new SQSClient({ endpoint: second.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  t.after(() => again.destroy());
  const url = QueueUrl!.replace(first.endpoint, second.endpoint);
  const bodies = new Set<string>();
  for (let i = 0; i < 20 && bodies.size < N + 1; i++) {
    const { Messages } = await again.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    if (!Messages) break;
    for (const m of Messages) bodies.add(m.Body!);
    await again.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, j) => ({ Id: `d${j}`, ReceiptHandle: m.ReceiptHandle })) }));
  }
  assert.equal(bodies.size, N + 1);
  assert.ok(bodies.has('last one'));
  second.child.kill('SIGTERM');
});
