// Naming functions as Lambda's Invoke accepts them, and Lambda's errors for unknown ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFunctionRef, resolveFunction } from '../../src/invoke/function-ref.ts';
import type { InvokerContext } from '../../src/invoke/context.ts';
import type { ResolvedFunction } from '../../src/pool/types.ts';
import { GannetError } from '../../src/shared/errors.ts';

test('parseFunctionRef splits the qualifier off every form', () => {
  assert.deepEqual(parseFunctionRef('fn'), { base: 'fn', name: 'fn' });
  assert.deepEqual(parseFunctionRef('fn:$LATEST'), { base: 'fn', name: 'fn', qualifier: '$LATEST' });
  assert.deepEqual(parseFunctionRef('123456789012:function:fn:prod'), { base: '123456789012:function:fn', name: 'fn', qualifier: 'prod' });
  assert.deepEqual(parseFunctionRef('arn:aws:lambda:us-east-1:123456789012:function:fn'),
    { base: 'arn:aws:lambda:us-east-1:123456789012:function:fn', name: 'fn' });
  assert.deepEqual(parseFunctionRef('arn:aws:lambda:us-east-1:123456789012:function:fn:7'),
    { base: 'arn:aws:lambda:us-east-1:123456789012:function:fn', name: 'fn', qualifier: '7' });
});

const arn = 'arn:aws:lambda:us-east-1:123456789012:function:known';
const known = { arn, spec: { name: 'known' } } as unknown as ResolvedFunction;
const ctx = {
  functions: { resolve: (n: string) => (n === 'known' || n === arn ? known : undefined) },
  region: 'us-east-1', accountId: '123456789012',
} as unknown as InvokerContext;

function notFound(fn: () => unknown, message: string) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof GannetError);
    assert.equal(err.awsCode, 'ResourceNotFoundException');
    assert.equal(err.status, 404);
    assert.equal(err.message, message);
    return true;
  });
}

test('$LATEST and no qualifier resolve; other qualifiers are unknown versions', () => {
  assert.equal(resolveFunction(ctx, 'known', undefined).fn, known);
  assert.equal(resolveFunction(ctx, 'known:$LATEST', undefined).qualifier, '$LATEST');
  assert.equal(resolveFunction(ctx, arn, '$LATEST').fn, known);
  notFound(() => resolveFunction(ctx, 'known', '5'), `Function not found: ${arn}:5`);
  notFound(() => resolveFunction(ctx, `${arn}:prod`, undefined), `Function not found: ${arn}:prod`);
});

test('unknown functions are named by their ARN', () => {
  notFound(() => resolveFunction(ctx, 'nope', undefined), 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope');
  notFound(() => resolveFunction(ctx, 'arn:aws:lambda:eu-west-1:999999999999:function:nope', undefined),
    'Function not found: arn:aws:lambda:eu-west-1:999999999999:function:nope');
});

test('a qualifier in the name must agree with the Qualifier parameter', () => {
  assert.throws(() => resolveFunction(ctx, 'known:$LATEST', '3'), (err: unknown) =>
    err instanceof GannetError && err.awsCode === 'InvalidParameterValueException' && err.status === 400);
});
