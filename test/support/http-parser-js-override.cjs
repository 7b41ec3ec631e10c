// `node -r` hook: require('http-parser-js') resolves to wirehttp's package root, as npm
// `"overrides": { "http-parser-js": "npm:wirehttp@…" }` makes it resolve in a user's project.
const Module = require('node:module');
const wirehttp = require.resolve('wirehttp');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'http-parser-js' ? wirehttp : resolve.call(this, request, ...rest);
};
