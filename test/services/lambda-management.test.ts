// Lambda's read-only management calls (ListFunctions, GetFunction, GetFunctionConfiguration) and the
// "not implemented" answer for the rest, through the real @aws-sdk/client-lambda.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateFunctionCommand, GetFunctionCommand, GetFunctionConfigurationCommand, ListFunctionsCommand, ListTagsCommand,
  paginateListFunctions, type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { handlerFunction, startLambdaEndpoint } from './lambda-harness.ts';

const FUNCTIONS = [
  handlerFunction('echo', 'echo', { environment: { STAGE: 'dev', TABLE: 'orders' }, memorySize: 512, timeout: 12 }),
  handlerFunction('fail', 'fail', { architecture: 'arm64', reservedConcurrency: 5 }),
  handlerFunction('context', 'context', { runtime: 'python3.12' }),
  handlerFunction('record', 'record'),
  handlerFunction('hold', 'hold', { name: 'custom-hold' }),
];

async function rejects(p: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try { await p; } catch (err) { return err as never; }
  assert.fail('expected the call to fail');
}

test('Lambda management calls via the SDK', async (t) => {
  const { lambda, endpoint } = await startLambdaEndpoint(t, FUNCTIONS);

  await t.test('ListFunctions lists every function with its configuration, sorted by name', async () => {
    const out = await lambda.send(new ListFunctionsCommand({}));
    assert.deepEqual(out.Functions?.map((f) => f.FunctionName),
      ['custom-hold', 'svc-dev-context', 'svc-dev-echo', 'svc-dev-fail', 'svc-dev-record']);
    assert.equal(out.NextMarker, undefined);
  });

  await t.test('ListFunctions pages with Marker and MaxItems, and the SDK paginator follows it', async () => {
    const first = await lambda.send(new ListFunctionsCommand({ MaxItems: 2 }));
    assert.deepEqual(first.Functions?.map((f) => f.FunctionName), ['custom-hold', 'svc-dev-context']);
    assert.ok(first.NextMarker);
    const second = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker }));
    assert.deepEqual(second.Functions?.map((f) => f.FunctionName), ['svc-dev-echo', 'svc-dev-fail']);
    const third = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: second.NextMarker }));
    assert.deepEqual(third.Functions?.map((f) => f.FunctionName), ['svc-dev-record']);
    assert.equal(third.NextMarker, undefined);
    const names: string[] = [];
    for await (const page of paginateListFunctions({ client: lambda, pageSize: 3 }, {})) {
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName!));
    }
    assert.equal(names.length, 5);
    const bad = await rejects(lambda.send(new ListFunctionsCommand({ MaxItems: 10_001 })));
    assert.equal(bad.$metadata.httpStatusCode, 400);
  });

  await t.test('GetFunctionConfiguration has Lambda\'s FunctionConfiguration shape', async () => {
    const c: FunctionConfiguration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'svc-dev-echo' }));
    assert.equal(c.FunctionName, 'svc-dev-echo');
    assert.equal(c.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-echo');
    assert.equal(c.Runtime, 'nodejs22.x');
    assert.equal(c.Role, 'arn:aws:iam::000000000000:role/svc-dev-us-east-1-lambdaRole');
    assert.equal(c.Handler, 'handlers.echo');
    assert.equal(typeof c.CodeSize, 'number');
    assert.equal(c.Timeout, 12);
    assert.equal(c.MemorySize, 512);
    assert.match(c.LastModified!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    assert.match(c.CodeSha256!, /^[A-Za-z0-9+/]{43}=$/);
    assert.equal(c.Version, '$LATEST');
    assert.deepEqual(c.Environment, { Variables: { STAGE: 'dev', TABLE: 'orders' } });
    assert.deepEqual(c.TracingConfig, { Mode: 'PassThrough' });
    assert.match(c.RevisionId!, /^[0-9a-f-]{36}$/);
    assert.equal(c.State, 'Active');
    assert.equal(c.LastUpdateStatus, 'Successful');
    assert.equal(c.PackageType, 'Zip');
    assert.deepEqual(c.Architectures, ['x86_64']);
    const byArn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-fail' }));
    assert.deepEqual(byArn.Architectures, ['arm64']);
    assert.equal(byArn.Environment, undefined, 'no Environment when a function has no variables');
  });

  await t.test('GetFunction adds Code and Concurrency; accepts partial ARNs, keys and $LATEST', async () => {
    const out = await lambda.send(new GetFunctionCommand({ FunctionName: '000000000000:function:svc-dev-fail', Qualifier: '$LATEST' }));
    assert.equal(out.Configuration?.FunctionName, 'svc-dev-fail');
    assert.equal(out.Code?.RepositoryType, 'S3');
    assert.ok(out.Code?.Location);
    assert.deepEqual(out.Concurrency, { ReservedConcurrentExecutions: 5 });
    const custom = await lambda.send(new GetFunctionCommand({ FunctionName: 'custom-hold' }));
    assert.equal(custom.Configuration?.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:custom-hold');
    const byKey = await lambda.send(new GetFunctionCommand({ FunctionName: 'record' }));
    assert.equal(byKey.Configuration?.FunctionName, 'svc-dev-record');
    const err = await rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'svc-dev-nope' })));
    assert.equal(err.name, 'ResourceNotFoundException');
    assert.equal(err.message, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:svc-dev-nope');
    const version = await rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'svc-dev-echo', Qualifier: '3' })));
    assert.equal(version.name, 'ResourceNotFoundException');
  });

  await t.test('other operations answer one NotImplemented error naming the operation', async () => {
    const err = await rejects(lambda.send(new CreateFunctionCommand({
      FunctionName: 'x', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: Buffer.from('zip') }, Runtime: 'nodejs22.x', Handler: 'h.h',
    })));
    assert.equal(err.name, 'NotImplemented');
    assert.equal(err.$metadata.httpStatusCode, 501);
    assert.match(err.message, /CreateFunction/);
    const tags = await rejects(lambda.send(new ListTagsCommand({ Resource: 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-echo' })));
    assert.match(tags.message, /ListTags/);
  });

  await t.test('an unknown path under a Lambda prefix is UnknownOperationException', async () => {
    const res = await fetch(`${endpoint}/2015-03-31/functions/svc-dev-echo/nothing-here`, { method: 'PATCH' });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  });
});
