// The error a provider throws for its AWS client. The protocol codecs turn it into bytes in the
// protocol the request came in: JSON `__type` + x-amzn-query-error, or query `<ErrorResponse>`.
import { GannetError } from '../../shared/errors.ts';

export type ServiceErrorOptions = {
  /** HTTP status; AWS's for this error code. */
  status?: number;
  /** The legacy query-protocol code when it differs from the JSON shape name
   *  (SQS: `QueueDoesNotExist` is `AWS.SimpleQueueService.NonExistentQueue` in query). */
  queryCode?: string;
  /** Whose fault: the caller's (Sender) or the service's (Receiver). */
  fault?: 'Sender' | 'Receiver';
  cause?: unknown;
};

export class ServiceError extends GannetError {
  /** The JSON protocol's error shape name (`__type` without the namespace). */
  declare awsCode: string;
  declare status: number;
  queryCode: string;
  fault: 'Sender' | 'Receiver';
  constructor(code: string, awsCode: string, message: string, opts: ServiceErrorOptions = {}) {
    super(code, message, { cause: opts.cause, awsCode, status: opts.status ?? 400 });
    this.name = 'ServiceError';
    this.queryCode = opts.queryCode ?? awsCode;
    this.fault = opts.fault ?? ((opts.status ?? 400) >= 500 ? 'Receiver' : 'Sender');
  }
}

/** Any error that is not a ServiceError reaches clients as a 500 InternalFailure, never a crash. */
export function toServiceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ServiceError('GANNET_AWS_INTERNAL', 'InternalFailure',
    `Gannet failed while handling the request: ${message}`, { status: 500, fault: 'Receiver', cause: err });
}
