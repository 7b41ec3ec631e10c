// wirehttp/http-parser-js: the subpath's entry. The build keeps `../index.js` external, so this
// subpath and the package root hand out one HTTPParser (one kOnExecute switch, one lenient setting).
export { HTTPParser, methods } from '../index.js';
export type { HTTPParserConstructor, HTTPParserError, HTTPParserType, HeadersInfo, LenientSetting } from '../index.js';
