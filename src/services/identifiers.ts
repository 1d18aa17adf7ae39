// Parsing of AWS identifiers clients send: ARNs, Lambda function references and SQS queue URLs.
// Shared by every provider so that `name`, `arn:…:name` and the URL forms all mean the same thing.

export type Arn = { partition: string; service: string; region: string; account: string; resource: string };

/** `arn:partition:service:region:account:resource` (the resource may itself contain `:` or `/`). */
export function parseArn(arn: string): Arn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[1] === '' || parts[2] === '') return undefined;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

export function formatArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`;
}

export type FunctionRef = { name: string; qualifier?: string; region?: string; account?: string };

// Lambda's own pattern for the FunctionName member of Invoke/GetFunction: a name, `name:qualifier`,
// `account:function:name`, `region:account:function:name` or a full ARN, each with an optional qualifier.
const FUNCTION_REF = /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;

/** Splits a Lambda FunctionName (name, partial ARN or full ARN, with optional `:qualifier`). */
export function parseFunctionRef(value: string): FunctionRef | undefined {
  const m = FUNCTION_REF.exec(value);
  if (!m) return undefined;
  const ref: FunctionRef = { name: m[3]! };
  if (m[4] !== undefined) ref.qualifier = m[4];
  if (m[1] !== undefined) ref.region = m[1];
  if (m[2] !== undefined) ref.account = m[2];
  return ref;
}

export function functionArn(region: string, account: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${account}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;
}

/** A queue as a client named it; `account` is set whenever the form carries one (URLs and ARNs always do). */
export type QueueRef = { name: string; account?: string; region?: string };

const ACCOUNT_ID = /^\d{12}$/;
const QUEUE_NAME = /^[a-zA-Z0-9_-]{1,80}(\.fifo)?$/;

/**
 * Reads a queue URL in any form a client may hold:
 * `https://sqs.us-east-1.amazonaws.com/000000000000/orders` (AWS),
 * `https://us-east-1.queue.amazonaws.com/…` (legacy AWS), `http://localhost:4566/000000000000/orders`,
 * `http://sqs.us-east-1.localhost:4566/000000000000/orders` and `http://localhost:4566/queue/us-east-1/000000000000/orders`.
 * Returns undefined when the URL does not end in `<12-digit account>/<queue name>`.
 */
export function parseQueueUrl(url: string): QueueRef | undefined {
  let parsed: URL;
  try { parsed = new URL(url); } catch { return undefined; }
  const segments = parsed.pathname.split('/').filter((s) => s !== '').map(safeDecode);
  if (segments.length < 2) return undefined;
  const name = segments[segments.length - 1]!;
  const account = segments[segments.length - 2]!;
  if (!ACCOUNT_ID.test(account) || !QUEUE_NAME.test(name)) return undefined;
  const ref: QueueRef = { name, account };
  const region = regionFromQueuePath(segments) ?? regionFromHost(parsed.hostname);
  if (region !== undefined) ref.region = region;
  return ref;
}

/** Accepts a queue URL, a queue ARN or a bare queue name. */
export function parseQueueRef(value: string): QueueRef | undefined {
  if (value.startsWith('arn:')) {
    const arn = parseArn(value);
    if (!arn || arn.service !== 'sqs' || !QUEUE_NAME.test(arn.resource)) return undefined;
    return { name: arn.resource, account: arn.account, region: arn.region };
  }
  if (/^https?:\/\//i.test(value)) return parseQueueUrl(value);
  return QUEUE_NAME.test(value) ? { name: value } : undefined;
}

/** The URL Gannet hands out for a queue, AWS's `<endpoint>/<account>/<name>` form. */
export function queueUrl(endpoint: string, account: string, name: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${account}/${encodeURIComponent(name)}`;
}

export function queueArn(region: string, account: string, name: string): string {
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

// LocalStack's path-style queue URLs: /queue/<region>/<account>/<name>.
function regionFromQueuePath(segments: string[]): string | undefined {
  return segments.length === 4 && segments[0] === 'queue' && REGION.test(segments[1]!) ? segments[1] : undefined;
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

function regionFromHost(hostname: string): string | undefined {
  const labels = hostname.split('.');
  // sqs.<region>.amazonaws.com, sqs.<region>.localhost, <region>.queue.amazonaws.com
  if (labels[0] === 'sqs' && labels[1] !== undefined && REGION.test(labels[1])) return labels[1];
  if (labels[1] === 'queue' && REGION.test(labels[0]!)) return labels[0];
  return undefined;
}

function safeDecode(segment: string): string {
  try { return decodeURIComponent(segment); } catch { return segment; }
}
