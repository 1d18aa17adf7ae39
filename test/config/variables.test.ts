// Variable resolution as the Serverless Framework v3 does it, and its errors with line and key path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadService } from '../../src/config/index.ts';
import { fixtures, lines, loadError, loadYaml } from './helpers.ts';

const dir = path.join(fixtures, 'variables');

test('resolves every source and fallback form (fixture "variables", stage prod)', async () => {
  const s = await loadService(dir, {
    stage: 'prod', env: { GANNET_TEST_VAR: 'from-env' }, options: { color: 'red' },
  });
  const env = s.provider.environment;
  assert.equal(env.FROM_ENV, 'from-env');
  assert.equal(env.PORT, 3000, 'numeric fallback keeps its type');
  assert.equal(env.FLAG, true, 'boolean fallback keeps its type');
  assert.equal(env.CHAIN, 'from-custom', 'fallback may itself be a source: env → env → self');
  assert.equal(env.REGION, 'us-east-1');
  assert.equal(env.ACCOUNT, '000000000000');
  assert.equal(env.SSM, 'local-ssm');
  assert.equal(env.CF, 'local-cf');
  assert.equal(env.PARAM, 'prod-host', 'params.<stage> wins over params.default');
  assert.equal(env.PARAM_DEFAULT, 'from-default');
  assert.equal(env.CUSTOM_OPT, 'red', 'any CLI option via opt:');
  assert.match(String(env.INSTANCE), /^[0-9a-f-]{36}$/);

  const c = s.custom;
  assert.equal(c.url, 'https://prod.example.com', 'nested variable in the address');
  assert.deepEqual(c.whole, { url: 'https://dev.example.com' }, 'a whole-value variable keeps an object');
  assert.equal(c.count, 42, 'a whole-value variable keeps a number');
  assert.equal(c.text, 'count=42', 'interpolation makes text');
  assert.deepEqual(c.fromYaml, { db: { host: 'db.local', port: 5432 }, service: 'vars' }, 'variables inside an included file resolve against this service');
  assert.equal(c.fromYamlKey, 'db.local');
  assert.deepEqual(c.fromJson, { max: 10, names: ['a', 'b'] });
  assert.deepEqual(c.fromJs, { answer: 41, nested: { ok: true } });
  assert.deepEqual(c.fromJsFn, { stageName: 'vars-prod', optionStage: 'prod' }, 'an exported async function gets options, resolveVariable, resolveConfigurationProperty');
  assert.equal(c.fromJsFnKey, 'vars-prod');
  assert.equal(c.fromMjs, 43);
  assert.equal(c.pem, '-----BEGIN KEY-----\nabc\n-----END KEY-----\n', 'other extensions are read as text');
  assert.equal(c.missingFile, 'no-file');
  assert.equal(c.perStage, 'prod-config', 'variable inside the file path');
  assert.equal(c.indirect, 'from-custom', 'a variable resolving to a property holding a variable');
  assert.equal(c.quoted, 'double "quoted"');
  assert.equal(c.nullish, null);
  assert.deepEqual(c.cfSub, { 'Fn::Sub': 'arn:aws:s3:::${AWS::Region}-${Bucket.Arn}-${!Literal}-vars' },
    'CloudFormation placeholders are left alone, framework variables beside them resolve');
  assert.equal(c.escaped, '${self:service}', 'a backslash escapes a variable');
  assert.deepEqual(c.allOptions, { color: 'red', stage: 'prod' });
  assert.equal(c.boolStr, false);
  assert.deepEqual(s.warnings, []);
});

test('stage falls back to provider.stage then dev; params from --param win', async () => {
  const s = await loadService(dir, { env: {}, params: { dbHost: 'cli-host' } });
  assert.equal(s.stage, 'dev');
  assert.equal(s.custom.url, 'https://dev.example.com');
  assert.equal(s.custom.perStage, 'dev-config');
  assert.equal(s.provider.environment.PARAM, 'cli-host');
  assert.equal(s.provider.environment.FROM_ENV, 'unset');
  assert.deepEqual(s.custom.fromJsFn, { stageName: 'vars-dev', optionStage: null });
});

test('the usual stage line: ${opt:stage, self:provider.stage, "dev"} style fallbacks', async (t) => {
  const yml = lines(
    'service: st',
    'provider: {name: aws}',
    'custom:',
    "  stage: ${opt:stage, self:custom.declared, 'dev'}",
    "  plain: ${opt:stage, self:custom.missing, 'dev'}",
    '  declared: from-file',
    'functions: {}',
  );
  let s = await loadYaml(t, yml);
  assert.equal(s.custom.stage, 'from-file');
  assert.equal(s.custom.plain, 'dev');
  s = await loadYaml(t, yml, { stage: 'cli' });
  assert.equal(s.custom.stage, 'cli');
  assert.equal(s.custom.plain, 'cli');
});

test('${self:} is the whole configuration', async (t) => {
  const s = await loadYaml(t, lines(
    'service: whole',
    'provider: {name: aws}',
    'custom:',
    '  copy: ${self:}',
    'functions: {}',
  ));
  const copy = s.custom.copy as Record<string, unknown>;
  assert.equal(copy.service, 'whole');
  assert.deepEqual(copy.provider, { name: 'aws' });
});

test('a variable resolving to text with more variables resolves again', async (t) => {
  const s = await loadYaml(t, lines(
    'service: again',
    'provider: {name: aws, stage: qa}',
    'custom:',
    '  template: ${env:TEMPLATE}',
    'functions: {}',
  ), { env: { TEMPLATE: 'stage-${sls:stage}' } });
  assert.equal(s.custom.template, 'stage-qa');
});

test('an unresolvable variable names line, column, key path and the source', async (t) => {
  const err = await loadError(t, lines(
    'service: broken',
    'provider:',
    '  name: aws',
    '  environment:',
    '    DB_URL: ${env:DB_URL}',
    'functions: {}',
  ));
  assert.equal(err.line, 5);
  assert.equal(err.column, 13);
  assert.equal(err.path, 'provider.environment.DB_URL');
  assert.match(err.message, /cannot resolve \$\{env:DB_URL\}: environment variable DB_URL is not set/);
  assert.match(err.format({ cwd: path.dirname(err.file) }), /^serverless\.yml:5:13: provider\.environment\.DB_URL: cannot resolve/);
  assert.match(err.format(), /> 5 \|     DB_URL: \$\{env:DB_URL\}\n {4}\| {13}\^/);
});

test('a cycle names the chain', async (t) => {
  const err = await loadError(t, lines(
    'service: cyclic',
    'provider: {name: aws}',
    'custom:',
    '  a: ${self:custom.b}',
    '  b: ${self:custom.a}',
    'functions: {}',
  ));
  assert.match(err.message, /circular variable reference: self:custom\.a → self:custom\.b → self:custom\.a/);
  assert.equal(err.line, 4);
});

test('a property referring to its own parent is a cycle', async (t) => {
  const err = await loadError(t, lines(
    'service: cyclic',
    'provider: {name: aws}',
    'custom:',
    '  own: ${self:custom}',
    'functions: {}',
  ));
  assert.match(err.message, /circular variable reference: self:custom\.own → self:custom\.own/);
});

test('AWS-only sources without fallback explain how to give the value locally', async (t) => {
  for (const [value, source] of [['${ssm:/app/db-password}', 'SSM Parameter Store'], ['${cf:network.VpcId}', 'CloudFormation'], ['${s3:bucket/key}', 'S3'], ['${aws:partition}', 'AWS']]) {
    const err = await loadError(t, lines('service: aws-only', 'provider: {name: aws}', `custom: {value: '${value}'}`, 'functions: {}'));
    assert.equal(err.line, 3);
    assert.equal(err.path, 'custom.value');
    assert.ok(err.message.includes(source!), err.message);
    assert.match(err.message, /does not contact.*fallback.*--param.*\$\{env:NAME\}/);
  }
});

test('missing param names the stage and the ways to set it', async (t) => {
  const err = await loadError(t, lines('service: p', 'provider: {name: aws}', 'custom:', '  host: ${param:dbHost}', 'functions: {}'), { stage: 'qa' });
  assert.equal(err.line, 4);
  assert.match(err.message, /parameter "dbHost" is not set for stage "qa".*--param dbHost=value.*params\.qa\.dbHost.*params\.default\.dbHost/);
});

test('self reference to a missing key and missing option are errors at the value', async (t) => {
  let err = await loadError(t, lines('service: s', 'provider: {name: aws}', 'custom:', '  x: ${self:custom.nope}', 'functions: {}'));
  assert.equal(err.line, 4);
  assert.match(err.message, /no value at "custom\.nope"/);
  err = await loadError(t, lines('service: s', 'provider:', '  name: aws', '  stage: ${opt:stage}', 'functions: {}'));
  assert.equal(err.line, 4);
  assert.match(err.message, /option --stage was not given/);
});

test('a missing file without fallback names the file', async (t) => {
  const err = await loadError(t, lines('service: s', 'provider: {name: aws}', 'custom: ${file(./custom.yml)}', 'functions: {}'));
  assert.equal(err.line, 3);
  assert.equal(err.path, 'custom');
  assert.match(err.message, /file \.\/custom\.yml not found/);
});

test('a YAML error inside an included file names that file and line', async (t) => {
  const err = await loadError(t, lines('service: s', 'provider: {name: aws}', 'custom: ${file(./custom.yml)}', 'functions: {}'), {}, {
    'custom.yml': lines('a: 1', 'b: [unclosed'),
  });
  assert.ok(err.file.endsWith('custom.yml'));
  assert.ok(err.line !== undefined && err.line >= 2);
});

test('an object inside text and malformed syntax are errors at the value', async (t) => {
  let err = await loadError(t, lines('service: s', 'provider: {name: aws}', 'custom:', '  obj: {a: 1}', '  text: x-${self:custom.obj}', 'functions: {}'));
  assert.equal(err.line, 5);
  assert.match(err.message, /resolved to a map, which cannot be part of the text/);
  err = await loadError(t, lines('service: s', 'provider: {name: aws}', 'custom:', '  bad: ${env:X, dev}', 'functions: {}'));
  assert.equal(err.line, 4);
  assert.match(err.message, /invalid variable syntax: invalid fallback "dev"/);
  err = await loadError(t, lines('service: s', 'provider: {name: aws}', 'custom:', '  open: ${env:X', 'functions: {}'));
  assert.match(err.message, /missing closing "}"/);
});

test('an unknown source uses its fallback, or says which sources exist', async (t) => {
  const s = await loadYaml(t, lines('service: s', 'provider: {name: aws}', "custom: {v: '${vault:secret, \"local\"}'}", 'functions: {}'));
  assert.equal(s.custom.v, 'local');
  const err = await loadError(t, lines('service: s', 'provider: {name: aws}', "custom: {v: '${vault:secret}'}", 'functions: {}'));
  assert.match(err.message, /unknown variable source "vault".*self, env, opt, sls, param, file/);
});

test('useDotenv loads .env.<stage> for ${env:...} without overriding the environment', async (t) => {
  const s = await loadYaml(t, lines(
    'service: dotenv',
    'useDotenv: true',
    'provider: {name: aws}',
    'custom: {a: "${env:A}", b: "${env:B}"}',
    'functions: {}',
  ), { stage: 'qa', env: { B: 'from-process' } }, { '.env.qa': 'A=from-file\nB=from-file\n', '.env': 'A=wrong\n' });
  assert.equal(s.custom.a, 'from-file');
  assert.equal(s.custom.b, 'from-process');
});
