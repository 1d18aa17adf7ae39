// The service's event sources, started from its spec: the resources it declares or implies (queues,
// topics, subscriptions, buckets) created on the AWS endpoint, SQS pollers, SNS subscriptions of
// functions, and schedules. Restarted as a whole when the service is reloaded.
import type { ServiceSpec } from '../config/types.ts';
import { defaultIntrinsicTable, resolveIntrinsics } from '../config/index.ts';
import type { Invoker } from '../invoke/types.ts';
import type { Store } from '../store/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import { functionArn, parseArn } from '../services/identifiers.ts';
import { startSchedules, type ScheduleAnchors } from '../events/schedules.ts';
import { startSqsPoller } from '../events/sqs-poller.ts';
import type { AwsEndpoint } from './aws.ts';
import { createResources, pruneSubscriptions } from './resources.ts';

export type EventSources = { stop(): Promise<void> };

export async function startEventSources(o: {
  spec: ServiceSpec; aws: AwsEndpoint; invoker: Invoker; store: Store; clock: Clock; log: Logger; schedules: boolean;
  /** Kept by the host across reloads (see ScheduleAnchors). */
  scheduleAnchors?: ScheduleAnchors;
}): Promise<EventSources> {
  const { spec, aws, log } = o;
  const table = defaultIntrinsicTable(spec);
  const resolve = (v: unknown): unknown => resolveIntrinsics(v, table, { onUnresolved: 'keep' });
  const subscriptions: string[] = [];
  await createResources({ spec, aws, log, resolve, subscriptions });

  const stoppers: (() => void)[] = [];
  for (const fn of Object.values(spec.functions)) {
    const arn = functionArn(spec.region, spec.accountId, fn.name);
    for (const event of fn.events) {
      if (event.type === 'sns') {
        const given = event.arn === undefined ? undefined : resolve(event.arn);
        const topicName = event.topicName ?? (typeof given === 'string' ? parseArn(given)?.resource ?? given : undefined);
        if (topicName === undefined) { log.warn(`function ${fn.key}: sns event topic ${JSON.stringify(event.arn)} cannot be resolved; not subscribed`); continue; }
        const attributes: Record<string, string> = {};
        if (event.filterPolicy !== undefined) attributes.FilterPolicy = JSON.stringify(event.filterPolicy);
        if (event.filterPolicyScope !== undefined) attributes.FilterPolicyScope = event.filterPolicyScope;
        await guarded(log, `sns subscription of ${fn.key} to ${topicName}`, async () => {
          subscriptions.push(await aws.sns.subscribe(await aws.sns.ensureTopic(topicName), 'lambda', arn, attributes, { converge: true }));
        });
      }
      if (event.type === 'sqs' && event.enabled) {
        const queueArn = resolve(event.arn);
        if (typeof queueArn !== 'string') { log.warn(`function ${fn.key}: sqs event ARN ${JSON.stringify(event.arn)} cannot be resolved; not polled`); continue; }
        const name = parseArn(queueArn)?.resource ?? queueArn;
        // On AWS the queue must exist; locally one that no resource declares is created, to run as deployed.
        await guarded(log, `queue ${name} for ${fn.key}`, () => aws.sqs.ensureQueue(name, name.endsWith('.fifo') ? { FifoQueue: 'true' } : {}));
        stoppers.push(startSqsPoller({ fn, event, queueArn, region: spec.region, queue: aws.sqs, invoker: o.invoker, clock: o.clock, log }).stop);
      }
    }
  }
  await pruneSubscriptions({ spec, aws, store: o.store, log }, subscriptions);
  if (o.schedules) {
    stoppers.push(startSchedules({ spec, invoker: o.invoker, clock: o.clock, log, ...(o.scheduleAnchors && { anchors: o.scheduleAnchors }) }).stop);
  }
  return { stop: async () => { for (const s of stoppers) s(); } };
}

export async function guarded(log: Logger, what: string, work: () => Promise<unknown>): Promise<void> {
  try { await work(); } catch (err) { log.warn(`${what}: ${(err as Error).message}`); }
}
