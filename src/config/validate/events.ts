// A function's `events:` list into the EventSpec union. Event types Gannet does not run become
// `{type: 'other'}` and one warning per type for the whole service.

import type { EventSpec } from '../types.ts';
import type { KeyPath } from '../source.ts';
import { readHttpApiEvent, readHttpEvent } from './http.ts';
import { readExistingS3Event, readS3Event, readScheduleEvent, readSnsEvent, readSqsEvent } from './queue-events.ts';
import type { ServiceContext } from './functions.ts';

export type EventContext = ServiceContext & {
  /** Function key → deployed name, for authorizers and destinations naming a function. */
  functionNames: Map<string, string>;
  /** Event types not run by Gannet: first location and count, reported once each. */
  otherEvents: Map<string, { path: KeyPath; count: number }>;
  /** `METHOD /path` route keys of httpApi events seen so far, to refuse duplicates. */
  httpApiRoutes: Map<string, string>;
};

/** Event types the framework knows that Gannet does not run (yet). */
const KNOWN_UNSUPPORTED: Record<string, string> = {
  websocket: 'WebSocket APIs are not served yet',
  eventBridge: 'EventBridge rules are not run yet',
  cloudwatchEvent: 'CloudWatch Events rules are not run',
  cloudwatchLog: 'CloudWatch Logs subscriptions are not run',
  stream: 'DynamoDB and Kinesis streams are not run yet',
  alb: 'Application Load Balancer targets are not served',
  cognitoUserPool: 'Cognito triggers are not run',
  iot: 'IoT rules are not run',
  iotFleetProvisioning: 'IoT fleet provisioning hooks are not run',
  alexaSkill: 'Alexa skills are not run',
  alexaSmartHome: 'Alexa smart home skills are not run',
  cloudFront: 'Lambda@Edge triggers are not run',
  msk: 'MSK (Kafka) event sources are not run',
  kafka: 'Kafka event sources are not run',
  activemq: 'ActiveMQ event sources are not run',
  rabbitmq: 'RabbitMQ event sources are not run',
};

export function readEvents(ctx: EventContext, fnKey: string, raw: unknown): EventSpec[] {
  const { r } = ctx;
  const path: KeyPath = ['functions', fnKey, 'events'];
  const list = r.list(path, raw, 'a list of events (e.g. - httpApi: GET /users)');
  const out: EventSpec[] = [];
  list.forEach((item, i) => {
    const ipath = [...path, i];
    if (!r.isMap(item) || Object.keys(item).length === 0) {
      throw r.fail(ipath, 'an event such as {http: ...}, {httpApi: ...}, {schedule: ...}, {sqs: ...}', item);
    }
    const keys = Object.keys(item);
    if (keys.length > 1) {
      throw r.fail(ipath, 'one event type per list item (start each with "- ")', item);
    }
    const type = keys[0]!;
    const v = item[type];
    const epath = [...ipath, type];
    switch (type) {
      case 'http': pushIf(out, readHttpEvent(ctx, epath, v)); break;
      case 'httpApi': pushIf(out, readHttpApiEvent(ctx, epath, v, fnKey)); break;
      case 'schedule': out.push(readScheduleEvent(ctx, epath, v)); break;
      case 'sqs': out.push(readSqsEvent(ctx, epath, v)); break;
      case 'sns': out.push(readSnsEvent(ctx, epath, v)); break;
      case 's3': out.push(readS3Event(ctx, epath, v)); break;
      case 'existingS3': out.push(...readExistingS3Event(ctx, epath, v)); break;
      default: {
        out.push({ type: 'other', name: type, raw: v });
        const seen = ctx.otherEvents.get(type);
        if (seen) seen.count++;
        else ctx.otherEvents.set(type, { path: epath, count: 1 });
      }
    }
  });
  return out;
}

function pushIf(out: EventSpec[], e: EventSpec | undefined): void {
  if (e) out.push(e);
}

/** One warning per event type Gannet does not run, at its first use. */
export function reportOtherEvents(ctx: EventContext): void {
  for (const [type, { path, count }] of ctx.otherEvents) {
    const times = count > 1 ? ` (${count} events)` : '';
    const why = KNOWN_UNSUPPORTED[type];
    ctx.r.warn(path, why
      ? `${type} events${times} are ignored: ${why}`
      : `unknown event type "${type}"${times} is ignored`);
  }
}
