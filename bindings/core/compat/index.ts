// wirehttp/http-parser-js: the subpath's entry, and what the root adds under the `node` condition
// (index.node.ts). Its bundle imports the parser from the root bundle (the build keeps `../api.js`
// external), so the root and this subpath share one wasm instance, and the Node root re-exports
// this bundle: one HTTPParser (one kOnExecute switch, one lenient setting) either way.
export { HTTPParser, methods } from './http-parser-js.js';
export type { HTTPParserConstructor, HTTPParserError, HTTPParserType, HeadersInfo, LenientSetting } from './http-parser-js.js';
