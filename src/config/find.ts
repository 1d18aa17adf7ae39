// Finding and reading a service's config file: serverless.yml/.yaml/.json, or a serverless.ts/.js
// (and .mjs/.cjs) module exporting the configuration object (or a promise of it).

import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConfigWarning } from './types.ts';
import { ConfigError } from './errors.ts';
import { SourceFile } from './source.ts';
import { parseYaml } from './yaml.ts';
import { errorText } from './variables/files.ts';
import { importFresh } from './variables/modules.ts';

export const CONFIG_FILE_NAMES = [
  'serverless.yml', 'serverless.yaml', 'serverless.json',
  'serverless.ts', 'serverless.js', 'serverless.mjs', 'serverless.cjs',
];

export type RawConfig = { file: string; value: unknown; source: SourceFile; warnings: ConfigWarning[] };

export async function findConfigFile(dir: string, configFile?: string): Promise<string> {
  if (configFile) {
    const file = path.resolve(dir, configFile);
    if (!(await exists(file))) {
      throw new ConfigError({ file, reason: `config file not found (given with --config; looked at ${file})` });
    }
    return file;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(dir, name);
    if (await exists(file)) return file;
  }
  throw new ConfigError({
    file: dir,
    reason: `no service config in ${dir}: looked for ${CONFIG_FILE_NAMES.join(', ')}. ` +
      'Run gannet in the folder of your serverless.yml, or pass --config FILE',
  });
}

export async function readConfigFile(file: string): Promise<RawConfig> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.yml' || ext === '.yaml' || ext === '.json') {
    const text = await readFile(file, 'utf8');
    const parsed = parseYaml(text, file);
    return { file, value: parsed.value, source: parsed.source, warnings: parsed.warnings };
  }
  let value: unknown;
  try {
    value = await importFresh(file);
  } catch (err) {
    throw new ConfigError({ file, reason: `cannot load ${path.basename(file)}: ${errorText(err)}`, cause: err });
  }
  value = await value; // a module may export a promise of the configuration
  return { file, value, source: new SourceFile(file), warnings: [] };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
