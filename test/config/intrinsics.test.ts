// resolveIntrinsics for every intrinsic, and what defaultIntrinsicTable answers for each resource type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultIntrinsicTable, IntrinsicError, intrinsicTableFromEntries, resolveIntrinsics, type IntrinsicTable,
} from '../../src/config/index.ts';
import { lines, loadYaml } from './helpers.ts';

const table: IntrinsicTable = intrinsicTableFromEntries({
  Queue: { ref: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs', attrs: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:jobs', QueueName: 'jobs' } },
  Bucket: { ref: 'files', attrs: { Arn: 'arn:aws:s3:::files' } },
}, {
  region: 'eu-west-1', accountId: '123456789012', stackName: 'shop-prod',
  conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'AWS::StackName' }, 'shop-prod'] },
    IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    Both: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'a'] }] },
    Either: { 'Fn::Or': [{ Condition: 'IsDev' }, { 'Fn::Equals': [1, '1'] }] },
    Loop: { Condition: 'Loop' },
  },
  mappings: { Sizes: { 'eu-west-1': { Small: 't3.small' } } },
  exports: { 'network-VpcId': 'vpc-123' },
});

const r = (v: unknown) => resolveIntrinsics(v, table);

test('Ref: logical ids and every pseudo parameter', () => {
  assert.equal(r({ Ref: 'Queue' }), 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs');
  assert.equal(r({ Ref: 'AWS::Region' }), 'eu-west-1');
  assert.equal(r({ Ref: 'AWS::AccountId' }), '123456789012');
  assert.equal(r({ Ref: 'AWS::StackName' }), 'shop-prod');
  assert.equal(r({ Ref: 'AWS::Partition' }), 'aws');
  assert.equal(r({ Ref: 'AWS::URLSuffix' }), 'amazonaws.com');
  assert.match(String(r({ Ref: 'AWS::StackId' })), /^arn:aws:cloudformation:eu-west-1:123456789012:stack\/shop-prod\//);
  assert.equal(r({ Ref: 'AWS::NoValue' }), undefined);
});

test('Fn::GetAtt in list and dotted forms', () => {
  assert.equal(r({ 'Fn::GetAtt': ['Queue', 'Arn'] }), 'arn:aws:sqs:eu-west-1:123456789012:jobs');
  assert.equal(r({ 'Fn::GetAtt': 'Queue.QueueName' }), 'jobs');
});

test('Fn::Sub: resources, attributes, pseudo parameters, variables map, ${!Literal}', () => {
  assert.equal(r({ 'Fn::Sub': '${Bucket}/${Queue.QueueName}/${AWS::Region}/${AWS::AccountId}/${AWS::StackName}/${AWS::Partition}/${AWS::URLSuffix}/${!Literal}' }),
    'files/jobs/eu-west-1/123456789012/shop-prod/aws/amazonaws.com/${Literal}');
  assert.equal(r({ 'Fn::Sub': ['${Name}-${Arn}', { Name: 'x', Arn: { 'Fn::GetAtt': ['Bucket', 'Arn'] } }] }), 'x-arn:aws:s3:::files');
  assert.equal(r({ 'Fn::Sub': 'a${AWS::NoValue}b' }), 'ab');
});

test('Fn::Join, Fn::Select, Fn::Split, Fn::Base64, Fn::GetAZs, Fn::Cidr, Fn::FindInMap, Fn::ImportValue', () => {
  assert.equal(r({ 'Fn::Join': [':', ['a', { Ref: 'Bucket' }, 3]] }), 'a:files:3');
  assert.equal(r({ 'Fn::Join': ['', [{ Ref: 'AWS::NoValue' }, 'x']] }), 'x');
  assert.equal(r({ 'Fn::Select': [1, ['a', 'b', 'c']] }), 'b');
  assert.equal(r({ 'Fn::Select': ['0', { 'Fn::Split': [',', 'x,y'] }] }), 'x');
  assert.deepEqual(r({ 'Fn::Split': ['/', { 'Fn::Sub': '${AWS::Region}/b' }] }), ['eu-west-1', 'b']);
  assert.equal(r({ 'Fn::Base64': 'hello' }), 'aGVsbG8=');
  assert.deepEqual(r({ 'Fn::GetAZs': '' }), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  assert.deepEqual(r({ 'Fn::Cidr': ['10.0.0.0/16', 3, 8] }), ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
  assert.equal(r({ 'Fn::FindInMap': ['Sizes', { Ref: 'AWS::Region' }, 'Small'] }), 't3.small');
  assert.equal(r({ 'Fn::ImportValue': 'network-VpcId' }), 'vpc-123');
  assert.equal(r({ 'Fn::ImportValue': { 'Fn::Sub': 'network-VpcId' } }), 'vpc-123');
});

test('Fn::If with Conditions built from Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition', () => {
  assert.equal(r({ 'Fn::If': ['IsProd', 'big', 'small'] }), 'big');
  assert.equal(r({ 'Fn::If': ['IsDev', 'big', 'small'] }), 'small');
  assert.equal(r({ 'Fn::If': ['Both', 1, 2] }), 1);
  assert.equal(r({ 'Fn::If': ['Either', 1, 2] }), 1);
  assert.equal(r({ 'Fn::Equals': ['a', 'b'] }), false);
  assert.deepEqual(r({ A: { 'Fn::If': ['IsDev', 'x', { Ref: 'AWS::NoValue' }] }, B: 1 }), { B: 1 }, 'AWS::NoValue removes the key');
  assert.deepEqual(r(['a', { 'Fn::If': ['IsDev', 'x', { Ref: 'AWS::NoValue' }] }]), ['a'], 'and the list item');
  assert.throws(() => r({ 'Fn::If': ['Loop', 1, 2] }), /refers to itself/);
  assert.throws(() => r({ 'Fn::If': ['Nope', 1, 2] }), /condition Nope is not declared/);
});

test('unknown references throw IntrinsicError, or stay as written with onUnresolved: keep', () => {
  assert.throws(() => r({ Ref: 'Missing' }), (e: unknown) => e instanceof IntrinsicError && e.code === 'GANNET_INTRINSIC' && /Ref Missing: no resource/.test(e.message));
  assert.throws(() => r({ 'Fn::GetAtt': ['Queue', 'Nope'] }), /Queue has no attribute Nope/);
  assert.throws(() => r({ 'Fn::ImportValue': 'other' }), /no stack exports "other"/);
  assert.throws(() => r({ 'Fn::Transform': {} }), /not a CloudFormation intrinsic Gannet evaluates/);
  const kept = resolveIntrinsics({ Good: { Ref: 'Bucket' }, Bad: { 'Fn::Join': ['', [{ Ref: 'Missing' }]] }, List: [{ Ref: 'Missing' }] }, table, { onUnresolved: 'keep' });
  assert.deepEqual(kept, { Good: 'files', Bad: { 'Fn::Join': ['', [{ Ref: 'Missing' }]] }, List: [{ Ref: 'Missing' }] });
});

test('defaultIntrinsicTable: declared resources with and without names, framework-generated ids', async (t) => {
  const s = await loadYaml(t, lines(
    'service: shop',
    'provider: {name: aws, region: eu-west-1, stage: prod}',
    'custom: {gannet: {accountId: "123456789012"}}',
    'functions:',
    '  create-order:',
    '    handler: h.main',
    '    events:',
    '      - s3: Photo-Uploads',
    '      - sns: order-events',
    '      - httpApi: GET /x',
    'resources:',
    '  Resources:',
    '    Named: {Type: AWS::SQS::Queue, Properties: {QueueName: !Sub "${AWS::StackName}-named"}}',
    '    Unnamed: {Type: AWS::SQS::Queue}',
    '    Fifo: {Type: AWS::SQS::Queue, Properties: {FifoQueue: true}}',
    '    Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: alerts}}',
    '    Sub: {Type: AWS::SNS::Subscription, Properties: {TopicArn: !Ref Topic, Protocol: sqs}}',
    '    Files: {Type: AWS::S3::Bucket}',
    '    Table: {Type: AWS::DynamoDB::Table, Properties: {TableName: orders}}',
    '    Role: {Type: AWS::IAM::Role, Properties: {RoleName: worker}}',
    '    Fn: {Type: AWS::Lambda::Function, Properties: {FunctionName: external}}',
    '    Rule: {Type: AWS::Events::Rule}',
    '    S3BucketPhotoUploads: {Type: AWS::S3::Bucket, Properties: {VersioningConfiguration: {Status: Enabled}}}',
    '    Unknown: {Type: AWS::Foo::Bar}',
  ));
  const tb = defaultIntrinsicTable(s);
  assert.equal(tb.stackName, 'shop-prod');
  assert.equal(tb.ref('Named'), 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-prod-named');
  assert.deepEqual(['Arn', 'QueueName', 'QueueUrl'].map((a) => tb.getAtt('Named', a)), [
    'arn:aws:sqs:eu-west-1:123456789012:shop-prod-named', 'shop-prod-named', 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-prod-named',
  ]);
  const unnamed = tb.getAtt('Unnamed', 'QueueName')!;
  assert.match(unnamed, /^shop-prod-Unnamed-[A-Z0-9]{12}$/);
  assert.equal(defaultIntrinsicTable(s).getAtt('Unnamed', 'QueueName'), unnamed, 'generated names are stable');
  assert.match(tb.getAtt('Fifo', 'QueueName')!, /\.fifo$/);
  assert.equal(tb.ref('Topic'), 'arn:aws:sns:eu-west-1:123456789012:alerts');
  assert.equal(tb.getAtt('Topic', 'TopicName'), 'alerts');
  assert.equal(tb.getAtt('Topic', 'TopicArn'), 'arn:aws:sns:eu-west-1:123456789012:alerts');
  assert.match(tb.ref('Sub')!, /^arn:aws:sns:eu-west-1:123456789012:alerts:[0-9a-f-]{36}$/);
  const files = tb.ref('Files')!;
  assert.match(files, /^shop-prod-files-[a-z0-9]{12}$/, 'generated bucket names are lower case');
  assert.deepEqual(['Arn', 'DomainName', 'RegionalDomainName', 'DualStackDomainName', 'WebsiteURL'].map((a) => tb.getAtt('Files', a)), [
    `arn:aws:s3:::${files}`, `${files}.s3.amazonaws.com`, `${files}.s3.eu-west-1.amazonaws.com`,
    `${files}.s3.dualstack.eu-west-1.amazonaws.com`, `http://${files}.s3-website-eu-west-1.amazonaws.com`,
  ]);
  assert.equal(tb.ref('Table'), 'orders');
  assert.equal(tb.getAtt('Table', 'Arn'), 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders');
  assert.match(tb.getAtt('Table', 'StreamArn')!, /^arn:aws:dynamodb:eu-west-1:123456789012:table\/orders\/stream\//);
  assert.equal(tb.getAtt('Role', 'Arn'), 'arn:aws:iam::123456789012:role/worker');
  assert.equal(tb.getAtt('Fn', 'Arn'), 'arn:aws:lambda:eu-west-1:123456789012:function:external');
  assert.match(tb.getAtt('Rule', 'Arn')!, /^arn:aws:events:eu-west-1:123456789012:rule\/shop-prod-Rule-/);
  assert.equal(tb.ref('Unknown'), undefined);
  assert.equal(tb.ref('Nothing'), undefined);

  // Framework-generated logical ids.
  assert.equal(tb.ref('CreateDashorderLambdaFunction'), 'shop-prod-create-order');
  assert.equal(tb.getAtt('CreateDashorderLambdaFunction', 'Arn'), 'arn:aws:lambda:eu-west-1:123456789012:function:shop-prod-create-order');
  assert.equal(tb.ref('CreateDashorderLogGroup'), '/aws/lambda/shop-prod-create-order');
  assert.equal(tb.ref('IamRoleLambdaExecution'), 'shop-prod-eu-west-1-lambdaRole');
  assert.match(tb.ref('ServerlessDeploymentBucket')!, /^shop-prod-serverlessdeploymentbucket-[a-z0-9]{12}$/);
  assert.match(tb.ref('ApiGatewayRestApi')!, /^[a-z0-9]{10}$/);
  assert.match(tb.getAtt('HttpApi', 'ApiEndpoint')!, /^https:\/\/[a-z0-9]{10}\.execute-api\.eu-west-1\.amazonaws\.com$/);
  assert.equal(tb.ref('S3BucketPhotoUploads'), 'Photo-Uploads', 'the s3 event bucket, its resource merged with the declared one');
  assert.equal(tb.ref('SNSTopicOrderevents'), 'arn:aws:sns:eu-west-1:123456789012:order-events');

  // Overrides win: another module can point a logical id at what it really created.
  const custom = defaultIntrinsicTable(s, { overrides: { Named: { ref: 'http://localhost:4566/123456789012/real', attrs: {} } } });
  assert.equal(resolveIntrinsics({ 'Fn::Sub': '${Named}' }, custom), 'http://localhost:4566/123456789012/real');
});
