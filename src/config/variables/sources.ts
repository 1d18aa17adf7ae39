// The variable sources: self, env, opt, sls, param, file, aws (region and account only), strToBool,
// and Lift's construct (queue constructs, see ../lift.ts).
// Sources that only exist on AWS (ssm, cf, s3, secrets) yield no value, so a fallback applies;
// without one the error says how to give the value locally.

import path from 'node:path';
import type { KeyPath } from '../source.ts';
import { ConfigError } from '../errors.ts';
import { errorText, FileLoadError, loadVariableFile, type LoadedFile } from './files.ts';
import type { VariableOptions } from './resolve.ts';
import { constructVariable } from '../lift.ts';

export type SourceContext = {
  readonly opts: VariableOptions;
  readonly fileCache: Map<string, Promise<unknown>>;
  resolveSelf(keys: string[]): Promise<unknown>;
  resolveVariableText(text: string, from: KeyPath): Promise<unknown>;
};

export type SourceRequest = {
  type: string;
  params: unknown[];
  address: string | undefined;
  path: KeyPath;
  hasFallback: boolean;
};

/** `value` null/undefined means "nothing here": the next fallback is tried, else `missing` is shown. */
export type SourceResult = { value: unknown; missing?: string; hint?: string };

export const DEFAULT_STAGE = 'dev';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '000000000000';

const AWS_ONLY: Record<string, string> = {
  ssm: 'SSM Parameter Store',
  cf: 'CloudFormation stack outputs',
  s3: 'S3',
  secretsmanager: 'Secrets Manager',
};

export async function resolveSource(ctx: SourceContext, req: SourceRequest): Promise<SourceResult> {
  const { type, address } = req;
  switch (type) {
    case 'self':
      return found(await ctx.resolveSelf(address ? address.split('.') : []), `no value at "${address ?? ''}" in this file`);
    case 'env':
      if (!address) return fail(ctx, req, 'the "env" source needs a variable name, e.g. ${env:DB_URL}');
      return found(ctx.opts.env[address], `environment variable ${address} is not set`);
    case 'opt':
      if (!address) return { value: { ...ctx.opts.options } };
      return found(ctx.opts.options[address], `option --${address} was not given`);
    case 'sls':
      if (address === 'stage') return { value: await stageOf(ctx) };
      if (address === 'instanceId') return { value: ctx.opts.instanceId };
      return fail(ctx, req, `unknown "sls" address "${address ?? ''}" (known: stage, instanceId)`);
    case 'aws':
      if (address === 'region') return { value: await regionOf(ctx) };
      if (address === 'accountId') return { value: await accountIdOf(ctx) };
      return awsOnly(`aws:${address ?? ''}`, 'AWS account lookups');
    case 'param':
      return param(ctx, req);
    case 'file':
      return file(ctx, req);
    case 'strToBool':
      return strToBool(ctx, req);
    case 'construct': {
      // Only the construct's type is read: its worker may itself refer to ${construct:...}.
      const id = (address ?? '').split('.')[0] ?? '';
      const type = id ? await ctx.resolveSelf(['constructs', id, 'type']) : undefined;
      const out = constructVariable(type === null || type === undefined ? {} : { [id]: { type } }, address);
      return 'value' in out ? out : { value: null, ...out };
    }
    default:
      if (type in AWS_ONLY) return awsOnly(`${type}:${address ?? ''}`, AWS_ONLY[type]!);
      return {
        value: null,
        missing: `unknown variable source "${type}"`,
        hint: 'Gannet resolves self, env, opt, sls, param, file, aws:region, aws:accountId, strToBool and construct (Lift queues); ' +
          'sources added by plugins are not available, so add a fallback (e.g. ${' + type + ':..., \'value\'})',
      };
  }
}

function found(value: unknown, missing: string): SourceResult {
  return value === null || value === undefined ? { value: null, missing } : { value };
}

function fail(ctx: SourceContext, req: SourceRequest, reason: string): never {
  throw ctx.opts.source.error(req.path, { reason }, 'value');
}

function awsOnly(what: string, service: string): SourceResult {
  return {
    value: null,
    missing: `\${${what}} is read from ${service} on AWS, which Gannet does not contact`,
    hint: `Give the value locally with a fallback (\${${what}, 'local-value'}), ` +
      'a parameter (${param:name} with --param name=value) or an environment variable (${env:NAME})',
  };
}

/** `--stage` → `provider.stage` → `dev`, as `${sls:stage}` and the framework compute it. */
export async function stageOf(ctx: SourceContext): Promise<string> {
  const opt = ctx.opts.options.stage;
  if (typeof opt === 'string' && opt) return opt;
  const fromFile = await ctx.resolveSelf(['provider', 'stage']);
  return fromFile ? String(fromFile) : DEFAULT_STAGE;
}

export async function regionOf(ctx: SourceContext): Promise<string> {
  const opt = ctx.opts.options.region;
  if (typeof opt === 'string' && opt) return opt;
  const fromFile = await ctx.resolveSelf(['provider', 'region']);
  return fromFile ? String(fromFile) : DEFAULT_REGION;
}

async function accountIdOf(ctx: SourceContext): Promise<string> {
  const fromFile = await ctx.resolveSelf(['custom', 'gannet', 'accountId']);
  return fromFile ? String(fromFile) : DEFAULT_ACCOUNT_ID;
}

/** `--param` first, then `params.<stage>`, then `params.default`. */
async function param(ctx: SourceContext, req: SourceRequest): Promise<SourceResult> {
  const name = req.address;
  if (!name) fail(ctx, req, 'the "param" source needs a name, e.g. ${param:dbHost}');
  const cli = ctx.opts.params[name];
  if (cli !== undefined) return { value: cli };
  const stage = await stageOf(ctx);
  const staged = await ctx.resolveSelf(['params', stage, name]);
  if (staged !== null && staged !== undefined) return { value: staged };
  const dflt = await ctx.resolveSelf(['params', 'default', name]);
  if (dflt !== null && dflt !== undefined) return { value: dflt };
  return {
    value: null,
    missing: `parameter "${name}" is not set for stage "${stage}"`,
    hint: `Pass --param ${name}=value, or set params.${stage}.${name} or params.default.${name}`,
  };
}

async function strToBool(ctx: SourceContext, req: SourceRequest): Promise<SourceResult> {
  const raw = req.params[0];
  const s = typeof raw === 'string' ? raw.trim() : raw;
  if (s === true || s === 'true' || s === 1 || s === '1') return { value: true };
  if (s === false || s === 'false' || s === 0 || s === '0') return { value: false };
  fail(ctx, req, `strToBool expects true, false, 1 or 0, got ${JSON.stringify(raw)}`);
}

async function file(ctx: SourceContext, req: SourceRequest): Promise<SourceResult> {
  const rel = req.params[0];
  if (typeof rel !== 'string' || !rel) fail(ctx, req, 'the "file" source needs a path, e.g. ${file(./config.yml)}');
  const abs = path.resolve(ctx.opts.serviceDir, rel);
  let pending = ctx.fileCache.get(abs) as Promise<LoadedFile> | undefined;
  if (!pending) {
    pending = loadVariableFile(abs);
    ctx.fileCache.set(abs, pending);
  }
  let loaded: LoadedFile;
  try {
    loaded = await pending;
  } catch (err) {
    if (err instanceof FileLoadError) fail(ctx, req, `${rel}: ${err.message}`);
    throw err;
  }
  if (!loaded.found) return { value: null, missing: `file ${rel} not found (looked for ${abs})` };
  let content = loaded.content;
  let called = false;
  if (typeof content === 'function') {
    content = await callExport(ctx, req, content as ExportFn, rel);
    called = true;
  } else {
    content = await content; // a module may export a promise
  }
  if (!req.address) return found(content, `file ${rel} is empty`);
  let cur = content;
  for (const key of req.address.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') {
      return { value: null, missing: `no value at "${req.address}" in ${rel}` };
    }
    cur = (cur as Record<string, unknown>)[key];
    if (typeof cur === 'function' && !called) {
      cur = await callExport(ctx, req, cur as ExportFn, rel);
      called = true;
    }
  }
  return found(cur, `no value at "${req.address}" in ${rel}`);
}

type ExportFn = (arg: {
  options: Record<string, string | boolean>;
  resolveVariable: (text: string) => Promise<unknown>;
  resolveConfigurationProperty: (keys: string[]) => Promise<unknown>;
}) => unknown;

async function callExport(ctx: SourceContext, req: SourceRequest, fn: ExportFn, rel: string): Promise<unknown> {
  try {
    return await fn({
      options: { ...ctx.opts.options },
      resolveVariable: (text) => ctx.resolveVariableText(text, req.path),
      resolveConfigurationProperty: (keys) => ctx.resolveSelf(keys.map(String)),
    });
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw ctx.opts.source.error(req.path, { reason: `${rel}: the exported function failed: ${errorText(err)}`, cause: err }, 'value');
  }
}
