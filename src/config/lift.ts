// Lift's `queue` and `storage` constructs (serverless-lift), which the public queue and upload
// examples use, done the way the plugin does it: a queue and its dead-letter queue in `resources:`,
// a worker function with an `sqs` event, and `${construct:<id>.queueUrl|queueArn|dlqUrl|dlqArn}`;
// a bucket and `${construct:<id>.bucketName|bucketArn}`. Other construct types are listed once as
// not provided.
import type { KeyPath } from './source.ts';
import type { Reader } from './validate/reader.ts';

type Obj = Record<string, unknown>;

/** Lift names both queues after the stack: `<service>-<stage>-<id>`. */
function logicalIds(id: string): { queue: string; dlq: string } {
  const base = id.replace(/[^A-Za-z0-9]/g, '');
  return { queue: `${base}Queue`, dlq: `${base}Dlq` };
}

/** Lift's storage bucket; without a BucketName it gets a generated name, as CloudFormation gives it. */
function bucketLogicalId(id: string): string {
  return `${id.replace(/[^A-Za-z0-9]/g, '')}Bucket`;
}

const STORAGE_VARIABLES: Record<string, (bucket: string) => unknown> = {
  bucketName: (bucket) => ({ Ref: bucket }),
  bucketArn: (bucket) => ({ 'Fn::GetAtt': [bucket, 'Arn'] }),
};

const QUEUE_VARIABLES: Record<string, (ids: { queue: string; dlq: string }) => unknown> = {
  queueUrl: (ids) => ({ Ref: ids.queue }),
  queueArn: (ids) => ({ 'Fn::GetAtt': [ids.queue, 'Arn'] }),
  dlqUrl: (ids) => ({ Ref: ids.dlq }),
  dlqArn: (ids) => ({ 'Fn::GetAtt': [ids.dlq, 'Arn'] }),
};

/**
 * The value of `${construct:<id>.<name>}`: the intrinsic Lift puts there (resolved later like any
 * `!Ref`), or why there is none.
 */
export function constructVariable(constructs: unknown, address: string | undefined): { value: unknown } | { missing: string; hint: string } {
  const [id, name] = (address ?? '').split('.', 2);
  const construct = constructs !== null && typeof constructs === 'object' && id ? (constructs as Obj)[id] as Obj | undefined : undefined;
  if (!construct) {
    return { missing: `no construct "${id ?? ''}" under constructs:`, hint: 'Declare it under constructs: (Lift\'s queue and storage constructs are supported)' };
  }
  if (construct.type === 'storage') {
    const make = name ? STORAGE_VARIABLES[name] : undefined;
    if (!make) return { missing: `a storage construct has no variable "${name ?? ''}"`, hint: `Use one of ${Object.keys(STORAGE_VARIABLES).join(', ')}` };
    return { value: make(bucketLogicalId(id!)) };
  }
  if (construct.type !== 'queue') {
    return { missing: `construct "${id}" is of type ${String(construct.type)}, which Gannet does not provide`, hint: 'Only Lift\'s queue and storage constructs are supported; give the value with a fallback' };
  }
  const make = name ? QUEUE_VARIABLES[name] : undefined;
  if (!make) return { missing: `a queue construct has no variable "${name ?? ''}"`, hint: `Use one of ${Object.keys(QUEUE_VARIABLES).join(', ')}` };
  return { value: make(logicalIds(id!)) };
}

const DEFAULT_WORKER_TIMEOUT = 6;
const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

/**
 * Replaces `constructs:` (after variables are resolved) with what Lift would deploy: the queue
 * constructs' resources, worker functions and events, the storage constructs' buckets. Warns for
 * other construct types.
 */
export function expandConstructs(r: Reader, config: Obj, stage: string): void {
  const constructs = config.constructs;
  if (constructs === undefined || constructs === null) return;
  const path: KeyPath = ['constructs'];
  const all = r.map(path, constructs, 'a map of Lift constructs (id: {type: queue, worker: {...}})');
  const service = typeof config.service === 'object' && config.service !== null ? (config.service as Obj).name : config.service;
  const provider = (config.provider ?? {}) as Obj;
  const stackName = typeof provider.stackName === 'string' ? provider.stackName : `${String(service)}-${stage}`;
  const resources = ((config.resources ??= {}) as Obj);
  const declared = ((resources.Resources ??= {}) as Obj);
  const functions = ((config.functions ??= {}) as Obj);

  for (const [id, raw] of Object.entries(all)) {
    const at: KeyPath = [...path, id];
    const c = r.map(at, raw, 'a construct: {type: queue, worker: {handler: ...}} or {type: storage}');
    if (c.type === 'storage') {
      // Encryption, versioning and lifecycle rules change nothing a local run observes; extensions apply.
      const extensions = (c.extensions ?? {}) as { bucket?: { Properties?: Obj } };
      declared[bucketLogicalId(id)] = { Type: 'AWS::S3::Bucket', Properties: { ...extensions.bucket?.Properties } };
      continue;
    }
    if (c.type !== 'queue') {
      r.warn([...at, 'type'], `construct ${id} (type ${String(c.type)}) is not provided: Gannet runs Lift's queue and storage construct types only`);
      continue;
    }
    if (c.worker === undefined || c.worker === null) throw r.fail([...at, 'worker'], 'the worker function: {handler: file.export} or the name of a function', c.worker);
    const fifo = c.fifo === true;
    const window = typeof c.maxBatchingWindow === 'number' ? c.maxBatchingWindow : 0;
    const ids = logicalIds(id);
    let workerKey: string;
    let timeout: unknown;
    if (typeof c.worker === 'string') {
      workerKey = c.worker;
      const fn = functions[workerKey];
      if (fn === undefined || fn === null || typeof fn !== 'object') {
        throw r.fail([...at, 'worker'], `the name of a function under functions: (${Object.keys(functions).join(', ') || 'none'})`, c.worker);
      }
      timeout = (fn as Obj).timeout;
    } else {
      const worker = { ...r.map([...at, 'worker'], c.worker, 'the worker function: {handler: file.export}') };
      workerKey = `${id}Worker`;
      timeout = worker.timeout;
      functions[workerKey] = worker;
    }
    const fn = functions[workerKey] as Obj;
    const events = Array.isArray(fn.events) ? fn.events : (fn.events = []) as unknown[];
    const sqs: Obj = {
      arn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      batchSize: typeof c.batchSize === 'number' ? c.batchSize : 1,
      maximumBatchingWindow: window,
      functionResponseType: 'ReportBatchItemFailures',
    };
    if (typeof c.maxConcurrency === 'number') sqs.maximumConcurrency = c.maxConcurrency;
    events.push({ sqs });

    const extensions = (c.extensions ?? {}) as { queue?: { Properties?: Obj }; dlq?: { Properties?: Obj } };
    // Lift: visibility = 6 × the worker's timeout + the batching window, as AWS recommends.
    const workerTimeout = typeof timeout === 'number' ? timeout : DEFAULT_WORKER_TIMEOUT;
    declared[ids.dlq] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: fifo ? `${stackName}-${id}-dlq.fifo` : `${stackName}-${id}-dlq`,
        MessageRetentionPeriod: DLQ_RETENTION_SECONDS,
        ...(fifo && { FifoQueue: true }),
        ...extensions.dlq?.Properties,
      },
    };
    declared[ids.queue] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: fifo ? `${stackName}-${id}.fifo` : `${stackName}-${id}`,
        VisibilityTimeout: workerTimeout * 6 + window,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] }, maxReceiveCount: typeof c.maxRetries === 'number' ? c.maxRetries : 3 },
        ...(fifo && { FifoQueue: true, ContentBasedDeduplication: true }),
        ...(typeof c.delay === 'number' && { DelaySeconds: c.delay }),
        ...extensions.queue?.Properties,
      },
    };
  }
  delete config.constructs;
}
