// Validation into ServiceSpec: defaults, located errors for bad values, warnings, config file forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ConfigError, formatWarning, loadService } from '../../src/config/index.ts';
import { lines, loadError, loadYaml, tempService } from './helpers.ts';

const minimal = (...fnLines: string[]) => lines(
  'service: shop',
  'provider:',
  '  name: aws',
  'functions:',
  '  hello:',
  ...fnLines,
);

test('applies the framework defaults', async (t) => {
  const s = await loadYaml(t, minimal('    handler: handler.hello'));
  assert.equal(s.stage, 'dev');
  assert.equal(s.region, 'us-east-1');
  assert.equal(s.accountId, '000000000000');
  assert.equal(s.provider.runtime, 'nodejs20.x');
  assert.equal(s.provider.httpApi.payload, '2.0');
  const fn = s.functions.hello!;
  assert.deepEqual(fn, {
    key: 'hello', name: 'shop-dev-hello', handler: 'handler.hello', runtime: 'nodejs20.x',
    memorySize: 1024, timeout: 6, environment: {}, maximumRetryAttempts: 2, maximumEventAge: 21600,
    destinations: {}, events: [], architecture: 'x86_64', codeDir: path.dirname(s.file),
  });
  assert.equal(s.dir, path.dirname(s.file));
  assert.deepEqual(s.resources, []);
  assert.deepEqual(s.warnings, []);
});

test('reads provider and function settings, and custom.gannet.accountId', async (t) => {
  const s = await loadYaml(t, lines(
    'service:',
    '  name: legacy-form',
    'provider:',
    '  name: aws',
    '  runtime: python3.12',
    '  region: eu-central-1',
    '  memorySize: 512',
    '  timeout: 20',
    '  architecture: arm64',
    '  environment:',
    '    SHARED: one',
    '    OVERRIDDEN: provider',
    '    REMOVED: provider',
    '    NUMBER: 5',
    '  iam:',
    '    role:',
    '      statements:',
    '        - {Effect: Allow, Action: ["sqs:*"], Resource: "*"}',
    '  apiGateway:',
    '    binaryMediaTypes: ["image/png"]',
    'custom:',
    '  gannet:',
    '    accountId: "123456789012"',
    'functions:',
    '  worker:',
    '    handler: worker.main',
    '    name: custom-name',
    '    runtime: nodejs22.x',
    '    memorySize: 256',
    '    timeout: "30"',
    '    reservedConcurrency: 3',
    '    provisionedConcurrency: 1',
    '    maximumRetryAttempts: 0',
    '    maximumEventAge: 60',
    '    onError: arn:aws:sqs:eu-central-1:123456789012:dlq',
    '    environment:',
    '      OVERRIDDEN: function',
    '      REMOVED: !Ref AWS::NoValue',
    '      FLAG: false',
    '    destinations:',
    '      onSuccess: other',
    '      onFailure: arn:aws:sqs:eu-central-1:123456789012:failed',
    '  other:',
    '    handler: other.main',
    '    destinations:',
    '      onFailure: {type: sns, arn: !Ref Alerts}',
    'resources:',
    '  Resources:',
    '    Alerts: {Type: AWS::SNS::Topic, Properties: {TopicName: alerts}}',
  ));
  assert.equal(s.service, 'legacy-form');
  assert.equal(s.accountId, '123456789012');
  assert.deepEqual(s.provider.iamStatements, [{ Effect: 'Allow', Action: ['sqs:*'], Resource: '*' }]);
  assert.deepEqual(s.provider.apiGateway.binaryMediaTypes, ['image/png']);
  const w = s.functions.worker!;
  assert.equal(w.name, 'custom-name');
  assert.equal(w.runtime, 'nodejs22.x');
  assert.equal(w.memorySize, 256);
  assert.equal(w.timeout, 30);
  assert.equal(w.reservedConcurrency, 3);
  assert.equal(w.provisionedConcurrency, 1);
  assert.equal(w.maximumRetryAttempts, 0);
  assert.equal(w.maximumEventAge, 60);
  assert.equal(w.architecture, 'arm64');
  assert.equal(w.onError, 'arn:aws:sqs:eu-central-1:123456789012:dlq');
  assert.deepEqual(w.environment, { SHARED: 'one', OVERRIDDEN: 'function', NUMBER: '5', FLAG: 'false' });
  assert.deepEqual(w.destinations, {
    onSuccess: { type: 'function', arn: 'arn:aws:lambda:eu-central-1:123456789012:function:legacy-form-dev-other' },
    onFailure: { type: 'sqs', arn: 'arn:aws:sqs:eu-central-1:123456789012:failed' },
  });
  const o = s.functions.other!;
  assert.equal(o.runtime, 'python3.12');
  assert.equal(o.memorySize, 512);
  assert.equal(o.timeout, 20);
  assert.deepEqual(o.destinations, { onFailure: { type: 'sns', arn: 'arn:aws:sns:eu-central-1:123456789012:alerts' } });
});

test('a provided runtime needs no handler', async (t) => {
  const s = await loadYaml(t, minimal('    runtime: provided.al2023'));
  assert.equal(s.functions.hello!.handler, '');
});

const badValues: [string, string[], number, number, string, RegExp][] = [
  ['timeout not a number', ['    handler: h.main', '    timeout: abc'], 7, 5, 'functions.hello.timeout', /expected a number of seconds \(1-900\), got "abc"/],
  ['timeout too long', ['    handler: h.main', '    timeout: 901'], 7, 5, 'functions.hello.timeout', /expected a number of seconds \(1-900\), got 901/],
  ['timeout zero', ['    handler: h.main', '    timeout: 0'], 7, 5, 'functions.hello.timeout', /\(1-900\), got 0/],
  ['memory too small', ['    handler: h.main', '    memorySize: 64'], 7, 5, 'functions.hello.memorySize', /expected a number of MB \(128-10240\), got 64/],
  ['memory too large', ['    handler: h.main', '    memorySize: 20000'], 7, 5, 'functions.hello.memorySize', /\(128-10240\)/],
  ['retries out of range', ['    handler: h.main', '    maximumRetryAttempts: 3'], 7, 5, 'functions.hello.maximumRetryAttempts', /\(0-2\), got 3/],
  ['event age too short', ['    handler: h.main', '    maximumEventAge: 30'], 7, 5, 'functions.hello.maximumEventAge', /\(60-21600\), got 30/],
  ['event age too long', ['    handler: h.main', '    maximumEventAge: 21601'], 7, 5, 'functions.hello.maximumEventAge', /\(60-21600\)/],
  ['handler missing', ['    timeout: 3'], 5, 3, 'functions.hello.handler', /expected a handler such as src\/file\.export \(required for runtime nodejs20\.x\)/],
  ['handler not a string', ['    handler: [a, b]'], 6, 5, 'functions.hello.handler', /expected a handler string.*got a list/],
  ['handler without export', ['    handler: handler'], 6, 5, 'functions.hello.handler', /<file>\.<export>/],
  ['architecture', ['    handler: h.main', '    architecture: sparc'], 7, 5, 'functions.hello.architecture', /expected x86_64 or arm64/],
  ['events not a list', ['    handler: h.main', '    events: {http: GET /}'], 7, 5, 'functions.hello.events', /expected a list of events/],
  ['destination to unknown function', ['    handler: h.main', '    destinations:', '      onSuccess: nobody'], 8, 7, 'functions.hello.destinations.onSuccess', /expected a function of this service \(hello\) or an ARN, got "nobody"/],
  ['destination ARN from an intrinsic without its type', ['    handler: h.main', '    destinations:', '      onFailure: !GetAtt Dlq.Arn'], 8, 7, 'functions.hello.destinations.onFailure', /expected \{type, arn\} when the ARN comes from Ref or Fn::GetAtt \(e\.g\. type: sqs, arn: !GetAtt Queue\.Arn\), got an intrinsic \(Fn::GetAtt\)/],
];

for (const [name, fnLines, line, column, keyPath, message] of badValues) {
  test(`bad value: ${name} → line ${line}`, async (t) => {
    const err = await loadError(t, minimal(...fnLines));
    assert.equal(err.line, line);
    assert.equal(err.column, column);
    assert.equal(err.path, keyPath);
    assert.match(err.message, message);
    assert.ok(err.expected, 'says what was expected');
    assert.match(err.format({ cwd: path.dirname(err.file) }), new RegExp(`^serverless\\.yml:${line}:${column}: ${keyPath.replace(/\./g, '\\.')}: expected `));
  });
}

test('the example message from the brief, with its code frame', async (t) => {
  const err = await loadError(t, minimal('    handler: h.main', '    timeout: abc'));
  assert.equal(err.format({ cwd: path.dirname(err.file) }), [
    'serverless.yml:7:5: functions.hello.timeout: expected a number of seconds (1-900), got "abc"',
    '  6 |     handler: h.main',
    '> 7 |     timeout: abc',
    '    |     ^',
  ].join('\n'));
});

test('structural errors: functions not a map, a function without settings, bad provider', async (t) => {
  let err = await loadError(t, lines('service: s', 'provider: {name: aws}', 'functions: hello'));
  assert.equal(err.path, 'functions');
  assert.equal(err.line, 3);
  assert.match(err.message, /expected a map of function names/);
  err = await loadError(t, lines('service: s', 'provider: {name: aws}', 'functions:', '  - hello'));
  assert.equal(err.path, 'functions[0]');
  assert.equal(err.line, 4);
  err = await loadError(t, lines('service: s', 'provider: {name: aws}', 'functions:', '  hello:'));
  assert.equal(err.path, 'functions.hello');
  assert.equal(err.line, 4);
  err = await loadError(t, lines('service: s', 'provider:', '  name: google', 'functions: {}'));
  assert.equal(err.path, 'provider.name');
  assert.equal(err.line, 3);
  assert.match(err.message, /expected aws/);
  err = await loadError(t, lines('provider: {name: aws}', 'functions: {}'));
  assert.equal(err.path, 'service');
  assert.match(err.message, /expected a service name/);
  err = await loadError(t, lines('service: s', 'provider:', '  name: aws', '  timeout: 1000', 'functions: {}'));
  assert.equal(err.path, 'provider.timeout');
  assert.equal(err.line, 4);
  err = await loadError(t, lines('service: s', 'provider: {name: aws}', 'custom:', '  gannet:', '    accountId: 42', 'functions: {}'));
  assert.equal(err.path, 'custom.gannet.accountId');
  assert.equal(err.line, 5);
  assert.match(err.message, /12-digit/);
});

test('plugins and unknown keys give one warning each with its line, never an error', async (t) => {
  const s = await loadYaml(t, lines(
    'service: s',
    'plugins:',
    '  - serverless-offline',
    '  - serverless-step-functions',
    'frameworkVersion: "3"',
    'mystery: 1',
    'provider:',
    '  name: aws',
    '  logRetentionInDays: 14',
    '  colour: blue',
    '  layers: [arn:aws:lambda:us-east-1:1:layer:x:1]',
    'functions:',
    '  hello:',
    '    handler: h.main',
    '    description: known, ignored',
    '    sparkle: true',
    '    url: true',
  ));
  const got = s.warnings.map((w) => [w.line, w.path, w.message]);
  assert.deepEqual(got, [
    [6, 'mystery', 'unknown top-level key "mystery" is ignored'],
    [3, 'plugins[0]', 'plugin serverless-offline is not loaded: gannet dev serves the API itself'],
    [4, 'plugins[1]', 'plugin serverless-step-functions is not loaded: Gannet does not run Serverless Framework plugins, so what it adds is missing'],
    [10, 'provider.colour', 'unknown provider key "colour" is ignored'],
    [11, 'provider.layers', 'Lambda layers are not provided: their code is not on the functions\' path'],
    [16, 'functions.hello.sparkle', 'unknown function key "sparkle" is ignored'],
    [17, 'functions.hello.url', 'function URLs are not served; use an httpApi event instead'],
  ]);
  assert.ok(s.warnings.every((w) => w.file === s.file));
  assert.equal(formatWarning(s.warnings[0]!, { cwd: path.dirname(s.file) }), 'serverless.yml:6:1: mystery: unknown top-level key "mystery" is ignored');
});

test('unresolvable intrinsics in environment warn and leave the variable out', async (t) => {
  const s = await loadYaml(t, minimal('    handler: h.main', '    environment:', '      QUEUE: !GetAtt Missing.Arn', '      OK: yes'));
  assert.deepEqual(s.functions.hello!.environment, { OK: 'yes' });
  assert.equal(s.warnings.length, 1);
  assert.equal(s.warnings[0]!.line, 8);
  assert.equal(s.warnings[0]!.path, 'functions.hello.environment.QUEUE');
  assert.match(s.warnings[0]!.message, /no resource with logical id Missing/);
});

test('a missing config names the folder and the files looked for', async (t) => {
  const dir = tempService(t, { 'README.md': 'nothing' });
  await assert.rejects(loadService(dir), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.file, dir);
    assert.ok(err.message.includes(dir));
    assert.match(err.message, /serverless\.yml, serverless\.yaml, serverless\.json/);
    return true;
  });
  await assert.rejects(loadService(dir, { configFile: 'other.yml' }), /config file not found.*other\.yml/);
});

test('reads serverless.yaml, serverless.json, a --config file and a serverless.ts module', async (t) => {
  const yamlDir = tempService(t, { 'serverless.yaml': lines('service: from-yaml', 'provider: {name: aws}') });
  assert.equal((await loadService(yamlDir, { env: {} })).service, 'from-yaml');

  const jsonDir = tempService(t, { 'serverless.json': JSON.stringify({ service: 'from-json', provider: { name: 'aws', stage: '${opt:stage, "qa"}' }, functions: { f: { handler: 'f.main', timeout: 'x' } } }, null, 2) });
  const jsonErr = await loadService(jsonDir, { env: {} }).catch((e: unknown) => e);
  assert.ok(jsonErr instanceof ConfigError);
  assert.equal(jsonErr.path, 'functions.f.timeout');
  assert.equal(jsonErr.line, 10, 'JSON files have line numbers too');

  const cfgDir = tempService(t, { 'serverless.yml': 'service: wrong', 'deploy/custom.yml': lines('service: chosen', 'provider: {name: aws}') });
  const chosen = await loadService(cfgDir, { configFile: 'deploy/custom.yml', env: {} });
  assert.equal(chosen.service, 'chosen');
  assert.equal(chosen.file, path.join(cfgDir, 'deploy/custom.yml'));

  const tsDir = tempService(t, {
    'package.json': '{"type": "module"}',
    'serverless.ts': [
      "const config: Record<string, unknown> = {",
      "  service: 'from-ts',",
      "  provider: { name: 'aws', stage: '${opt:stage, \"ts\"}' },",
      "  functions: { f: { handler: 'f.main', events: [{ httpApi: 'GET /ts' }] } },",
      "};",
      "export default config;",
    ].join('\n'),
  });
  const ts = await loadService(tsDir, { env: {} });
  assert.equal(ts.service, 'from-ts');
  assert.equal(ts.stage, 'ts');
  assert.deepEqual(ts.functions.f!.events, [{ type: 'httpApi', method: 'GET', path: '/ts', payload: '2.0' }]);

  const jsDir = tempService(t, { 'serverless.js': "module.exports = Promise.resolve({ service: 'from-js', provider: { name: 'aws' } });", 'package.json': '{}' });
  assert.equal((await loadService(jsDir, { env: {} })).service, 'from-js');
});

test('resources into ResourceSpecs with intrinsics kept; list form merges fragments', async (t) => {
  const s = await loadYaml(t, lines(
    'service: s',
    'provider: {name: aws}',
    'resources:',
    '  - Resources:',
    '      Queue: {Type: AWS::SQS::Queue, Properties: {RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3}}}',
    '      Dlq: {Type: AWS::SQS::Queue}',
    '  - Resources:',
    '      Bucket: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub "${AWS::StackName}-files"}}',
    '    Outputs:',
    '      BucketName: {Value: !Ref Bucket}',
    '    Conditions:',
    '      IsProd: !Equals [!Ref AWS::AccountId, "1"]',
  ));
  assert.deepEqual(s.resources, [
    { logicalId: 'Queue', type: 'AWS::SQS::Queue', properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 3 } } },
    { logicalId: 'Dlq', type: 'AWS::SQS::Queue', properties: {} },
    { logicalId: 'Bucket', type: 'AWS::S3::Bucket', properties: { BucketName: { 'Fn::Sub': '${AWS::StackName}-files' } } },
  ]);
  assert.deepEqual(s.outputs, { BucketName: { Value: { Ref: 'Bucket' } } });
  assert.deepEqual(s.conditions, { IsProd: { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '1'] } });
  const err = await loadError(t, lines('service: s', 'provider: {name: aws}', 'resources:', '  Resources:', '    Queue: {Properties: {}}'));
  assert.equal(err.path, 'resources.Resources.Queue.Type');
  assert.equal(err.line, 5);
});

test('functions as a list of maps (one file each) merge, and errors point into the file that listed them', async (t) => {
  const s = await loadYaml(t, lines(
    'service: split',
    'provider: {name: aws}',
    'functions:',
    '  - ${file(./fns/a.yml)}',
    '  - b: {handler: b.main}',
  ), {}, { 'fns/a.yml': lines('a:', '  handler: a.main') });
  assert.deepEqual(Object.keys(s.functions), ['a', 'b']);
  const err = await loadError(t, lines(
    'service: split',
    'provider: {name: aws}',
    'functions:',
    '  - a: {handler: a.main}',
    '  - b:',
    '      handler: b.main',
    '      timeout: never',
  ));
  assert.equal(err.path, 'functions.b.timeout');
  assert.equal(err.line, 7);
});

test('loading again picks up edited serverless.ts and ${file()} modules (no stale module cache)', async (t) => {
  const dir = tempService(t, {
    'package.json': '{"type": "module"}',
    'serverless.ts': "export default { service: 'first', provider: { name: 'aws' }, custom: { v: '${file(./values.cjs):v}', missing: \"${file(./nope.js), 'fallback'}\" } };",
    'values.cjs': 'module.exports = { v: 1 };',
  });
  const before = await loadService(dir, { env: {} });
  assert.deepEqual([before.service, before.custom.v, before.custom.missing], ['first', 1, 'fallback']);
  const fs = await import('node:fs');
  fs.writeFileSync(path.join(dir, 'serverless.ts'), "export default { service: 'second', provider: { name: 'aws' }, custom: { v: '${file(./values.cjs):v}' } };");
  fs.writeFileSync(path.join(dir, 'values.cjs'), 'module.exports = { v: 2 };');
  const after = await loadService(dir, { env: {} });
  assert.deepEqual([after.service, after.custom.v], ['second', 2]);
});

test('intrinsics of unknown resource types warn once, naming the type; #{...} pseudo parameters resolve', async (t) => {
  const s = await loadYaml(t, lines(
    'service: rds',
    'plugins: [serverless-pseudo-parameters]',
    'provider:',
    '  name: aws',
    '  environment:',
    '    DB_HOST: !GetAtt Cluster.Endpoint.Address',
    '    TOPIC: arn:aws:sns:#{AWS::Region}:#{AWS::AccountId}:alerts',
    'functions:',
    '  a: {handler: a.main}',
    '  b: {handler: b.main}',
    'resources:',
    '  Resources:',
    '    Cluster: {Type: AWS::RDS::DBCluster}',
  ));
  assert.deepEqual(s.functions.a!.environment, { TOPIC: 'arn:aws:sns:us-east-1:000000000000:alerts' });
  const envWarnings = s.warnings.filter((w) => w.path === 'provider.environment.DB_HOST');
  assert.equal(envWarnings.length, 1, 'one warning, not one per function');
  assert.equal(envWarnings[0]!.line, 6);
  assert.equal(envWarnings[0]!.message,
    'Fn::GetAtt Cluster.Endpoint.Address: Gannet does not know the attributes of AWS::RDS::DBCluster (Cluster); DB_HOST is not set for any function');
});

test('stage and region must be usable in names and ARNs', async (t) => {
  let err = await loadError(t, lines('service: s', 'provider:', '  name: aws', '  stage: my stage'));
  assert.equal(err.path, 'provider.stage');
  assert.equal(err.line, 4);
  err = await loadError(t, lines('service: s', 'provider:', '  name: aws', '  region: moon'));
  assert.equal(err.path, 'provider.region');
  err = await loadError(t, lines('service: s', 'provider: {name: aws}'), { stage: 'a/b' });
  assert.match(err.message, /--stage "a\/b": expected a stage name/);
});
