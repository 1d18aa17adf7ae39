// The `awslambda` global of Lambda's Node runtime: streamifyResponse and HttpResponseStream.
// Gannet runs streaming handlers buffered: the bytes written are the response once the stream ends.
'use strict';
const { Writable } = require('node:stream');
const { STREAMING } = require('./loader.cjs');

const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');

function streamifyResponse(handler, options) {
  handler[STREAMING] = 'response';
  if (options?.highWaterMark !== undefined) handler[HIGH_WATER_MARK] = options.highWaterMark;
  return handler;
}

/** A response stream that keeps what the handler writes. */
function bufferedResponseStream() {
  const chunks = [];
  const stream = new Writable({
    write(chunk, encoding, callback) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
      callback();
    },
  });
  stream.contentType = 'application/octet-stream';
  stream.setContentType = (type) => { stream.contentType = type; };
  stream.bytes = () => Buffer.concat(chunks);
  return stream;
}

const HttpResponseStream = {
  /** Writes the HTTP prelude and the 8 NUL delimiter, as function URLs expect. */
  from(stream, prelude) {
    stream.setContentType('application/vnd.awslambda.http-integration-response');
    stream.write(JSON.stringify(prelude ?? {}));
    stream.write(Buffer.alloc(8));
    return stream;
  },
};

function installAwsLambdaGlobal() {
  globalThis.awslambda = { streamifyResponse, HttpResponseStream };
}

module.exports = { installAwsLambdaGlobal, bufferedResponseStream };
