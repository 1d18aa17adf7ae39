// Names the Serverless Framework and CloudFormation would give: logical ids of generated resources,
// physical names of resources declared without one (stable across runs), ARNs.

import { createHash } from 'node:crypto';

/** `create-order_v2` → `CreateDashorderUnderscorev2`: the framework's getNormalizedFunctionName. */
export function normalizedResourceName(name: string): string {
  return upperFirst(name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore'));
}

export function normalizeAlphaNumeric(name: string): string {
  return upperFirst(name.replace(/[^0-9A-Za-z]/g, ''));
}

export function lambdaLogicalId(functionKey: string): string {
  return `${normalizedResourceName(functionKey)}LambdaFunction`;
}

export function logGroupLogicalId(functionKey: string): string {
  return `${normalizedResourceName(functionKey)}LogGroup`;
}

export function bucketLogicalId(bucketName: string): string {
  return `S3Bucket${normalizeAlphaNumeric(bucketName)}`;
}

export function topicLogicalId(topicName: string): string {
  return `SNSTopic${normalizeAlphaNumeric(topicName)}`;
}

export function stackName(service: string, stage: string): string {
  return `${service}-${stage}`;
}

/** A short, stable, upper-case suffix in the style of CloudFormation's generated names. */
export function shortHash(...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let out = '';
  for (let i = 0; i < 12; i++) out += alphabet[digest[i]! % alphabet.length];
  return out;
}

/**
 * The physical name CloudFormation generates for a resource without an explicit name:
 * `<stack>-<LogicalId>-<HASH>`, cut to `max` characters keeping the hash.
 */
export function generatedName(stack: string, logicalId: string, max: number, opts: { lower?: boolean; suffix?: string } = {}): string {
  const hash = shortHash(stack, logicalId);
  const suffix = opts.suffix ?? '';
  let head = `${stack}-${logicalId}`;
  const room = max - hash.length - 1 - suffix.length;
  if (head.length > room) head = head.slice(0, room);
  const name = `${head}-${hash}${suffix}`;
  return opts.lower ? name.toLowerCase() : name;
}

export function functionArn(region: string, accountId: string, functionName: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${functionName}`;
}

export function queueUrl(region: string, accountId: string, queueName: string): string {
  return `https://sqs.${region}.amazonaws.com/${accountId}/${queueName}`;
}

export function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
