// Multipart uploads (aws-compat §13.4): create, upload (or copy) parts, complete with validation,
// abort, and the two listings. Parts stream into the store like PutObject bodies.
import { parseXml, readSmallBody, xmlChild, xmlList, xmlText, malformedXml, AwsXmlError, type RestXmlReply } from '../protocol/rest-xml.ts';
import { MAX_PART_NUMBER, MIN_PART_BYTES } from '../../store/index.ts';
import { header, isoTime, objectAddress, type S3Call, type S3Context } from './call.ts';
import { ownerOf, requireBucket } from './buckets.ts';
import { invalidArgument, noSuchUpload } from './errors.ts';
import { metaFromHeaders } from './object-headers.ts';
import { checksumResponseHeaders, openCopySource, storeUpload, uploadBody, validateKey } from './object-write.ts';
import { refuseFailedWriteEarly, writeConditionError, writeConditions } from './preconditions.ts';

export const MAX_PART_BYTES = 5 * 1024 ** 3;
const MAX_COMPLETE_BODY_BYTES = 4 * 1024 * 1024;

/** The upload named by `?uploadId=`, which must belong to the addressed bucket and key. */
async function requireUpload(ctx: S3Context, call: S3Call) {
  const uploadId = call.query.get('uploadId') ?? '';
  const upload = uploadId ? await ctx.objects.getUpload(uploadId) : undefined;
  if (!upload || upload.bucket !== call.bucket || upload.key !== call.key) {
    await requireBucket(ctx, call.bucket!);
    throw noSuchUpload(uploadId);
  }
  return { uploadId, ...upload };
}

function parsePartNumber(call: S3Call): number {
  const raw = call.query.get('partNumber') ?? '';
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_PART_NUMBER) {
    throw invalidArgument(`Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, 'partNumber', raw);
  }
  return n;
}

const unquote = (etag: string) => etag.trim().replace(/^"|"$/g, '');

export async function createMultipartUpload(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const { bucket, key } = objectAddress(call);
  validateKey(key);
  await requireBucket(ctx, bucket);
  const uploadId = await ctx.objects.createUpload(bucket, key, metaFromHeaders(call));
  const algorithm = header(call, 'x-amz-checksum-algorithm');
  return {
    status: 200,
    headers: { 'x-amz-checksum-algorithm': algorithm, 'x-amz-server-side-encryption': 'AES256' },
    xml: { root: 'InitiateMultipartUploadResult', body: { Bucket: bucket, Key: key, UploadId: uploadId } },
  };
}

export async function uploadPart(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const partNumber = parsePartNumber(call);
  const { uploadId } = await requireUpload(ctx, call);
  const upload = uploadBody(call, MAX_PART_BYTES);
  const part = await storeUpload(upload, (body) => ctx.objects.putPart(uploadId, partNumber, body));
  return { status: 200, headers: { etag: part.etag, ...checksumResponseHeaders(upload.checksums) } };
}

/** UploadPartCopy: a part whose bytes come from an existing object, optionally a byte range of it. */
export async function uploadPartCopy(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const partNumber = parsePartNumber(call);
  const { uploadId } = await requireUpload(ctx, call);
  const rangeHeader = header(call, 'x-amz-copy-source-range');
  let range: { start: number; end: number } | undefined;
  if (rangeHeader !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader.trim());
    if (!m || Number(m[2]) < Number(m[1])) {
      throw invalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
        'x-amz-copy-source-range', rangeHeader);
    }
    range = { start: Number(m[1]), end: Number(m[2]) };
  }
  const { object, body } = await openCopySource(ctx, call, range);
  if (range && range.end >= object.size) {
    body.destroy();
    throw invalidArgument(`Range specified is not valid for source object of size: ${object.size}`, 'x-amz-copy-source-range', rangeHeader);
  }
  const part = await ctx.objects.putPart(uploadId, partNumber, body);
  return {
    status: 200,
    xml: { root: 'CopyPartResult', body: { LastModified: isoTime(ctx.env.clock.now()), ETag: part.etag } },
  };
}

export async function completeMultipartUpload(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const { bucket, key } = objectAddress(call);
  const { uploadId } = await requireUpload(ctx, call);
  const cond = writeConditions(call);
  const body = await readSmallBody(call.body, MAX_COMPLETE_BODY_BYTES);
  const root = xmlChild(parseXml(body.toString('utf8'), new Set(['Part']))['CompleteMultipartUpload']);
  if (!root) throw malformedXml();
  const requested = xmlList(root['Part']).map((p) => {
    const partNumber = Number(xmlText(p['PartNumber']));
    const etag = xmlText(p['ETag']);
    if (!Number.isInteger(partNumber) || etag === undefined) throw malformedXml();
    return { partNumber, etag: unquote(etag) };
  });
  if (!requested.length) throw malformedXml();
  for (let i = 1; i < requested.length; i++) {
    if (requested[i]!.partNumber <= requested[i - 1]!.partNumber) {
      throw new AwsXmlError('InvalidPartOrder', 400,
        'The list of parts was not in ascending order. Parts must be ordered by part number.', { fields: { UploadId: uploadId } });
    }
  }
  const stored = new Map((await ctx.objects.listParts(uploadId)).map((p) => [p.partNumber, p]));
  requested.forEach((r, i) => {
    const part = stored.get(r.partNumber);
    if (!part || unquote(part.etag) !== r.etag) {
      throw new AwsXmlError('InvalidPart', 400,
        'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.',
        { fields: { UploadId: uploadId, PartNumber: r.partNumber, ETag: r.etag } });
    }
    if (i < requested.length - 1 && part.size < MIN_PART_BYTES) {
      throw new AwsXmlError('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size',
        { fields: { ProposedSize: part.size, MinSizeAllowed: MIN_PART_BYTES, PartNumber: r.partNumber, ETag: r.etag } });
    }
  });
  await refuseFailedWriteEarly(ctx, bucket, key, cond);
  const object = await ctx.objects.completeUpload(uploadId, requested.map((r) => ({ partNumber: r.partNumber, etag: `"${r.etag}"` })), cond)
    .catch((err: unknown) => { throw writeConditionError(err, key, cond); });
  await ctx.notify(call, 'ObjectCreated:CompleteMultipartUpload', bucket, key, object);
  const host = header(call, 'host') ?? 'localhost';
  return {
    status: 200,
    headers: { 'x-amz-server-side-encryption': 'AES256' },
    xml: {
      root: 'CompleteMultipartUploadResult',
      body: { Location: `http://${host}/${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`, Bucket: bucket, Key: key, ETag: object.etag },
    },
  };
}

export async function abortMultipartUpload(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const { uploadId } = await requireUpload(ctx, call);
  await ctx.objects.abortUpload(uploadId);
  return { status: 204 };
}

function parseLimit(call: S3Call, name: string): number {
  const raw = call.query.get(name);
  if (raw === null) return 1000;
  const n = Number(raw);
  if (!/^\d+$/.test(raw)) throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  return Math.min(n, 1000);
}

export async function listParts(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const { bucket, key } = objectAddress(call);
  const { uploadId } = await requireUpload(ctx, call);
  const maxParts = parseLimit(call, 'max-parts');
  const marker = Number(call.query.get('part-number-marker') ?? '0') || 0;
  const all = (await ctx.objects.listParts(uploadId)).filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, maxParts);
  const truncated = page.length < all.length;
  const owner = ownerOf(ctx);
  return {
    status: 200,
    xml: {
      root: 'ListPartsResult',
      body: {
        Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker,
        NextPartNumberMarker: page.length ? page[page.length - 1]!.partNumber : undefined,
        MaxParts: maxParts, IsTruncated: truncated, Initiator: owner, Owner: owner, StorageClass: 'STANDARD',
        Part: page.map((p) => ({ PartNumber: p.partNumber, LastModified: isoTime(p.lastModified), ETag: p.etag, Size: p.size })),
      },
    },
  };
}

export async function listMultipartUploads(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const bucket = call.bucket!;
  await requireBucket(ctx, bucket);
  const q = call.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const idMarker = q.get('upload-id-marker') ?? '';
  const max = parseLimit(call, 'max-uploads');
  const after = (u: { key: string; uploadId: string }) =>
    u.key > keyMarker || (u.key === keyMarker && idMarker !== '' && u.uploadId > idMarker);
  const uploads = (await ctx.objects.listUploads(bucket))
    .filter((u) => u.key.startsWith(prefix) && (keyMarker === '' || after(u)))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiatedAt - b.initiatedAt));
  const entries: ({ prefix: string } | (typeof uploads)[number])[] = [];
  const seen = new Set<string>();
  for (const u of uploads) {
    const idx = delimiter ? u.key.indexOf(delimiter, prefix.length) : -1;
    if (idx !== -1) {
      const cp = u.key.slice(0, idx + delimiter.length);
      if (!seen.has(cp)) { seen.add(cp); entries.push({ prefix: cp }); }
    } else entries.push(u);
  }
  const page = entries.slice(0, max);
  const truncated = page.length < entries.length;
  const last = page[page.length - 1];
  const owner = ownerOf(ctx);
  return {
    status: 200,
    xml: {
      root: 'ListMultipartUploadsResult',
      body: {
        Bucket: bucket, KeyMarker: keyMarker, UploadIdMarker: idMarker,
        NextKeyMarker: truncated && last ? ('key' in last ? last.key : last.prefix) : undefined,
        NextUploadIdMarker: truncated && last && 'uploadId' in last ? last.uploadId : undefined,
        Prefix: prefix, Delimiter: delimiter || undefined, MaxUploads: max, IsTruncated: truncated,
        Upload: page.flatMap((u) => 'uploadId' in u ? [{
          Key: u.key, UploadId: u.uploadId, Initiator: owner, Owner: owner, StorageClass: 'STANDARD', Initiated: isoTime(u.initiatedAt),
        }] : []),
        CommonPrefixes: page.flatMap((u) => 'uploadId' in u ? [] : [{ Prefix: u.prefix }]),
      },
    },
  };
}
