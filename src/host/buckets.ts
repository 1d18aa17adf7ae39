// Buckets a service declares (AWS::S3::Bucket in `resources:`) or implies (`s3` events), created on
// Gannet's S3 when the service starts and converged on reload: CorsConfiguration and Tags become the
// bucket's configuration as CloudFormation would set them. NotificationConfiguration is not copied:
// the notification sink reads it from the current spec at each event (events/s3-notifications.ts).
import type { ServiceSpec } from '../config/types.ts';
import type { Logger } from '../shared/log.ts';
import { GannetError } from '../shared/errors.ts';
import { CORS_CONFIG_KEY, MAX_CORS_RULES, TAGGING_CONFIG_KEY, type CorsConfig, type CorsRule } from '../services/s3/index.ts';
import type { AwsEndpoint } from './aws.ts';
import { guarded } from './event-sources.ts';
import { tagsOf } from './resources.ts';

/** Properties Gannet applies, and those that change nothing a local run can observe. */
const APPLIED = new Set(['BucketName', 'CorsConfiguration', 'NotificationConfiguration', 'Tags']);
const NO_LOCAL_EFFECT = new Set(['AccessControl', 'BucketEncryption', 'PublicAccessBlockConfiguration', 'OwnershipControls',
  'LoggingConfiguration', 'MetricsConfigurations', 'AnalyticsConfigurations', 'InventoryConfigurations',
  'IntelligentTieringConfigurations', 'AccelerateConfiguration', 'ObjectLockEnabled']);
const CORS_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);

/** A CORS configuration written from `resources:` remembers it, so removing it from the file removes it. */
type DeclaredCors = CorsConfig & { declaredBy?: string };

type Ctx = { spec: ServiceSpec; aws: AwsEndpoint; log: Logger; resolve: (v: unknown) => unknown };

export async function createBuckets(c: Ctx): Promise<void> {
  const { spec, aws, log, resolve } = c;
  for (const b of spec.resources.filter((r) => r.type === 'AWS::S3::Bucket')) {
    await guarded(log, `resource ${b.logicalId} (AWS::S3::Bucket)`, async () => {
      const name = resolve({ Ref: b.logicalId });
      if (typeof name !== 'string') throw new GannetError('GANNET_RESOURCE_UNRESOLVED', `its BucketName ${JSON.stringify(name)} does not resolve to a name; not created`);
      const props = (resolve(b.properties) ?? {}) as Record<string, unknown>;
      await aws.s3.ensureBucket(name);
      await applyCors(c, name, b.logicalId, props.CorsConfiguration);
      if (props.Tags !== undefined) await aws.env.store.objects.setBucketConfig(name, TAGGING_CONFIG_KEY, tagsOf(props.Tags));
      warnUnapplied(log, b.logicalId, props);
    });
  }
  for (const fn of Object.values(spec.functions)) {
    for (const e of fn.events) {
      if (e.type !== 's3') continue;
      const bucket = resolve(e.bucket);
      if (typeof bucket !== 'string') {
        log.warn(`function ${fn.key}: s3 event bucket ${JSON.stringify(e.bucket)} cannot be resolved; it receives nothing`);
        continue;
      }
      await guarded(log, `bucket ${bucket} of ${fn.key}`, () => aws.s3.ensureBucket(bucket));
    }
  }
}

async function applyCors(c: Ctx, bucket: string, logicalId: string, declared: unknown): Promise<void> {
  const objects = c.aws.env.store.objects;
  if (declared === undefined) {
    // Only a configuration this resource wrote is removed; one set through the S3 API stays.
    const info = await objects.getBucket(bucket);
    const current = info?.config[CORS_CONFIG_KEY] as DeclaredCors | null | undefined;
    if (current?.declaredBy === logicalId) await objects.setBucketConfig(bucket, CORS_CONFIG_KEY, null);
    return;
  }
  const cfg: DeclaredCors = { ...corsFromCloudFormation(declared, logicalId), declaredBy: logicalId };
  await objects.setBucketConfig(bucket, CORS_CONFIG_KEY, cfg);
}

/** CloudFormation's `CorsConfiguration: {CorsRules: [...]}` in the form PutBucketCors stores. */
export function corsFromCloudFormation(value: unknown, logicalId: string): CorsConfig {
  const bad = (what: string) => new GannetError('GANNET_RESOURCE_INVALID',
    `resources.Resources.${logicalId}.Properties.CorsConfiguration: ${what}. See AWS::S3::Bucket CorsRule in the CloudFormation reference.`);
  const strings = (v: unknown, key: string, i: number): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(`CorsRules[${i}].${key} must be a list of strings`);
    return v as string[];
  };
  const rules = (value as { CorsRules?: unknown } | null)?.CorsRules;
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > MAX_CORS_RULES) throw bad(`CorsRules must be a list of 1 to ${MAX_CORS_RULES} rules`);
  return {
    version: 1,
    rules: rules.map((r: Record<string, unknown>, i): CorsRule => {
      const rule: CorsRule = {
        allowedOrigins: strings(r.AllowedOrigins, 'AllowedOrigins', i),
        allowedMethods: strings(r.AllowedMethods, 'AllowedMethods', i),
        allowedHeaders: strings(r.AllowedHeaders, 'AllowedHeaders', i),
        exposeHeaders: strings(r.ExposedHeaders, 'ExposedHeaders', i),
      };
      if (!rule.allowedOrigins.length || !rule.allowedMethods.length) throw bad(`CorsRules[${i}] needs AllowedOrigins and AllowedMethods`);
      const wrong = rule.allowedMethods.find((m) => !CORS_METHODS.has(m));
      if (wrong !== undefined) throw bad(`CorsRules[${i}].AllowedMethods has ${wrong}; allowed are ${[...CORS_METHODS].join(', ')}`);
      if (typeof r.Id === 'string') rule.id = r.Id;
      if (r.MaxAge !== undefined) {
        const maxAge = Number(r.MaxAge);
        if (!Number.isInteger(maxAge) || maxAge < 0) throw bad(`CorsRules[${i}].MaxAge must be a whole number of seconds`);
        rule.maxAgeSeconds = maxAge;
      }
      return rule;
    }),
  };
}

function warnUnapplied(log: Logger, logicalId: string, props: Record<string, unknown>): void {
  const versioning = (props.VersioningConfiguration as { Status?: unknown } | undefined)?.Status;
  const ignored = Object.keys(props).filter((k) => !APPLIED.has(k) && !NO_LOCAL_EFFECT.has(k) &&
    !(k === 'VersioningConfiguration' && versioning !== 'Enabled'));
  if (ignored.length > 0) {
    log.warn(`resource ${logicalId} (AWS::S3::Bucket): ${ignored.join(', ')} not emulated locally; the bucket works without ${ignored.length === 1 ? 'it' : 'them'}`);
  }
}
