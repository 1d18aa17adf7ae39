// Browser-based uploads (POST Object): an HTML form, or a presigned POST from an SDK, posts
// multipart/form-data to the bucket. The fields before the file name the key, headers and metadata;
// the policy limits them; the file part streams to the store, never buffered; fields after it are
// ignored, as S3 ignores them.
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';
import { AwsXmlError, type RestXmlReply } from '../protocol/rest-xml.ts';
import { header, type S3Call, type S3Context } from './call.ts';
import { requireBucket } from './buckets.ts';
import { entityTooLarge, invalidArgument } from './errors.ts';
import { metaFromHeaders } from './object-headers.ts';
import { MAX_PUT_OBJECT_BYTES, validateKey } from './object-write.ts';
import { checkPostPolicy, parsePostPolicy, postObjectKey, successStatus } from './post-policy.ts';

/** S3 limits the form fields before the file to 20 KB. */
export const MAX_POST_FIELDS_BYTES = 20 * 1024;
/** Form fields that become the object's headers (x-amz-meta-* too). */
const HEADER_FIELDS = ['content-type', 'cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];

const entityTooSmall = (size: number, min: number) =>
  new AwsXmlError('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size',
    { fields: { ProposedSize: size, MinSizeAllowed: min } });

/** Passes bytes through while their count stays within [min, max]; fails the stream otherwise. */
class LengthLimit extends Transform {
  #seen = 0;
  readonly #min: number;
  readonly #max: number;
  constructor(min: number, max: number) {
    super();
    this.#min = min;
    this.#max = max;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.#max) done(entityTooLarge(this.#seen, this.#max));
    else done(null, chunk);
  }
  override _flush(done: TransformCallback): void {
    done(this.#seen < this.#min ? entityTooSmall(this.#seen, this.#min) : null);
  }
}

export async function postObject(ctx: S3Context, call: S3Call): Promise<RestXmlReply> {
  const bucket = call.bucket!;
  await requireBucket(ctx, bucket);
  if (!(header(call, 'content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
    throw new AwsXmlError('PreconditionFailed', 412, 'Bucket POST must be of the enclosure-type multipart/form-data',
      { fields: { Condition: 'Bucket POST must be of the enclosure-type multipart/form-data' } });
  }
  const { fields, file, filename } = await readUntilFile(call);
  try {
    fields.set('bucket', bucket);
    const key = postObjectKey(fields, filename);
    validateKey(key);
    const policy = fields.get('policy');
    const range = policy === undefined ? undefined : checkPostPolicy(parsePostPolicy(policy), fields, ctx.env.clock.now());
    fields.delete('bucket');

    const headers: IncomingHttpHeaders = {};
    for (const [name, value] of fields) if (HEADER_FIELDS.includes(name) || name.startsWith('x-amz-meta-')) headers[name] = value;
    const meta = metaFromHeaders({ ...call, headers });
    const limited = new LengthLimit(range?.min ?? 0, Math.min(range?.max ?? MAX_PUT_OBJECT_BYTES, MAX_PUT_OBJECT_BYTES));
    limited.on('error', () => { file.unpipe(limited); file.resume(); }); // keep reading so the client gets the answer
    file.pipe(limited);
    const stored = await ctx.objects.put(bucket, key, limited, meta);
    await ctx.notify(call, 'ObjectCreated:Post', bucket, key, stored);
    return successReply(call, fields, bucket, key, stored.etag);
  } catch (err) {
    file.resume();
    throw err;
  }
}

/** Reads form fields up to the file part; the file's bytes are left for the caller to stream. */
function readUntilFile(call: S3Call): Promise<{ fields: Map<string, string>; file: Readable; filename: string | undefined }> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: call.headers, defParamCharset: 'utf8', limits: { fieldSize: MAX_POST_FIELDS_BYTES, fields: 1000, files: 1 } });
    } catch (err) {
      reject(invalidArgument(`Malformed multipart/form-data request: ${(err as Error).message}`, 'Content-Type', header(call, 'content-type')));
      return;
    }
    let found = false;
    let fieldBytes = 0;
    parser.on('field', (name, value) => {
      if (found) return; // S3 ignores fields after the file
      fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
      fields.set(name.toLowerCase(), value);
    });
    parser.on('file', (_name, stream, info) => {
      if (found) { stream.resume(); return; }
      found = true;
      if (fieldBytes > MAX_POST_FIELDS_BYTES) {
        stream.resume();
        reject(new AwsXmlError('MaxPostPreDataLengthExceededError', 400, 'Your POST request fields preceeding the upload file was too large.',
          { fields: { ProposedSize: fieldBytes, MaxSizeAllowed: MAX_POST_FIELDS_BYTES } }));
        return;
      }
      resolve({ fields, file: stream, filename: info.filename });
    });
    parser.on('error', (err: Error) => { if (!found) reject(invalidArgument(`Malformed multipart/form-data request: ${err.message}`, 'file', '')); });
    parser.on('close', () => { if (!found) reject(invalidArgument('POST requires exactly one file upload per request.', 'file', '0')); });
    call.body.pipe(parser);
  });
}

function successReply(call: S3Call, fields: Map<string, string>, bucket: string, key: string, etag: string): RestXmlReply {
  const host = header(call, 'host') ?? '127.0.0.1';
  const encodedKey = encodeURIComponent(key);
  const location = host.startsWith(`${bucket}.`) ? `http://${host}/${encodedKey}` : `http://${host}/${bucket}/${encodedKey}`;
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect) {
    let target: URL | undefined;
    try { target = new URL(redirect); } catch { /* not a URL: S3 falls back to the status */ }
    if (target) {
      target.searchParams.set('bucket', bucket);
      target.searchParams.set('key', key);
      target.searchParams.set('etag', etag);
      return { status: 303, headers: { location: target.toString(), etag } };
    }
  }
  const status = successStatus(fields.get('success_action_status'));
  if (status === 201) {
    return { status, headers: { etag, location }, xml: { root: 'PostResponse', body: { Location: location, Bucket: bucket, Key: key, ETag: etag } } };
  }
  return { status, headers: { etag, location } };
}
