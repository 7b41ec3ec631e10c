// The response class the server uses unless told otherwise: node:http's ServerResponse with
// shorter paths for what handlers do on every request (setHeader, getHeader, hasHeader, one end()
// with the whole body). Everything is kept in Node's own fields, so Node's methods keep working
// on the same object: a framework that swaps the prototype for one made from node:http's (Express
// does) simply runs Node's code. Anything off the common path is handed to Node's method.
import http from 'node:http';
import { kCorked, kOutHeaders } from './internals.js';

type Fields = Record<string | symbol, any>;
type Socket = import('node:net').Socket & Fields;

/** node:http's token check for header names (RFC 9110 tchar). */
const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
/** node:http's check for header values: HTAB, visible ASCII, SP and obs-text only. */
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Valid header names seen so far and their lower-case forms. Handlers set the same few names on
 * every response; checking and lower-casing each once also hands V8 the same key string every
 * time (a fresh `toLowerCase()` result must be hashed and looked up before it can be a key).
 */
const lowerNames = new Map<string, string>();
const MAX_CACHED_NAMES = 1024;

function validLowerName(name: unknown): string {
  if (typeof name === 'string') {
    const known = lowerNames.get(name);
    if (known !== undefined) return known;
    if (TOKEN.test(name)) {
      const lower = name.toLowerCase();
      if (lowerNames.size < MAX_CACHED_NAMES) lowerNames.set(name, lower);
      return lower;
    }
  }
  http.validateHeaderName(name as string); // throws Node's own error
  return String(name).toLowerCase();
}

const lowerName = (name: string) => lowerNames.get(name) ?? name.toLowerCase();

/** Node's onFinish: the response's bytes are with the kernel. */
function emitFinish(response: Fields) {
  const socket = response.socket as Socket | null;
  if (socket && socket._hadError) return;
  response.emit('finish');
}

export class ServerResponse<Request extends http.IncomingMessage = http.IncomingMessage> extends http.ServerResponse<Request> {
  override setHeader(name: string, value: number | string | readonly string[]): this {
    const self: Fields = this;
    if (self._header) return super.setHeader(name, value); // throws ERR_HTTP_HEADERS_SENT
    const lower = validLowerName(name);
    if (value === undefined || INVALID_VALUE_CHAR.test(value as string)) http.validateHeaderValue(name, value as string);
    let headers = self[kOutHeaders];
    if (headers === null) self[kOutHeaders] = headers = Object.create(null);
    headers[lower] = [name, value];
    return this;
  }

  override getHeader(name: string) {
    if (typeof name !== 'string') return super.getHeader(name); // throws ERR_INVALID_ARG_TYPE
    const headers = (this as Fields)[kOutHeaders];
    if (headers === null) return undefined;
    const entry = headers[lowerName(name)];
    return entry && entry[1];
  }

  override hasHeader(name: string): boolean {
    if (typeof name !== 'string') return super.hasHeader(name);
    const headers = (this as Fields)[kOutHeaders];
    return headers !== null && !!headers[lowerName(name)];
  }

  /**
   * A whole response in one end(): the head and the body leave in one socket write (two writes,
   * corked, for a Buffer body), with the bytes, the header rules and the events of Node's end().
   */
  override end(chunk?: any, encoding?: any, callback?: any): this {
    const self: Fields = this;
    const socket = self.socket as Socket | null;
    if (typeof chunk === 'function' || typeof encoding === 'function') return super.end(chunk, encoding, callback);
    const isString = typeof chunk === 'string';
    if (
      self._header !== null || self.finished || self.destroyed || self.strictContentLength ||
      self[kCorked] !== 0 || self.outputData.length !== 0 ||
      socket === null || socket._httpMessage !== self || !socket.writable || socket.writableCorked !== 0 ||
      // Node writes the head with the body only for these encodings (else as a chunk of its own).
      (isString && encoding && encoding !== 'utf8' && encoding !== 'latin1') ||
      (chunk && !isString && !(chunk instanceof Uint8Array))
    ) {
      return super.end(chunk, encoding, callback);
    }

    // As write_(): an end() with the whole body knows its length. A falsy chunk is no body.
    self._contentLength = !chunk ? 0 : isString ? Buffer.byteLength(chunk, encoding) : chunk.byteLength;
    try {
      self._implicitHeader();
    } catch (error) {
      socket.cork(); // Node's end() corked before the head failed
      throw error;
    }
    // No body allowed (HEAD, 204, 304) or chunked framing asked for: Node's end() from here on.
    if (!self.chunkedEncoding && (self._hasBody || !chunk)) {
      if (typeof callback === 'function') self.once('finish', callback);
      const header: string = self._header;
      const finish = () => emitFinish(self);
      self._headerSent = true;
      if (!chunk) {
        socket.write(header, 'latin1', finish);
      } else if (isString) {
        socket.write(header + chunk, encoding, finish);
      } else {
        self._onPendingData(header.length);
        socket.cork();
        socket.write(header, 'latin1');
        self._onPendingData(-header.length);
        socket.write(chunk, encoding, finish);
        socket.uncork();
      }
      self[kCorked] = 0;
      self.finished = true;
      self._finish(); // 'prefinish'
      return this;
    }
    return super.end(chunk, encoding, callback);
  }
}
