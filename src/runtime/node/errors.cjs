// Errors as Lambda's Node runtime reports them: the body posted to the platform
// ({errorType, errorMessage, trace}) and the JSON appended to "Invoke Error" log records.
'use strict';

/** A runtime error whose errorType is `Runtime.<kind>`. */
function runtimeError(kind, message, stack) {
  const err = new Error(message);
  err.name = `Runtime.${kind}`;
  if (stack !== undefined) err.stack = stack;
  else err.stack = `${err.name}: ${message}\n${err.stack.split('\n').slice(1).join('\n')}`;
  return err;
}

/** The body of /error and /init/error: `trace`, not `stackTrace`, for Node. */
function formatError(error) {
  try {
    if (error instanceof Error) {
      return {
        errorType: String(error.name).replaceAll('\x7F', '%7F'),
        errorMessage: String(error.message).replaceAll('\x7F', '%7F'),
        trace: typeof error.stack === 'string' ? error.stack.replaceAll('\x7F', '%7F').split('\n') : [],
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

function intoError(err) {
  return err instanceof Error ? err : new Error(String(err));
}

/** `\t{...}`: the error with its enumerable properties and the stack as an array of lines. */
function toFormatted(error) {
  try {
    return '\t' + JSON.stringify(error, (_k, v) => withEnumerableProperties(v));
  } catch {
    return '\t' + JSON.stringify(formatError(error));
  }
}

function withEnumerableProperties(error) {
  if (error instanceof Error) {
    const ret = Object.assign({ errorType: error.name, errorMessage: error.message, code: error.code }, error);
    if (typeof error.stack === 'string') ret.stack = error.stack.split('\n');
    return ret;
  }
  return error;
}

const CALLBACK_REMOVED = 'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. '
  + 'You need to modify this function to use a supported handler signature to use Node.js 24 or later. '
  + 'For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

const NODE_JS_EXIT = 'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. '
  + 'For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes';

module.exports = { runtimeError, formatError, intoError, toFormatted, CALLBACK_REMOVED, NODE_JS_EXIT };
