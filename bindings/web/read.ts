// readRequest / readResponse: the next message on a byte stream as a Request or Response.
import type { ParserOptions } from '../core/index.js';
import { requestFrom, requestStreamsSupported, responseFrom, type ToRequestOptions } from './convert.js';
import { readerFor, type NextOptions } from './reader.js';

export interface ReadRequestOptions extends ParserOptions, ToRequestOptions {}
export interface ReadResponseOptions extends ParserOptions, NextOptions {}

/**
 * The next request on `readable` as a Request whose body streams from it; null when the stream
 * ends before another request. Successive calls on one stream read successive (pipelined or
 * keep-alive) requests; the parser options of the first call hold for the stream. Rejects with
 * ParseError on bad input, NotRepresentableError for a valid request a Request cannot hold.
 */
export async function readRequest(readable: ReadableStream<Uint8Array>, options: ReadRequestOptions = {}): Promise<Request | null> {
  const parts = await readerFor(readable, 'request', options).next();
  if (!parts) return null;
  // Where a Request cannot stream its body (Firefox), the body is read whole first.
  const body = parts.body && !requestStreamsSupported() && parts.head.method !== 'GET' && parts.head.method !== 'HEAD' ? await readAll(parts.body) : parts.body;
  return requestFrom(parts.head, body, parts.trailers, options);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    pieces.push(read.value);
    length += read.value.length;
  }
  const all = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    all.set(piece, at);
    at += piece.length;
  }
  return all;
}

/**
 * The next response on `readable` as a Response whose body streams from it (interim 1xx
 * responses go to `onInformational`); null when the stream ends before another response.
 */
export async function readResponse(readable: ReadableStream<Uint8Array>, options: ReadResponseOptions = {}): Promise<Response | null> {
  const parts = await readerFor(readable, 'response', options).next(options);
  return parts && responseFrom(parts.head, parts.body, parts.trailers);
}
