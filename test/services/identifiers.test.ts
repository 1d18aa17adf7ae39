import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArn, formatArn, parseFunctionRef, functionArn, parseQueueUrl, parseQueueRef, queueUrl, queueArn } from '../../src/services/identifiers.ts';

test('parseArn splits the six fields and keeps colons in the resource', () => {
  assert.deepEqual(parseArn('arn:aws:lambda:us-east-1:000000000000:function:svc-dev-hello:prod'), {
    partition: 'aws', service: 'lambda', region: 'us-east-1', account: '000000000000', resource: 'function:svc-dev-hello:prod',
  });
  assert.deepEqual(parseArn('arn:aws:s3:::my-bucket'), { partition: 'aws', service: 's3', region: '', account: '', resource: 'my-bucket' });
  assert.equal(parseArn('arn:aws:sqs:us-east-1'), undefined);
  assert.equal(parseArn('not-an-arn:aws:sqs:us-east-1:1:q'), undefined);
  const arn = 'arn:aws:sns:eu-west-1:123456789012:topic';
  assert.equal(formatArn(parseArn(arn)!), arn);
});

test('parseFunctionRef accepts names, partial and full ARNs, with qualifiers', () => {
  assert.deepEqual(parseFunctionRef('svc-dev-hello'), { name: 'svc-dev-hello' });
  assert.deepEqual(parseFunctionRef('svc-dev-hello:prod'), { name: 'svc-dev-hello', qualifier: 'prod' });
  assert.deepEqual(parseFunctionRef('svc-dev-hello:$LATEST'), { name: 'svc-dev-hello', qualifier: '$LATEST' });
  assert.deepEqual(parseFunctionRef('000000000000:function:svc-dev-hello'), { name: 'svc-dev-hello', account: '000000000000' });
  assert.deepEqual(parseFunctionRef('arn:aws:lambda:us-east-1:000000000000:function:svc-dev-hello:7'),
    { name: 'svc-dev-hello', qualifier: '7', region: 'us-east-1', account: '000000000000' });
  assert.equal(parseFunctionRef('has space'), undefined);
  assert.equal(parseFunctionRef(''), undefined);
  assert.equal(parseFunctionRef('arn:aws:sqs:us-east-1:000000000000:queue'), undefined);
  assert.equal(functionArn('us-east-1', '000000000000', 'f'), 'arn:aws:lambda:us-east-1:000000000000:function:f');
  assert.equal(functionArn('us-east-1', '000000000000', 'f', '$LATEST'), 'arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST');
});

test('parseQueueUrl reads every URL form clients hold', () => {
  assert.deepEqual(parseQueueUrl('https://sqs.us-east-1.amazonaws.com/000000000000/orders'), { name: 'orders', account: '000000000000', region: 'us-east-1' });
  assert.deepEqual(parseQueueUrl('https://eu-west-1.queue.amazonaws.com/000000000000/orders.fifo'), { name: 'orders.fifo', account: '000000000000', region: 'eu-west-1' });
  assert.deepEqual(parseQueueUrl('http://localhost:4566/000000000000/orders'), { name: 'orders', account: '000000000000' });
  assert.deepEqual(parseQueueUrl('http://127.0.0.1:4566/000000000000/orders/'), { name: 'orders', account: '000000000000' });
  assert.deepEqual(parseQueueUrl('http://sqs.us-east-1.localhost:4566/000000000000/orders'), { name: 'orders', account: '000000000000', region: 'us-east-1' });
  assert.deepEqual(parseQueueUrl('http://localhost:4566/queue/us-west-2/000000000000/orders'), { name: 'orders', account: '000000000000', region: 'us-west-2' });
  assert.equal(parseQueueUrl('http://localhost:4566/orders'), undefined);
  assert.equal(parseQueueUrl('http://localhost:4566/abc/orders'), undefined);
  assert.equal(parseQueueUrl('http://localhost:4566/000000000000/bad%20name'), undefined);
  assert.equal(parseQueueUrl('not a url'), undefined);
});

test('parseQueueRef accepts a URL, an ARN or a bare name', () => {
  assert.deepEqual(parseQueueRef('arn:aws:sqs:us-east-1:000000000000:jobs'), { name: 'jobs', account: '000000000000', region: 'us-east-1' });
  assert.deepEqual(parseQueueRef('http://localhost:4566/000000000000/jobs'), { name: 'jobs', account: '000000000000' });
  assert.deepEqual(parseQueueRef('jobs-dlq'), { name: 'jobs-dlq' });
  assert.equal(parseQueueRef('arn:aws:sns:us-east-1:000000000000:jobs'), undefined);
  assert.equal(parseQueueRef('a/b'), undefined);
  assert.equal(queueUrl('http://localhost:4566/', '000000000000', 'jobs'), 'http://localhost:4566/000000000000/jobs');
  assert.equal(queueArn('us-east-1', '000000000000', 'jobs'), 'arn:aws:sqs:us-east-1:000000000000:jobs');
});
