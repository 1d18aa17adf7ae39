// loadService: find the config file, parse it, resolve variables, validate into a ServiceSpec, then
// resolve the intrinsics Gannet needs at run time (environment values, event ARNs).

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { ServiceSpec } from './types.ts';
import { findConfigFile, readConfigFile } from './find.ts';
import { applyPseudoParameters, usesPseudoParameters } from './pseudo-parameters.ts';
import { resolveRuntimeIntrinsics } from './runtime-intrinsics.ts';
import { resolveVariables } from './variables/resolve.ts';
import { Reader } from './validate/reader.ts';
import { buildService } from './validate/service.ts';
import { expandConstructs } from './lift.ts';

export type LoadOptions = {
  configFile?: string;
  stage?: string;
  region?: string;
  /** CLI options as `${opt:name}` sees them (stage and region are added from above). */
  options?: Record<string, string | boolean>;
  /** `--param key=value` pairs, the first source of `${param:key}`. */
  params?: Record<string, string>;
  /** Environment for `${env:...}`; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** The AWS endpoint the service runs with (ServiceSpec.awsEndpointUrl). */
  awsEndpointUrl?: string;
};

export async function loadService(dir: string, opts: LoadOptions = {}): Promise<ServiceSpec> {
  const serviceDir = path.resolve(dir);
  const file = await findConfigFile(serviceDir, opts.configFile);
  const raw = await readConfigFile(file);
  const warnings = [...raw.warnings];
  const r = new Reader(raw.source, warnings);
  if (!r.isMap(raw.value)) throw r.fail([], 'a map with service, provider and functions', raw.value);
  const config = raw.value;

  const options: Record<string, string | boolean> = { ...opts.options };
  if (opts.stage) options.stage = opts.stage;
  if (opts.region) options.region = opts.region;
  const env = await withDotenv(serviceDir, config, { ...(opts.env ?? process.env) }, options);

  await resolveVariables(config, {
    serviceDir,
    source: raw.source,
    options,
    params: { ...opts.params },
    env,
    instanceId: randomUUID(),
  });

  if (usesPseudoParameters(config)) applyPseudoParameters(config);
  const declaredStage = (config.provider as Record<string, unknown> | undefined)?.stage;
  expandConstructs(r, config, typeof options.stage === 'string' ? options.stage : typeof declaredStage === 'string' ? declaredStage : 'dev');

  const built = buildService(r, config, {
    dir: serviceDir,
    file,
    ...(typeof options.stage === 'string' ? { stage: options.stage } : {}),
    ...(typeof options.region === 'string' ? { region: options.region } : {}),
  });
  if (opts.awsEndpointUrl !== undefined) built.spec.awsEndpointUrl = opts.awsEndpointUrl;
  resolveRuntimeIntrinsics(r, built);
  return built.spec;
}

/**
 * `useDotenv: true` loads `.env.<stage>` (or `.env`) from the service folder into the environment
 * `${env:...}` reads, without overriding variables already set, as the framework does.
 */
async function withDotenv(dir: string, config: Record<string, unknown>, env: NodeJS.ProcessEnv,
  options: Record<string, string | boolean>): Promise<NodeJS.ProcessEnv> {
  if (config.useDotenv !== true) return env;
  const provider = config.provider as Record<string, unknown> | undefined;
  const declared = typeof provider?.stage === 'string' && !provider.stage.includes('${') ? provider.stage : undefined;
  const stage = typeof options.stage === 'string' ? options.stage : declared ?? 'dev';
  for (const name of [`.env.${stage}`, '.env']) {
    let text: string;
    try {
      text = await readFile(path.join(dir, name), 'utf8');
    } catch {
      continue;
    }
    for (const [k, v] of Object.entries(parseEnv(text))) if (env[k] === undefined) env[k] = v;
    break;
  }
  return env;
}
