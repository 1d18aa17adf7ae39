// console.* as Lambda's Node runtime patches it: one record per call,
// `<ISO time>\t<requestId>\t<LEVEL>\t<util.format(...)>`, multi-line messages kept in one record.
// Records and raw stdout/stderr writes travel on the channel, ordered with the response.
'use strict';
const util = require('node:util');
const { send, FRAME } = require('./channel.cjs');

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

function patchConsole(state) {
  const json = process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON';
  const minLevel = json ? Math.max(0, LEVELS.indexOf(String(process.env.AWS_LAMBDA_LOG_LEVEL || 'INFO').toUpperCase())) : 0;
  const nop = () => {};
  const make = (level) => {
    if (LEVELS.indexOf(level) < minLevel) return nop;
    if (json) {
      return (message, ...params) => send(FRAME.LOG, '', jsonRecord(level, state.requestId, message, params));
    }
    return (message, ...params) => {
      send(FRAME.LOG, '', `${new Date().toISOString()}\t${state.requestId}\t${level}\t${util.format(message, ...params)}`);
    };
  };
  console.trace = make('TRACE');
  console.debug = make('DEBUG');
  console.info = make('INFO');
  console.warn = make('WARN');
  console.error = make('ERROR');
  console.fatal = make('FATAL');
  console.log = console.info;

  // Everything else that writes to stdout/stderr (console.dir, console.table, libraries) keeps its
  // bytes, split into lines by the pool.
  const redirect = (stream, header) => {
    stream.write = function write(chunk, encoding, callback) {
      if (typeof encoding === 'function') { callback = encoding; encoding = undefined; }
      const body = typeof chunk === 'string' ? Buffer.from(chunk, encoding || 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      send(FRAME.OUTPUT, header, body);
      if (typeof callback === 'function') process.nextTick(callback);
      return true;
    };
  };
  redirect(process.stdout, '1');
  redirect(process.stderr, '2');
}

function jsonRecord(level, requestId, message, params) {
  const record = { timestamp: new Date().toISOString(), level, requestId };
  if (params.length === 0) {
    record.message = message;
    try {
      return JSON.stringify(record, errorReplacer);
    } catch {
      record.message = util.format(message);
      return JSON.stringify(record);
    }
  }
  record.message = util.format(message, ...params);
  const err = params.find((p) => p instanceof Error);
  if (err !== undefined) {
    record.errorType = err.constructor?.name ?? 'UnknownError';
    record.errorMessage = err.message;
    record.stackTrace = typeof err.stack === 'string' ? err.stack.split('\n') : [];
  }
  return JSON.stringify(record);
}

function errorReplacer(_key, value) {
  if (value instanceof Error) {
    return Object.assign({
      errorType: value.constructor?.name ?? 'UnknownError',
      errorMessage: value.message,
      stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
    }, value);
  }
  return value;
}

module.exports = { patchConsole };
