// loadService end to end on fixture services: defaults, variables, intrinsics in environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadService } from '../../src/config/index.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');

test('loads a service with stage from options, region from the file and resolved environment', async () => {
  const s = await loadService(path.join(fixtures, 'basic'), { stage: 'prod', env: {} });
  assert.equal(s.service, 'orders');
  assert.equal(s.stage, 'prod');
  assert.equal(s.region, 'eu-west-1');
  assert.equal(s.accountId, '000000000000');
  const fn = s.functions.createOrder!;
  assert.equal(fn.name, 'orders-prod-createOrder');
  assert.equal(fn.timeout, 10);
  assert.equal(fn.memorySize, 1024);
  assert.deepEqual(fn.environment, {
    TABLE: 'orders-prod',
    QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/orders-prod-jobs',
    STAGE: 'prod',
    GREETING: 'hello-prod',
    QUEUE_ARN: 'arn:aws:sqs:eu-west-1:000000000000:orders-prod-jobs',
  });
  assert.deepEqual(fn.events[1], {
    type: 'sqs', arn: 'arn:aws:sqs:eu-west-1:000000000000:orders-prod-jobs',
    batchSize: 5, maximumBatchingWindow: 0, enabled: true,
  });
  assert.deepEqual(s.outputs, { QueueUrl: { Value: { Ref: 'JobsQueue' } } });
  assert.deepEqual(s.warnings, []);
});
