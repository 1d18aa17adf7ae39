// The S3 operation table: which operation a request is (method + bucket/key + sub-resource query)
// and the one handler for each. Anything else gets one NotImplemented answer.
import type { S3Call, S3Handler } from './call.ts';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './buckets.ts';
import {
  deleteBucketCors, deleteBucketTagging, getBucketCors, getBucketNotificationConfiguration, getBucketTagging,
  getBucketVersioning, putBucketCors, putBucketNotificationConfiguration, putBucketTagging, putBucketVersioning,
} from './bucket-config.ts';
import { listObjectsV1, listObjectsV2, listObjectVersions } from './listing.ts';
import { getBucketAcl, getObjectAcl } from './acl.ts';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from './tagging.ts';
import { copyObject, putObject } from './object-write.ts';
import { postObject } from './object-post.ts';
import { getObject, headObject } from './object-read.ts';
import { deleteObject, deleteObjects } from './object-delete.ts';
import {
  abortMultipartUpload, completeMultipartUpload, createMultipartUpload, listMultipartUploads, listParts, uploadPart, uploadPartCopy,
} from './multipart.ts';
import { methodNotAllowed, notImplemented } from './errors.ts';

export const S3_OPERATIONS = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  GetBucketNotificationConfiguration: getBucketNotificationConfiguration,
  PutBucketNotificationConfiguration: putBucketNotificationConfiguration,
  GetBucketCors: getBucketCors,
  PutBucketCors: putBucketCors,
  DeleteBucketCors: deleteBucketCors,
  GetBucketTagging: getBucketTagging,
  PutBucketTagging: putBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: putBucketVersioning,
  ListObjects: listObjectsV1,
  ListObjectsV2: listObjectsV2,
  ListObjectVersions: listObjectVersions,
  GetBucketAcl: getBucketAcl,
  GetObjectAcl: getObjectAcl,
  GetObjectTagging: getObjectTagging,
  PutObjectTagging: putObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  ListMultipartUploads: listMultipartUploads,
  DeleteObjects: deleteObjects,
  PutObject: putObject,
  PostObject: postObject,
  CopyObject: copyObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
} satisfies Record<string, S3Handler>;

export type S3OperationName = keyof typeof S3_OPERATIONS;

/** Bucket sub-resources Gannet does not keep; asking for them is NotImplemented, not a silent wrong answer. */
const UNSUPPORTED_SUBRESOURCES = [
  'acl', 'policy', 'policyStatus', 'lifecycle', 'website', 'logging', 'replication', 'encryption', 'accelerate',
  'requestPayment', 'analytics', 'inventory', 'metrics', 'intelligent-tiering', 'ownershipControls',
  'publicAccessBlock', 'object-lock', 'legal-hold', 'retention', 'restore', 'select', 'torrent', 'versions',
  'attributes',
];

function unsupported(call: S3Call): string | undefined {
  return UNSUPPORTED_SUBRESOURCES.find((s) => call.query.has(s));
}

/** Names the operation a request asks for, or throws NotImplemented / MethodNotAllowed. */
export function identifyOperation(call: S3Call): S3OperationName {
  const q = call.query;
  const m = call.method;
  if (call.bucket === undefined) {
    if (m === 'GET') return 'ListBuckets';
    throw methodNotAllowed(m, 'SERVICE');
  }
  if (call.key === undefined) {
    const sub = (name: string, ops: Partial<Record<string, S3OperationName>>): S3OperationName | undefined =>
      q.has(name) ? ops[m] ?? fail(methodNotAllowed(m, name.toUpperCase())) : undefined;
    const op = sub('notification', { GET: 'GetBucketNotificationConfiguration', PUT: 'PutBucketNotificationConfiguration' }) ??
      sub('cors', { GET: 'GetBucketCors', PUT: 'PutBucketCors', DELETE: 'DeleteBucketCors' }) ??
      sub('tagging', { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'DeleteBucketTagging' }) ??
      sub('versioning', { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' }) ??
      sub('location', { GET: 'GetBucketLocation' }) ??
      sub('uploads', { GET: 'ListMultipartUploads' }) ??
      sub('delete', { POST: 'DeleteObjects' }) ??
      sub('versions', { GET: 'ListObjectVersions' }) ??
      (m === 'GET' ? sub('acl', { GET: 'GetBucketAcl' }) : undefined);
    if (op) return op;
    const other = unsupported(call);
    if (other) throw notImplemented(`The bucket ?${other} sub-resource`);
    switch (m) {
      case 'GET': return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      case 'PUT': return 'CreateBucket';
      case 'HEAD': return 'HeadBucket';
      case 'DELETE': return 'DeleteBucket';
      case 'POST': return 'PostObject';
      default: throw methodNotAllowed(m, 'BUCKET');
    }
  }
  const copySource = call.headers['x-amz-copy-source'] !== undefined;
  if (q.has('uploads')) {
    if (m === 'POST') return 'CreateMultipartUpload';
    throw methodNotAllowed(m, 'UPLOAD');
  }
  if (q.has('uploadId')) {
    switch (m) {
      case 'PUT': return copySource ? 'UploadPartCopy' : 'UploadPart';
      case 'POST': return 'CompleteMultipartUpload';
      case 'DELETE': return 'AbortMultipartUpload';
      case 'GET': return 'ListParts';
      default: throw methodNotAllowed(m, 'UPLOAD');
    }
  }
  if (m === 'GET' && q.has('acl')) return 'GetObjectAcl';
  if (q.has('tagging')) {
    switch (m) {
      case 'GET': return 'GetObjectTagging';
      case 'PUT': return 'PutObjectTagging';
      case 'DELETE': return 'DeleteObjectTagging';
      default: throw methodNotAllowed(m, 'TAGGING');
    }
  }
  const other = unsupported(call);
  if (other) throw notImplemented(`The object ?${other} sub-resource`);
  switch (m) {
    case 'PUT': return copySource ? 'CopyObject' : 'PutObject';
    case 'GET': return 'GetObject';
    case 'HEAD': return 'HeadObject';
    case 'DELETE': return 'DeleteObject';
    default: throw methodNotAllowed(m, 'OBJECT');
  }
}

function fail(err: Error): never {
  throw err;
}
