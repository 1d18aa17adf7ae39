// What the invoker is built from: one context object, supplied by whoever hosts it (dev, server, tests).
import type { ResolvedFunction, Pool } from '../pool/types.ts';
import type { Store } from '../store/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';

/** Finds a deployed function by name, partial ARN or full ARN (the invoker strips any qualifier first). */
export type FunctionResolver = {
  resolve(nameOrArn: string): ResolvedFunction | undefined;
};

/** One EventBridge entry as Lambda puts it on a bus for a destination. */
export type EventBridgeEntry = { source: string; detailType: string; detail: object; resources: string[] };

/**
 * How destination and dead-letter records leave the invoker. The services layer supplies these
 * (they are SQS SendMessage / SNS Publish / EventBridge PutEvents in effect). `attributes` are
 * String message attributes (the DLQ's RequestID, ErrorCode, ErrorMessage).
 */
export type DestinationSinks = {
  sqs(queueArn: string, body: string, attributes?: Record<string, string>): Promise<void>;
  sns(topicArn: string, message: string, attributes?: Record<string, string>): Promise<void>;
  eventBridge(busArn: string, entry: EventBridgeEntry): Promise<void>;
};

export type InvokerContext = {
  functions: FunctionResolver;
  pool: Pool;
  store: Store;
  clock: Clock;
  log: Logger;
  sinks: DestinationSinks;
  /** For ARNs of functions that do not exist (error messages). Defaults: us-east-1, 000000000000. */
  region?: string;
  accountId?: string;
  /** Multiplies Lambda's async retry and throttle delays (tests use 0.001). Default 1. */
  retryDelayScale?: number;
  /** Echo of every function log line (START/END/REPORT included), e.g. to the terminal. */
  onLog?: (line: string) => void;
  /** Upper bound of async events running at once across all functions. Default 32. */
  maxAsyncInFlight?: number;
};
