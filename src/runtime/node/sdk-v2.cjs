// The AWS SDK for JavaScript v2 ignores AWS_ENDPOINT_URL, so Gannet points its global config at
// the endpoint itself: the first time the function loads aws-sdk (by `require` or `import`, the
// package or one of its clients), before any client exists. Not eagerly at init: requiring
// aws-sdk costs ~300 ms of cold start, and most services have it in node_modules (the Serverless
// Framework v3 depends on it) without a handler that uses it.
'use strict';
const Module = require('node:module');
const { join, sep } = require('node:path');

const PACKAGE_DIR = `${sep}node_modules${sep}aws-sdk${sep}`;

/** Each copy of aws-sdk (its shared config object) is set up once; later user changes stand. */
const configured = new WeakSet();

function configureSdkV2OnLoad() {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) return;
  const load = Module._load;
  Module._load = function gannetLoad(request, parent, isMain) {
    const exports = load.apply(this, arguments);
    if (typeof request === 'string' && (request === 'aws-sdk' || request.startsWith('aws-sdk/') || request.includes(PACKAGE_DIR))) {
      try {
        pointAtEndpoint(sdkConfig(load, exports, request, parent, isMain), endpoint);
      } catch { /* an unusual aws-sdk layout: the handler's own calls will show what is wrong */ }
    }
    return exports;
  };
}

/** The package's `AWS.config`: on the exports of the package itself, else on its lib/core.js. */
function sdkConfig(load, exports, request, parent, isMain) {
  if (exports !== null && typeof exports === 'object' && exports.config && typeof exports.config.update === 'function') return exports.config;
  const file = request.includes(PACKAGE_DIR) ? request : Module._resolveFilename(request, parent, isMain);
  const root = file.slice(0, file.indexOf(PACKAGE_DIR) + PACKAGE_DIR.length);
  return load.call(Module, join(root, 'lib', 'core.js'), parent, false).config;
}

function pointAtEndpoint(config, endpoint) {
  if (config === undefined || configured.has(config)) return;
  configured.add(config);
  config.update({ endpoint, s3ForcePathStyle: true });
}

module.exports = { configureSdkV2OnLoad };
