// The root under the `node` export condition (Node, Deno, Bun): the parser entry plus
// http-parser-js's API, so that an npm `overrides` entry replacing http-parser-js with wirehttp
// makes `require('http-parser-js').HTTPParser` resolve. Elsewhere (browsers, bundlers, Workers)
// the root is the parser alone, and http-parser-js's API is `wirehttp/http-parser-js`. Both
// imports stay imports of those bundles (scripts/build.mjs), so everything shares one instance.
export * from './index.js';
export * from './compat/index.js';
