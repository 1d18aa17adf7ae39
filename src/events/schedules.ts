// The scheduler: fires each enabled `schedule` event of the service as an asynchronous invocation.
// Ticks are computed from the time the service starts (a reload keeps each rule's start), so a
// tick missed while Gannet was down is never replayed (as a rule re-enabled on AWS does not replay either).
import type { FunctionSpec, ScheduleEvent, ServiceSpec } from '../config/types.ts';
import type { Invoker } from '../invoke/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import { checkTimeZone, nextFireInZone, parseSchedule, type Schedule } from './schedule-expression.ts';
import { schedulePayload, scheduledEvent } from './schedule-event.ts';

export type ScheduleRule = { fn: FunctionSpec; event: ScheduleEvent; schedule: Schedule; name: string; arn: string };

/** Serverless names a function's Nth schedule rule `<service>-<stage>-<Fn>EventsRuleSchedule<N>` unless `name:` is set. */
export function scheduleRules(spec: ServiceSpec): ScheduleRule[] {
  const rules: ScheduleRule[] = [];
  for (const fn of Object.values(spec.functions)) {
    let n = 0;
    for (const event of fn.events) {
      if (event.type !== 'schedule') continue;
      for (const expression of event.expressions) {
        n += 1;
        const logical = fn.key.charAt(0).toUpperCase() + fn.key.slice(1).replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
        const name = event.name ?? `${spec.service}-${spec.stage}-${logical}EventsRuleSchedule${n}`;
        if (event.timezone !== undefined) checkTimeZone(event.timezone);
        rules.push({ fn, event, schedule: parseSchedule(expression), name,
          arn: `arn:aws:events:${spec.region}:${spec.accountId}:rule/${name}` });
      }
    }
  }
  return rules;
}

/** Sends one tick of `rule` to its function now (used by the scheduler and `gannet invoke --schedule`). */
export function fireRule(rule: ScheduleRule, spec: ServiceSpec, invoker: Invoker, now: number, mode: 'sync' | 'async' = 'async') {
  const envelope = scheduledEvent({ account: spec.accountId, region: spec.region, ruleArn: rule.arn, time: now });
  return invoker.invoke(rule.fn.name, schedulePayload(rule.event, envelope), { mode, trigger: { kind: 'schedule', rule: rule.name } });
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** When each rule's rate started counting, kept across reloads of the same process so that saving a
 *  file does not push every `rate(…)` tick back by a full period. Keyed by rule name and expression. */
export type ScheduleAnchors = Map<string, number>;

export function startSchedules(ctx: { spec: ServiceSpec; invoker: Invoker; clock: Clock; log: Logger; anchors?: ScheduleAnchors }): { stop(): void } {
  const abort = new AbortController();
  const now = ctx.clock.now();
  const anchors = ctx.anchors ?? new Map<string, number>();
  for (const rule of scheduleRules(ctx.spec)) {
    const key = `${rule.name}\n${rule.schedule.text}`;
    if (!rule.event.enabled) { anchors.delete(key); continue; } // enabled again later: counts afresh, as on AWS
    const startedAt = anchors.get(key) ?? now;
    anchors.set(key, startedAt);
    void (async () => {
      let after = now;
      while (!abort.signal.aborted) {
        const at = nextFireInZone(rule.schedule, after, startedAt, rule.event.timezone);
        if (at === undefined) return;
        try {
          while (ctx.clock.now() < at) await ctx.clock.sleep(Math.min(at - ctx.clock.now(), MAX_TIMER_MS), abort.signal);
        } catch { return; } // stopped
        after = at;
        fireRule(rule, ctx.spec, ctx.invoker, at).catch((err: Error) =>
          ctx.log.error(`schedule ${rule.name} → ${rule.fn.key}: ${err.message}`));
      }
    })();
  }
  return { stop: () => abort.abort() };
}
