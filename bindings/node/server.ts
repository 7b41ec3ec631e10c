// The HTTP server: Node's `_http_server.js`, re-done on the wasm parser.
//
// The message classes are Node's own: http.IncomingMessage, and ./response.ts's subclass of
// http.ServerResponse (shorter paths, Node's fields and bytes), so a response's header validation
// and events are Node's and code that swaps their prototypes (Express, for one) keeps working.
// What is ours is everything between the socket and those objects: this file has the Server and
// how it takes a socket; ./server-connection.ts reads it (into one shared buffer), parses, and
// does keep-alive, pipelining order, back-pressure, Expect, Upgrade/CONNECT, client errors and
// the keep-alive pause; the headers and request timeouts are checked here, for all connections.
import http from 'node:http';
import net from 'node:net';
import { ServerResponse } from './response.js';
import { kUniqueHeaders, nodeError } from './internals.js';
import { readAsStream, readDirectly } from './reading.js';
import { Connection, kConnections, kIncomingMessage, kServerResponse, socketOnError, socketOnTimeout, type ServerState } from './server-connection.js';

export { setMaxIdleHTTPParsers } from './parsing.js';

type Socket = net.Socket & Record<string | symbol, any>;

const kCheckingInterval = Symbol('wirehttp.connectionsCheckingInterval');

export interface Server extends ServerState {
  [kCheckingInterval]: ReturnType<typeof setInterval> | undefined;
  connectionsCheckingInterval: number;
}

export interface ServerConstructor {
  new (options?: http.ServerOptions, requestListener?: http.RequestListener): Server;
  new (requestListener?: http.RequestListener): Server;
  (options?: http.ServerOptions, requestListener?: http.RequestListener): Server;
  (requestListener?: http.RequestListener): Server;
  prototype: Server;
}

/** A function constructor, like Node's: `Server()` without `new` works too. */
export const Server = function Server(this: Server, options?: any, requestListener?: any): Server {
  if (!(this instanceof Server)) return new (Server as ServerConstructor)(options, requestListener);
  if (typeof options === 'function') {
    requestListener = options;
    options = {};
  } else if (options == null) {
    options = {};
  }
  // Node's own constructor validates the options, so errors and defaults are Node's exactly.
  const reference = new http.Server(options) as unknown as Server;
  this[kIncomingMessage] = options.IncomingMessage || http.IncomingMessage;
  this[kServerResponse] = options.ServerResponse || ServerResponse;
  this.maxHeaderSize = reference.maxHeaderSize;
  this.insecureHTTPParser = reference.insecureHTTPParser;
  this.requestTimeout = reference.requestTimeout;
  this.headersTimeout = reference.headersTimeout;
  this.keepAliveTimeout = reference.keepAliveTimeout;
  this.connectionsCheckingInterval = reference.connectionsCheckingInterval;
  this.requireHostHeader = reference.requireHostHeader;
  this.joinDuplicateHeaders = reference.joinDuplicateHeaders;
  this.rejectNonStandardBodyWrites = reference.rejectNonStandardBodyWrites;

  (net.Server as any).call(this, {
    allowHalfOpen: true,
    noDelay: options.noDelay ?? true,
    keepAlive: options.keepAlive,
    keepAliveInitialDelay: options.keepAliveInitialDelay,
    highWaterMark: options.highWaterMark,
  });
  if (requestListener) this.on('request', requestListener);

  this.httpAllowHalfOpen = false;
  this.on('connection', connectionListener);
  this.on('listening', setupConnectionsTracking);
  this.timeout = 0;
  this.maxHeadersCount = null as unknown as number;
  this.maxRequestsPerSocket = 0;
  this[kUniqueHeaders] = reference[kUniqueHeaders];
  this[kConnections] = new Set();
  this[kCheckingInterval] = undefined;
  return this;
} as unknown as ServerConstructor;
Object.defineProperty(Server, 'name', { value: 'Server' }); // the bundler renames function expressions
// Under node:http's Server, so `server instanceof http.Server` holds; what differs is overridden below.
Object.setPrototypeOf(Server.prototype, http.Server.prototype);
Object.setPrototypeOf(Server, http.Server);

export function createServer(options?: any, requestListener?: any): Server {
  return new Server(options, requestListener);
}

const proto = Server.prototype as Server & Record<string | symbol, any>;

proto.close = function close(this: Server, callback?: (err?: Error) => void) {
  this.closeIdleConnections();
  clearInterval(this[kCheckingInterval]);
  net.Server.prototype.close.call(this, callback);
  return this;
};

proto.closeAllConnections = function closeAllConnections(this: Server) {
  for (const connection of [...this[kConnections]]) connection.socket.destroy();
};

proto.closeIdleConnections = function closeIdleConnections(this: Server) {
  for (const connection of [...this[kConnections]]) {
    if (connection.messageStart !== 0) continue;
    const response = connection.socket._httpMessage;
    if (response && !response.finished) continue;
    connection.socket.destroy();
  }
};

(proto as any).setTimeout = function setTimeout(this: Server, msecs: number, callback?: (socket: net.Socket) => void) {
  this.timeout = msecs;
  if (callback) this.on('timeout', callback);
  return this;
};

function setupConnectionsTracking(this: Server) {
  clearInterval(this[kCheckingInterval]);
  // Started whatever the timeouts are now: they may be changed after createServer().
  this[kCheckingInterval] = setInterval(checkConnections, this.connectionsCheckingInterval, this).unref();
}

function checkConnections(server: Server) {
  const headersTimeout = server.headersTimeout;
  const requestTimeout = server.requestTimeout;
  if (headersTimeout === 0 && requestTimeout === 0) return;
  const now = Date.now();
  for (const connection of server[kConnections]) {
    const start = connection.messageStart;
    if (start === 0) continue;
    const late =
      (!connection.headersDone && headersTimeout > 0 && now - start > headersTimeout) ||
      (requestTimeout > 0 && now - start > requestTimeout);
    if (late) {
      connection.messageStart = 0; // reported once, as Node drops an expired connection from its list
      socketOnError.call(connection.socket, nodeError('ERR_HTTP_REQUEST_TIMEOUT', 'Request timeout'));
    }
  }
}

/** node:http's _connectionListener: a server's 'connection' listener (`this` is the server). */
export function connectionListener(this: Server, socket: Socket) {
  socket.server = this;
  if (this.timeout && typeof socket.setTimeout === 'function') socket.setTimeout(this.timeout);
  socket.on('timeout', socketOnTimeout);
  const connection = new Connection(this, socket);
  this[kConnections].add(connection);
  socket.parser = connection;
  // Node's socket has its parser's 'data' listener even while the parser reads in C++.
  socket.on('data', connection.onData);
  connection.sharedChunks = readDirectly(socket, connection.onData);
  socket.on('error', socketOnError);
  socket.on('end', connection.onEnd);
  socket.on('close', connection.onClose);
  socket.on('drain', connection.onDrain);
  socket.setEncoding = socketSetEncoding;
  socket._paused = false;
  socket.on = onWithReaders;
  socket.addListener = addListenerWithReaders;
  socket.prependListener = prependListenerWithReaders;
}

/**
 * A user's 'data' or 'readable' listener on a socket we read directly would get nothing: as
 * node:http does when its parser reads in C++ (unconsume), the socket then goes back to stream
 * reads, which both the parser's 'data' listener and the user's receive.
 */
function withReaders(method: 'on' | 'addListener' | 'prependListener') {
  const original = net.Socket.prototype[method] as (this: Socket, event: string | symbol, listener: (...args: any[]) => void) => Socket;
  return function listenerWithReaders(this: Socket, event: string | symbol, listener: (...args: any[]) => void): Socket {
    const result = original.call(this, event, listener);
    const connection: Connection | null = this.parser;
    if (!connection) {
      // The connection is gone (closed or upgraded): the socket is a plain socket again.
      this.on = net.Socket.prototype.on;
      this.addListener = net.Socket.prototype.addListener;
      this.prependListener = net.Socket.prototype.prependListener;
    } else if ((event === 'data' || event === 'readable') && connection.sharedChunks) {
      connection.sharedChunks = false;
      readAsStream(this);
    }
    return result;
  };
}
const onWithReaders = withReaders('on');
const addListenerWithReaders = withReaders('addListener');
const prependListenerWithReaders = withReaders('prependListener');

function socketSetEncoding(): never {
  throw nodeError('ERR_HTTP_SOCKET_ENCODING', 'Changing the socket encoding is not allowed per RFC7230 Section 3.');
}

