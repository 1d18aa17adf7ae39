// What Ref and Fn::GetAtt return for the resources of a service, as CloudFormation would answer
// after deploying it: resources declared in `resources.Resources` and those the framework generates
// (functions, their role and log groups, the API ids, buckets of s3 events, topics of sns events).
// Names not given in properties are generated the way CloudFormation does, stable across runs.

import type { ServiceSpec } from './types.ts';
import { resolveIntrinsics, IntrinsicError, type IntrinsicTable } from './intrinsics.ts';
import {
  bucketLogicalId, functionArn, generatedName, lambdaLogicalId, logGroupLogicalId, queueUrl, shortHash,
  stackName as stackNameOf, topicLogicalId,
} from './naming.ts';

export type IntrinsicEntry = { ref: string; attrs: Record<string, string> };

export type IntrinsicTableOptions = {
  /** Entries that win over the defaults, e.g. the real URL of a queue Gannet created. */
  overrides?: Record<string, IntrinsicEntry>;
  /** Exports of other stacks for Fn::ImportValue. */
  exports?: Record<string, string>;
};

/** A table over fixed entries; pseudo parameters as given. */
export function intrinsicTableFromEntries(entries: Record<string, IntrinsicEntry>, pseudo: {
  region: string; accountId: string; stackName: string;
  conditions?: Record<string, unknown>; mappings?: Record<string, unknown>; exports?: Record<string, string>;
}): IntrinsicTable {
  const exportsMap = pseudo.exports ?? {};
  return {
    region: pseudo.region,
    accountId: pseudo.accountId,
    stackName: pseudo.stackName,
    conditions: pseudo.conditions ?? {},
    mappings: pseudo.mappings ?? {},
    ref: (id) => entries[id]?.ref,
    getAtt: (id, attr) => entries[id]?.attrs[attr],
    importValue: (name) => exportsMap[name],
  };
}

type Lazy = () => IntrinsicEntry | undefined;

export function defaultIntrinsicTable(spec: ServiceSpec, opts: IntrinsicTableOptions = {}): IntrinsicTable {
  const { region, accountId } = spec;
  const stack = stackNameOf(spec.service, spec.stage);
  const lazy = new Map<string, Lazy>();
  const cache = new Map<string, IntrinsicEntry | undefined>();
  const busy = new Set<string>();
  const exportsMap = opts.exports ?? {};

  const table: IntrinsicTable = {
    region, accountId, stackName: stack,
    conditions: spec.conditions ?? {},
    mappings: spec.mappings ?? {},
    ref: (id) => entry(id)?.ref,
    getAtt: (id, attr) => entry(id)?.attrs[attr],
    importValue: (name) => exportsMap[name],
    typeOf: (id) => declared.get(id)?.type,
  };

  function entry(id: string): IntrinsicEntry | undefined {
    const o = opts.overrides?.[id];
    if (o) return o;
    if (cache.has(id)) return cache.get(id);
    const make = lazy.get(id);
    if (!make || busy.has(id)) return undefined; // a resource naming itself has no answer
    busy.add(id);
    try {
      const e = make();
      cache.set(id, e);
      return e;
    } finally {
      busy.delete(id);
    }
  }

  /** A property that may be an intrinsic (`QueueName: !Sub ...`), as text, or undefined. */
  const text = (v: unknown): string | undefined => {
    if (v === undefined || v === null) return undefined;
    try {
      const r = resolveIntrinsics(v, table);
      return typeof r === 'string' || typeof r === 'number' ? String(r) : undefined;
    } catch (err) {
      if (err instanceof IntrinsicError) return undefined;
      throw err;
    }
  };

  // Framework-generated resources first; `resources.Resources` entries with the same id override.
  const generated = new Map<string, { type: string; properties: Record<string, unknown> }>();
  for (const fn of Object.values(spec.functions)) {
    generated.set(lambdaLogicalId(fn.key), { type: 'AWS::Lambda::Function', properties: { FunctionName: fn.name } });
    generated.set(logGroupLogicalId(fn.key), { type: 'AWS::Logs::LogGroup', properties: { LogGroupName: `/aws/lambda/${fn.name}` } });
    for (const e of fn.events) {
      if (e.type === 's3' && !e.existing && typeof e.bucket === 'string') {
        generated.set(bucketLogicalId(e.bucket), { type: 'AWS::S3::Bucket', properties: { BucketName: e.bucket } });
      }
      if (e.type === 'sns' && e.topicName && typeof e.arn === 'string' && e.arn.endsWith(`:${accountId}:${e.topicName}`)) {
        generated.set(topicLogicalId(e.topicName), { type: 'AWS::SNS::Topic', properties: { TopicName: e.topicName } });
      }
    }
  }
  generated.set('IamRoleLambdaExecution', { type: 'AWS::IAM::Role', properties: { RoleName: `${spec.service}-${spec.stage}-${region}-lambdaRole` } });
  generated.set('ServerlessDeploymentBucket', { type: 'AWS::S3::Bucket', properties: {} });
  generated.set('ApiGatewayRestApi', { type: 'AWS::ApiGateway::RestApi', properties: {} });
  generated.set('HttpApi', { type: 'AWS::ApiGatewayV2::Api', properties: {} });

  const declared = new Map(generated);
  for (const r of spec.resources) {
    const base = generated.get(r.logicalId);
    declared.set(r.logicalId, { type: r.type, properties: base && base.type === r.type ? { ...base.properties, ...r.properties } : r.properties });
  }
  for (const [id, { type, properties }] of declared) {
    lazy.set(id, () => entryFor(id, type, properties));
  }

  function entryFor(id: string, type: string, p: Record<string, unknown>): IntrinsicEntry | undefined {
    const named = (prop: string, max: number, o: { lower?: boolean; suffix?: string } = {}) =>
      text(p[prop]) ?? generatedName(stack, id, max, o);
    const fifo = p.FifoQueue === true || p.FifoQueue === 'true' || p.FifoTopic === true || p.FifoTopic === 'true';
    switch (type) {
      case 'AWS::SQS::Queue': {
        const name = named('QueueName', 80, fifo ? { suffix: '.fifo' } : {});
        const url = spec.awsEndpointUrl ? `${spec.awsEndpointUrl}/${accountId}/${name}` : queueUrl(region, accountId, name);
        return { ref: url, attrs: { Arn: `arn:aws:sqs:${region}:${accountId}:${name}`, QueueName: name, QueueUrl: url } };
      }
      case 'AWS::SNS::Topic': {
        const name = named('TopicName', 256, fifo ? { suffix: '.fifo' } : {});
        const arn = `arn:aws:sns:${region}:${accountId}:${name}`;
        return { ref: arn, attrs: { TopicArn: arn, TopicName: name } };
      }
      case 'AWS::SNS::Subscription': {
        const topic = text(p.TopicArn) ?? `arn:aws:sns:${region}:${accountId}:${generatedName(stack, id, 256)}`;
        const arn = `${topic}:${uuidOf(stack, id)}`;
        return { ref: arn, attrs: { Arn: arn } };
      }
      case 'AWS::S3::Bucket': {
        const name = named('BucketName', 63, { lower: true });
        return {
          ref: name,
          attrs: {
            Arn: `arn:aws:s3:::${name}`,
            DomainName: `${name}.s3.amazonaws.com`,
            RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
            DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
            WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
          },
        };
      }
      case 'AWS::Lambda::Function': {
        const name = named('FunctionName', 64);
        return { ref: name, attrs: { Arn: functionArn(region, accountId, name) } };
      }
      case 'AWS::DynamoDB::Table': {
        const name = named('TableName', 255);
        const arn = `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
        return { ref: name, attrs: { Arn: arn, StreamArn: `${arn}/stream/1970-01-01T00:00:00.000` } };
      }
      case 'AWS::IAM::Role': {
        const name = named('RoleName', 64);
        const rolePath = text(p.Path) ?? '/';
        return { ref: name, attrs: { Arn: `arn:aws:iam::${accountId}:role${rolePath}${name}`, RoleId: `AROA${shortHash(stack, id, 'role')}` } };
      }
      case 'AWS::Events::Rule': {
        const name = named('Name', 64);
        return { ref: name, attrs: { Arn: `arn:aws:events:${region}:${accountId}:rule/${name}` } };
      }
      case 'AWS::Logs::LogGroup': {
        const name = named('LogGroupName', 512);
        return { ref: name, attrs: { Arn: `arn:aws:logs:${region}:${accountId}:log-group:${name}:*` } };
      }
      case 'AWS::ApiGateway::RestApi': {
        const apiId = apiIdOf(stack, id);
        return { ref: apiId, attrs: { RootResourceId: shortHash(stack, id, 'root').toLowerCase().slice(0, 10) } };
      }
      case 'AWS::ApiGatewayV2::Api': {
        const apiId = apiIdOf(stack, id);
        return { ref: apiId, attrs: { ApiId: apiId, ApiEndpoint: `https://${apiId}.execute-api.${region}.amazonaws.com` } };
      }
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::SNS::TopicPolicy':
      case 'AWS::Lambda::Permission':
        return { ref: generatedName(stack, id, 128), attrs: {} };
      default:
        return undefined;
    }
  }

  return table;
}

function apiIdOf(stack: string, id: string): string {
  return shortHash(stack, id, 'api').toLowerCase().slice(0, 10);
}

/** A UUID-shaped id derived from the stack and logical id, so it is the same on every run. */
function uuidOf(stack: string, id: string): string {
  const h = (shortHash(stack, id, 'a') + shortHash(stack, id, 'b') + shortHash(stack, id, 'c')).toLowerCase().replace(/[^0-9a-f]/g, (c) => ((c.charCodeAt(0) % 16).toString(16)));
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
