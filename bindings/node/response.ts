// The response class the server uses unless told otherwise: node:http's ServerResponse with
// shorter paths for what handlers do on every request (setHeader, getHeader, hasHeader, one end()
// with the whole body). Everything is kept in Node's own fields, so Node's methods keep working
// on the same object: a framework that swaps the prototype for one made from node:http's (Express
// does) simply runs Node's code. Anything off the common path is handed to Node's method.
import http from 'node:http';
import net from 'node:net';
import { kCorked, kNeedDrain } from './internals.js';
import { getHeader, hasHeader, setHeader, storeHeader } from './outgoing.js';

type Fields = Record<string | symbol, any>;
type Socket = import('node:net').Socket & Fields;

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The fast paths write fewer, larger pieces than Node's methods. On a connection only the bytes
 * are seen; a response given some other Writable (assignSocket() by hand) sees each write() call,
 * so it gets Node's methods and Node's writes.
 */
const isConnection = (socket: Socket) => socket instanceof net.Socket;
const uncork = (socket: Socket) => socket.uncork();

/** Node's onFinish: the response's bytes are with the kernel. */
function emitFinish(response: Fields) {
  const socket = response.socket as Socket | null;
  if (socket && socket._hadError) return;
  response.emit('finish');
}

/** The methods of wirehttp's ServerResponse; their `super` is node:http's ServerResponse. */
class FastPaths<Request extends http.IncomingMessage = http.IncomingMessage> extends http.ServerResponse<Request> {
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
    const ok = socket.write(data, encoding, typeof callback === 'function' ? callback : undefined);
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
