// The store's typed errors. Those an AWS client can cause carry the AWS code and HTTP status the
// service providers answer with (SQS codes are the JSON protocol names; the query protocol maps them).
import { GannetError } from '../shared/errors.ts';

export function queueNotFound(queue: string): GannetError {
  return new GannetError('GANNET_QUEUE_NOT_FOUND', `queue ${queue} does not exist; create it first (resources: or CreateQueue)`, { awsCode: 'QueueDoesNotExist', status: 400 });
}

export function queueExists(queue: string): GannetError {
  return new GannetError('GANNET_QUEUE_EXISTS', `queue ${queue} already exists`, { awsCode: 'QueueNameExists', status: 400 });
}

export function bucketNotFound(bucket: string): GannetError {
  return new GannetError('GANNET_BUCKET_NOT_FOUND', `bucket ${bucket} does not exist; create it first`, { awsCode: 'NoSuchBucket', status: 404 });
}

export function bucketNotEmpty(bucket: string): GannetError {
  return new GannetError('GANNET_BUCKET_NOT_EMPTY', `bucket ${bucket} is not empty; delete its objects first`, { awsCode: 'BucketNotEmpty', status: 409 });
}

export function uploadNotFound(uploadId: string): GannetError {
  return new GannetError('GANNET_UPLOAD_NOT_FOUND', `multipart upload ${uploadId} does not exist (completed, aborted or never created)`, { awsCode: 'NoSuchUpload', status: 404 });
}

export function invalidPart(uploadId: string, partNumber: number, why: string): GannetError {
  return new GannetError('GANNET_INVALID_PART', `multipart upload ${uploadId}, part ${partNumber}: ${why}; upload the part again or list the parts with ListParts`, { awsCode: 'InvalidPart', status: 400 });
}

export function invalidPartOrder(uploadId: string): GannetError {
  return new GannetError('GANNET_INVALID_PART_ORDER', `multipart upload ${uploadId}: the part list must be in ascending part-number order without repeats`, { awsCode: 'InvalidPartOrder', status: 400 });
}

export function entityTooSmall(uploadId: string, partNumber: number, size: number, min: number): GannetError {
  return new GannetError('GANNET_ENTITY_TOO_SMALL', `multipart upload ${uploadId}: part ${partNumber} is ${size} bytes, but every part except the last must be at least ${min} bytes`, { awsCode: 'EntityTooSmall', status: 400 });
}

export function emptyPartList(uploadId: string): GannetError {
  return new GannetError('GANNET_MALFORMED_PART_LIST', `multipart upload ${uploadId}: the part list is empty; name at least one uploaded part`, { awsCode: 'MalformedXML', status: 400 });
}

export function invalidRange(bucket: string, key: string, size: number): GannetError {
  return new GannetError('GANNET_INVALID_RANGE', `s3://${bucket}/${key}: the requested range is not satisfiable for an object of ${size} bytes`, { awsCode: 'InvalidRange', status: 416 });
}

export function objectNotFound(bucket: string, key: string): GannetError {
  return new GannetError('GANNET_OBJECT_NOT_FOUND', `s3://${bucket}/${key} does not exist, so a write conditional on its ETag (If-Match) cannot apply; write it without the condition`, { awsCode: 'NoSuchKey', status: 404 });
}

export function preconditionFailed(bucket: string, key: string, condition: 'If-None-Match' | 'If-Match'): GannetError {
  const why = condition === 'If-None-Match' ? 'an object with this key already exists' : 'the current object has another ETag';
  return new GannetError('GANNET_PRECONDITION_FAILED', `s3://${bucket}/${key}: the write's ${condition} condition did not hold (${why}); read the object again and decide`, { awsCode: 'PreconditionFailed', status: 412 });
}
