// Temp service folders for config tests: write files, load, and remove the folder afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadService, type LoadOptions, type ServiceSpec } from '../../src/config/index.ts';

export const fixtures = path.join(import.meta.dirname, 'fixtures');

export function tempService(t: TestContext, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gannet-config-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Load a serverless.yml given as text (with `env: {}` unless told otherwise). */
export async function loadYaml(t: TestContext, yaml: string, opts: LoadOptions = {}, extra: Record<string, string> = {}): Promise<ServiceSpec> {
  const dir = tempService(t, { 'serverless.yml': yaml, ...extra });
  return loadService(dir, { env: {}, ...opts });
}

/** Expect loading to fail with a ConfigError; returns it for more checks. */
export async function loadError(t: TestContext, yaml: string, opts: LoadOptions = {}, extra: Record<string, string> = {}): Promise<ConfigError> {
  try {
    await loadYaml(t, yaml, opts, extra);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.equal(err.code, 'GANNET_CONFIG');
    return err;
  }
  assert.fail('expected loading to fail');
}

/** A file from its lines, so a test can count them: line N is argument N. */
export function lines(...ls: string[]): string {
  return ls.join('\n') + '\n';
}
