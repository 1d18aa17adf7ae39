// Finds and loads the user's handler as Lambda's Node runtime does: `<path>/<module>.<export.path>`
// relative to the task root, trying <module>, .js, .mjs, .cjs, then Node's own resolution.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { runtimeError } = require('./errors.cjs');

const FUNCTION_EXPR = /^([^.]*)\.(.*)$/;
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');

function parseHandler(handler) {
  if (handler.includes('..')) {
    throw runtimeError('MalformedHandlerName', `'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const base = path.basename(handler);
  const moduleRoot = handler.substring(0, handler.indexOf(base)).replace(/\/$/, '');
  const match = base.match(FUNCTION_EXPR);
  if (!match) throw runtimeError('MalformedHandlerName', 'Bad handler');
  return { moduleRoot, moduleName: match[1], handlerName: match[2] };
}

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

async function importModule(taskRoot, moduleRoot, moduleName, modulePath) {
  try {
    if (modulePath) return await import(pathToFileURL(modulePath).href);
    const full = path.resolve(taskRoot, moduleRoot, moduleName);
    for (const ext of ['', '.js', '.mjs', '.cjs']) {
      if (isFile(full + ext)) return await import(pathToFileURL(full + ext).href);
    }
    const resolved = require.resolve(moduleName, { paths: [taskRoot, path.join(taskRoot, moduleRoot)] });
    return require(resolved);
  } catch (err) {
    if (err instanceof SyntaxError) throw runtimeError('UserCodeSyntaxError', String(err), err.stack);
    if (err && (err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND')) {
      throw runtimeError('ImportModuleError', String(err));
    }
    throw err;
  }
}

function findIn(handlerName, mod) {
  return handlerName.split('.').reduce((nested, key) => (nested && typeof nested === 'object' ? nested[key] : undefined), mod);
}

/** Loads `handler` (optionally from a prebuilt `modulePath`, e.g. a TypeScript bundle). */
async function loadHandler(taskRoot, handler, modulePath) {
  const { moduleRoot, moduleName, handlerName } = parseHandler(handler);
  const mod = await importModule(taskRoot, moduleRoot, moduleName, modulePath);
  let fn = findIn(handlerName, mod);
  if (!fn && mod !== null && typeof mod === 'object' && 'default' in mod) fn = findIn(handlerName, mod.default);
  if (!fn) throw runtimeError('HandlerNotFound', `${handler} is undefined or not exported`);
  if (typeof fn !== 'function') throw runtimeError('HandlerNotFound', `${handler} is not a function`);
  return { fn, streaming: fn[STREAMING] === 'response' };
}

module.exports = { loadHandler, parseHandler, STREAMING };
