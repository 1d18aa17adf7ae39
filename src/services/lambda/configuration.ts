// Lambda's FunctionConfiguration and GetFunction shapes (aws-compat §3.3), built from the
// function's serverless.yml settings as Gannet runs them.
import { createHash } from 'node:crypto';
import type { FunctionSpec } from '../../config/types.ts';
import type { FunctionDirectory } from '../types.ts';

export type ConfigurationContext = { functions: FunctionDirectory; region: string; accountId: string };

export function functionConfiguration(fn: FunctionSpec, ctx: ConfigurationContext): Record<string, unknown> {
  const facts = ctx.functions.describe?.(fn);
  const region = facts?.service.region ?? ctx.region;
  const account = facts?.service.accountId ?? ctx.accountId;
  // The Serverless Framework names the shared execution role <service>-<stage>-<region>-lambdaRole.
  const role = facts
    ? `arn:aws:iam::${account}:role/${facts.service.service}-${facts.service.stage}-${region}-lambdaRole`
    : `arn:aws:iam::${account}:role/${fn.name}-lambdaRole`;
  const revisionId = facts?.revisionId ?? '00000000-0000-0000-0000-000000000000';
  const config: Record<string, unknown> = {
    FunctionName: fn.name,
    FunctionArn: ctx.functions.arnOf(fn),
    Runtime: fn.runtime,
    Role: role,
    Handler: fn.handler,
    // Gannet runs code from the service folder, not a zip: there is no archive to measure.
    CodeSize: 0,
    Description: '',
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    LastModified: lambdaTimestamp(facts?.lastModified ?? 0),
    // Identifies the code revision Gannet serves (base64, as Lambda's hash of the zip is).
    CodeSha256: createHash('sha256').update(`${fn.codeDir}\0${fn.handler}\0${revisionId}`).digest('base64'),
    Version: '$LATEST',
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: [fn.architecture],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
  // Lambda leaves Environment out entirely when a function has no variables.
  if (Object.keys(fn.environment).length > 0) config.Environment = { Variables: { ...fn.environment } };
  return config;
}

export function getFunctionOutput(fn: FunctionSpec, ctx: ConfigurationContext): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Configuration: functionConfiguration(fn, ctx),
    // Lambda hands out a presigned S3 URL of the zip; Gannet's code is the folder it runs from.
    Code: { RepositoryType: 'S3', Location: `file://${fn.codeDir}` },
    Tags: {},
  };
  if (fn.reservedConcurrency !== undefined) out.Concurrency = { ReservedConcurrentExecutions: fn.reservedConcurrency };
  return out;
}

/** Lambda's LastModified: `2024-01-31T12:34:56.789+0000` (milliseconds, `+0000`, not `Z`). */
export function lambdaTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}
