// Gannet's Node bootstrap: the runtime loop of one Node instance. It starts as a "stem cell"
// (runtime loaded, no function), becomes a function's instance when the INIT frame gives it an
// environment and a handler, then answers INVOKE frames one at a time, as Lambda's Node runtime
// interface client does (event → context → handler → response or error).
//
// Plain CommonJS on purpose: it loads in the child without type stripping (faster start, and it
// works when Gannet itself sits under node_modules, where Node refuses to strip types).
'use strict';
const { send, listen, FRAME } = require('./channel.cjs');
const { patchConsole } = require('./console.cjs');
const { loadHandler } = require('./loader.cjs');
const { runtimeError, formatError, intoError, toFormatted, CALLBACK_REMOVED, NODE_JS_EXIT } = require('./errors.cjs');
const { installAwsLambdaGlobal, bufferedResponseStream } = require('./awslambda.cjs');
const { configureSdkV2OnLoad } = require('./sdk-v2.cjs');

/** What console records are stamped with; 'undefined' before the first event, as on Lambda. */
const state = { requestId: 'undefined' };
let handler = null;
let streaming = false;
let callbackRuntime = false;
let initializing = false;
/** The invocation in progress: { id, done }. */
let current = null;
let statics = null;
let unreferenced = false;
let beforeExit = null;
let lastRssAt = 0;
let lastTrace;

const socket = listen((type, header, body) => {
  if (type === FRAME.INVOKE) invoke(JSON.parse(header), body);
  else if (type === FRAME.INIT) void init(JSON.parse(header));
});

// The runtime is loaded: tell the pool this process can take a function.
send(FRAME.STANDBY, '');

process.on('beforeExit', () => {
  const f = beforeExit;
  beforeExit = null;
  if (f !== null) f();
});

async function init(cfg) {
  initializing = true;
  for (const key of Object.keys(process.env)) if (!(key in cfg.env)) delete process.env[key];
  Object.assign(process.env, cfg.env);
  // NODE_PATH is read once at startup; a stem cell learns it only now.
  const Module = require('node:module');
  if (typeof Module._initPaths === 'function') Module._initPaths();
  try { process.chdir(cfg.taskRoot); } catch { /* the pool checked the folder; keep going */ }
  // What --enable-source-maps does, for modules loaded from now on (TypeScript bundles).
  if (cfg.sourceMaps) {
    if (typeof Module.setSourceMapsSupport === 'function') Module.setSourceMapsSupport(true);
    else process.setSourceMapsEnabled(true);
  }
  patchConsole(state);
  installProcessHandlers();
  installAwsLambdaGlobal();
  const major = /^nodejs(\d+)/.exec(cfg.runtime);
  callbackRuntime = major !== null && Number(major[1]) < 24;
  statics = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
  };
  configureSdkV2OnLoad();
  try {
    const loaded = await loadHandler(cfg.taskRoot, cfg.handler, cfg.modulePath);
    if (!callbackRuntime && !loaded.streaming && loaded.fn.length >= 3) {
      throw runtimeError('CallbackHandlerDeprecated', CALLBACK_REMOVED);
    }
    handler = loaded.fn;
    streaming = loaded.streaming;
    initializing = false;
    send(FRAME.READY, '');
  } catch (err) {
    initFailed(err);
  }
}

function initFailed(err) {
  console.error('Uncaught Exception', toFormatted(intoError(err)));
  const body = formatError(err);
  send(FRAME.INIT_ERROR, JSON.stringify({ errorType: body.errorType }), JSON.stringify(body));
  process.exit(129);
}

function installProcessHandlers() {
  process.on('uncaughtException', (err) => {
    console.error('Uncaught Exception', toFormatted(intoError(err)));
    fatal(err, 129);
  });
  process.on('unhandledRejection', (reason, promise) => {
    let message;
    try { message = reason === undefined ? '' : String(reason); } catch { message = 'unhandled rejection'; }
    const err = runtimeError('UnhandledPromiseRejection', message);
    err.reason = reason;
    err.promise = promise;
    console.error('Unhandled Promise Rejection', toFormatted(err));
    fatal(err, 128);
  });
}

/** An error outside the handler's reach: report it to the current event (or init), then exit. */
function fatal(err, code) {
  if (initializing) return initFailed(err);
  const inv = current;
  if (inv !== null && !inv.done) {
    inv.done = true;
    const body = formatError(err);
    send(FRAME.ERROR, JSON.stringify({ id: inv.id, errorType: body.errorType, fatal: true }), JSON.stringify(body));
  }
  process.exit(code);
}

function invoke(h, body) {
  const inv = { id: h.id, done: false, startedAt: performance.now() };
  current = inv;
  state.requestId = h.id;
  // process.env writes are calls into libc: only touch the variable when it changes.
  if (h.trace !== lastTrace) {
    if (h.trace) process.env._X_AMZN_TRACE_ID = h.trace;
    else delete process.env._X_AMZN_TRACE_ID;
    lastTrace = h.trace;
  }
  let event;
  try {
    event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch (err) {
    return fail(inv, err);
  }
  const context = buildContext(h);
  if (streaming) return invokeStreaming(inv, event, context);
  if (callbackRuntime) return invokeWithCallback(inv, event, context);
  let result;
  try {
    result = handler(event, context);
  } catch (err) {
    return fail(inv, err);
  }
  if (isPromise(result)) result.then((value) => succeed(inv, value), (err) => fail(inv, err));
  else succeed(inv, result);
}

function buildContext(h) {
  return {
    functionVersion: statics.functionVersion,
    functionName: statics.functionName,
    memoryLimitInMB: statics.memoryLimitInMB,
    logGroupName: statics.logGroupName,
    logStreamName: statics.logStreamName,
    clientContext: parseJson(h.clientContext),
    identity: parseJson(h.identity),
    invokedFunctionArn: h.arn,
    awsRequestId: h.id,
    getRemainingTimeInMillis: () => h.deadline - Date.now(),
  };
}

/**
 * nodejs22.x and older: callback handlers, context.succeed/fail/done and
 * callbackWaitsForEmptyEventLoop. The channel is unreferenced while the handler runs, so
 * 'beforeExit' tells when the event loop is empty, as it does for Lambda's runtime.
 */
function invokeWithCallback(inv, event, context) {
  socket.unref();
  unreferenced = true;
  let waitForEmptyEventLoop = true;
  let finished = false;
  const done = (err, result) => {
    if (finished) return;
    finished = true;
    beforeExit = null;
    if (err !== undefined && err !== null) fail(inv, err);
    else succeed(inv, result);
  };
  const callback = (err, result) => {
    if (finished) return;
    finished = true;
    beforeExit = null;
    if (err !== undefined && err !== null) fail(inv, err);
    else if (!waitForEmptyEventLoop) succeed(inv, result);
    else beforeExit = () => setImmediate(() => succeed(inv, result));
  };
  Object.defineProperty(context, 'callbackWaitsForEmptyEventLoop', {
    enumerable: true,
    get: () => waitForEmptyEventLoop,
    set: (value) => { waitForEmptyEventLoop = value; },
  });
  context.succeed = (result) => done(null, result);
  context.fail = (err) => done(err === undefined || err === null ? 'handled' : err, null);
  context.done = done;
  // A handler that neither returns a promise nor calls back answers null once the loop is empty.
  const isAsync = handler.constructor?.name === 'AsyncFunction';
  beforeExit = () => {
    finished = true;
    if (isAsync) fail(inv, runtimeError('NodeJsExit', NODE_JS_EXIT));
    else succeed(inv, null);
  };
  let result;
  try {
    result = handler(event, context, callback);
  } catch (err) {
    return callback(err);
  }
  if (isPromise(result)) result.then(context.succeed, context.fail);
}

function invokeStreaming(inv, event, context) {
  const stream = bufferedResponseStream();
  let result;
  try {
    result = handler(event, stream, context);
  } catch (err) {
    return fail(inv, err);
  }
  if (!isPromise(result)) return fail(inv, new Error('Streaming does not support non-async handlers.'));
  result.then(() => {
    const end = () => respond(inv, stream.bytes());
    if (stream.writableFinished) end();
    else stream.once('finish', end);
  }, (err) => fail(inv, err));
}

function succeed(inv, result) {
  if (inv.done) return;
  let json;
  try {
    json = JSON.stringify(result === undefined ? null : result);
  } catch {
    return fail(inv, new Error('Unable to stringify response body'));
  }
  respond(inv, json === undefined ? '' : json);
}

function respond(inv, body) {
  inv.done = true;
  send(FRAME.RESPONSE, answerHeader(inv, undefined), body);
  if (unreferenced) { unreferenced = false; socket.ref(); }
}

function fail(inv, err) {
  if (inv.done) return;
  inv.done = true;
  console.error('Invoke Error', toFormatted(intoError(err)));
  const body = formatError(err);
  send(FRAME.ERROR, answerHeader(inv, body.errorType), JSON.stringify(body));
  if (unreferenced) { unreferenced = false; socket.ref(); }
}

/**
 * `ms`: the time this process spent on the event, which the pool's scaling needs: the host's own
 * measure also counts scheduling delays, which grow with every instance added on a busy machine.
 * Resident memory rides along at most every 100 ms: reading it costs a /proc read.
 */
function answerHeader(inv, errorType) {
  let header = `{"id":${JSON.stringify(inv.id)},"ms":${(performance.now() - inv.startedAt).toFixed(3)}`;
  if (errorType !== undefined) header += `,"errorType":${JSON.stringify(errorType)}`;
  const now = Date.now();
  if (now - lastRssAt >= 100) {
    lastRssAt = now;
    header += `,"rss":${Math.ceil(process.memoryUsage.rss() / 1048576)}`;
  }
  return header + '}';
}

function isPromise(value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';
}

function parseJson(text) {
  if (text === undefined || text === null || text === '') return undefined;
  try { return JSON.parse(text); } catch { return undefined; }
}
