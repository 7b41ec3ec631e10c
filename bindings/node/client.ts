// The HTTP client: node:http's ClientRequest with the wasm parser reading its responses.
//
// ClientRequest is a subclass of Node's own (so `instanceof http.ClientRequest` holds): Node's
// constructor validates the options and builds the head, Node's OutgoingMessage writes the
// request, and Node's methods (setTimeout, abort, destroy, setNoDelay…) work unchanged. Ours here:
// the constructor's fast path for plain options, the request head (made once for the usual one),
// the flush when the socket comes, and `onSocket`. What Node's lib/_http_client.js does once a
// socket is assigned — parsing responses on HttpParser, 1xx, Upgrade and CONNECT, response bodies
// with back-pressure, errors on the socket, and handing the socket back to the Agent for
// keep-alive — is ./client-connection.ts. Responses are Node's IncomingMessage. Pools are Node's
// Agent (./agent.ts).
import http from 'node:http';
import process from 'node:process'; // not the global, an accessor (~150 instructions a use)
import type net from 'node:net';
import { finished } from 'node:stream';
import { connectionReset, kCorked, kNeedDrain, kOutHeaders, kUniqueHeaders } from './internals.js';
import { addRequestFrom, getGlobalAgent, nullPrototypeCopy } from './agent.js';
import { attach, emitErrorEvent } from './client-connection.js';
import { getHeader, hasHeader, setHeader, storeHeader } from './outgoing.js';
import { onceResponse } from './listeners.js';

type Request = http.ClientRequest & Record<string | symbol, any>;
type Socket = net.Socket & Record<string | symbol, any>;
type Fields = Record<string | symbol, any>;

/** The error destroy(err) was given before a socket came (Node keeps it in a private field). */
const kDestroyError = Symbol('wirehttp.destroyError');

export interface ClientRequestConstructor {
  new (url: string | URL | http.ClientRequestArgs, options?: http.RequestOptions | ((res: http.IncomingMessage) => void), callback?: (res: http.IncomingMessage) => void): http.ClientRequest;
  prototype: http.ClientRequest;
}

/** Node's isURL: what ClientRequest reads as a URL rather than as options. */
const isURL = (value: any) => Boolean(value?.href && value.protocol && value.auth === undefined && value.path === undefined);

/**
 * A function constructor like Node's (so `.call(this, …)` with util.inherits works as well as
 * `new` and `class extends`). Node's constructor does the work; the only change is the default
 * Agent, which is wirehttp's globalAgent.
 */
export const ClientRequest = function ClientRequest(this: Request, input: any, options?: any, callback?: any) {
  if (options === undefined || typeof options === 'function') {
    if (input !== null && typeof input === 'object' && Object.getPrototypeOf(input) === Object.prototype && !isURL(input)) {
      // (options[, callback]): the common case, with one copy of the options where Node makes two
      // (Object.assign, then a null-prototype spread); each getter runs once, here, as in Node's
      const copy = nullPrototypeCopy(input);
      if (constructsQuickly(copy)) return construct(this, copy, options);
      return (http.ClientRequest as unknown as Function).call(this, withDefaultAgent(copy), options);
    }
  }
  if (typeof input === 'string' || isURL(input)) {
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    (http.ClientRequest as unknown as Function).call(this, input, withDefaultAgent(options), callback);
  } else {
    // (options[, callback])
    (http.ClientRequest as unknown as Function).call(this, withDefaultAgent(input), options);
  }
} as unknown as ClientRequestConstructor;
Object.setPrototypeOf(ClientRequest.prototype, http.ClientRequest.prototype);
Object.setPrototypeOf(ClientRequest, http.ClientRequest);
Object.defineProperty(ClientRequest, 'name', { value: 'ClientRequest' }); // the bundler renames function expressions

/**
 * The options with wirehttp's globalAgent as the default Agent. Node's constructor uses a default
 * Agent only when `agent` is not given (or is false): with an Agent given, no copy is made.
 */
function withDefaultAgent(options: any) {
  if (options != null && (options._defaultAgent || (options.agent && typeof options.agent === 'object'))) return options;
  return { ...options, _defaultAgent: getGlobalAgent() };
}

/**
 * The options Node's constructor reads on its common path: a plain Agent (or none), a host and
 * port, a path, a method that is a usual token, and headers given as an object. Any other option
 * set (timeout, signal, auth, createConnection, setHost, maxHeaderSize, …) goes to Node's.
 */
function constructsQuickly(options: Fields): boolean {
  const agent = options.agent;
  if (agent === false || (agent != null && (typeof agent !== 'object' || typeof agent.addRequest !== 'function'))) return false;
  if (agent == null && options.createConnection !== undefined) return false;
  // Node's ERR_INVALID_PROTOCOL
  if (agent != null && agent.protocol && agent.protocol !== (getGlobalAgent() as Fields).protocol) return false;
  const method = options.method;
  const host = options.host;
  const hostname = options.hostname;
  const path = options.path;
  const headers = options.headers;
  const port = options.port;
  return (
    (port === undefined || typeof port === 'number' || typeof port === 'string') &&
    (method === undefined || method === null || METHODS.has(method)) &&
    (host == null || typeof host === 'string') &&
    (hostname == null || typeof hostname === 'string') &&
    (path === undefined || path === lastValidPath || validPath(path)) &&
    (headers == null || (typeof headers === 'object' && !Array.isArray(headers))) &&
    options.protocol === undefined && options.defaultPort === undefined && options.timeout === undefined &&
    options.signal === undefined && options.setHost === undefined && options.auth === undefined &&
    options.maxHeaderSize === undefined && options.insecureHTTPParser === undefined &&
    options.joinDuplicateHeaders === undefined && options.uniqueHeaders === undefined &&
    options.socketPath === undefined && options._defaultAgent === undefined
  );
}

/** Methods that are already valid upper-case tokens: Node's check and toUpperCase() leave them as they are. */
const METHODS = new Set(http.METHODS);
/** Node's INVALID_PATH_REGEX. */
const INVALID_PATH = /[^\u0021-\u00ff]/;
/** The last path found valid: requests usually repeat it. */
let lastValidPath = '/';

function validPath(path: unknown): boolean {
  if (typeof path !== 'string' || INVALID_PATH.test(path)) return false;
  lastValidPath = path;
  return true;
}
const bodilessMethods = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** The last Host header made, and what it was made of: the same string again for the same server. */
let lastHost = '';
let lastPort: unknown;
let lastDefaultPort: unknown;
let lastHostHeader = '';

/**
 * Node's Host header for a request: an IPv6 address in brackets, the port unless it is the
 * default. The same server gets the same string, which V8 has hashed once for the Agent's lookups.
 */
function hostHeaderOf(host: string, port: unknown, defaultPort: unknown): string {
  if (host === lastHost && port === lastPort && defaultPort === lastDefaultPort) return lastHostHeader;
  lastHost = host;
  lastPort = port;
  lastDefaultPort = defaultPort;
  return (lastHostHeader = makeHostHeader(host, port, defaultPort));
}

function makeHostHeader(host: string, port: unknown, defaultPort: unknown): string {
  let hostHeader = host;
  const colon = host.indexOf(':');
  if (colon !== -1 && host.includes(':', colon + 1) && host.charCodeAt(0) !== 91 /* [ */) hostHeader = `[${host}]`;
  if (port && +(port as number) !== defaultPort) hostHeader += ':' + port;
  return hostHeader;
}

/**
 * Node's ClientRequest constructor for options that constructsQuickly() accepts, step by step
 * and field by field in Node's order, but for its two copies of the options (a plain one, then a
 * null-prototype one that V8 builds as a hash table): `options` is already the null-prototype
 * copy, made in V8's fast mode, and is what the Agent is handed (ours merges its own options
 * into it rather than into a third copy).
 */
function construct(self: Request, options: Fields, cb: ((res: http.IncomingMessage) => void) | undefined) {
  (http.OutgoingMessage as unknown as Function).call(self);
  const defaultAgent = getGlobalAgent() as Fields;
  let agent = options.agent;
  if (agent == null) agent = defaultAgent;
  self.agent = agent;
  const protocol = defaultAgent.protocol;
  const defaultPort = agent.defaultPort;
  const port = options.port || defaultPort || 80;
  const host = options.hostname || options.host || 'localhost';
  self.socketPath = undefined;
  const method = (self.method = options.method || 'GET');
  self.maxHeaderSize = undefined;
  self.insecureHTTPParser = undefined;
  self.joinDuplicateHeaders = undefined;
  self.path = options.path || '/';
  if (cb) onceResponse(self, cb);
  self.useChunkedEncodingByDefault = method !== 'GET' && !bodilessMethods.has(method);
  self._ended = false;
  self.res = null;
  self.aborted = false;
  self.timeoutCb = null;
  self.upgradeOrConnect = false;
  self.parser = null;
  (self as Fields).maxHeadersCount = null;
  self.reusedSocket = false;
  self.host = host;
  self.protocol = protocol;
  if (!agent.keepAlive && !Number.isFinite(agent.maxSockets)) {
    self._last = true;
    self.shouldKeepAlive = false;
  } else {
    self._last = false;
    self.shouldKeepAlive = true;
  }
  const headers = options.headers;
  if (headers) {
    const keys = Object.keys(headers);
    for (let i = 0; i < keys.length; i++) self.setHeader(keys[i], headers[keys[i]]);
  }
  if (host && !self.getHeader('host')) self.setHeader('Host', hostHeaderOf(host, port, defaultPort));
  // With no headers given, Host (just set) is the only one: no Expect to look up.
  if ((headers || self.getHeader !== getHeader || self.setHeader !== setHeader) && self.getHeader('expect')) self._storeHeader(self.method + ' ' + self.path + ' HTTP/1.1\r\n', self[kOutHeaders]);
  self[kUniqueHeaders] = null;
  // What Node hands the Agent: the null-prototype copy with the port and host it settled on.
  options.port = port;
  options.host = host;
  if (!addRequestFrom(agent, self, options)) agent.addRequest(self, options);
}

export function request(url: any, options?: any, callback?: any): http.ClientRequest {
  return new ClientRequest(url, options, callback);
}

export function get(url: any, options?: any, callback?: any): http.ClientRequest {
  const req = request(url, options, callback);
  req.end();
  return req;
}

const proto = ClientRequest.prototype as Request;

// The server's header methods (./outgoing.ts): Node's constructor sets Host and reads headers
// through them, as a user does.
proto.setHeader = setHeader;
proto.getHeader = getHeader;
proto.hasHeader = hasHeader;
proto._storeHeader = storeRequestHeader;

const nodeImplicitHeader = (http.ClientRequest.prototype as Request)._implicitHeader as (this: Request) => void;
/** The request line last made, and its method and path: the same string for the same two. */
let lastMethod: unknown;
let lastPath: unknown;
let lastFirstLine = '';

/**
 * Node's _implicitHeader, with the request line of the last request when the method and path are
 * the same: storeRequestHeader then finds it identical to the usual head's at once, where a new
 * concatenation was compared with the old one character by character.
 */
proto._implicitHeader = function _implicitHeader(this: Request) {
  const method = this.method;
  const path = this.path;
  if (this._header || typeof method !== 'string' || typeof path !== 'string') return nodeImplicitHeader.call(this); // throws ERR_HTTP_HEADERS_SENT
  if (method !== lastMethod || path !== lastPath) {
    lastFirstLine = method + ' ' + path + ' HTTP/1.1\r\n';
    lastMethod = method;
    lastPath = path;
  }
  this._storeHeader(lastFirstLine, this[kOutHeaders]);
};

/** What the last head made for a request whose only field is Host was made of, and what it was. */
let usualHead = {
  firstLine: '',
  name: '' as unknown,
  value: undefined as unknown,
  shouldKeepAlive: false,
  useChunkedEncodingByDefault: false,
  agent: false,
  defaultKeepAlive: false,
  contentLength: null as unknown,
  header: '',
  last: false,
  chunkedEncoding: false,
};

/**
 * _storeHeader (./outgoing.ts) for a request, which usually has one field, Host, and the same
 * request line, Host and flags as the one before: its head and flags are then the same, and the
 * same string (which V8 has already flattened for the socket write) is used again. The state
 * _storeHeader reads is compared in full; any other head is made as usual.
 */
function storeRequestHeader(this: Request, firstLine: string, headers: unknown): void {
  const self = this;
  if (
    headers !== null && headers === self[kOutHeaders] && self.sendDate === false && self.chunkedEncoding === false &&
    self._removedConnection === false && self._removedContLen === false && self._removedTE === false && self._hasBody === true &&
    self.maxRequestsOnConnectionReached === false && self._keepAliveTimeout === 0 && self.statusCode === undefined
  ) {
    const host = onlyHost(headers as Fields);
    if (host !== undefined) {
      const agent = !!self.agent;
      const last = usualHead;
      if (
        last.firstLine === firstLine && last.name === host[0] && last.value === host[1] && last.shouldKeepAlive === self.shouldKeepAlive &&
        last.useChunkedEncodingByDefault === self.useChunkedEncodingByDefault && last.agent === agent && last.defaultKeepAlive === self._defaultKeepAlive && last.contentLength === self._contentLength
      ) {
        self._last = last.last;
        self.chunkedEncoding = last.chunkedEncoding;
        self._header = last.header;
        self._headerSent = false;
        return;
      }
      const made = {
        firstLine,
        name: host[0],
        value: host[1],
        shouldKeepAlive: self.shouldKeepAlive,
        useChunkedEncodingByDefault: self.useChunkedEncodingByDefault,
        agent,
        defaultKeepAlive: self._defaultKeepAlive,
        contentLength: self._contentLength,
        header: '',
        last: false,
        chunkedEncoding: false,
      };
      storeHeader.call(self, firstLine, headers);
      if (typeof self._header === 'string' && (typeof host[1] === 'string' || typeof host[1] === 'number')) {
        made.header = self._header;
        made.last = self._last;
        made.chunkedEncoding = self.chunkedEncoding;
        usualHead = made;
      }
      return;
    }
  }
  storeHeader.call(self, firstLine, headers);
}

/** The [name, value] of a header map's Host field when it is the only one. */
function onlyHost(fields: Fields): [unknown, unknown] | undefined {
  let entry: [unknown, unknown] | undefined;
  for (const key in fields) {
    if (entry !== undefined || key !== 'host') return undefined;
    entry = fields[key];
  }
  return entry;
}

/**
 * Node's _flush, which runs when the socket comes (the request was usually ended before): the
 * usual single piece of output — the head, or the whole request — is written without the
 * cork()/uncork() around it that Node's _flushOutput adds for many pieces. The socket sees the
 * same _write call, and write() returns the same.
 */
proto._flush = function _flush(this: Request) {
  const socket = this.socket as Socket | null;
  if (!socket || !socket.writable) return;
  let ret;
  const outputData = this.outputData;
  if (outputData.length === 1 && this[kCorked] === 0) {
    const { data, encoding, callback } = outputData[0];
    this.outputData = [];
    ret = socket.write(data, encoding, callback);
    this._onPendingData(-this.outputSize);
    this.outputSize = 0;
  } else {
    ret = this._flushOutput(socket);
  }
  if (this.finished) {
    this._finish();
  } else if (ret && this[kNeedDrain]) {
    this[kNeedDrain] = false;
    this.emit('drain');
  }
};

proto.onSocket = function onSocket(this: Request, socket: Socket, err?: Error) {
  process.nextTick(onSocketNT, this, socket, err);
};

proto.destroy = function destroy(this: Request, err?: Error) {
  if (!this.destroyed) this[kDestroyError] = err;
  return (http.ClientRequest.prototype.destroy as Function).call(this, err);
};

function onSocketNT(req: Request, socket: Socket | undefined, err: Error | undefined) {
  if (req.destroyed || err) {
    req.destroyed = true;
    const fail = (error: Error | null | undefined) => {
      if (!req.aborted && !error) error = connectionReset('socket hang up');
      if (error) emitErrorEvent(req, error);
      req._closed = true;
      req.emit('close');
    };
    if (socket) {
      if (!err && req.agent && !socket.destroyed) {
        socket.emit('free');
      } else {
        finished(socket.destroy(err || req[kDestroyError]), (error) => {
          fail((error as NodeJS.ErrnoException | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE' ? err : error || err);
        });
        return;
      }
    }
    fail(err || req[kDestroyError]);
  } else {
    attach(req, socket!);
    req._flush();
  }
}
