// YAML reading: CloudFormation short tags into long forms, positions, syntax errors with line:column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/index.ts';
import { parseYaml } from '../../src/config/yaml.ts';
import { lines } from './helpers.ts';

test('turns every CloudFormation short tag into its long form', () => {
  const { value, warnings } = parseYaml(lines(
    'ref: !Ref JobsQueue',
    'getAttDotted: !GetAtt JobsQueue.Arn',
    'getAttList: !GetAtt [JobsQueue, Arn]',
    'getAttNested: !GetAtt Db.Endpoint.Address',
    'sub: !Sub "arn:aws:s3:::${Bucket}/*"',
    'subList: !Sub ["${A}-x", {A: !Ref Thing}]',
    'join: !Join [":", [a, !Ref B]]',
    'select: !Select [0, !GetAZs ""]',
    'split: !Split [",", "a,b"]',
    'importValue: !ImportValue shared-vpc',
    'if: !If [IsProd, !Ref A, !Ref "AWS::NoValue"]',
    'equals: !Equals [!Ref "AWS::Region", us-east-1]',
    'not: !Not [!Condition IsProd]',
    'and: !And [!Condition A, !Condition B]',
    'or: !Or [!Condition A, !Condition B]',
    'base64: !Base64 hello',
    'cidr: !Cidr ["10.0.0.0/16", 2, 8]',
    'findInMap: !FindInMap [Regions, !Ref "AWS::Region", Ami]',
    'getAZs: !GetAZs eu-west-1',
    'condition: !Condition IsProd',
  ), '/svc/serverless.yml');
  assert.deepEqual(warnings, []);
  assert.deepEqual(value, {
    ref: { Ref: 'JobsQueue' },
    getAttDotted: { 'Fn::GetAtt': ['JobsQueue', 'Arn'] },
    getAttList: { 'Fn::GetAtt': ['JobsQueue', 'Arn'] },
    getAttNested: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] },
    sub: { 'Fn::Sub': 'arn:aws:s3:::${Bucket}/*' },
    subList: { 'Fn::Sub': ['${A}-x', { A: { Ref: 'Thing' } }] },
    join: { 'Fn::Join': [':', ['a', { Ref: 'B' }]] },
    select: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
    split: { 'Fn::Split': [',', 'a,b'] },
    importValue: { 'Fn::ImportValue': 'shared-vpc' },
    if: { 'Fn::If': ['IsProd', { Ref: 'A' }, { Ref: 'AWS::NoValue' }] },
    equals: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
    not: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    and: { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] },
    or: { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] },
    base64: { 'Fn::Base64': 'hello' },
    cidr: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] },
    findInMap: { 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Ami'] },
    getAZs: { 'Fn::GetAZs': 'eu-west-1' },
    condition: { Condition: 'IsProd' },
  });
});

test('records key and value positions, including inside lists and merged anchors', () => {
  const { source, value } = parseYaml(lines(
    'base: &base',
    '  timeout: 3',
    'functions:',
    '  hello:',
    '    <<: *base',
    '    events:',
    '      - http: GET /x',
  ), '/svc/serverless.yml');
  assert.deepEqual((value as { functions: unknown }).functions, { hello: { events: [{ http: 'GET /x' }], timeout: 3 } });
  assert.deepEqual(source.locate(['functions', 'hello', 'events']), { line: 6, column: 5 });
  assert.deepEqual(source.locate(['functions', 'hello', 'events', 0, 'http'], 'value'), { line: 7, column: 15 });
  // A merged key points at its anchor's definition.
  assert.deepEqual(source.locate(['functions', 'hello', 'timeout']), { line: 2, column: 3 });
  // Unknown paths fall back to the nearest known ancestor.
  assert.deepEqual(source.locate(['functions', 'hello', 'events', 0, 'http', 'method']), { line: 7, column: 9 });
});

test('a YAML syntax error is a ConfigError with line, column and a code frame', () => {
  const text = lines('service: x', 'provider:', '  name: aws', ' runtime: nodejs20.x: bad');
  assert.throws(() => parseYaml(text, '/svc/serverless.yml'), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.line, 4);
    assert.ok(err.column! >= 1);
    assert.match(err.format({ cwd: '/svc' }), /^serverless\.yml:4:\d+: YAML syntax error: /);
    assert.match(err.format({ cwd: '/svc' }), />\s+4 \|  runtime: nodejs20\.x: bad\n\s+\|\s+\^/);
    return true;
  });
});

test('duplicate keys are an error at the second key', () => {
  assert.throws(() => parseYaml(lines('a: 1', 'b: 2', 'a: 3'), '/svc/serverless.yml'),
    (err: unknown) => err instanceof ConfigError && err.line === 3 && /unique/.test(err.message));
});

test('an unknown tag warns with its line and keeps the value', () => {
  const { value, warnings } = parseYaml(lines('a: 1', 'b: !Shout hello'), '/svc/serverless.yml');
  assert.deepEqual(value, { a: 1, b: 'hello' });
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.line, 2);
  assert.match(warnings[0]!.message, /!Shout/);
});
