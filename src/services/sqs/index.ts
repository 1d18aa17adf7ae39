// SQS on Gannet's AWS endpoint: both wire protocols, standard and FIFO queues, redrive, long polling.
export { createSqsProvider, type SqsProvider, type SendToQueueOptions } from './provider.ts';
export type { MessageAttributeValue } from './md5.ts';
export { md5OfBody, md5OfMessageAttributes } from './md5.ts';
export { encodeReceiptHandle, queueNameOf } from './model.ts';
