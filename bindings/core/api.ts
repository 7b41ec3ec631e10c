// wirehttp's API, the same from every entry (index.ts, workerd.ts, edge-light.ts: they differ only
// in where the wasm comes from). A runtime-neutral HTTP/1.x parser: no Node APIs here.
export { HttpParser, MessageEnd, MAX_HEADER_SIZE_LIMIT } from './parser.js';
export type { ParserOptions, LenientFlag, HeadersDecision, MessageType } from './parser.js';
export { parseRequest, parseResponse } from './oneshot.js';
export type { ParsedMessage, ResponseOptions } from './oneshot.js';
export { ParseError } from './errors.js';
export { MessageHead, headersFromRaw } from './head.js';
export type { Headers, HeaderValue } from './head.js';
export { METHODS } from '../../assembly/names.js';
export { LENIENT_NAMES as LENIENT_FLAGS, ERROR_NAMES as ERROR_CODES } from '../../assembly/names.js';
export { init } from './wasm.js';
export type { WasmSource } from './wasm.js';
