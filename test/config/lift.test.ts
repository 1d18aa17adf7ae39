// Lift's queue and storage constructs (serverless-lift), as the public queue and upload examples use
// them: the queues, the worker and its sqs event, the bucket, and ${construct:...} variables, the
// way the plugin deploys them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadError, loadYaml, lines } from './helpers.ts';

const LIFT = lines(
  'service: lifted',
  'provider:',
  '  name: aws',
  '  runtime: python3.12',
  'constructs:',
  '  jobs:',
  '    type: queue',
  '    maxRetries: 5',
  '    batchSize: 4',
  '    worker:',
  '      handler: handler.consumer',
  '      timeout: 10',
  '  uploads:',
  '    type: storage',
  '  site:',
  '    type: static-website',
  '    path: public',
  'functions:',
  '  producer:',
  '    handler: handler.producer',
  '    environment:',
  '      QUEUE_URL: ${construct:jobs.queueUrl}',
  '      DLQ_ARN: ${construct:jobs.dlqArn}',
  'plugins:',
  '  - serverless-lift',
);

test('a Lift queue construct becomes a queue, a dead-letter queue and a worker with an sqs event', async (t) => {
  const s = await loadYaml(t, LIFT, { stage: 'test', awsEndpointUrl: 'http://127.0.0.1:4566' });
  const worker = s.functions.jobsWorker!;
  assert.equal(worker.name, 'lifted-test-jobsWorker');
  assert.equal(worker.handler, 'handler.consumer');
  assert.equal(worker.timeout, 10);
  assert.deepEqual(worker.events, [{
    type: 'sqs', arn: 'arn:aws:sqs:us-east-1:000000000000:lifted-test-jobs', batchSize: 4, maximumBatchingWindow: 0, enabled: true,
    functionResponseType: 'ReportBatchItemFailures',
  }]);
  const queue = s.resources.find((r) => r.logicalId === 'jobsQueue')!;
  assert.equal(queue.type, 'AWS::SQS::Queue');
  assert.equal(queue.properties.QueueName, 'lifted-test-jobs');
  assert.equal(queue.properties.VisibilityTimeout, 60, '6 × the worker timeout');
  assert.deepEqual(queue.properties.RedrivePolicy, { deadLetterTargetArn: { 'Fn::GetAtt': ['jobsDlq', 'Arn'] }, maxReceiveCount: 5 });
  assert.equal(s.resources.find((r) => r.logicalId === 'jobsDlq')!.properties.QueueName, 'lifted-test-jobs-dlq');
  assert.equal(s.functions.producer!.environment.QUEUE_URL, 'http://127.0.0.1:4566/000000000000/lifted-test-jobs');
  assert.equal(s.functions.producer!.environment.DLQ_ARN, 'arn:aws:sqs:us-east-1:000000000000:lifted-test-jobs-dlq');
  const warnings = s.warnings.map((w) => w.message).join('\n');
  assert.match(warnings, /construct site \(type static-website\) is not provided/);
  assert.doesNotMatch(warnings, /construct uploads/);
  assert.match(warnings, /plugin serverless-lift is not loaded: Gannet provides Lift's queue and storage construct types itself/);
  assert.doesNotMatch(warnings, /constructs/);
});

test('a worker given by name gets the sqs event; an unknown construct variable names the construct', async (t) => {
  const s = await loadYaml(t, lines(
    'service: lifted',
    'provider: {name: aws, runtime: nodejs20.x}',
    'constructs:',
    '  jobs: {type: queue, worker: consume, fifo: true}',
    'functions:',
    '  consume: {handler: h.consume, timeout: 3}',
  ));
  assert.equal(s.functions.consume!.events[0]!.type, 'sqs');
  const queue = s.resources.find((r) => r.logicalId === 'jobsQueue')!;
  assert.equal(queue.properties.QueueName, 'lifted-dev-jobs.fifo');
  assert.equal(queue.properties.FifoQueue, true);
  assert.equal(queue.properties.VisibilityTimeout, 18);

  const err = await loadError(t, lines(
    'service: lifted',
    'provider: {name: aws}',
    'functions:',
    '  f: {handler: h.f, environment: {Q: "${construct:missing.queueUrl}"}}',
  ));
  assert.match(err.message, /no construct "missing" under constructs:/);
});

test('a Lift storage construct becomes a bucket with a generated name; bucketName and bucketArn point at it', async (t) => {
  const s = await loadYaml(t, lines(
    'service: replicator',
    'provider: {name: aws, runtime: nodejs20.x}',
    'plugins: [serverless-lift]',
    'constructs:',
    '  inputBucket: {type: storage}',
    '  outputBucket: {type: storage, encryption: kms, extensions: {bucket: {Properties: {Tags: [{Key: team, Value: media}]}}}}',
    'functions:',
    '  replicate:',
    '    handler: handler.replicate',
    '    environment: {OUTPUT_BUCKET: "${construct:outputBucket.bucketName}", OUTPUT_ARN: "${construct:outputBucket.bucketArn}"}',
    '    events:',
    '      - s3: {bucket: "${construct:inputBucket.bucketName}", existing: true}',
  ));
  const input = s.resources.find((r) => r.logicalId === 'inputBucketBucket')!;
  assert.equal(input.type, 'AWS::S3::Bucket');
  assert.deepEqual(s.resources.find((r) => r.logicalId === 'outputBucketBucket')!.properties, { Tags: [{ Key: 'team', Value: 'media' }] });
  const env = s.functions.replicate!.environment;
  assert.match(env.OUTPUT_BUCKET!, /^replicator-dev-outputbucketbucket-[a-z0-9]{12}$/);
  assert.equal(env.OUTPUT_ARN, `arn:aws:s3:::${env.OUTPUT_BUCKET}`);
  const event = s.functions.replicate!.events[0]!;
  assert.equal(event.type, 's3');
  assert.match(String((event as { bucket: unknown }).bucket), /^replicator-dev-inputbucketbucket-[a-z0-9]{12}$/, 'the s3 event names the bucket');

  const err = await loadError(t, lines(
    'service: replicator',
    'provider: {name: aws}',
    'constructs: {files: {type: storage}}',
    'functions:',
    '  f: {handler: h.f, environment: {Q: "${construct:files.queueUrl}"}}',
  ));
  assert.match(err.message, /a storage construct has no variable "queueUrl"/);
});
