// wirehttp/web: raw HTTP/1.1 bytes ⇄ WHATWG Request / Response, and a small client over any
// { readable, writable } byte pair. Runtime-neutral (no node:* imports), built on wirehttp.
export { toRequest, toResponse, rawHead, rawTrailers } from './convert.js';
export type { ToRequestOptions, ParsedLike, BodySource } from './convert.js';
export { readRequest, readResponse } from './read.js';
export type { ReadRequestOptions, ReadResponseOptions } from './read.js';
export { serializeRequest, serializeResponse } from './serialize.js';
export type { SerializeResponseOptions } from './serialize.js';
export { request } from './client.js';
export type { SocketPair, ClientOptions } from './client.js';
export { connectBun } from './bun.js';
export type { BunConnectOptions } from './bun.js';
export { NotRepresentableError } from './errors.js';
export type { NotRepresentableCode } from './errors.js';
export { ParseError } from '../core/index.js';
