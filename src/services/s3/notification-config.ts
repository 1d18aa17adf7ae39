// A bucket's notification configuration in one normalised JSON form, stored as bucket config under
// `notification`. S3 writes it (PutBucketNotificationConfiguration); event sources (events/) read it
// with `parseNotificationConfig` and pick targets with `targetsFor`. Wire form: aws-compat §13.7.
//
// Stored shape (version 1):
//   { "version": 1, "eventBridge": false,
//     "targets": [{ "id": "thumbs", "kind": "lambda", "arn": "arn:aws:lambda:...:function:f",
//                   "events": ["s3:ObjectCreated:*"], "filter": { "prefix": "uploads/", "suffix": ".jpg" } }] }
// `kind` is 'lambda' (XML CloudFunctionConfiguration), 'sqs' (QueueConfiguration) or 'sns' (TopicConfiguration).
import { randomUUID } from 'node:crypto';
import { GannetError } from '../../shared/errors.ts';
import { malformedXml, xmlChild, xmlList, xmlText, type XmlObject } from '../protocol/rest-xml.ts';
import { invalidArgument } from './errors.ts';

export const NOTIFICATION_CONFIG_KEY = 'notification';

export type NotificationTargetKind = 'lambda' | 'sqs' | 'sns';

export type NotificationTarget = {
  id: string;
  kind: NotificationTargetKind;
  arn: string;
  /** Subscription patterns with the `s3:` prefix: 's3:ObjectCreated:*', 's3:ObjectRemoved:Delete'. */
  events: string[];
  filter: { prefix?: string; suffix?: string };
};

export type BucketNotificationConfig = { version: 1; targets: NotificationTarget[]; eventBridge: boolean };

export const EMPTY_NOTIFICATION_CONFIG: BucketNotificationConfig = { version: 1, targets: [], eventBridge: false };

/** XML element names per target kind: [configuration element, ARN element]. */
const XML_NAMES: Record<NotificationTargetKind, [string, string]> = {
  lambda: ['CloudFunctionConfiguration', 'CloudFunction'],
  sqs: ['QueueConfiguration', 'Queue'],
  sns: ['TopicConfiguration', 'Topic'],
};

export const NOTIFICATION_XML_ARRAYS: ReadonlySet<string> = new Set([
  'CloudFunctionConfiguration', 'QueueConfiguration', 'TopicConfiguration', 'Event', 'FilterRule',
]);

const SUPPORTED_EVENTS = new Set([
  's3:ObjectCreated:*', 's3:ObjectCreated:Put', 's3:ObjectCreated:Post', 's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload', 's3:ObjectRemoved:*', 's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated', 's3:ObjectRestore:*', 's3:ObjectRestore:Post', 's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete', 's3:ReducedRedundancyLostObject', 's3:Replication:*',
  's3:Replication:OperationFailedReplication', 's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold', 's3:Replication:OperationNotTracked',
  's3:LifecycleExpiration:*', 's3:LifecycleExpiration:Delete', 's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition', 's3:IntelligentTiering', 's3:ObjectTagging:*', 's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete', 's3:ObjectAcl:Put',
]);

/** Reads the stored form; absent config is empty. Throws GANNET_S3_NOTIFICATION_CONFIG if it was written wrong. */
export function parseNotificationConfig(value: unknown): BucketNotificationConfig {
  if (value === undefined || value === null) return EMPTY_NOTIFICATION_CONFIG;
  const bad = (what: string) => new GannetError('GANNET_S3_NOTIFICATION_CONFIG',
    `Bucket notification config is malformed: ${what}. Rewrite it with PutBucketNotificationConfiguration.`);
  if (typeof value !== 'object' || (value as { version?: unknown }).version !== 1) throw bad('expected { version: 1, ... }');
  const v = value as { targets?: unknown; eventBridge?: unknown };
  if (!Array.isArray(v.targets)) throw bad('targets is not an array');
  const targets = v.targets.map((t: unknown, i): NotificationTarget => {
    const x = t as Partial<NotificationTarget>;
    if (!x || typeof x.arn !== 'string' || typeof x.id !== 'string' || !Array.isArray(x.events) ||
      !(x.kind === 'lambda' || x.kind === 'sqs' || x.kind === 'sns')) throw bad(`targets[${i}] needs id, kind, arn, events`);
    const filter = x.filter ?? {};
    return { id: x.id, kind: x.kind, arn: x.arn, events: x.events.map(String),
      filter: { ...(filter.prefix ? { prefix: filter.prefix } : {}), ...(filter.suffix ? { suffix: filter.suffix } : {}) } };
  });
  return { version: 1, targets, eventBridge: v.eventBridge === true };
}

/** True when a subscription pattern ('s3:ObjectCreated:*') covers an event name ('ObjectCreated:Put'). */
export function eventMatches(pattern: string, eventName: string): boolean {
  const p = pattern.startsWith('s3:') ? pattern.slice(3) : pattern;
  if (p.endsWith(':*')) return eventName.startsWith(p.slice(0, -1));
  return p === eventName;
}

/** Targets to notify for an event on a key (raw key, not URL-encoded). */
export function targetsFor(cfg: BucketNotificationConfig, eventName: string, key: string): NotificationTarget[] {
  return cfg.targets.filter((t) => t.events.some((e) => eventMatches(e, eventName)) &&
    key.startsWith(t.filter.prefix ?? '') && key.endsWith(t.filter.suffix ?? ''));
}

/** Validates a parsed `<NotificationConfiguration>` document into the stored form. */
export function notificationConfigFromXml(doc: XmlObject): BucketNotificationConfig {
  const root = xmlChild(doc['NotificationConfiguration']);
  if (doc['NotificationConfiguration'] === undefined) throw malformedXml();
  if (!root) return EMPTY_NOTIFICATION_CONFIG; // `<NotificationConfiguration/>` removes everything
  const targets: NotificationTarget[] = [];
  for (const kind of ['lambda', 'sqs', 'sns'] as const) {
    const [element, arnElement] = XML_NAMES[kind];
    for (const item of xmlList(root[element])) {
      const arn = xmlText(item[arnElement])?.trim();
      if (!arn) throw invalidArgument(`${element} is missing its ${arnElement} ARN`, arnElement, '');
      const rawEvents = item['Event'];
      const events = (Array.isArray(rawEvents) ? rawEvents : rawEvents === undefined ? [] : [rawEvents])
        .map((e) => xmlText(e)?.trim() ?? '');
      if (!events.length) throw invalidArgument(`${element} must name at least one Event`, 'Event', '');
      for (const e of events) if (!SUPPORTED_EVENTS.has(e)) throw invalidArgument('The event is not supported for notifications', e, e);
      targets.push({ id: xmlText(item['Id'])?.trim() || randomUUID(), kind, arn, events, filter: filterFromXml(item['Filter']) });
    }
  }
  checkOverlaps(targets);
  return { version: 1, targets, eventBridge: root['EventBridgeConfiguration'] !== undefined };
}

function filterFromXml(v: XmlObject[string]): { prefix?: string; suffix?: string } {
  const s3Key = xmlChild(xmlChild(v)?.['S3Key']);
  const filter: { prefix?: string; suffix?: string } = {};
  for (const rule of xmlList(s3Key?.['FilterRule'])) {
    const name = (xmlText(rule['Name']) ?? '').trim().toLowerCase();
    const value = xmlText(rule['Value']) ?? '';
    if (name !== 'prefix' && name !== 'suffix') {
      throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule', name);
    }
    if (filter[name] !== undefined) throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule', name);
    if (value !== '') filter[name] = value;
  }
  return filter;
}

/** S3 refuses two configurations that could both fire for one event on one key. */
function checkOverlaps(targets: NotificationTarget[]): void {
  const overlapsText = (a = '', b = '', side: 'start' | 'end') =>
    side === 'start' ? a.startsWith(b) || b.startsWith(a) : a.endsWith(b) || b.endsWith(a);
  const covers = (wild: string, other: string) => wild.endsWith(':*') && other.startsWith(wild.slice(0, -1));
  const eventsOverlap = (a: string[], b: string[]) =>
    a.some((x) => b.some((y) => x === y || covers(x, y) || covers(y, x)));
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const a = targets[i]!, b = targets[j]!;
      if (eventsOverlap(a.events, b.events) && overlapsText(a.filter.prefix, b.filter.prefix, 'start') &&
        overlapsText(a.filter.suffix, b.filter.suffix, 'end')) {
        throw invalidArgument('Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.',
          'FilterRule', a.id);
      }
    }
  }
}

/** The stored form back as the `<NotificationConfiguration>` body. */
export function notificationConfigToXml(cfg: BucketNotificationConfig): XmlObject {
  const out: XmlObject = {};
  for (const kind of ['sns', 'sqs', 'lambda'] as const) {
    const [element, arnElement] = XML_NAMES[kind];
    const items = cfg.targets.filter((t) => t.kind === kind).map((t): XmlObject => ({
      Id: t.id,
      [arnElement]: t.arn,
      Event: t.events,
      Filter: t.filter.prefix || t.filter.suffix ? { S3Key: { FilterRule: [
        t.filter.prefix ? { Name: 'Prefix', Value: t.filter.prefix } : undefined,
        t.filter.suffix ? { Name: 'Suffix', Value: t.filter.suffix } : undefined,
      ] } } : undefined,
    }));
    if (items.length) out[element] = items;
  }
  if (cfg.eventBridge) out['EventBridgeConfiguration'] = '';
  return out;
}
