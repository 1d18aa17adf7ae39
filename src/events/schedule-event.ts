// The one builder of EventBridge "Scheduled Event" payloads, and the rule's input options
// (input, inputPath, inputTransformer) applied to it as EventBridge does.
import { randomUUID } from 'node:crypto';
import type { ScheduleEvent } from '../config/types.ts';

export type ScheduledEventEnvelope = {
  version: '0'; id: string; 'detail-type': 'Scheduled Event'; source: 'aws.events';
  account: string; time: string; region: string; resources: string[]; detail: Record<string, never>;
};

export function scheduledEvent(o: { account: string; region: string; ruleArn: string; time: number }): ScheduledEventEnvelope {
  return {
    version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events',
    account: o.account, time: new Date(o.time).toISOString().replace(/\.\d{3}Z$/, 'Z'), region: o.region,
    resources: [o.ruleArn], detail: {},
  };
}

/** A JSONPath of the simple form EventBridge accepts in inputPath: `$`, `$.a.b`, `$.a[0]`. */
export function selectPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  const steps = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let cur: unknown = value;
  for (const step of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** The bytes the function receives for one tick of `event`. */
export function schedulePayload(event: ScheduleEvent, envelope: ScheduledEventEnvelope): Buffer {
  if (event.input !== undefined) {
    return Buffer.from(typeof event.input === 'string' ? event.input : JSON.stringify(event.input));
  }
  if (event.inputPath !== undefined) return Buffer.from(JSON.stringify(selectPath(envelope, event.inputPath) ?? null));
  if (event.inputTransformer !== undefined) {
    const values: Record<string, unknown> = {};
    for (const [name, path] of Object.entries(event.inputTransformer.inputPathsMap ?? {})) values[name] = selectPath(envelope, path);
    // Inside quotes a string is inserted as its (escaped) text; elsewhere as JSON.
    const text = event.inputTransformer.inputTemplate.replace(/("?)<([A-Za-z0-9_.-]+)>("?)/g, (whole, open: string, name: string, close: string) => {
      if (!(name in values)) return whole;
      const v = values[name];
      if (open && close && typeof v === 'string') return `"${JSON.stringify(v).slice(1, -1)}"`;
      return `${open}${v === undefined ? 'null' : JSON.stringify(v)}${close}`;
    });
    return Buffer.from(text);
  }
  return Buffer.from(JSON.stringify(envelope));
}
