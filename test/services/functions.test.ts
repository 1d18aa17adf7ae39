import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFunctionDirectory } from '../../src/services/functions.ts';
import { testFunction, testService } from './fixtures.ts';

test('finds a function by deployed name, key, partial ARN and full ARN, with or without qualifier', () => {
  const hello = testFunction('hello');
  const other = testFunction('other', { name: 'custom-name' });
  const spec = testService([hello, other]);
  const dir = createFunctionDirectory(() => spec);
  for (const ref of ['svc-dev-hello', 'hello', 'svc-dev-hello:$LATEST', '000000000000:function:svc-dev-hello',
    'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-hello', 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-hello:prod']) {
    assert.equal(dir.find(ref), hello, ref);
  }
  assert.equal(dir.find('custom-name'), other);
  assert.equal(dir.find('other'), other);
  assert.equal(dir.find('svc-dev-nope'), undefined);
  assert.equal(dir.find('not a name'), undefined);
  assert.deepEqual(dir.all().map((f) => f.name), ['custom-name', 'svc-dev-hello']);
  assert.equal(dir.arnOf(hello), 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-hello');
});

test('rebuilds when the spec object changes, and only then', () => {
  let spec = testService([testFunction('a')]);
  let calls = 0;
  const dir = createFunctionDirectory(() => { calls++; return spec; }, () => 1000);
  const facts = dir.describe!(dir.find('a')!)!;
  assert.equal(facts.service, spec);
  assert.equal(facts.lastModified, 1000);
  assert.equal(dir.describe!(dir.find('a')!)!.revisionId, facts.revisionId);
  spec = testService([testFunction('b')], { region: 'eu-west-1' });
  assert.equal(dir.find('a'), undefined);
  assert.ok(dir.find('b'));
  assert.equal(dir.arnOf(dir.find('b')!), 'arn:aws:lambda:eu-west-1:000000000000:function:svc-dev-b');
  assert.notEqual(dir.describe!(dir.find('b')!)!.revisionId, facts.revisionId);
  assert.ok(calls >= 5);
});
