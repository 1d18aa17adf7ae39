// SNS on Gannet's AWS endpoint: topics, subscriptions (lambda, sqs, http/https), publish with filter
// policies and FIFO topics; deliveries are built in events/sns-delivery.ts.
export { createSnsProvider, type SnsProvider, type PublishOptions, type SnsMessageAttribute } from './provider.ts';
export type { QueueSender } from './context.ts';
export { topicArn } from './model.ts';
