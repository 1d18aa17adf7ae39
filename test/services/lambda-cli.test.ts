// The Lambda API through the AWS CLI v2 (Debian's awscli 2.9, botocore), as users script it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsCli, awsCliJson, awsCliSkip } from '../helpers/aws-cli.ts';
import { handlerFunction, startLambdaEndpoint } from './lambda-harness.ts';

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('Lambda API via the AWS CLI', { skip: awsCliSkip }, async (t) => {
  const gw = await startLambdaEndpoint(t, [
    handlerFunction('echo', 'echo', { environment: { STAGE: 'dev' } }),
    handlerFunction('fail', 'fail'),
    handlerFunction('record', 'record'),
  ]);
  const cli = { endpoint: gw.endpoint, cwd: gw.dir };
  const raw = ['--cli-binary-format', 'raw-in-base64-out'];

  await t.test('lambda invoke writes the payload to the outfile', async () => {
    const out = join(gw.dir, 'out.json');
    const r = await awsCliJson(['lambda', 'invoke', '--function-name', 'svc-dev-echo', ...raw, '--payload', '{"hello":"cli"}', out], cli);
    assert.deepEqual(r, { StatusCode: 200, ExecutedVersion: '$LATEST' });
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), { hello: 'cli' });
  });

  await t.test('a function error is reported as FunctionError: Unhandled', async () => {
    const out = join(gw.dir, 'fail.json');
    const r = await awsCliJson(['lambda', 'invoke', '--function-name', 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-fail', out], cli);
    assert.deepEqual(r, { StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST' });
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).errorType, 'TypeError');
  });

  await t.test('--log-type Tail returns the log tail', async () => {
    const r = await awsCliJson<{ LogResult: string }>(['lambda', 'invoke', '--function-name', 'svc-dev-echo', '--log-type', 'Tail', join(gw.dir, 'tail.json')], cli);
    const text = Buffer.from(r.LogResult, 'base64').toString('utf8');
    assert.match(text, /START RequestId: [0-9a-f-]+ Version: \$LATEST/);
    assert.match(text, /REPORT RequestId: /);
  });

  await t.test('--invocation-type Event is 202 and the function runs', async () => {
    const file = join(gw.dir, 'cli-event.json');
    const r = await awsCliJson(['lambda', 'invoke', '--function-name', 'svc-dev-record', '--invocation-type', 'Event',
      ...raw, '--payload', JSON.stringify({ file }), join(gw.dir, 'event-out.json')], cli);
    assert.deepEqual(r, { StatusCode: 202 });
    await until(() => existsSync(file), 'the async invocation');
  });

  await t.test('lambda list-functions and get-function', async () => {
    const list = await awsCliJson<{ Functions: { FunctionName: string; Role: string }[] }>(['lambda', 'list-functions'], cli);
    assert.deepEqual(list.Functions.map((f) => f.FunctionName), ['svc-dev-echo', 'svc-dev-fail', 'svc-dev-record']);
    // The CLI pages by itself; a page size of one must still return everything.
    const paged = await awsCliJson<{ Functions: unknown[] }>(['lambda', 'list-functions', '--page-size', '1'], cli);
    assert.equal(paged.Functions.length, 3);
    const fn = await awsCliJson<{ Configuration: Record<string, unknown>; Code: Record<string, unknown> }>(
      ['lambda', 'get-function', '--function-name', 'svc-dev-echo'], cli);
    assert.equal(fn.Configuration.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-echo');
    assert.equal(fn.Configuration.Role, 'arn:aws:iam::000000000000:role/svc-dev-us-east-1-lambdaRole');
    assert.deepEqual(fn.Configuration.Environment, { Variables: { STAGE: 'dev' } });
    assert.equal(fn.Code.RepositoryType, 'S3');
  });

  await t.test('errors come out as the CLI prints AWS errors', async () => {
    const r = await awsCli(['lambda', 'invoke', '--function-name', 'nope', join(gw.dir, 'nope.json')], cli);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /An error occurred \(ResourceNotFoundException\) when calling the Invoke operation: Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope/);
    const bad = await awsCli(['lambda', 'invoke', '--function-name', 'svc-dev-echo', ...raw, '--payload', '{oops', join(gw.dir, 'bad.json')], cli);
    assert.match(bad.stderr, /\(InvalidRequestContentException\)/);
  });
});
