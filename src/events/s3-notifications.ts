// Bucket notifications: an object created or removed → the functions, queues and topics that asked
// for it, from three places: `s3` events of functions, NotificationConfiguration in `resources:`,
// and configurations set through the S3 API. Deliveries to functions are asynchronous invocations.
import type { ServiceSpec } from '../config/types.ts';
import type { Invoker } from '../invoke/types.ts';
import type { Logger } from '../shared/log.ts';
import type { NotificationSink, S3Notification } from '../services/types.ts';
import { s3Event } from './s3-event.ts';

export type NotificationTarget = {
  id: string;
  events: string[];            // 's3:ObjectCreated:*', 's3:ObjectRemoved:Delete', ...
  prefix?: string;
  suffix?: string;
  target: { type: 'function' | 'sqs' | 'sns'; arn: string };
};

export function eventMatches(patterns: string[], eventName: string): boolean {
  const full = `s3:${eventName}`;
  return patterns.some((p) => p === full || (p.endsWith(':*') && full.startsWith(p.slice(0, -1))) || p === 's3:*');
}

export function keyMatches(t: NotificationTarget, key: string): boolean {
  return (t.prefix === undefined || key.startsWith(t.prefix)) && (t.suffix === undefined || key.endsWith(t.suffix));
}

/** The targets declared in serverless.yml for `bucket`: `s3` events and resources' NotificationConfiguration. */
export function declaredTargets(spec: ServiceSpec, bucket: string, bucketOf: (value: unknown) => string | undefined,
  functionArn: (key: string) => string): NotificationTarget[] {
  const out: NotificationTarget[] = [];
  for (const fn of Object.values(spec.functions)) {
    fn.events.forEach((e, i) => {
      if (e.type !== 's3' || bucketOf(e.bucket) !== bucket) return;
      const t: NotificationTarget = { id: `${fn.key}-s3-${i + 1}`, events: [e.event], target: { type: 'function', arn: functionArn(fn.key) } };
      for (const rule of e.rules) {
        if (rule.prefix !== undefined) t.prefix = rule.prefix;
        if (rule.suffix !== undefined) t.suffix = rule.suffix;
      }
      out.push(t);
    });
  }
  for (const r of spec.resources) {
    if (r.type !== 'AWS::S3::Bucket' || bucketOf({ Ref: r.logicalId }) !== bucket) continue;
    const nc = (r.properties.NotificationConfiguration ?? {}) as Record<string, unknown>;
    const kinds: [string, 'function' | 'sqs' | 'sns', string][] = [
      ['LambdaConfigurations', 'function', 'Function'], ['QueueConfigurations', 'sqs', 'Queue'], ['TopicConfigurations', 'sns', 'Topic']];
    for (const [list, type, arnKey] of kinds) {
      ((nc[list] ?? []) as Record<string, unknown>[]).forEach((c, i) => {
        const arn = bucketOf(c[arnKey]); // resolves intrinsics to their string value
        if (!arn) return;
        const t: NotificationTarget = { id: `${r.logicalId}-${type}-${i + 1}`, events: [String(c.Event)], target: { type, arn } };
        const rules = (((c.Filter as Record<string, unknown> | undefined)?.S3Key as Record<string, unknown> | undefined)?.Rules ?? []) as { Name: string; Value: string }[];
        for (const rule of rules) {
          if (rule.Name.toLowerCase() === 'prefix') t.prefix = rule.Value;
          if (rule.Name.toLowerCase() === 'suffix') t.suffix = rule.Value;
        }
        out.push(t);
      });
    }
  }
  return out;
}

export type S3SinkContext = {
  region: string;
  invoker: Invoker;
  log: Logger;
  /** All targets for a bucket: declared ones plus those set through the S3 API. */
  targets(bucket: string): Promise<NotificationTarget[]>;
  sqs(queueArn: string, body: string): Promise<void>;
  sns(topicArn: string, message: string, subject?: string): Promise<void>;
};

export function createS3NotificationSink(ctx: S3SinkContext): NotificationSink {
  return {
    async s3(n: S3Notification) {
      const targets = (await ctx.targets(n.bucket)).filter((t) => eventMatches(t.events, n.eventName) && keyMatches(t, n.key));
      await Promise.all(targets.map(async (t) => {
        const body = JSON.stringify(s3Event(n, { region: ctx.region, configurationId: t.id }));
        try {
          if (t.target.type === 'function') {
            await ctx.invoker.invoke(t.target.arn, Buffer.from(body), { mode: 'async', trigger: { kind: 's3', bucket: n.bucket } });
          } else if (t.target.type === 'sqs') await ctx.sqs(t.target.arn, body);
          else await ctx.sns(t.target.arn, body, 'Amazon S3 Notification');
        } catch (err) {
          ctx.log.error(`s3 notification ${n.eventName} s3://${n.bucket}/${n.key} → ${t.target.arn}: ${(err as Error).message}`);
        }
      }));
    },
  };
}
