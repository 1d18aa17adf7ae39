// Event normalisation into the EventSpec union (fixture "events"), and located errors for bad events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadService, type EventSpec, type ServiceSpec } from '../../src/config/index.ts';
import { fixtures, lines, loadError, loadYaml } from './helpers.ts';

const DEFAULT_HEADERS = ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token', 'X-Amz-User-Agent', 'X-Amzn-Trace-Id'];
const noParams = { paths: [], querystrings: [], headers: [] };

let loaded: Promise<ServiceSpec> | undefined;
const spec = () => (loaded ??= loadService(path.join(fixtures, 'events'), { env: {} }));
const events = async (fn: string): Promise<EventSpec[]> => (await spec()).functions[fn]!.events;

test('http events: string shorthand, path normalisation, cors true, authorizer forms, parameters', async () => {
  const [health, users, admin, jobs, legacy] = await events('api');
  assert.deepEqual(health, { type: 'http', method: 'GET', path: '/health', integration: 'lambda-proxy', private: false, async: false, requiredParameters: noParams });
  assert.deepEqual(users, {
    type: 'http', method: 'ANY', path: '/users/{id}', integration: 'lambda-proxy', private: false, async: false,
    requiredParameters: { paths: ['id'], querystrings: ['size'], headers: ['X-Tenant'] },
    cors: { origins: ['*'], headers: DEFAULT_HEADERS, methods: ['OPTIONS', 'ANY'], allowCredentials: false },
    authorizer: { name: 'authRest', type: 'token', identitySource: 'method.request.header.Authorization', resultTtlInSeconds: 300 },
  });
  assert.deepEqual(admin, {
    type: 'http', method: 'ANY', path: '/admin', integration: 'lambda-proxy', private: true, async: false, requiredParameters: noParams,
    cors: { origins: ['https://a.com', 'https://b.com'], headers: ['X-Custom'], methods: ['OPTIONS', 'ANY'], allowCredentials: true, maxAge: 86400, cacheControl: 'max-age=600' },
    authorizer: { name: 'authRest', type: 'request', identitySource: '', resultTtlInSeconds: 0, identityValidationExpression: '^Bearer .+$' },
  });
  assert.deepEqual(jobs, {
    type: 'http', method: 'POST', path: '/jobs', integration: 'lambda', private: false, async: true, requiredParameters: noParams,
    authorizer: { name: 'authRest', type: 'token', identitySource: 'method.request.header.Authorization', resultTtlInSeconds: 300 },
  }, 'an ARN naming a function of this service is that function; async means the lambda integration');
  assert.deepEqual(legacy && legacy.type === 'http' && [legacy.integration, legacy.cors], ['lambda', { origins: ['https://one.com'], headers: DEFAULT_HEADERS, methods: ['OPTIONS', 'GET'], allowCredentials: false }]);
});

test('httpApi events: string and object forms, $default, authorizers, payload, provider cors', async () => {
  const api = (await events('api')).slice(5);
  assert.deepEqual(api, [
    { type: 'httpApi', method: 'POST', path: '/orders', payload: '1.0' },
    { type: 'httpApi', method: 'ANY', path: '$default', payload: '1.0' },
    { type: 'httpApi', method: 'GET', path: '/orders/{id}', payload: '1.0', authorizer: { name: 'jwtAuth', scopes: ['orders.read'] } },
    { type: 'httpApi', method: 'ANY', path: '/custom', payload: '1.0', authorizer: { name: 'customAuth' } },
  ]);
  assert.deepEqual(await events('v2'), [{ type: 'httpApi', method: 'GET', path: '/v2', payload: '2.0' }], 'functions.X.httpApi.payload overrides the provider');
  const { httpApi } = (await spec()).provider;
  assert.deepEqual(httpApi.authorizers, {
    jwtAuth: { type: 'jwt', name: 'jwtAuth', identitySource: '$request.header.Authorization', issuerUrl: 'https://issuer.example.com', audience: ['client-1'] },
    customAuth: {
      type: 'request', name: 'customAuth', functionName: 'authHttp', identitySource: ['$request.header.Authorization'],
      enableSimpleResponses: true, payloadVersion: '2.0', resultTtlInSeconds: 60,
    },
  });
  assert.deepEqual(httpApi.cors, {
    origins: ['https://app.example.com'], headers: DEFAULT_HEADERS, allowCredentials: true,
    exposedResponseHeaders: ['X-Request-Id'], maxAge: 600,
    methods: ['OPTIONS', 'POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'HEAD'],
  }, 'without allowedMethods: OPTIONS plus every method used, ANY meaning all');
});

test('schedule events: string, list of rates, input forms, transformer, timezone', async () => {
  const [a, b, c] = await events('workers');
  assert.deepEqual(a, { type: 'schedule', expressions: ['rate(5 minutes)'], enabled: true });
  assert.deepEqual(b, { type: 'schedule', expressions: ['cron(0 12 * * ? *)', 'rate(1 hour)'], enabled: false, name: 'nightly', input: { key: 'value' }, inputPath: '$.detail', timezone: 'Europe/Paris' });
  assert.deepEqual(c, { type: 'schedule', expressions: ['rate(1 day)'], enabled: true, input: { json: true }, inputTransformer: { inputTemplate: '{"at": <time>}', inputPathsMap: { time: '$.time' } } });
});

test('sqs, sns and s3 events with defaults and resolved intrinsics', async () => {
  const [, , , sqsArn, sqsFull, snsName, snsArn, snsRef, snsTopic, s3Name, s3Full, s3Ref, ex1, ex2] = await events('workers');
  assert.deepEqual(sqsArn, { type: 'sqs', arn: 'arn:aws:sqs:eu-west-1:000000000000:jobs', batchSize: 10, maximumBatchingWindow: 0, enabled: true });
  assert.match(String((sqsFull as { arn: unknown }).arn), /^arn:aws:sqs:eu-west-1:000000000000:events-dev-JobsQueue-[A-Z0-9]{12}$/, 'generated queue name');
  assert.deepEqual({ ...sqsFull, arn: 'x' }, {
    type: 'sqs', arn: 'x', batchSize: 100, maximumBatchingWindow: 5, enabled: false,
    functionResponseType: 'ReportBatchItemFailures', maximumConcurrency: 2, filterPatterns: [{ body: { type: ['order'] } }],
  });
  assert.deepEqual(snsName, { type: 'sns', topicName: 'order-events', arn: 'arn:aws:sns:eu-west-1:000000000000:order-events' });
  assert.deepEqual(snsArn, { type: 'sns', arn: 'arn:aws:sns:eu-west-1:000000000000:external', topicName: 'external' });
  assert.deepEqual(snsRef, { type: 'sns', arn: 'arn:aws:sns:eu-west-1:000000000000:alerts', topicName: 'alerts', filterPolicy: { kind: ['new'] }, filterPolicyScope: 'MessageBody' });
  assert.deepEqual(snsTopic, { type: 'sns', topicName: 'named-topic', arn: 'arn:aws:sns:eu-west-1:000000000000:named-topic' });
  assert.deepEqual(s3Name, { type: 's3', bucket: 'photos', event: 's3:ObjectCreated:*', rules: [], existing: false });
  assert.deepEqual(s3Full, { type: 's3', bucket: 'uploads', event: 's3:ObjectRemoved:*', rules: [{ prefix: 'incoming/' }, { suffix: '.jpg' }], existing: true });
  assert.deepEqual(s3Ref, { type: 's3', bucket: 'files-dev', event: 's3:ObjectCreated:*', rules: [], existing: false });
  assert.deepEqual([ex1, ex2], [
    { type: 's3', bucket: 'legacy-bucket', event: 's3:ObjectCreated:Put', rules: [{ prefix: 'in/' }], existing: true },
    { type: 's3', bucket: 'legacy-bucket', event: 's3:ObjectCreated:Post', rules: [{ prefix: 'in/' }], existing: true },
  ]);
});

test('event types Gannet does not run become "other" with one warning per type', async () => {
  const others = (await events('workers')).filter((e) => e.type === 'other');
  assert.deepEqual(others.map((e) => e.type === 'other' && e.name), ['websocket', 'websocket', 'stream', 'mystery']);
  assert.deepEqual((await spec()).warnings.map((w) => [w.line, w.message]), [
    [132, 'websocket events (2 events) are ignored: WebSocket APIs are not served yet'],
    [134, 'stream events are ignored: DynamoDB and Kinesis streams are not run yet'],
    [135, 'unknown event type "mystery" is ignored'],
  ]);
});

const fnWithEvents = (...eventLines: string[]) => lines(
  'service: ev',
  'provider:',
  '  name: aws',
  'functions:',
  '  f:',
  '    handler: f.main',
  '    events:',
  ...eventLines,
);

const badEvents: [string, string[], number, string, RegExp][] = [
  ['schedule expression', ['      - schedule: every 5 minutes'], 8, 'functions.f.events[0].schedule', /expected rate\(<n> <minute\(s\)\|hour\(s\)\|day\(s\)>\) or cron\(<6 fields>\), got "every 5 minutes"/],
  ['rate unit plural', ['      - schedule: rate(1 minutes)'], 8, 'functions.f.events[0].schedule', /singular only for 1/],
  ['cron fields', ['      - schedule:', '          rate: [cron(0 12 * * ?)]'], 9, 'functions.f.events[0].schedule.rate[0]', /cron\(<6 fields>\)/],
  ['http method', ['      - http: FETCH /x'], 8, 'functions.f.events[0].http.method', /expected an HTTP method/],
  ['http shorthand', ['      - http: /x'], 8, 'functions.f.events[0].http', /"METHOD path"/],
  ['httpApi string', ['      - httpApi: orders'], 8, 'functions.f.events[0].httpApi', /"METHOD \/path" \(e\.g\. POST \/orders\) or "\*"/],
  ['httpApi missing method', ['      - httpApi:', '          path: /x'], 8, 'functions.f.events[0].httpApi.method', /expected an HTTP method/],
  ['httpApi unknown authorizer', ['      - httpApi:', '          method: get', '          path: /x', '          authorizer: nope'], 11, 'functions.f.events[0].httpApi.authorizer', /declared in provider\.httpApi\.authorizers \(none are\), got "nope"/],
  ['http authorizer not a function', ['      - http:', '          method: get', '          path: x', '          authorizer: ghost'], 11, 'functions.f.events[0].http.authorizer', /expected a function of this service \(f\), got "ghost"/],
  ['sqs without arn', ['      - sqs:', '          batchSize: 5'], 8, 'functions.f.events[0].sqs.arn', /expected the queue ARN/],
  ['sqs batch size', ['      - sqs:', '          arn: arn:aws:sqs:us-east-1:000000000000:q', '          batchSize: 0'], 10, 'functions.f.events[0].sqs.batchSize', /\(1-10000\), got 0/],
  ['sqs batching window', ['      - sqs:', '          arn: arn:aws:sqs:us-east-1:000000000000:q', '          maximumBatchingWindow: 301'], 10, 'functions.f.events[0].sqs.maximumBatchingWindow', /\(0-300\)/],
  ['s3 rule key', ['      - s3:', '          bucket: b', '          rules: [{contains: x}]'], 10, 'functions.f.events[0].s3.rules[0].contains', /expected prefix or suffix/],
  ['s3 event name', ['      - s3:', '          bucket: b', '          event: ObjectCreated'], 10, 'functions.f.events[0].s3.event', /s3:ObjectCreated:\*/],
  ['two types in one item', ['      - http: GET /a', '        sqs: arn:x'], 8, 'functions.f.events[0]', /one event type per list item/],
];

for (const [name, eventLines, line, keyPath, message] of badEvents) {
  test(`bad event: ${name} → line ${line}`, async (t) => {
    const err = await loadError(t, fnWithEvents(...eventLines));
    assert.equal(err.path, keyPath);
    assert.equal(err.line, line);
    assert.match(err.message, message);
  });
}

test('a duplicate httpApi route is refused at the second one', async (t) => {
  const err = await loadError(t, lines(
    'service: dup',
    'provider: {name: aws}',
    'functions:',
    '  a: {handler: a.main, events: [{httpApi: GET /x}]}',
    '  b:',
    '    handler: b.main',
    '    events:',
    '      - httpApi: get /x',
  ));
  assert.equal(err.line, 8);
  assert.match(err.message, /duplicate httpApi route GET \/x \(already used by function a\)/);
});

test('HTTP API request authorizers must run a function of this service', async (t) => {
  const auth = (fnLine: string) => lines(
    'service: ev',
    'provider:',
    '  name: aws',
    '  httpApi:',
    '    authorizers:',
    '      custom:',
    '        type: request',
    fnLine,
    'functions:',
    '  authFn: {handler: auth.main}',
  );
  const err = await loadError(t, auth('        functionName: nobody'));
  assert.equal(err.path, 'provider.httpApi.authorizers.custom.functionName');
  assert.equal(err.line, 8);
  const byArn = await loadYaml(t, auth('        functionArn: arn:aws:lambda:us-east-1:000000000000:function:ev-dev-authFn'));
  assert.equal(byArn.provider.httpApi.authorizers.custom!.type === 'request' && byArn.provider.httpApi.authorizers.custom!.functionName, 'authFn');
  const outside = await loadYaml(t, auth('        functionArn: arn:aws:lambda:us-east-1:000000000000:function:elsewhere'));
  assert.equal(outside.warnings.length, 1);
  assert.equal(outside.warnings[0]!.line, 8);
  assert.match(outside.warnings[0]!.message, /outside this service/);
});

test('destinations given as {type: function, arn: <function name>}', async (t) => {
  const s = await loadYaml(t, lines(
    'service: d',
    'provider: {name: aws}',
    'functions:',
    '  a:',
    '    handler: a.main',
    '    destinations:',
    '      onSuccess: {type: function, arn: b}',
    '  b: {handler: b.main}',
  ));
  assert.deepEqual(s.functions.a!.destinations, { onSuccess: { type: 'function', arn: 'arn:aws:lambda:us-east-1:000000000000:function:d-dev-b' } });
});

test('onError given as Ref or Fn::GetAtt of a declared queue or topic, as the Serverless Framework allows', async (t) => {
  const s = await loadYaml(t, lines(
    'service: d',
    'provider: {name: aws}',
    'functions:',
    '  a: {handler: a.main, onError: !GetAtt Dlq.Arn}',
    '  b: {handler: b.main, onError: !Ref Alarms}',
    'resources:',
    '  Resources:',
    '    Dlq: {Type: AWS::SQS::Queue, Properties: {QueueName: d-dlq}}',
    '    Alarms: {Type: AWS::SNS::Topic, Properties: {TopicName: d-alarms}}',
  ));
  assert.equal(s.functions.a!.onError, 'arn:aws:sqs:us-east-1:000000000000:d-dlq');
  assert.equal(s.functions.b!.onError, 'arn:aws:sns:us-east-1:000000000000:d-alarms');
  assert.deepEqual(s.warnings, []);
});
