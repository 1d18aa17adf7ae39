// Lambda's API errors as its clients parse them (aws-compat §3.2): the exception name (sent as
// x-amzn-ErrorType), the HTTP status, and Lambda's own message text where it is known.
import { ServiceError } from '../protocol/service-error.ts';
import type { RestJsonError } from '../protocol/rest-json.ts';

// Lambda's model spells the message member `Message` for these two exceptions, `message` elsewhere.
function withCapitalMessage(err: ServiceError): RestJsonError {
  const e: RestJsonError = err;
  e.messageKey = 'Message';
  return e;
}

export function functionNotFound(arn: string): ServiceError {
  return withCapitalMessage(new ServiceError('GANNET_LAMBDA_FUNCTION_NOT_FOUND', 'ResourceNotFoundException',
    `Function not found: ${arn}`, { status: 404 }));
}

/**
 * Lambda's wire code for oversized payloads is RequestEntityTooLargeException (what botocore and
 * the SDKs report from real Lambda), although the service model calls the shape RequestTooLargeException.
 */
export function requestTooLarge(limit: number): ServiceError {
  return new ServiceError('GANNET_LAMBDA_REQUEST_TOO_LARGE', 'RequestEntityTooLargeException',
    `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, { status: 413 });
}

export function asyncPayloadTooLarge(size: number, limit: number): ServiceError {
  return new ServiceError('GANNET_LAMBDA_REQUEST_TOO_LARGE', 'RequestEntityTooLargeException',
    `${size} byte payload is too large for the Event invocation type (limit ${limit} bytes)`, { status: 413 });
}

export function invalidRequestContent(detail: string): ServiceError {
  return new ServiceError('GANNET_LAMBDA_INVALID_REQUEST_CONTENT', 'InvalidRequestContentException',
    `Could not parse request body into json: Could not parse payload into json: ${detail}`, { status: 400 });
}

export function invalidClientContext(): ServiceError {
  return new ServiceError('GANNET_LAMBDA_INVALID_CLIENT_CONTEXT', 'InvalidRequestContentException',
    'Client context must be a valid Base64-encoded JSON object.', { status: 400 });
}

export function invalidParameterValue(message: string): ServiceError {
  return new ServiceError('GANNET_LAMBDA_INVALID_PARAMETER', 'InvalidParameterValueException', message, { status: 400 });
}

/** Input that breaks a constraint of the service model (Lambda answers these before looking anything up). */
export function validationError(value: string, member: string, constraint: string): ServiceError {
  return new ServiceError('GANNET_LAMBDA_VALIDATION', 'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`, { status: 400 });
}

/** 429 with Lambda's body: `{"Reason":…,"Type":"User","message":"Rate Exceeded."}` and Retry-After. */
export function tooManyRequests(reason: string): RestJsonError {
  const err: RestJsonError = new ServiceError('GANNET_LAMBDA_THROTTLED', 'TooManyRequestsException', 'Rate Exceeded.', { status: 429 });
  err.fields = { Reason: reason };
  err.headers = { 'retry-after': '1' };
  return err;
}

/** The one error for every Lambda operation Gannet does not provide. */
export function notImplemented(operation: string): ServiceError {
  return new ServiceError('GANNET_LAMBDA_NOT_IMPLEMENTED', 'NotImplemented',
    `Gannet does not implement the Lambda operation ${operation}; functions are defined by serverless.yml. ` +
    'Supported: Invoke, ListFunctions, GetFunction, GetFunctionConfiguration.', { status: 501 });
}

export function serviceException(err: unknown): ServiceError {
  const message = err instanceof Error ? err.message : String(err);
  return withCapitalMessage(new ServiceError('GANNET_LAMBDA_INTERNAL', 'ServiceException',
    `Gannet failed while handling the Lambda request: ${message}`, { status: 500, cause: err }));
}
