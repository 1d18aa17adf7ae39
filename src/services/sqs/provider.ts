// The SQS provider: one operation table, served over both SQS wire protocols (JSON 1.0 and query),
// plus the small programmatic surface other modules use (SNS deliveries, Lambda destinations, resources).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsServiceProvider, CallerIdentity, ServiceEnv } from '../types.ts';
import { notImplemented, serveRpc, type RpcContext } from '../protocol/rpc.ts';
import { arnOf, queueByRef, type SqsContext, type SqsOperation } from './context.ts';
import { fromStoreError } from './errors.ts';
import type { MessageAttributeValue } from './md5.ts';
import { prepareMessage } from './messages.ts';
import {
  changeMessageVisibility, changeMessageVisibilityBatch, deleteByHandles, deleteMessage, deleteMessageBatch, receiveMessage,
  sendMessage, sendMessageBatch,
} from './message-ops.ts';
import {
  createQueue, deleteQueue, ensureQueue, getQueueAttributes, getQueueUrl, listDeadLetterSourceQueues, listQueues,
  listQueueTags, purgeQueue, setQueueAttributes, tagQueue, untagQueue,
} from './queue-ops.ts';
import { SQS_WIRE } from './wire.ts';

/** One method per SQS operation Gannet implements; anything else answers InvalidAction. */
type SqsApi = {
  CreateQueue: SqsOperation; GetQueueUrl: SqsOperation; GetQueueAttributes: SqsOperation;
  SetQueueAttributes: SqsOperation; ListQueues: SqsOperation; DeleteQueue: SqsOperation; PurgeQueue: SqsOperation;
  SendMessage: SqsOperation; SendMessageBatch: SqsOperation; ReceiveMessage: SqsOperation;
  DeleteMessage: SqsOperation; DeleteMessageBatch: SqsOperation;
  ChangeMessageVisibility: SqsOperation; ChangeMessageVisibilityBatch: SqsOperation;
  TagQueue: SqsOperation; UntagQueue: SqsOperation; ListQueueTags: SqsOperation;
  ListDeadLetterSourceQueues: SqsOperation;
};

const SQS_API: SqsApi = {
  CreateQueue: createQueue, GetQueueUrl: getQueueUrl, GetQueueAttributes: getQueueAttributes,
  SetQueueAttributes: setQueueAttributes, ListQueues: listQueues, DeleteQueue: deleteQueue, PurgeQueue: purgeQueue,
  SendMessage: sendMessage, SendMessageBatch: sendMessageBatch, ReceiveMessage: receiveMessage,
  DeleteMessage: deleteMessage, DeleteMessageBatch: deleteMessageBatch,
  ChangeMessageVisibility: changeMessageVisibility, ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  TagQueue: tagQueue, UntagQueue: untagQueue, ListQueueTags: listQueueTags,
  ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
};

export type SendToQueueOptions = {
  /** FIFO queues: required group, and a deduplication id unless the queue deduplicates by content. */
  groupId?: string;
  dedupId?: string;
};

export type SqsProvider = AwsServiceProvider & {
  /** Sends one message to a queue named by ARN (or URL, or name): SNS deliveries, Lambda destinations.
   *  Throws QueueDoesNotExist / InvalidParameterValue as SendMessage would. */
  sendToArn(queueArn: string, body: string, attrs?: Record<string, MessageAttributeValue>, opts?: SendToQueueOptions): Promise<void>;
  /** ReceiveMessage with every attribute, for event source mappings (`sqs` events); redrive applies. */
  receive(queueRef: string, o: { max: number; waitSeconds: number; signal?: AbortSignal }): Promise<ReceivedMessage[]>;
  /** Deletes received messages by receipt handle (stale handles are ignored, as DeleteMessage does). */
  delete(queueRef: string, receiptHandles: string[]): Promise<void>;
  /** Creates a queue, or brings an existing one's attributes and tags to the given ones (as a deploy
   *  of `resources:` would); returns its ARN. Invalid attributes throw as CreateQueue would. */
  ensureQueue(name: string, attributes?: Record<string, string>, tags?: Record<string, string>): Promise<string>;
};

export function createSqsProvider(env: ServiceEnv): SqsProvider {
  const sqs: SqsContext = { env, purgedAt: new Map(), expiredAt: new Map() };
  return {
    name: 'sqs',
    handle(req: IncomingMessage, res: ServerResponse, caller: CallerIdentity): Promise<void> {
      return serveRpc(req, res, caller, SQS_WIRE, async (operation, input, rpc) => {
        const op = Object.hasOwn(SQS_API, operation) ? SQS_API[operation as keyof SqsApi] : undefined;
        if (!op) throw notImplemented(`SQS ${operation}`);
        try {
          return await op(sqs, input, rpc);
        } catch (err) {
          throw fromStoreError(err);
        }
      }, env.log);
    },
    async sendToArn(queueArn, body, attrs, opts = {}) {
      const cfg = await queueByRef(sqs, queueArn);
      const entry: Record<string, unknown> = { MessageBody: body, MessageAttributes: attrs };
      if (cfg.fifo) {
        entry.MessageGroupId = opts.groupId;
        if (opts.dedupId !== undefined) entry.MessageDeduplicationId = opts.dedupId;
      }
      const prepared = prepareMessage(cfg, entry, env.accountId);
      await env.store.queues.send(cfg.name, [prepared.message]);
    },
    async receive(queueRef, o) {
      const rpc = internalRpc('ReceiveMessage', env.region, o.signal);
      const input = { QueueUrl: queueRef, MaxNumberOfMessages: o.max, WaitTimeSeconds: o.waitSeconds,
        MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] };
      const out = await receiveMessage(sqs, input, rpc) as { Messages?: ReceivedMessage[] };
      return out.Messages ?? [];
    },
    async delete(queueRef, receiptHandles) {
      await deleteByHandles(sqs, await queueByRef(sqs, queueRef), receiptHandles);
    },
    async ensureQueue(name, attributes = {}, tags = {}) {
      await ensureQueue(sqs, name, attributes, tags, { converge: true });
      return arnOf(sqs, name);
    },
  };
}

/** A received message as ReceiveMessage answers it (JSON member names). */
export type ReceivedMessage = {
  MessageId: string; ReceiptHandle: string; Body: string; MD5OfBody: string; MD5OfMessageAttributes?: string;
  Attributes?: Record<string, string>; MessageAttributes?: Record<string, MessageAttributeValue>;
};

/** The RPC context of a call Gannet makes itself (no client, no Host to build URLs from). */
function internalRpc(operation: string, region: string, signal: AbortSignal = new AbortController().signal): RpcContext {
  return { protocol: 'json', operation, requestId: randomUUID(), origin: 'http://127.0.0.1', path: '/', region, signal };
}
