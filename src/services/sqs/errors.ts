// SQS errors as AWS names them in each protocol (aws-compat §12.2): the JSON shape name, the legacy
// query code, and the HTTP status the SDK's error model declares.
import { GannetError } from '../../shared/errors.ts';
import { ServiceError } from '../protocol/service-error.ts';

const SQS = 'AWS.SimpleQueueService.';

export function queueDoesNotExist(queue: string): ServiceError {
  return new ServiceError('GANNET_SQS_QUEUE_DOES_NOT_EXIST', 'QueueDoesNotExist',
    `The specified queue does not exist (${queue}). Create it with CreateQueue or check the queue URL.`,
    { queryCode: SQS + 'NonExistentQueue' });
}

export function queueNameExists(queue: string): ServiceError {
  return new ServiceError('GANNET_SQS_QUEUE_NAME_EXISTS', 'QueueNameExists',
    `A queue named ${queue} already exists with different attributes; delete it or create it with the same attributes.`,
    { queryCode: 'QueueAlreadyExists' });
}

export function receiptHandleIsInvalid(handle: string): ServiceError {
  const shown = handle.length > 40 ? handle.slice(0, 40) + '…' : handle;
  return new ServiceError('GANNET_SQS_RECEIPT_HANDLE_INVALID', 'ReceiptHandleIsInvalid',
    `The input receipt handle "${shown}" is not a valid receipt handle for this queue; use the ReceiptHandle ReceiveMessage returned.`,
    { status: 404 });
}

export function messageNotInflight(): ServiceError {
  return new ServiceError('GANNET_SQS_MESSAGE_NOT_INFLIGHT', 'MessageNotInflight',
    'The message referred to is not in flight: it was deleted, or received again with a newer receipt handle.',
    { queryCode: SQS + 'MessageNotInflight' });
}

export function purgeQueueInProgress(queue: string): ServiceError {
  return new ServiceError('GANNET_SQS_PURGE_IN_PROGRESS', 'PurgeQueueInProgress',
    `Only one PurgeQueue operation on ${queue} is allowed every 60 seconds.`,
    { queryCode: SQS + 'PurgeQueueInProgress', status: 403 });
}

export function invalidParameterValue(message: string): ServiceError {
  return new ServiceError('GANNET_SQS_INVALID_PARAMETER_VALUE', 'InvalidParameterValue', message);
}

export function missingParameter(name: string): ServiceError {
  return new ServiceError('GANNET_SQS_MISSING_PARAMETER', 'MissingParameter',
    `The request must contain the parameter ${name}.`);
}

export function invalidAttributeName(name: string): ServiceError {
  return new ServiceError('GANNET_SQS_INVALID_ATTRIBUTE_NAME', 'InvalidAttributeName', `Unknown Attribute ${name}.`);
}

export function invalidAttributeValue(message: string): ServiceError {
  return new ServiceError('GANNET_SQS_INVALID_ATTRIBUTE_VALUE', 'InvalidAttributeValue', message);
}

export function invalidMessageContents(): ServiceError {
  return new ServiceError('GANNET_SQS_INVALID_MESSAGE_CONTENTS', 'InvalidMessageContents',
    'Invalid characters found. Valid values are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
}

export function emptyBatchRequest(): ServiceError {
  return new ServiceError('GANNET_SQS_EMPTY_BATCH', 'EmptyBatchRequest',
    'There should be at least one entry in the request.', { queryCode: SQS + 'EmptyBatchRequest' });
}

export function tooManyEntriesInBatchRequest(count: number, max: number): ServiceError {
  return new ServiceError('GANNET_SQS_TOO_MANY_BATCH_ENTRIES', 'TooManyEntriesInBatchRequest',
    `Maximum number of entries per request are ${max}. You have sent ${count}.`,
    { queryCode: SQS + 'TooManyEntriesInBatchRequest' });
}

export function batchEntryIdsNotDistinct(id: string): ServiceError {
  return new ServiceError('GANNET_SQS_BATCH_IDS_NOT_DISTINCT', 'BatchEntryIdsNotDistinct',
    `Id ${id} repeated; every entry of a batch needs its own Id.`, { queryCode: SQS + 'BatchEntryIdsNotDistinct' });
}

export function invalidBatchEntryId(id: string): ServiceError {
  return new ServiceError('GANNET_SQS_INVALID_BATCH_ENTRY_ID', 'InvalidBatchEntryId',
    `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long (got "${id}").`,
    { queryCode: SQS + 'InvalidBatchEntryId' });
}

export function batchRequestTooLong(size: number, max: number): ServiceError {
  return new ServiceError('GANNET_SQS_BATCH_TOO_LONG', 'BatchRequestTooLong',
    `Batch requests cannot be longer than ${max} bytes. You have sent ${size} bytes.`,
    { queryCode: SQS + 'BatchRequestTooLong' });
}

export function unsupportedOperation(message: string): ServiceError {
  return new ServiceError('GANNET_SQS_UNSUPPORTED_OPERATION', 'UnsupportedOperation', message,
    { queryCode: SQS + 'UnsupportedOperation' });
}

/** The store's queue errors (a queue deleted mid-request) as SQS answers them. */
export function fromStoreError(err: unknown): unknown {
  if (!(err instanceof GannetError) || err instanceof ServiceError) return err;
  if (err.code === 'GANNET_QUEUE_NOT_FOUND') return new ServiceError('GANNET_SQS_QUEUE_DOES_NOT_EXIST', 'QueueDoesNotExist',
    `The specified queue does not exist: ${err.message}.`, { queryCode: SQS + 'NonExistentQueue', cause: err });
  if (err.code === 'GANNET_QUEUE_EXISTS') return new ServiceError('GANNET_SQS_QUEUE_NAME_EXISTS', 'QueueNameExists', err.message,
    { queryCode: 'QueueAlreadyExists', cause: err });
  return err;
}
