// Destination sinks that write straight into the store's queues: what a host without the AWS
// endpoint (tests, `gannet invoke`) uses. The services layer supplies sinks that also fan out SNS.
import { GannetError } from '../shared/errors.ts';
import type { Store } from '../store/types.ts';
import type { DestinationSinks } from './context.ts';

/** arn:aws:sqs:<region>:<account>:<name> → <name> */
function queueNameOf(arn: string): string {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[2] !== 'sqs') {
    throw new GannetError('GANNET_BAD_DESTINATION', `${arn} is not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)`, { status: 400 });
  }
  return parts[5]!;
}

/** String message attributes in the SQS wire shape (`{DataType, StringValue}`), as the SQS provider stores them. */
export function stringAttributes(attrs: Record<string, string>): Record<string, { DataType: 'String'; StringValue: string }> {
  const out: Record<string, { DataType: 'String'; StringValue: string }> = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = { DataType: 'String', StringValue: v };
  return out;
}

export function queueSinks(store: Store): DestinationSinks {
  const unsupported = (kind: string, arn: string) => Promise.reject(new GannetError('GANNET_NO_SINK',
    `cannot deliver to ${kind} ${arn}: this host has no ${kind} endpoint; run the service with \`gannet dev\``));
  return {
    async sqs(queueArn, body, attributes) {
      const msg = attributes === undefined ? { body } : { body, attributes: stringAttributes(attributes) };
      await store.queues.send(queueNameOf(queueArn), [msg]);
    },
    sns: (topicArn) => unsupported('SNS topic', topicArn),
    eventBridge: (busArn) => unsupported('EventBridge bus', busArn),
  };
}
