// SNS filter policies: the operators AWS documents, on message attributes and on JSON bodies.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filterPolicyMatches, validateFilterPolicy, type FilterAttribute } from '../../src/events/sns-filter-policy.ts';

const s = (v: string): FilterAttribute => ({ DataType: 'String', StringValue: v });
const n = (v: number): FilterAttribute => ({ DataType: 'Number', StringValue: String(v) });
const arr = (v: unknown[]): FilterAttribute => ({ DataType: 'String.Array', StringValue: JSON.stringify(v) });

function attrs(policy: unknown, attributes: Record<string, FilterAttribute>): boolean {
  return filterPolicyMatches(JSON.stringify(policy), 'MessageAttributes', { attributes, body: '' });
}

function body(policy: unknown, message: unknown): boolean {
  return filterPolicyMatches(JSON.stringify(policy), 'MessageBody', { attributes: {}, body: typeof message === 'string' ? message : JSON.stringify(message) });
}

describe('SNS filter policies on message attributes', () => {
  it('matches exact strings with OR inside a key and AND across keys', () => {
    const policy = { store: ['example_corp', 'other'], event: ['order_placed'] };
    assert.equal(attrs(policy, { store: s('other'), event: s('order_placed') }), true);
    assert.equal(attrs(policy, { store: s('other'), event: s('order_cancelled') }), false);
    assert.equal(attrs(policy, { store: s('other') }), false);
    assert.equal(attrs(policy, {}), false);
  });

  it('matches numbers exactly and by range', () => {
    assert.equal(attrs({ price: [100] }, { price: n(100) }), true);
    assert.equal(attrs({ price: [100] }, { price: s('100') }), false);
    assert.equal(attrs({ price: [{ numeric: ['>', 0, '<=', 150] }] }, { price: n(150) }), true);
    assert.equal(attrs({ price: [{ numeric: ['>', 0, '<=', 150] }] }, { price: n(150.5) }), false);
    assert.equal(attrs({ price: [{ numeric: ['=', 3.5] }] }, { price: n(3.5) }), true);
  });

  it('supports prefix, suffix, equals-ignore-case, wildcard and cidr', () => {
    assert.equal(attrs({ kind: [{ prefix: 'ord' }] }, { kind: s('order') }), true);
    assert.equal(attrs({ kind: [{ prefix: 'ord' }] }, { kind: s('word') }), false);
    assert.equal(attrs({ file: [{ suffix: '.png' }] }, { file: s('a.png') }), true);
    assert.equal(attrs({ kind: [{ 'equals-ignore-case': 'ORDER' }] }, { kind: s('Order') }), true);
    assert.equal(attrs({ path: [{ wildcard: 'img/*.jpg' }] }, { path: s('img/cat.jpg') }), true);
    assert.equal(attrs({ path: [{ wildcard: 'img/*.jpg' }] }, { path: s('doc/cat.jpg') }), false);
    assert.equal(attrs({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: s('10.0.0.77') }), true);
    assert.equal(attrs({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: s('10.0.1.77') }), false);
  });

  it('supports anything-but with values, lists and prefixes; absent keys never match it', () => {
    assert.equal(attrs({ kind: [{ 'anything-but': 'test' }] }, { kind: s('live') }), true);
    assert.equal(attrs({ kind: [{ 'anything-but': 'test' }] }, { kind: s('test') }), false);
    assert.equal(attrs({ kind: [{ 'anything-but': ['a', 'b'] }] }, { kind: s('b') }), false);
    assert.equal(attrs({ kind: [{ 'anything-but': { prefix: 'tmp-' } }] }, { kind: s('tmp-1') }), false);
    assert.equal(attrs({ kind: [{ 'anything-but': { prefix: 'tmp-' } }] }, { kind: s('real') }), true);
    assert.equal(attrs({ n: [{ 'anything-but': [1, 2] }] }, { n: n(3) }), true);
    assert.equal(attrs({ kind: [{ 'anything-but': 'test' }] }, {}), false);
  });

  it('supports exists', () => {
    assert.equal(attrs({ kind: [{ exists: true }] }, { kind: s('x') }), true);
    assert.equal(attrs({ kind: [{ exists: true }] }, {}), false);
    assert.equal(attrs({ kind: [{ exists: false }] }, {}), true);
    assert.equal(attrs({ kind: [{ exists: false }] }, { kind: s('x') }), false);
  });

  it('matches String.Array attributes when any element matches', () => {
    assert.equal(attrs({ tags: ['red'] }, { tags: arr(['blue', 'red']) }), true);
    assert.equal(attrs({ tags: ['red'] }, { tags: arr(['blue']) }), false);
  });

  it('joins sub-policies with $or', () => {
    const policy = { source: ['aws.cloudwatch'], $or: [{ metric: ['CPU'] }, { namespace: ['AWS/EC2'] }] };
    assert.equal(attrs(policy, { source: s('aws.cloudwatch'), namespace: s('AWS/EC2') }), true);
    assert.equal(attrs(policy, { source: s('aws.cloudwatch'), metric: s('Disk') }), false);
  });

  it('ignores binary attributes and lets everything through without a policy', () => {
    assert.equal(attrs({ b: [{ exists: true }] }, { b: { DataType: 'Binary', BinaryValue: 'AAE=' } }), false);
    assert.equal(filterPolicyMatches(undefined, undefined, { attributes: {}, body: 'x' }), true);
    assert.equal(filterPolicyMatches('', 'MessageAttributes', { attributes: {}, body: 'x' }), true);
  });
});

describe('SNS filter policies on message bodies', () => {
  it('walks nested keys and arrays of the JSON body', () => {
    const policy = { order: { status: ['paid'], total: [{ numeric: ['>=', 10] }] } };
    assert.equal(body(policy, { order: { status: 'paid', total: 12 } }), true);
    assert.equal(body(policy, { order: { status: 'paid', total: 5 } }), false);
    assert.equal(body(policy, { order: { status: 'open', total: 12 } }), false);
    assert.equal(body({ items: { sku: ['b'] } }, { items: [{ sku: 'a' }, { sku: 'b' }] }), true);
    assert.equal(body({ tags: ['x'] }, { tags: ['y', 'x'] }), true);
    assert.equal(body({ flag: [true], gone: [null] }, { flag: true, gone: null }), true);
  });

  it('never matches a body that is not JSON', () => {
    assert.equal(body({ a: ['b'] }, 'plain text'), false);
  });
});

describe('SNS filter policy validation', () => {
  it('accepts the documented forms and explains the rest', () => {
    assert.equal(validateFilterPolicy(JSON.stringify({ a: ['x', 1, null, { prefix: 'p' }, { numeric: ['>', 1, '<', 5] }, { exists: true }] })), undefined);
    assert.equal(validateFilterPolicy(JSON.stringify({ a: { b: ['x'] } })), undefined);
    assert.match(validateFilterPolicy('{not json') ?? '', /not valid JSON/);
    assert.match(validateFilterPolicy('[]') ?? '', /JSON object/);
    assert.match(validateFilterPolicy(JSON.stringify({ a: 'x' })) ?? '', /array of conditions/);
    assert.match(validateFilterPolicy(JSON.stringify({ a: [{ between: [1, 2] }] })) ?? '', /unknown operator "between"/);
    assert.match(validateFilterPolicy(JSON.stringify({ a: [{ numeric: ['~', 1] }] })) ?? '', /numeric/);
    assert.match(validateFilterPolicy(JSON.stringify({ a: [] })) ?? '', /no conditions/);
  });
});
