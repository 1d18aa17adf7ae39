// The AWS endpoint's seam: one provider per AWS service, all on one port (default 4566).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/types.ts';
import type { Invoker } from '../invoke/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import type { FunctionSpec, ServiceSpec } from '../config/types.ts';
import type { NotificationTarget } from './s3/notification-config.ts';

/** Who is calling and where, as read from the SigV4 credential scope (or defaults). */
export type CallerIdentity = {
  service: string;       // 'lambda' | 'sqs' | 's3' | 'sns' | ...
  region: string;
  accessKeyId?: string;
  /** Presigned (query-string) SigV4 request. */
  presigned: boolean;
  /** Set by the endpoint only when it verified the signature (gannet server): lets S3 check the
   *  per-chunk signatures of STREAMING-AWS4-HMAC-SHA256-PAYLOAD uploads, which the seed signature
   *  alone does not cover. */
  secretAccessKey?: string;
};

/** What S3 writes and SNS publishes hand to the event sources (events/). */
export type S3Notification = {
  eventName: string;      // 'ObjectCreated:Put' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectRemoved:Delete' ...
  bucket: string;
  key: string;
  size?: number;
  etag?: string;          // without quotes
  versionId?: string;
  sequencer: string;
  sourceIp: string;
  requestId: string;
  /** The `x-amz-id-2` the request was answered with; events repeat it in responseElements. */
  hostId?: string;
  time: number;
};

/** The `s3:TestEvent` S3 sends to the queues and topics a new notification configuration names. */
export type S3TestEvent = {
  bucket: string;
  requestId: string;
  hostId: string;
  time: number;
  targets: { kind: 'sqs' | 'sns'; arn: string }[];
};

export interface NotificationSink {
  s3(n: S3Notification): Promise<void>;
  /** Optional: a sink without it delivers no test events. */
  s3TestEvent?(e: S3TestEvent): Promise<void>;
  /** Optional: the targets serverless.yml declares for a bucket (`s3` events, resources), which
   *  GetBucketNotificationConfiguration lists before those set through the API. */
  declaredTargets?(bucket: string): NotificationTarget[];
}

export type FunctionDirectory = {
  /** Finds a function by name, partial ARN or full ARN (qualifier stripped). */
  find(nameOrArn: string): FunctionSpec | undefined;
  all(): FunctionSpec[];
  arnOf(fn: FunctionSpec): string;
  /** Where a function comes from, for the Lambda API's FunctionConfiguration (Role, LastModified, RevisionId). */
  describe?(fn: FunctionSpec): FunctionFacts | undefined;
};

export type FunctionFacts = {
  service: ServiceSpec;
  /** Epoch ms when this revision of the service was loaded (Lambda's LastModified). */
  lastModified: number;
  /** Changes whenever the service is reloaded (Lambda's RevisionId, a UUID). */
  revisionId: string;
};

export type ServiceEnv = {
  store: Store;
  invoker: Invoker;
  functions: FunctionDirectory;
  notifications: NotificationSink;
  clock: Clock;
  log: Logger;
  region: string;
  accountId: string;
};

export interface AwsServiceProvider {
  /** The SigV4 service name this provider answers ('sqs', 's3', ...). */
  readonly name: string;
  /** Handles one request; the body has not been read (S3 streams it). Must always answer. */
  handle(req: IncomingMessage, res: ServerResponse, caller: CallerIdentity): Promise<void>;
}
