// Lambda's own log lines around an invocation, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameLogs, logTail, reportLine, reportStatus, LOG_TAIL_BYTES } from '../../src/invoke/platform-log.ts';
import type { RuntimeOutcome } from '../../src/pool/types.ts';

const id = '8476a536-e9f4-11e8-9739-2dfe598c3fcd';

function outcome(over: Partial<RuntimeOutcome> = {}): RuntimeOutcome {
  return { status: 'ok', payload: Buffer.from('{}'), logs: [], durationMs: 12.34, maxMemoryUsedMb: 45.4, timedOut: false, ...over };
}

test('REPORT has tab-separated fields, billed duration rounded up', () => {
  assert.equal(reportLine({ requestId: id, durationMs: 12.341, memorySizeMb: 1024, maxMemoryUsedMb: 45.4 }),
    `REPORT RequestId: ${id}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1024 MB\tMax Memory Used: 45 MB`);
});

test('a cold REPORT adds Init Duration and bills the init time', () => {
  assert.equal(reportLine({ requestId: id, durationMs: 12.34, memorySizeMb: 128, maxMemoryUsedMb: 68, initDurationMs: 170.21 }),
    `REPORT RequestId: ${id}\tDuration: 12.34 ms\tBilled Duration: 183 ms\tMemory Size: 128 MB\tMax Memory Used: 68 MB\tInit Duration: 170.21 ms`);
});

test('timeouts and crashes carry a Status; thrown handler errors do not', () => {
  assert.deepEqual(reportStatus(outcome({ status: 'crash', timedOut: true, errorType: 'Sandbox.Timedout' })), { status: 'timeout' });
  assert.deepEqual(reportStatus(outcome({ status: 'crash', errorType: 'Runtime.ExitError' })), { status: 'error', errorType: 'Runtime.ExitError' });
  assert.deepEqual(reportStatus(outcome({ status: 'error', errorType: 'Runtime.ImportModuleError' })), { status: 'error', errorType: 'Runtime.ImportModuleError' });
  assert.deepEqual(reportStatus(outcome({ status: 'error', errorType: 'TypeError' })), {});
  assert.match(reportLine({ requestId: id, durationMs: 3000, memorySizeMb: 128, maxMemoryUsedMb: 50, status: 'timeout' }), /Max Memory Used: 50 MB\tStatus: timeout$/);
  assert.match(reportLine({ requestId: id, durationMs: 5, memorySizeMb: 128, maxMemoryUsedMb: 50, status: 'error', errorType: 'Runtime.ExitError' }),
    /Max Memory Used: 50 MB\tStatus: error\tError Type: Runtime\.ExitError$/);
});

test('frameLogs puts INIT_START first, START before the lines, END and REPORT after', () => {
  const lines = frameLogs(id, outcome({ logs: ['INIT_START Runtime Version: nodejs:24', 'hello'] }), 'REPORT x', 0, 3000);
  assert.deepEqual(lines, ['INIT_START Runtime Version: nodejs:24', `START RequestId: ${id} Version: $LATEST`, 'hello', `END RequestId: ${id}`, 'REPORT x']);
});

test('a timeout adds the notice with the timeout in seconds, once', () => {
  const at = Date.parse('2024-01-31T12:34:56.789Z');
  const lines = frameLogs(id, outcome({ status: 'crash', timedOut: true, logs: ['working'] }), 'REPORT x', at, 3000);
  assert.equal(lines[2], `2024-01-31T12:34:56.789Z ${id} Task timed out after 3.00 seconds`);
  const already = frameLogs(id, outcome({ status: 'crash', timedOut: true, logs: [`2024-01-31T12:34:56.789Z ${id} Task timed out after 3.00 seconds`] }), 'REPORT x', at, 3000);
  assert.equal(already.filter((l) => l.includes('Task timed out')).length, 1);
});

test('the tail is base64 of the last 4 KB of the log text', () => {
  const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
  const tail = Buffer.from(logTail(lines), 'base64').toString('utf8');
  assert.equal(Buffer.byteLength(tail), LOG_TAIL_BYTES);
  assert.ok((lines.join('\n') + '\n').endsWith(tail));
  assert.equal(Buffer.from(logTail(['a', 'b']), 'base64').toString(), 'a\nb\n');
});
