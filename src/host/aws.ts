// The host's AWS side: the providers (Lambda, SQS, SNS, S3) over one shared environment, mounted
// on the AWS endpoint's server when there is one, and bucket notifications routed to their targets.
import type { Server } from 'node:http';
import type { ServiceSpec } from '../config/types.ts';
import { defaultIntrinsicTable, resolveIntrinsics } from '../config/index.ts';
import type { Invoker } from '../invoke/types.ts';
import type { Store } from '../store/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import { createAwsEndpoint, createLambdaProvider, functionArn } from '../services/index.ts';
import type { FunctionDirectory, NotificationSink, ServiceEnv } from '../services/types.ts';
import { createSqsProvider, type SqsProvider } from '../services/sqs/index.ts';
import { createSnsProvider, type SnsProvider } from '../services/sns/index.ts';
import { createS3Provider, type S3Provider } from '../services/s3/index.ts';
import { NOTIFICATION_CONFIG_KEY, parseNotificationConfig, type BucketNotificationConfig } from '../services/s3/index.ts';
import { createS3NotificationSink, declaredNotifications } from '../events/s3-notifications.ts';

export type AwsEndpoint = {
  sqs: SqsProvider;
  sns: SnsProvider;
  s3: S3Provider;
  env: ServiceEnv;
  close(): Promise<void>;
};

export async function startAwsEndpoint(o: {
  server: Server | undefined; store: Store; invoker: Invoker; clock: Clock; log: Logger; spec: () => ServiceSpec;
  functions: FunctionDirectory;
}): Promise<AwsEndpoint> {
  const first = o.spec();
  // Declared targets per bucket, worked out once per loaded spec: every S3 write asks for them.
  const declaredCache = new WeakMap<ServiceSpec, Map<string, BucketNotificationConfig>>();
  const declaredFor = (spec: ServiceSpec, bucket: string): BucketNotificationConfig => {
    let perBucket = declaredCache.get(spec);
    if (!perBucket) declaredCache.set(spec, perBucket = new Map());
    let cfg = perBucket.get(bucket);
    if (!cfg) {
      const table = defaultIntrinsicTable(spec);
      const resolve = (v: unknown) => { try { return resolveIntrinsics(v, table); } catch { return undefined; } };
      cfg = declaredNotifications(spec, bucket, resolve, (key) => functionArn(spec.region, spec.accountId, spec.functions[key]!.name));
      perBucket.set(bucket, cfg);
    }
    return cfg;
  };
  let sink: NotificationSink | undefined;
  const env: ServiceEnv = {
    store: o.store, invoker: o.invoker, clock: o.clock, log: o.log,
    region: first.region, accountId: first.accountId,
    functions: o.functions,
    notifications: {
      s3: (n) => sink!.s3(n),
      s3TestEvent: (e) => sink!.s3TestEvent!(e),
      declaredTargets: (bucket) => declaredFor(o.spec(), bucket).targets,
    },
  };
  const sqs = createSqsProvider(env);
  const sns = createSnsProvider(env, sqs);
  const s3 = createS3Provider(env);

  sink = createS3NotificationSink({
    region: first.region, invoker: o.invoker, log: o.log,
    sqs: (arn, body) => sqs.sendToArn(arn, body),
    sns: (arn, message) => sns.publishToArn(arn, message, { subject: 'Amazon S3 Notification' }),
    async configs(bucket) {
      const info = await o.store.objects.getBucket(bucket);
      return [declaredFor(o.spec(), bucket), parseNotificationConfig(info?.config[NOTIFICATION_CONFIG_KEY])];
    },
  });

  if (o.server) {
    const handler = createAwsEndpoint({
      providers: [createLambdaProvider(env), sqs, sns, s3], log: o.log, region: first.region, accountId: first.accountId,
      now: () => o.clock.now(),
    });
    o.server.on('request', handler);
  }
  const server = o.server;
  return {
    sqs, sns, s3, env,
    close: () => new Promise((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
