// SNS errors as AWS names them: the JSON shape name (…Exception), the query code and the status.
import { ServiceError } from '../protocol/service-error.ts';

export function topicNotFound(arn: string): ServiceError {
  return new ServiceError('GANNET_SNS_TOPIC_NOT_FOUND', 'NotFoundException',
    `Topic does not exist: ${arn}. Create it with CreateTopic (or declare it under resources:).`,
    { queryCode: 'NotFound', status: 404 });
}

export function subscriptionNotFound(arn: string): ServiceError {
  return new ServiceError('GANNET_SNS_SUBSCRIPTION_NOT_FOUND', 'NotFoundException',
    `Subscription does not exist: ${arn}.`, { queryCode: 'NotFound', status: 404 });
}

export function resourceNotFound(arn: string): ServiceError {
  return new ServiceError('GANNET_SNS_RESOURCE_NOT_FOUND', 'ResourceNotFoundException',
    `Resource does not exist: ${arn}.`, { queryCode: 'ResourceNotFound', status: 404 });
}

/** AWS words these "Invalid parameter: <Name>" (+ " Reason: …"); Gannet keeps that form. */
export function invalidParameter(name: string, reason?: string): ServiceError {
  return new ServiceError('GANNET_SNS_INVALID_PARAMETER', 'InvalidParameterException',
    `Invalid parameter: ${name}${reason ? ` Reason: ${reason}` : ''}`, { queryCode: 'InvalidParameter' });
}

export function invalidParameterValue(message: string): ServiceError {
  return new ServiceError('GANNET_SNS_INVALID_PARAMETER_VALUE', 'InvalidParameterValueException', message,
    { queryCode: 'ParameterValueInvalid' });
}

export function emptyBatchRequest(): ServiceError {
  return new ServiceError('GANNET_SNS_EMPTY_BATCH', 'EmptyBatchRequestException',
    'The batch request doesn\'t contain any entries.', { queryCode: 'EmptyBatchRequest' });
}

export function tooManyEntriesInBatchRequest(count: number, max: number): ServiceError {
  return new ServiceError('GANNET_SNS_TOO_MANY_BATCH_ENTRIES', 'TooManyEntriesInBatchRequestException',
    `The batch request contains ${count} entries; the maximum is ${max}.`, { queryCode: 'TooManyEntriesInBatchRequest' });
}

export function batchEntryIdsNotDistinct(id: string): ServiceError {
  return new ServiceError('GANNET_SNS_BATCH_IDS_NOT_DISTINCT', 'BatchEntryIdsNotDistinctException',
    `Two or more batch entries in the request have the same Id (${id}).`, { queryCode: 'BatchEntryIdsNotDistinct' });
}

export function invalidBatchEntryId(id: string): ServiceError {
  return new ServiceError('GANNET_SNS_INVALID_BATCH_ENTRY_ID', 'InvalidBatchEntryIdException',
    `The Id of a batch entry in a batch request doesn't abide by the specification: "${id}" (1-80 letters, digits, '-' or '_').`,
    { queryCode: 'InvalidBatchEntryId' });
}

export function batchRequestTooLong(size: number, max: number): ServiceError {
  return new ServiceError('GANNET_SNS_BATCH_TOO_LONG', 'BatchRequestTooLongException',
    `The length of all the messages put together is ${size} bytes, more than the limit of ${max}.`,
    { queryCode: 'BatchRequestTooLong' });
}
