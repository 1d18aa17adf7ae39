// What every SQS operation works with: the service env, the provider's own small state, and the
// helpers that read common parameters (queue references, integers in range) the same way everywhere.
import type { QueueConfig } from '../../store/types.ts';
import type { RpcContext } from '../protocol/rpc.ts';
import type { ServiceEnv } from '../types.ts';
import { invalidParameterValue, missingParameter, queueDoesNotExist } from './errors.ts';
import { queueArn, queueUrl } from '../identifiers.ts';
import { queueNameOf } from './model.ts';

export type SqsContext = {
  env: ServiceEnv;
  /** Last PurgeQueue per queue (PurgeQueueInProgress within 60 s). */
  purgedAt: Map<string, number>;
  /** Last retention sweep per queue, so receives do not sweep on every call. */
  expiredAt: Map<string, number>;
};

export type Input = Record<string, unknown>;

export type SqsOperation = (sqs: SqsContext, input: Input, rpc: RpcContext) => Promise<unknown>;

export function requireString(input: Input, name: string): string {
  const v = input[name];
  if (v === undefined || v === null || v === '') throw missingParameter(name);
  if (typeof v !== 'string') throw invalidParameterValue(`Value ${JSON.stringify(v)} for parameter ${name} is invalid. Reason: must be a string.`);
  return v;
}

/** An optional integer parameter; `reason` is AWS's wording of the allowed range. */
export function optionalInteger(input: Input, name: string, min: number, max: number, reason: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalidParameterValue(`Value ${String(v)} for parameter ${name} is invalid. Reason: ${reason}`);
  }
  return v;
}

/** The queue a request's QueueUrl (or, for old clients posting to the queue URL, its path) names. */
export async function resolveQueue(sqs: SqsContext, input: Input, rpc: RpcContext): Promise<QueueConfig> {
  let ref = input.QueueUrl;
  if ((ref === undefined || ref === '') && rpc.path.split('/').filter(Boolean).length === 2) ref = rpc.origin + rpc.path;
  if (ref === undefined || ref === '') throw missingParameter('QueueUrl');
  if (typeof ref !== 'string') throw invalidParameterValue('QueueUrl must be a string.');
  return queueByRef(sqs, ref);
}

export async function queueByRef(sqs: SqsContext, ref: string): Promise<QueueConfig> {
  const name = queueNameOf(ref);
  const cfg = name === undefined ? undefined : await sqs.env.store.queues.get(name);
  // Gannet's internal queues (async invocations) are not SQS queues.
  if (!cfg || cfg.internal) throw queueDoesNotExist(ref);
  return cfg;
}

export function urlOf(sqs: SqsContext, rpc: RpcContext, name: string): string {
  return queueUrl(rpc.origin, sqs.env.accountId, name);
}

export function arnOf(sqs: SqsContext, name: string): string {
  return queueArn(sqs.env.region, sqs.env.accountId, name);
}
