// Which AWS service a request on the shared port is for (aws-compat §15.2), in this order:
// SigV4 credential scope → X-Amz-Target prefix → Lambda's REST paths → query Action (URL, or a
// form body) → S3. The body is only ever read for a form POST that nothing else identified, so
// S3 uploads keep streaming; that body is handed on in a replayed request.
import { IncomingMessage } from 'node:http';
import { GannetError } from '../shared/errors.ts';
import { parseAuthorization, type SigV4Authorization } from './sigv4.ts';
import { LAMBDA_PATH } from './lambda/index.ts';

export type Identification = {
  /** SigV4 service name: 'lambda', 'sqs', 's3', 'sns', 'dynamodb', … ('unknown' when a query Action names nothing known). */
  service: string;
  /** Which check decided, for the debug log and error messages. */
  via: 'sigv4' | 'sigv2' | 'target' | 'path' | 'action' | 'default';
  auth?: SigV4Authorization;
  /** The request to hand on: the original, or a replay of it when its form body had to be read. */
  req: IncomingMessage;
  /** The query Action, when one was read. */
  action?: string;
};

// X-Amz-Target is `<prefix>.<Operation>`; the prefix names the service's JSON API.
const TARGET_PREFIXES: Record<string, string> = {
  AmazonSQS: 'sqs',
  DynamoDB_20120810: 'dynamodb',
  DynamoDBStreams_20120810: 'dynamodbstreams',
  AWSEvents: 'events',
  Logs_20140328: 'logs',
  AWSStepFunctions: 'states',
  AmazonSSM: 'ssm',
  secretsmanager: 'secretsmanager',
  Kinesis_20131202: 'kinesis',
  TrentService: 'kms',
  AWSCognitoIdentityProviderService: 'cognito-idp',
  AWSSecurityTokenServiceV20110615: 'sts',
};

// Query-protocol API versions (the `Version` parameter).
const QUERY_VERSIONS: Record<string, string> = {
  '2012-11-05': 'sqs',
  '2010-03-31': 'sns',
  '2011-06-15': 'sts',
  '2010-05-08': 'iam',
  '2010-05-15': 'cloudformation',
};

// For clients that leave out Version: the actions only one of SQS or SNS has.
const SQS_ACTIONS = new Set(['CreateQueue', 'DeleteQueue', 'ListQueues', 'GetQueueUrl', 'GetQueueAttributes',
  'SetQueueAttributes', 'SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch',
  'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch', 'PurgeQueue', 'ListQueueTags', 'TagQueue', 'UntagQueue',
  'ListDeadLetterSourceQueues', 'StartMessageMoveTask', 'CancelMessageMoveTask', 'ListMessageMoveTasks']);
const SNS_ACTIONS = new Set(['CreateTopic', 'DeleteTopic', 'ListTopics', 'Publish', 'PublishBatch', 'Subscribe',
  'Unsubscribe', 'ConfirmSubscription', 'ListSubscriptions', 'ListSubscriptionsByTopic', 'GetTopicAttributes',
  'SetTopicAttributes', 'GetSubscriptionAttributes', 'SetSubscriptionAttributes', 'ListTagsForResource',
  'TagResource', 'UntagResource', 'GetDataProtectionPolicy', 'PutDataProtectionPolicy']);

/** Form bodies are small (an SQS batch is at most 1 MiB of messages, tripled by encoding). */
export const MAX_PEEKED_FORM_BYTES = 16 * 1024 * 1024;

export async function identifyService(req: IncomingMessage): Promise<Identification> {
  const auth = parseAuthorization(req);
  if (auth) return { service: auth.service, via: 'sigv4', auth, req };
  const authorization = req.headers.authorization;
  // Signature V2 (`AWS AKID:signature`) survives only in S3 clients.
  if (typeof authorization === 'string' && authorization.startsWith('AWS ')) return { service: 's3', via: 'sigv2', req };

  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const prefix = target.slice(0, target.indexOf('.') === -1 ? target.length : target.indexOf('.'));
    return { service: TARGET_PREFIXES[prefix] ?? prefix.toLowerCase(), via: 'target', req };
  }

  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (LAMBDA_PATH.test(path)) return { service: 'lambda', via: 'path', req };

  if (q !== -1) {
    const params = new URLSearchParams(url.slice(q + 1));
    const action = params.get('Action');
    if (action) return { service: serviceOfAction(action, params.get('Version'), path), via: 'action', req, action };
  }

  if (req.method === 'POST' && isForm(req)) {
    const { body, replay } = await readAndReplay(req);
    const params = new URLSearchParams(body.toString('utf8'));
    const action = params.get('Action');
    if (action) return { service: serviceOfAction(action, params.get('Version'), path), via: 'action', req: replay, action };
    return { service: 's3', via: 'default', req: replay };
  }
  return { service: 's3', via: 'default', req };
}

export function serviceOfAction(action: string, version: string | null, path: string): string {
  const byVersion = version ? QUERY_VERSIONS[version] : undefined;
  if (byVersion) return byVersion;
  if (SQS_ACTIONS.has(action)) return 'sqs';
  if (SNS_ACTIONS.has(action)) return 'sns';
  if (action === 'GetCallerIdentity' || action === 'AssumeRole') return 'sts';
  // Old SQS clients post to the queue URL's path: /<account>/<queue>.
  if (/^\/\d{12}\/[^/]+\/?$/.test(path)) return 'sqs';
  return 'unknown';
}

function isForm(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && type.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/**
 * Reads the whole body and returns a fresh IncomingMessage on the same socket that yields it
 * again, so the provider reads the body as if nobody had looked.
 */
export async function readAndReplay(req: IncomingMessage): Promise<{ body: Buffer; replay: IncomingMessage }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_PEEKED_FORM_BYTES) {
      throw new GannetError('GANNET_AWS_REQUEST_TOO_LARGE',
        `The form-encoded request body is over ${MAX_PEEKED_FORM_BYTES} bytes; send smaller messages or batches`,
        { awsCode: 'RequestEntityTooLarge', status: 413 });
    }
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks, size);
  const replay = new IncomingMessage(req.socket);
  replay.method = req.method;
  replay.url = req.url;
  replay.headers = req.headers;
  replay.rawHeaders = req.rawHeaders;
  replay.httpVersion = req.httpVersion;
  replay.httpVersionMajor = req.httpVersionMajor;
  replay.httpVersionMinor = req.httpVersionMinor;
  Object.defineProperty(replay, 'headersDistinct', { value: req.headersDistinct });
  // Marked complete so that ending the replay does not count as an aborted request and close the socket.
  replay.complete = true;
  replay.push(body);
  replay.push(null);
  return { body, replay };
}
