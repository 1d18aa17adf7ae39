// DeleteObject and DeleteObjects (the XML batch form); each actual removal is notified.
import { parseXml, readSmallBody, xmlChild, xmlList, xmlText, malformedXml, type RestXmlReply, type XmlObject } from '../protocol/rest-xml.ts';
import { objectAddress, type S3Call, type S3Context } from './call.ts';
import { requireBucket } from './buckets.ts';
import { integrityFromHeaders, verifyBufferIntegrity } from './checksums.ts';
import { AwsXmlError, toAwsXmlError } from '../protocol/rest-xml.ts';

/** A DeleteObjects request names at most this many keys. */
export const MAX_DELETE_OBJECTS = 1000;
const MAX_DELETE_BODY_BYTES = 2 * 1024 * 1024;

async function deleteOne(ctx: S3Context, call: S3Call, bucket: string, key: string): Promise<void> {
  const deleted = await ctx.objects.delete(bucket, key);
  if (deleted) await ctx.notify(call, 'ObjectRemoved:Delete', bucket, key);
}

export async function deleteObject(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const { bucket, key } = objectAddress(call);
  await requireBucket(ctx, bucket);
  await deleteOne(ctx, call, bucket, key);
  return { status: 204 };
}

export async function deleteObjects(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const bucket = call.bucket!;
  await requireBucket(ctx, bucket);
  const expect = integrityFromHeaders(call.headers);
  if (expect.contentMd5 === undefined && ![...expect.checksums.values()].some((v) => v !== undefined)) {
    throw new AwsXmlError('InvalidRequest', 400, 'Missing required header for this request: Content-MD5');
  }
  const body = await readSmallBody(call.body, MAX_DELETE_BODY_BYTES);
  verifyBufferIntegrity(body, expect);
  const root = xmlChild(parseXml(body.toString('utf8'), new Set(['Object']))['Delete']);
  if (!root) throw malformedXml();
  const objects = xmlList(root['Object']);
  if (!objects.length || objects.length > MAX_DELETE_OBJECTS) throw malformedXml();
  const quiet = (xmlText(root['Quiet']) ?? '').trim().toLowerCase() === 'true';
  const deleted: XmlObject[] = [];
  const errors: XmlObject[] = [];
  for (const o of objects) {
    const key = xmlText(o['Key']);
    if (key === undefined) throw malformedXml();
    try {
      await deleteOne(ctx, call, bucket, key);
      if (!quiet) deleted.push({ Key: key });
    } catch (err) {
      const e = toAwsXmlError(err);
      errors.push({ Key: key, Code: e.awsCode, Message: e.message });
    }
  }
  return { status: 200, xml: { root: 'DeleteResult', body: { Deleted: deleted, Error: errors } } };
}
