// S3's error codes with the exact messages and extra elements S3 sends (aws-compat §13.5).
import { AwsXmlError } from '../protocol/rest-xml.ts';

export const noSuchBucket = (bucket: string) =>
  new AwsXmlError('NoSuchBucket', 404, 'The specified bucket does not exist', { fields: { BucketName: bucket } });

export const noSuchKey = (key: string) =>
  new AwsXmlError('NoSuchKey', 404, 'The specified key does not exist.', { fields: { Key: key } });

export const noSuchUpload = (uploadId: string) =>
  new AwsXmlError('NoSuchUpload', 404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { fields: { UploadId: uploadId } });

export const bucketAlreadyOwnedByYou = (bucket: string) =>
  new AwsXmlError('BucketAlreadyOwnedByYou', 409,
    'Your previous request to create the named bucket succeeded and you already own it.', { fields: { BucketName: bucket } });

export const bucketNotEmpty = (bucket: string) =>
  new AwsXmlError('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { fields: { BucketName: bucket } });

export const invalidBucketName = (bucket: string) =>
  new AwsXmlError('InvalidBucketName', 400, 'The specified bucket is not valid.', { fields: { BucketName: bucket } });

export const invalidArgument = (message: string, name?: string, value?: string) =>
  new AwsXmlError('InvalidArgument', 400, message, { fields: { ArgumentName: name, ArgumentValue: value } });

export const invalidRequest = (message: string) => new AwsXmlError('InvalidRequest', 400, message);

export const invalidRange = (range: string, size: number) =>
  new AwsXmlError('InvalidRange', 416, 'The requested range is not satisfiable',
    { fields: { RangeRequested: range, ActualObjectSize: size }, headers: { 'content-range': `bytes */${size}` } });

export const preconditionFailed = (condition: string) =>
  new AwsXmlError('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold',
    { fields: { Condition: condition } });

export const badDigestMd5 = (expected: string, calculated: string) =>
  new AwsXmlError('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.',
    { fields: { ExpectedDigest: expected, CalculatedDigest: calculated } });

export const badDigestChecksum = (algorithm: string) =>
  new AwsXmlError('BadDigest', 400, `The ${algorithm} you specified did not match the calculated checksum.`);

export const invalidDigest = (value: string) =>
  new AwsXmlError('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.', { fields: { 'Content-MD5': value } });

export const sha256Mismatch = (client: string, computed: string) =>
  new AwsXmlError('XAmzContentSHA256Mismatch', 400,
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
    { fields: { ClientComputedContentSHA256: client, S3ComputedContentSHA256: computed } });

export const incompleteBody = () =>
  new AwsXmlError('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header');

export const entityTooLarge = (size: number, max: number) =>
  new AwsXmlError('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size',
    { fields: { ProposedSize: size, MaxSizeAllowed: max } });

export const keyTooLong = (size: number, max: number) =>
  new AwsXmlError('KeyTooLongError', 400, 'Your key is too long', { fields: { Size: size, MaxSizeAllowed: max } });

export const requestExpired = (expires: string, serverTime: string, expiresSeconds: string) =>
  new AwsXmlError('AccessDenied', 403, 'Request has expired',
    { fields: { 'X-Amz-Expires': expiresSeconds, Expires: expires, ServerTime: serverTime } });

export const notImplemented = (what: string) =>
  new AwsXmlError('NotImplemented', 501, `A header you provided implies functionality that is not implemented (${what} is not supported by Gannet)`);

export const methodNotAllowed = (method: string, resourceType: string) =>
  new AwsXmlError('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.',
    { fields: { Method: method, ResourceType: resourceType } });
