// The benchmark handler: answers {"message":"hello"} as an API Gateway proxy response.
'use strict';

const BODY = JSON.stringify({ message: 'hello' });

exports.hello = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: BODY,
});
