// Where an async event goes when it is done: Lambda's destination record (on-success / on-failure)
// and the legacy dead-letter queue message. One builder for the record, used by tests too.
import type { Destination } from '../config/types.ts';
import type { ResolvedFunction } from '../pool/types.ts';
import type { InvokerContext } from './context.ts';
import type { Invoker } from './types.ts';
import { LATEST } from './function-ref.ts';

export type DestinationCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** The last attempt's answer, kept so a failure record can carry it. */
export type LastResponse = { payload: string; functionError?: 'Handled' | 'Unhandled' };

export type DestinationRecord = {
  version: '1.0';
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: DestinationCondition; approximateInvokeCount: number };
  requestPayload: unknown;
  responseContext?: { statusCode: number; executedVersion: string; functionError?: string };
  responsePayload?: unknown;
};

/** Payloads are embedded as JSON when they parse, else as strings. */
function embed(text: string): unknown {
  try { return JSON.parse(text); } catch { return text; }
}

export function destinationRecord(args: {
  at: number; requestId: string; functionArn: string; condition: DestinationCondition;
  invokeCount: number; requestPayload: string; response?: LastResponse;
}): DestinationRecord {
  const rec: DestinationRecord = {
    version: '1.0',
    timestamp: new Date(args.at).toISOString(),
    requestContext: {
      requestId: args.requestId, functionArn: args.functionArn,
      condition: args.condition, approximateInvokeCount: args.invokeCount,
    },
    requestPayload: embed(args.requestPayload),
  };
  // An event that expired before any execution has no response to report.
  if (args.response !== undefined) {
    rec.responseContext = { statusCode: 200, executedVersion: LATEST };
    if (args.response.functionError !== undefined) rec.responseContext.functionError = args.response.functionError;
    rec.responsePayload = embed(args.response.payload);
  }
  return rec;
}

export async function deliverDestination(ctx: InvokerContext, invoker: Invoker, dest: Destination, rec: DestinationRecord): Promise<void> {
  const body = JSON.stringify(rec);
  switch (dest.type) {
    case 'function':
      await invoker.invoke(dest.arn, Buffer.from(body), { mode: 'async', trigger: { kind: 'destination' } });
      return;
    case 'sqs': return ctx.sinks.sqs(dest.arn, body);
    case 'sns': return ctx.sinks.sns(dest.arn, body);
    case 'eventBridge': return ctx.sinks.eventBridge(dest.arn, {
      source: 'lambda',
      detailType: `Lambda Function Invocation Result - ${rec.requestContext.condition === 'Success' ? 'Success' : 'Failure'}`,
      detail: rec,
      resources: [rec.requestContext.functionArn],
    });
  }
}

/** Lambda truncates the DLQ's ErrorMessage attribute to 1 KB. */
const DLQ_ERROR_MESSAGE_BYTES = 1024;

/** The DLQ gets the original event as the body, with RequestID, ErrorCode and ErrorMessage attributes. */
export async function deliverDeadLetter(ctx: InvokerContext, fn: ResolvedFunction, targetArn: string,
  requestId: string, payload: string, response: LastResponse | undefined): Promise<void> {
  let message = 'Event age exceeded';
  if (response !== undefined) {
    const parsed = embed(response.payload) as { errorMessage?: unknown } | undefined;
    message = typeof parsed?.errorMessage === 'string' ? parsed.errorMessage : response.payload;
  }
  const bytes = Buffer.from(message, 'utf8');
  if (bytes.length > DLQ_ERROR_MESSAGE_BYTES) message = bytes.subarray(0, DLQ_ERROR_MESSAGE_BYTES).toString('utf8');
  const attributes = { RequestID: requestId, ErrorCode: '200', ErrorMessage: message };
  const service = targetArn.split(':')[2];
  if (service === 'sqs') return ctx.sinks.sqs(targetArn, payload, attributes);
  if (service === 'sns') return ctx.sinks.sns(targetArn, payload, attributes);
  ctx.log.error(`dead-letter target of ${fn.spec.name} is neither an SQS queue nor an SNS topic: ${targetArn}; event ${requestId} dropped`);
}
