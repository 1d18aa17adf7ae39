// Functions that call AWS through the SDK, with no code changes, reach Gannet's endpoint under
// `gannet dev`: the SDK for JavaScript v3 (through AWS_ENDPOINT_URL), the SDK for JavaScript v2
// (configured by the Node bootstrap before the handler loads) and Debian's boto3 1.26, which
// ignores AWS_ENDPOINT_URL (configured by the Python bootstrap's import hook). Queue URLs in AWS's
// own form and ARNs are accepted by the endpoint.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { startGannetDev, type GannetDev } from '../helpers/gannet-process.ts';
import { awsCliJson, awsCliSkip } from '../helpers/aws-cli.ts';
import { eventually } from '../helpers/function-output.ts';

const dir = fileURLToPath(new URL('./fixtures/sdk', import.meta.url));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const PYTHON = '/usr/bin/python3';
/** The queue's URL as AWS writes it; Gannet's endpoint accepts it as well as its own. */
const AWS_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/sdk-e2e-inbox';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:sdk-e2e-news';

function oldBotoSkip(): string | false {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try {
    const version = execFileSync(PYTHON, ['-c', 'import boto3; print(boto3.__version__)'], { encoding: 'utf8' }).trim();
    return version.startsWith('1.26.') ? false : `${PYTHON} has boto3 ${version}, not Debian's 1.26 that ignores AWS_ENDPOINT_URL`;
  } catch {
    return `boto3 missing for ${PYTHON}: apt-get install -y python3-boto3`;
  }
}

describe('the AWS SDK inside functions under gannet dev', { concurrency: true }, () => {
  let dev: GannetDev;
  let dataDir: string;
  let lambda: LambdaClient;
  let sqs: SQSClient;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gannet-sdk-'));
    dev = await startGannetDev(undefined, dir, ['--no-watch', '--spares', '0', '--data-dir', dataDir], { GANNET_PYTHON: PYTHON });
    lambda = new LambdaClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
    sqs = new SQSClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
  });
  after(async () => {
    lambda?.destroy();
    sqs?.destroy();
    await dev?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const invoke = async (fn: string, event: unknown) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: `sdk-e2e-dev-${fn}`, Payload: new TextEncoder().encode(JSON.stringify(event)) }));
    const payload = JSON.parse(Buffer.from(out.Payload!).toString('utf8'));
    assert.equal(out.FunctionError, undefined, `${fn} failed: ${JSON.stringify(payload)}\n${dev.stdout()}`);
    return payload;
  };

  /**
   * Receives from a queue (named by AWS's form of its URL) until a message has `body`. Tests share
   * the queues and run at once: what one receives stays visible (VisibilityTimeout 0) for the others,
   * and the message found is deleted.
   */
  const received = (queueUrl: string, body: string) => eventually(`"${body}" on ${queueUrl}`, async () => {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    const found = r.Messages?.find((m: Message) => m.Body === body);
    if (found) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: found.ReceiptHandle }));
    return found;
  });

  test('SDK v3 (@aws-sdk/client-sqs, client-sns) reaches the queue and topic from resources through AWS_ENDPOINT_URL', async () => {
    const out = await invoke('v3', { body: 'from-v3' });
    assert.equal(out.queueUrl, `${dev.awsUrl}/000000000000/sdk-e2e-inbox`, 'QUEUE_URL: !Ref Queue is the queue URL on Gannet');
    const msg = await received(AWS_QUEUE_URL, 'from-v3');
    assert.equal(msg.MessageId, out.messageId);
    await received('https://sqs.us-east-1.amazonaws.com/000000000000/sdk-e2e-news-inbox', 'news: from-v3');
  });

  // Not tested: SDK v3 inside a function given AWS's form of a queue URL. Its SQS client sends each
  // call to the QueueUrl's own host unless `endpoint` is passed in code (AWS_ENDPOINT_URL does not
  // count), so such a call leaves Gannet whatever the endpoint accepts. `!Ref Queue` gives Gannet's URL.

  test('SDK v2 (aws-sdk) clients created at load time reach Gannet: SQS and S3', async () => {
    const out = await invoke('v2', { body: 'from-v2' });
    assert.equal(new URL(out.endpoint).host, new URL(dev.awsUrl).host, 'the bootstrap pointed aws-sdk at Gannet');
    assert.deepEqual(out.keys, ['v2/from-v2.txt']);
    const msg = await received(AWS_QUEUE_URL, 'from-v2');
    assert.equal(msg.MessageId, out.messageId);
  });

  test('SDK v2 clients imported one by one from an ES module reach Gannet too', async () => {
    const out = await invoke('v2Clients', { body: 'from-v2-clients' });
    assert.equal((await received(AWS_QUEUE_URL, 'from-v2-clients')).MessageId, out.messageId);
  });

  test('boto3 1.26, which ignores AWS_ENDPOINT_URL, reaches Gannet from a Python function: SQS and S3', { skip: oldBotoSkip() }, async () => {
    const out = await invoke('python', { body: 'from-boto' });
    assert.match(out.boto3, /^1\.26\./);
    assert.equal(out.readBack, 'from-boto');
    assert.deepEqual(out.keys, ['py/from-boto.txt']);
    const msg = await received(AWS_QUEUE_URL, 'from-boto');
    assert.equal(msg.MessageId, out.messageId);

    const byAwsUrl = await invoke('python', { body: 'aws-url-from-boto', queueUrl: AWS_QUEUE_URL });
    assert.equal((await received(AWS_QUEUE_URL, 'aws-url-from-boto')).MessageId, byAwsUrl.messageId);
  });

  test('the endpoint takes AWS\'s queue URLs and topic ARNs from clients outside functions too', async () => {
    const sns = new SNSClient({ endpoint: dev.awsUrl, region: 'us-east-1', credentials });
    try {
      await sns.send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: 'published by ARN' }));
    } finally {
      sns.destroy();
    }
    await received('https://sqs.us-east-1.amazonaws.com/000000000000/sdk-e2e-news-inbox', 'published by ARN');
  });

  test('the AWS CLI sends to a queue named by its AWS URL', { skip: awsCliSkip }, async () => {
    const sent = await awsCliJson<{ MessageId: string }>(['sqs', 'send-message', '--queue-url', AWS_QUEUE_URL, '--message-body', 'from-the-cli'], { endpoint: dev.awsUrl });
    assert.equal((await received(AWS_QUEUE_URL, 'from-the-cli')).MessageId, sent.MessageId);
  });
});
