// The bundle cache must never serve a bundle older than its source. A source saved while esbuild
// was reading it can show, afterwards, a size and mtime that match its final text although the
// bundle holds the earlier one: such a recently written input is not trusted to mean "unchanged".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TypeScriptBuilds } from '../../src/runtime/index.ts';

test('a source written just before its build is checked again on the next use', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-ts-builds-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const entry = join(dir, 'handler.ts');
  // Whole seconds, so that the same mtime can be set again exactly.
  const savedAt = Math.ceil(Date.now() / 1000);
  writeFileSync(entry, "export const answer = (): string => 'v1';\n");
  utimesSync(entry, savedAt, savedAt);
  const builds = new TypeScriptBuilds();
  const first = await builds.bundleFor(dir, entry);
  assert.match(readFileSync(first.outFile, 'utf8'), /"v1"/);

  // What a save during the build looks like afterwards: other text, same size, same mtime.
  writeFileSync(entry, "export const answer = (): string => 'v2';\n");
  utimesSync(entry, savedAt, savedAt);
  assert.equal(statSync(entry).mtimeMs, savedAt * 1000);
  const second = await builds.bundleFor(dir, entry);
  assert.match(readFileSync(second.outFile, 'utf8'), /"v2"/, 'rebuilt from the text on disk');
});

test('a source unchanged since well before its build is served from the cache', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gannet-ts-builds-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const entry = join(dir, 'handler.ts');
  writeFileSync(entry, "export const answer = (): string => 'v1';\n");
  const longAgo = Math.floor(Date.now() / 1000) - 60;
  utimesSync(entry, longAgo, longAgo);
  const builds = new TypeScriptBuilds();
  const first = await builds.bundleFor(dir, entry);
  const builtAt = statSync(first.outFile).mtimeMs;
  const second = await builds.bundleFor(dir, entry);
  assert.equal(second.outFile, first.outFile);
  assert.equal(statSync(second.outFile).mtimeMs, builtAt, 'not rebuilt');
});
