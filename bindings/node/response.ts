// The response class the server uses unless told otherwise: node:http's ServerResponse with
// shorter paths for what handlers do on every request (setHeader, getHeader, hasHeader, one end()
// with the whole body). Everything is kept in Node's own fields, so Node's methods keep working
// on the same object: a framework that swaps the prototype for one made from node:http's (Express
// does) simply runs Node's code. Anything off the common path is handed to Node's method.
import { Buffer } from 'node:buffer';
import http from 'node:http';
import net from 'node:net';
// The modules, not the globals: globalThis.process and Buffer are accessors (~150 instructions a use).
import process from 'node:process';
import { kCorked, kNeedDrain, kOutHeaders } from './internals.js';
import { getHeader, hasHeader, INVALID_VALUE_CHAR, setHeader, storeHeader } from './outgoing.js';

type Fields = Record<string | symbol, any>;
type Socket = import('node:net').Socket & Fields;

const nodeWriteHead = http.ServerResponse.prototype.writeHead;

/** The status line last made by _implicitHeader, for the code and message it was made of. */
let lastStatusLine = '';
let lastStatusCode = 0;
let lastStatusMessage = '';

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The fast paths write fewer, larger pieces than Node's methods. On a connection only the bytes
 * are seen; a response given some other Writable (assignSocket() by hand) sees each write() call,
 * so it gets Node's methods and Node's writes.
 */
const isConnection = (socket: Socket) => socket instanceof net.Socket;
const uncork = (socket: Socket) => socket.uncork();

/** The socket's last buffered write that a later one of ours may join (see writeJoined). */
const kJoinable = Symbol('wirehttp.joinableWrite');

/**
 * socket.write() of an ASCII-safe string while the socket is corked: joined to the write buffered
 * just before it when that one is ours too, so a response's pieces leave as one string rather
 * than a writev of several. The socket's counts (writableLength, bytesWritten, the return value,
 * 'drain') are as after separate writes. `callback`, if any, goes with the joined write, so it
 * runs once all of it has left, as it would after the last of separate writes.
 */
function writeJoined(socket: Socket, data: string, encoding: BufferEncoding | undefined, callback: (() => void) | undefined): boolean {
  const state = socket._writableState;
  const last = socket[kJoinable];
  if (last !== undefined && state.corked !== 0) {
    const buffered = state.buffered;
    if (buffered.length > state.bufferedIndex && buffered[buffered.length - 1] === last &&
        (last.encoding === (encoding || state.defaultEncoding) || (encoding === 'latin1' && !NON_ASCII.test(data))) &&
        (callback === undefined || last.callback === joinableCallback)) {
      last.chunk += data;
      state.length += data.length;
      if (callback !== undefined) {
        last.callback = callback;
        state.allNoop = false;
        socket[kJoinable] = undefined; // nothing joins after a write with a callback
      }
      const ok = state.length < state.highWaterMark;
      if (!ok) state.needDrain = true;
      return ok && !state.errored && !state.destroyed;
    }
  }
  socket[kJoinable] = undefined;
  const ok = socket.write(data, encoding, callback);
  if (callback === undefined && state.corked !== 0) {
    const buffered = state.buffered;
    const entry = buffered[buffered.length - 1];
    if (buffered.length > state.bufferedIndex && entry.chunk === data) {
      socket[kJoinable] = entry;
      joinableCallback ??= entry.callback; // Writable's own no-op, for entries written without one
    }
  }
  return ok;
}
let joinableCallback: unknown;

/**
 * The head and string body end() wrote last in one write, and that write's string: the same head
 * (./outgoing.ts makes a head like the last one the same string) with the same body is the same
 * string again, flat since its write, instead of a new one to concatenate and flatten.
 */
let lastHead = '';
let lastBody = '';
let lastHeadAndBody = '';
const MAX_JOINED_BODY = 1024;

function headAndBody(head: string, body: string): string {
  if (head === lastHead && body === lastBody) return lastHeadAndBody;
  const joined = head + body;
  if (body.length <= MAX_JOINED_BODY) {
    lastHead = head;
    lastBody = body;
    lastHeadAndBody = joined;
  }
  return joined;
}

/** Node's onFinish: the response's bytes are with the kernel. */
function emitFinish(response: Fields) {
  const socket = response.socket as Socket | null;
  if (socket && socket._hadError) return;
  response.emit('finish');
}

/** The methods of wirehttp's ServerResponse; their `super` is node:http's ServerResponse. */
class FastPaths<Request extends http.IncomingMessage = http.IncomingMessage> extends http.ServerResponse<Request> {
  /**
   * node:http's _implicitHeader, writeHead(statusCode), with writeHead's steps inlined while it is
   * Node's own (on-headers and its like patch writeHead on the response, and then get the call).
   */
  _implicitHeader(): void {
    const self: Fields = this;
    const statusCode = self.statusCode;
    if (self.writeHead !== nodeWriteHead || self._header || typeof statusCode !== 'number' || (statusCode | 0) !== statusCode || statusCode < 100 || statusCode > 999) {
      self.writeHead(statusCode); // its errors and its patches
      return;
    }
    if (!self.statusMessage) self.statusMessage = http.STATUS_CODES[statusCode] || 'unknown';
    const message = self.statusMessage;
    if (statusCode !== lastStatusCode || message !== lastStatusMessage) {
      if (typeof message !== 'string' || INVALID_VALUE_CHAR.test(message)) {
        self.writeHead(statusCode);
        return;
      }
      lastStatusLine = `HTTP/1.1 ${statusCode} ${message}\r\n`;
      lastStatusCode = statusCode;
      lastStatusMessage = message;
    }
    if (statusCode === 204 || statusCode === 304 || statusCode <= 199) self._hasBody = false;
    if (self._expect_continue && !self._sent100) self.shouldKeepAlive = false;
    self._storeHeader(lastStatusLine, self[kOutHeaders] || undefined);
  }

  /**
   * A string chunk of a chunked body in one socket write (size line, data and line end
   * together) where Node's write() makes four, with Node's corking, bytes and return value.
   */
  override write(chunk: any, encoding?: any, callback?: any): boolean {
    const self: Fields = this;
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = null;
    }
    const socket = self.socket as Socket | null;
    if (
      typeof chunk !== 'string' || chunk.length === 0 || (encoding && encoding !== 'utf8' && encoding !== 'latin1') ||
      self.finished || self.destroyed || self.strictContentLength || self[kCorked] !== 0 || self.outputData.length !== 0 ||
      socket === null || socket._httpMessage !== self || !socket.writable || !isConnection(socket)
    ) {
      return super.write(chunk, encoding, callback);
    }
    if (self._header === null) self._implicitHeader(); // the first write makes the head, as in Node
    if (!self.chunkedEncoding || !self._hasBody) return super.write(chunk, encoding, callback);

    if (!socket.writableCorked) {
      socket.cork();
      process.nextTick(uncork, socket);
    }
    let data = `${Buffer.byteLength(chunk, encoding).toString(16)}\r\n${chunk}\r\n`;
    if (!self._headerSent) {
      // Node sends the head as latin1 with the size line; as UTF-8 only ASCII stays the same.
      const header: string = self._header;
      if (encoding === 'latin1' || !NON_ASCII.test(header)) data = header + data;
      else socket.write(header, 'latin1');
      self._headerSent = true;
    }
    const ok = typeof callback === 'function' ? socket.write(data, encoding, callback) : writeJoined(socket, data, encoding, undefined);
    if (!ok) self[kNeedDrain] = true;
    return ok;
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
    // A chunked body's end after its writes: the last chunk joins them (see writeJoined), and the
    // response leaves in one write instead of two. Node's end() from `finish` on.
    if (
      !chunk && self._header !== null && self._headerSent && self.chunkedEncoding && self._hasBody && self._trailer === '' &&
      !self.finished && !self.destroyed && !self.strictContentLength && self.outputData.length === 0 &&
      socket !== null && socket._httpMessage === self && socket.writable && isConnection(socket)
    ) {
      if (typeof callback === 'function') self.once('finish', callback);
      writeJoined(socket, '0\r\n\r\n', 'latin1', () => emitFinish(self));
      socket._writableState.corked = 1; // as Node's end(): fully uncorked, the response leaves now
      socket.uncork();
      self[kCorked] = 0;
      self.finished = true;
      self._finish();
      return this;
    }

    if (
      self._header !== null || self.finished || self.destroyed || self.strictContentLength ||
      self[kCorked] !== 0 || self.outputData.length !== 0 ||
      socket === null || socket._httpMessage !== self || !socket.writable || socket.writableCorked !== 0 || !isConnection(socket) ||
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
        socket.write(headAndBody(header, chunk), encoding, finish);
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

/**
 * A function constructor over FastPaths' methods, as Node's ServerResponse is a function:
 * libraries build on it the ES5 way (light-my-request, behind fastify.inject(), does
 * `http.ServerResponse.call(this, req)` and `util.inherits`), which a class constructor refuses.
 * `new`, `class extends` and Reflect.construct work as on any function.
 */
export const ServerResponse = function ServerResponse(this: FastPaths, req: http.IncomingMessage, options?: object) {
  (http.ServerResponse as unknown as Function).call(this, req, options);
} as unknown as typeof http.ServerResponse;
export type ServerResponse<Request extends http.IncomingMessage = http.IncomingMessage> = http.ServerResponse<Request>;
Object.defineProperty(ServerResponse, 'name', { value: 'ServerResponse' }); // the bundler renames function expressions
Object.defineProperty(ServerResponse, 'prototype', { value: FastPaths.prototype });
// Plain assignments: redefining with defineProperty leaves the prototype in V8's slow
// (dictionary) mode, which cost ~2,000 instructions per request (npm run bench:instructions).
FastPaths.prototype.constructor = ServerResponse;
// The header methods, shared with the client (./outgoing.ts).
FastPaths.prototype.setHeader = setHeader;
FastPaths.prototype.getHeader = getHeader;
FastPaths.prototype.hasHeader = hasHeader;
(FastPaths.prototype as Fields)._storeHeader = storeHeader;
Object.setPrototypeOf(ServerResponse, http.ServerResponse);
