// Event sources that are not HTTP: schedule, sqs, sns, s3 and the `existingS3` plugin form.

import type { S3Event, ScheduleEvent, SnsEvent, SqsEvent } from '../types.ts';
import type { KeyPath } from '../source.ts';
import type { EventContext } from './events.ts';
import type { Obj, Reader } from './reader.ts';
import { stringList } from './http.ts';

export const SQS_DEFAULTS = { batchSize: 10, maximumBatchingWindow: 0, enabled: true } as const;
export const DEFAULT_S3_EVENT = 's3:ObjectCreated:*';

const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;
const CRON = /^cron\(([^)]*)\)$/;

export function readScheduleEvent(ctx: EventContext, path: KeyPath, v: unknown): ScheduleEvent {
  const { r } = ctx;
  if (typeof v === 'string') {
    return { type: 'schedule', expressions: [scheduleExpression(r, path, v)], enabled: true };
  }
  const def = r.map(path, v, 'rate(...)/cron(...) or a map with rate');
  if (def.rate === undefined || def.rate === null) throw r.fail([...path, 'rate'], 'a schedule expression (rate(5 minutes), cron(0 12 * * ? *)) or a list of them', def.rate);
  const rates = Array.isArray(def.rate) ? def.rate : [def.rate];
  const event: ScheduleEvent = {
    type: 'schedule',
    expressions: rates.map((x, i) => scheduleExpression(r, Array.isArray(def.rate) ? [...path, 'rate', i] : [...path, 'rate'], x)),
    enabled: r.bool([...path, 'enabled'], def.enabled, true),
  };
  const name = r.string([...path, 'name'], def.name);
  if (name !== undefined) event.name = name;
  if (def.input !== undefined && def.input !== null) event.input = scheduleInput(def.input);
  const inputPath = r.string([...path, 'inputPath'], def.inputPath);
  if (inputPath !== undefined) event.inputPath = inputPath;
  if (def.inputTransformer !== undefined && def.inputTransformer !== null) {
    const t = r.map([...path, 'inputTransformer'], def.inputTransformer, 'a map with inputTemplate and inputPathsMap');
    const template = r.requiredString([...path, 'inputTransformer', 'inputTemplate'], t.inputTemplate, 'an input template');
    event.inputTransformer = { inputTemplate: template };
    if (t.inputPathsMap !== undefined) {
      const map = r.map([...path, 'inputTransformer', 'inputPathsMap'], t.inputPathsMap);
      event.inputTransformer.inputPathsMap = Object.fromEntries(Object.entries(map).map(([k, x]) => [k, String(x)]));
    }
  }
  const timezone = r.string([...path, 'timezone'], def.timezone);
  if (timezone !== undefined) event.timezone = timezone;
  return event;
}

/** An `input` string holding JSON is the JSON value, as EventBridge passes it. */
function scheduleInput(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

function scheduleExpression(r: Reader, path: KeyPath, v: unknown): string {
  const expected = 'rate(<n> <minute(s)|hour(s)|day(s)>) or cron(<6 fields>)';
  if (typeof v !== 'string') throw r.fail(path, expected, v);
  const s = v.trim();
  const rate = RATE.exec(s);
  if (rate) {
    const n = Number(rate[1]);
    const singular = !rate[2]!.endsWith('s');
    if (n < 1 || (n === 1) !== singular) {
      throw r.fail(path, `${expected}; the unit is singular only for 1 (rate(1 hour), rate(2 hours))`, v);
    }
    return s;
  }
  const cron = CRON.exec(s);
  if (cron && cron[1]!.trim().split(/\s+/).length === 6) return s;
  throw r.fail(path, expected, v);
}

export function readSqsEvent(ctx: EventContext, path: KeyPath, v: unknown): SqsEvent {
  const { r } = ctx;
  if (typeof v === 'string' || isIntrinsic(v)) {
    return { type: 'sqs', arn: v, ...SQS_DEFAULTS };
  }
  const def = r.map(path, v, 'a queue ARN or a map with arn');
  if (def.arn === undefined || def.arn === null) throw r.fail([...path, 'arn'], 'the queue ARN (e.g. !GetAtt MyQueue.Arn)', def.arn);
  if (typeof def.arn !== 'string' && !isIntrinsic(def.arn)) throw r.fail([...path, 'arn'], 'a queue ARN or an intrinsic such as !GetAtt MyQueue.Arn', def.arn);
  const event: SqsEvent = {
    type: 'sqs',
    arn: def.arn,
    batchSize: r.int([...path, 'batchSize'], def.batchSize, 1, 10000, 'a batch size (1-10000)') ?? SQS_DEFAULTS.batchSize,
    maximumBatchingWindow: r.int([...path, 'maximumBatchingWindow'], def.maximumBatchingWindow, 0, 300, 'a number of seconds (0-300)') ?? SQS_DEFAULTS.maximumBatchingWindow,
    enabled: r.bool([...path, 'enabled'], def.enabled, SQS_DEFAULTS.enabled),
  };
  if (def.functionResponseType !== undefined && def.functionResponseType !== null) {
    if (def.functionResponseType !== 'ReportBatchItemFailures') throw r.fail([...path, 'functionResponseType'], 'ReportBatchItemFailures', def.functionResponseType);
    event.functionResponseType = 'ReportBatchItemFailures';
  }
  const maxConc = r.int([...path, 'maximumConcurrency'], def.maximumConcurrency, 2, 1000, 'a number of concurrent invocations (2-1000)');
  if (maxConc !== undefined) event.maximumConcurrency = maxConc;
  if (def.filterPatterns !== undefined && def.filterPatterns !== null) {
    event.filterPatterns = r.list([...path, 'filterPatterns'], def.filterPatterns, 'a list of filter patterns');
  }
  return event;
}

export function readSnsEvent(ctx: EventContext, path: KeyPath, v: unknown): SnsEvent {
  const { r } = ctx;
  if (typeof v === 'string') {
    if (v.startsWith('arn:')) return { type: 'sns', arn: v, topicName: v.slice(v.lastIndexOf(':') + 1) };
    return { type: 'sns', topicName: v, arn: topicArn(ctx, v) };
  }
  if (isIntrinsic(v)) return { type: 'sns', arn: v };
  const def = r.map(path, v, 'a topic name, a topic ARN, or a map with arn/topicName');
  const event: SnsEvent = { type: 'sns' };
  const topicName = r.string([...path, 'topicName'], def.topicName);
  if (def.arn !== undefined && def.arn !== null) {
    if (typeof def.arn !== 'string' && !isIntrinsic(def.arn)) throw r.fail([...path, 'arn'], 'a topic ARN or an intrinsic such as !Ref MyTopic', def.arn);
    event.arn = def.arn;
    if (topicName !== undefined) event.topicName = topicName;
    else if (typeof def.arn === 'string') event.topicName = def.arn.slice(def.arn.lastIndexOf(':') + 1);
  } else if (topicName !== undefined) {
    event.topicName = topicName;
    event.arn = topicArn(ctx, topicName);
  } else {
    throw r.fail(path, 'a map with arn or topicName', v);
  }
  if (def.filterPolicy !== undefined && def.filterPolicy !== null) event.filterPolicy = r.map([...path, 'filterPolicy'], def.filterPolicy, 'a filter policy map');
  if (def.filterPolicyScope !== undefined && def.filterPolicyScope !== null) {
    if (def.filterPolicyScope !== 'MessageAttributes' && def.filterPolicyScope !== 'MessageBody') {
      throw r.fail([...path, 'filterPolicyScope'], 'MessageAttributes or MessageBody', def.filterPolicyScope);
    }
    event.filterPolicyScope = def.filterPolicyScope;
  }
  return event;
}

function topicArn(ctx: EventContext, name: string): string {
  return `arn:aws:sns:${ctx.region}:${ctx.accountId}:${name}`;
}

export function readS3Event(ctx: EventContext, path: KeyPath, v: unknown): S3Event {
  const { r } = ctx;
  if (typeof v === 'string') return { type: 's3', bucket: v, event: DEFAULT_S3_EVENT, rules: [], existing: false };
  const def = r.map(path, v, 'a bucket name or a map with bucket');
  if (def.bucket === undefined || def.bucket === null) throw r.fail([...path, 'bucket'], 'a bucket name', def.bucket);
  if (typeof def.bucket !== 'string' && !isIntrinsic(def.bucket)) throw r.fail([...path, 'bucket'], 'a bucket name', def.bucket);
  return {
    type: 's3',
    bucket: def.bucket,
    event: s3EventName(r, [...path, 'event'], def.event),
    rules: s3Rules(r, [...path, 'rules'], def.rules),
    existing: r.bool([...path, 'existing'], def.existing, false),
  };
}

/** The serverless-plugin-existing-s3 form: `{bucket, events: [...], rules: [...]}`, one S3Event per event. */
export function readExistingS3Event(ctx: EventContext, path: KeyPath, v: unknown): S3Event[] {
  const { r } = ctx;
  const def = r.map(path, v, 'a map with bucket, events and rules');
  const bucket = r.requiredString([...path, 'bucket'], def.bucket, 'a bucket name');
  const rawEvents = def.events === undefined || def.events === null ? [DEFAULT_S3_EVENT] : def.events;
  const events = stringList(r, [...path, 'events'], rawEvents);
  const rules = s3Rules(r, [...path, 'rules'], def.rules);
  return events.map((e, i) => ({
    type: 's3' as const,
    bucket,
    event: s3EventName(r, Array.isArray(rawEvents) ? [...path, 'events', i] : [...path, 'events'], e),
    rules,
    existing: true,
  }));
}

function s3EventName(r: Reader, path: KeyPath, v: unknown): string {
  if (v === undefined || v === null) return DEFAULT_S3_EVENT;
  if (typeof v !== 'string' || !/^s3:[A-Za-z]+(:[A-Za-z*]+)?$/.test(v)) throw r.fail(path, 'an S3 event type such as s3:ObjectCreated:*', v);
  return v;
}

function s3Rules(r: Reader, path: KeyPath, v: unknown): { prefix?: string; suffix?: string }[] {
  return r.list(path, v, 'a list of {prefix: ...} / {suffix: ...}').map((item, i) => {
    const m: Obj = r.map([...path, i], item, 'a rule {prefix: ...} or {suffix: ...}');
    const rule: { prefix?: string; suffix?: string } = {};
    for (const [k, x] of Object.entries(m)) {
      if (k !== 'prefix' && k !== 'suffix') throw r.fail([...path, i, k], 'prefix or suffix', k);
      rule[k] = r.requiredString([...path, i, k], x, `a key ${k}`);
    }
    return rule;
  });
}

/** `{Ref: X}`, `{'Fn::GetAtt': [...]}`, `{'Fn::Join': ...}`... */
export function isIntrinsic(v: unknown): v is Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}
