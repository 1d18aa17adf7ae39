// Bucket notifications: an object created or removed → the functions, queues and topics that asked
// for it, from three places: `s3` events of functions, NotificationConfiguration in `resources:`,
// and configurations set through the S3 API (stored by the S3 provider). Deliveries to functions
// are asynchronous invocations, as on AWS; setting a configuration through the API sends its queues
// and topics S3's `s3:TestEvent` first.
import type { ServiceSpec } from '../config/types.ts';
import type { Invoker } from '../invoke/types.ts';
import type { Logger } from '../shared/log.ts';
import type { NotificationSink, S3Notification, S3TestEvent } from '../services/types.ts';
import { targetsFor, type BucketNotificationConfig, type NotificationTarget } from '../services/s3/notification-config.ts';
import { s3Event, s3TestEvent } from './s3-event.ts';

/** The targets declared in serverless.yml for `bucket`: `s3` events and resources' NotificationConfiguration.
 *  `resolve` evaluates intrinsics (a bucket `Ref`, a function `GetAtt … Arn`) to strings. */
export function declaredNotifications(spec: ServiceSpec, bucket: string, resolve: (value: unknown) => unknown,
  functionArn: (key: string) => string): BucketNotificationConfig {
  const targets: NotificationTarget[] = [];
  for (const fn of Object.values(spec.functions)) {
    fn.events.forEach((e, i) => {
      if (e.type !== 's3' || resolve(e.bucket) !== bucket) return;
      const filter: NotificationTarget['filter'] = {};
      for (const rule of e.rules) Object.assign(filter, rule);
      targets.push({ id: `${fn.key}-s3-${i + 1}`, kind: 'lambda', arn: functionArn(fn.key), events: [e.event], filter });
    });
  }
  for (const r of spec.resources) {
    if (r.type !== 'AWS::S3::Bucket' || resolve({ Ref: r.logicalId }) !== bucket) continue;
    const nc = (r.properties.NotificationConfiguration ?? {}) as Record<string, unknown>;
    const lists: [string, NotificationTarget['kind'], string][] = [
      ['LambdaConfigurations', 'lambda', 'Function'], ['QueueConfigurations', 'sqs', 'Queue'], ['TopicConfigurations', 'sns', 'Topic']];
    for (const [list, kind, arnKey] of lists) {
      ((nc[list] ?? []) as Record<string, unknown>[]).forEach((c, i) => {
        const arn = resolve(c[arnKey]);
        if (typeof arn !== 'string') return;
        const filter: NotificationTarget['filter'] = {};
        const rules = (((c.Filter as Record<string, unknown> | undefined)?.S3Key as Record<string, unknown> | undefined)?.Rules ?? []) as { Name: string; Value: string }[];
        for (const rule of rules) {
          const name = rule.Name.toLowerCase();
          if (name === 'prefix' || name === 'suffix') filter[name] = rule.Value;
        }
        targets.push({ id: `${r.logicalId}-${kind}-${i + 1}`, kind, arn, events: [String(c.Event)], filter });
      });
    }
  }
  return { version: 1, targets, eventBridge: false };
}

export type S3SinkContext = {
  region: string;
  invoker: Invoker;
  log: Logger;
  /** Every notification configuration that applies to a bucket: declared ones and those set through the S3 API. */
  configs(bucket: string): Promise<BucketNotificationConfig[]>;
  sqs(queueArn: string, body: string): Promise<void>;
  sns(topicArn: string, message: string): Promise<void>;
};

export function createS3NotificationSink(ctx: S3SinkContext): NotificationSink {
  return {
    async s3(n: S3Notification) {
      const targets = (await ctx.configs(n.bucket)).flatMap((c) => targetsFor(c, n.eventName, n.key));
      await Promise.all(targets.map(async (t) => {
        const body = JSON.stringify(s3Event(n, { region: ctx.region, configurationId: t.id }));
        try {
          if (t.kind === 'lambda') {
            await ctx.invoker.invoke(t.arn, Buffer.from(body), { mode: 'async', trigger: { kind: 's3', bucket: n.bucket } });
          } else if (t.kind === 'sqs') await ctx.sqs(t.arn, body);
          else await ctx.sns(t.arn, body);
        } catch (err) {
          ctx.log.error(`s3 notification ${n.eventName} s3://${n.bucket}/${n.key} → ${t.arn}: ${(err as Error).message}`);
        }
      }));
    },
    async s3TestEvent(e: S3TestEvent) {
      const body = JSON.stringify(s3TestEvent(e));
      await Promise.all(e.targets.map(async (t) => {
        try {
          if (t.kind === 'sqs') await ctx.sqs(t.arn, body);
          else await ctx.sns(t.arn, body);
        } catch (err) {
          ctx.log.error(`s3:TestEvent for bucket ${e.bucket} → ${t.arn}: ${(err as Error).message}`);
        }
      }));
    },
  };
}
