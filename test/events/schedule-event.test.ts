import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduledEvent, schedulePayload } from '../../src/events/schedule-event.ts';
import type { ScheduleEvent } from '../../src/config/types.ts';

const envelope = scheduledEvent({ account: '000000000000', region: 'us-east-1', ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/r', time: Date.parse('2026-03-01T10:00:00.123Z') });
const base: ScheduleEvent = { type: 'schedule', expressions: ['rate(1 minute)'], enabled: true };

test('the Scheduled Event envelope has EventBridge fields, a time without milliseconds and an empty detail', () => {
  assert.deepEqual(Object.keys(envelope), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  assert.equal(envelope.version, '0');
  assert.equal(envelope.time, '2026-03-01T10:00:00Z');
  assert.equal(envelope['detail-type'], 'Scheduled Event');
  assert.equal(envelope.source, 'aws.events');
  assert.deepEqual(envelope.resources, ['arn:aws:events:us-east-1:000000000000:rule/r']);
  assert.match(envelope.id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(JSON.parse(schedulePayload(base, envelope).toString()), envelope);
});

test('input replaces the event, inputPath selects from it, inputTransformer renders a template', () => {
  assert.deepEqual(JSON.parse(schedulePayload({ ...base, input: { key: 'value' } }, envelope).toString()), { key: 'value' });
  assert.equal(schedulePayload({ ...base, input: '{"raw":true}' }, envelope).toString(), '{"raw":true}');
  assert.deepEqual(JSON.parse(schedulePayload({ ...base, inputPath: '$.detail' }, envelope).toString()), {});
  assert.equal(JSON.parse(schedulePayload({ ...base, inputPath: '$.resources[0]' }, envelope).toString()), envelope.resources[0]);
  const rendered = schedulePayload({ ...base, inputTransformer: {
    inputPathsMap: { when: '$.time', where: '$.region', all: '$.resources' },
    inputTemplate: '{"at": <when>, "region": "<where>", "rules": <all>}' } }, envelope).toString();
  assert.deepEqual(JSON.parse(rendered), { at: '2026-03-01T10:00:00Z', region: 'us-east-1', rules: envelope.resources });
});
