// One server connection: node:http's parserOnIncoming, keep-alive and pipelining for one socket,
// on the wasm parser. ./server.ts makes one per accepted socket (connectionListener); from then
// on everything the socket brings goes through here: parsing, the request and response objects,
// the order responses leave in, back-pressure, Expect, Upgrade/CONNECT, client errors and the
// keep-alive pause.
import { triggerAsyncId } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import net from 'node:net';
// The module, not the global: globalThis.process is an accessor (~150 instructions a use), and
// Node's own http code calls nextTick on this same object.
import process from 'node:process';
import { METHODS, type HttpParser, type ParseError } from '../core/index.js';
import { bodyView, Flag, Head, headTarget, kSink, type TableSink } from '../core/internal.js';
import { connectionReset, kNeedDrain, kUniqueHeaders } from './internals.js';
import {
  completeMessage, DEFAULT_MAX_HEADER_PAIRS, HTTPServerAsyncResource, insecureByFlag, maxHeaderSizeFor, newIncomingMessage, parseErrorForNode, parserKey, returnParser, runAsParser, takeParser, readHeadInto, countedEntries,
} from './parsing.js';
import { canEndQuietly, endQuietly } from './incoming.js';
import { addFinish, addMessageEnd } from './listeners.js';
import { copyOf, readAsStream } from './reading.js';

// Node's classes carry many untyped underscore fields; the server reads and sets them as Node's does.
type Request = http.IncomingMessage & Record<string | symbol, any>;
type Response = http.ServerResponse & Record<string | symbol, any>;
type Socket = net.Socket & Record<string | symbol, any>;

/** The server's message classes (its IncomingMessage and ServerResponse options). */
export const kIncomingMessage = Symbol('wirehttp.IncomingMessage');
export const kServerResponse = Symbol('wirehttp.ServerResponse');
/** The server's open connections (for closeIdleConnections and the timeouts check). */
export const kConnections = Symbol('wirehttp.connections');

/** What a connection reads from its server: node:http's Server fields, and the classes it makes. */
export interface ServerState extends http.Server {
  [kIncomingMessage]: typeof http.IncomingMessage;
  [kServerResponse]: typeof http.ServerResponse;
  [kConnections]: Set<Connection>;
  [kUniqueHeaders]: unknown;
  maxHeaderSize: number | undefined;
  insecureHTTPParser: boolean | undefined;
  requireHostHeader: boolean;
  joinDuplicateHeaders: boolean | undefined;
  rejectNonStandardBodyWrites: boolean;
  httpAllowHalfOpen: boolean;
}

/** Node adds this to the advertised keep-alive timeout before closing, so clients close first. */
const KEEP_ALIVE_TIMEOUT_BUFFER = 1000;
// node:http's diagnostics channels (APM tools subscribe to them), published at the same points.
const requestStartChannel = diagnostics.channel('http.server.request.start');
const responseFinishChannel = diagnostics.channel('http.server.response.finish');
const continueExpression = /(?:^|\W)100-continue(?:$|\W)/i;

const badRequestResponse = Buffer.from('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n', 'latin1');
const requestTimeoutResponse = Buffer.from('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n', 'latin1');
const headerFieldsTooLargeResponse = Buffer.from('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n', 'latin1');
const chunkExtensionsTooLargeResponse = Buffer.from('HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n', 'latin1');

/**
 * One connection: its parser and its queues. It is also `socket.parser`, whose `incoming` is
 * the request being read (Node code and middleware look there), and the parser's sink: it reads
 * the head records and body pieces itself (no MessageHead, MessageEnd or body view per request).
 */
export class Connection implements TableSink {
  readonly server: ServerState;
  readonly socket: Socket;
  readonly parser: HttpParser;
  /** node:http's HTTPINCOMINGMESSAGE async resource: parsing runs in it (see parsing.ts). */
  readonly asyncResource: HTTPServerAsyncResource;
  private readonly parserKey: string;
  /** Node's parser.maxHeaderPairs: set when the connection opens, in rawHeaders entries. */
  private readonly maxHeaderPairs: number;
  /** The request whose head or body is being read. */
  incoming: Request | null = null;
  /** Requests whose responses have not finished, oldest first. */
  readonly requests: Request[] = [];
  /** Responses waiting for the socket while earlier ones finish (pipelining order). */
  readonly waiting: Response[] = [];
  /** Bytes buffered in responses that do not own the socket yet. */
  outgoingData = 0;
  requestsCount = 0;
  keepAliveTimeoutSet = false;
  /**
   * The keep-alive pause, kept without the socket's timer (see startIdle): when it began
   * (Date.now(), moved on by reads as the socket's timer would be), or 0 when not pausing so.
   */
  idleSince = 0;
  /** The keep-alive timeout of that pause, in ms: socket.timeout shows it, as after Node's setTimeout(). */
  idleTimeout = 0;
  /** The one timer that checks the pauses; it outlives a pause that ends early and re-arms itself. */
  idleTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * When the message being received began (Date.now()), or 0 between messages. A new
   * connection counts as receiving (Node's too): it must send a head within headersTimeout, and
   * closeIdleConnections() leaves it alone.
   */
  messageStart = Date.now();
  headersDone = false;
  /** Stream offset where the last complete message ended. */
  lastMessageEnd = 0;
  /** Chunks are views of the shared read buffer (readDirectly): what outlives the read is copied. */
  sharedChunks = false;
  /** bytesParsed when the chunk being executed began (Node's `bytesParsed` counts from the chunk). */
  chunkStart = 0;
  failed = false;
  /** Responses that passed the socket on and wait for their bytes to leave. */
  readonly handedOver = new Set<Response>();

  constructor(server: ServerState, socket: Socket) {
    this.server = server;
    this.socket = socket;
    this.asyncResource = new HTTPServerAsyncResource('HTTPINCOMINGMESSAGE', socket);
    const maxHeaderSize = maxHeaderSizeFor(server.maxHeaderSize);
    const lenient = server.insecureHTTPParser === undefined ? insecureByFlag() : server.insecureHTTPParser;
    this.parserKey = parserKey('request', maxHeaderSize, lenient); // one string per kind, not one per connection
    this.maxHeaderPairs = typeof server.maxHeadersCount === 'number' ? server.maxHeadersCount << 1 : DEFAULT_MAX_HEADER_PAIRS;
    const parser = takeParser('request', this.parserKey, maxHeaderSize, lenient);
    this.parser = parser;
    parser[kSink] = this;
    const connection = this;
    this.onFinish = function onFinish(this: Response) {
      onResponseFinish(this, connection);
    };
  }

  /**
   * Each response's 'finish' listener (node:http's is a function per response too): it knows its
   * connection, so no response carries a property of ours for it (a new symbol property on every
   * response was a generic store, and a keyed load at 'finish').
   */
  private readonly onFinish: (this: Response) => void;

  /** A read begins: the times it starts or refreshes (a method of its own keeps onData small enough to inline). */
  private readBegins(): void {
    let now = 0;
    if (this.messageStart === 0) {
      now = Date.now();
      this.messageStart = now;
      if (this.idleSince !== 0) this.idleSince = now;
    } else if (this.idleSince !== 0) {
      now = this.idleSince = Date.now(); // any read refreshes a socket's timeout
    }
    this.readNow = now;
  }

  onData = (chunk: Buffer): void => {
    this.readBegins();
    const parser = this.parser;
    this.chunkStart = parser.bytesParsed;
    const used = this.asyncResource.runInAsyncScope(parser.tryExecute, parser, chunk) as number | ParseError;
    if (this.waiting.length) this.handOverFinished();
    // Bytes past the last complete message are the start of the next one.
    if (this.messageStart === 0 && parser.bytesParsed > this.lastMessageEnd) this.messageStart = Date.now();
    if (typeof used !== 'number') {
      this.failed = true;
      const error = parseErrorForNode(used, this.sharedChunks ? copyOf(chunk) : chunk, this.chunkStart);
      // Node's parser reports on what it read from the socket itself (our direct reads) in its
      // resource; on what it was handed in 'data' events, in the socket's.
      if (this.sharedChunks) this.asyncResource.runInAsyncScope(socketOnError, this.socket, error);
      else socketOnError.call(this.socket, error);
      return;
    }
    const request = this.incoming;
    if (request !== null && request.upgrade) {
      // The same, but Node frees its parser before 'upgrade' or 'connect': the resource is then
      // the parser object (with the resource's ids).
      if (this.sharedChunks) runAsParser(this.asyncResource, this, this.handOver, this, request, chunk, used);
      else this.handOver(request, chunk, used);
    }
  };

  onEnd = (): void => {
    // After a parse error, finish is quiet (llhttp's too): the error was reported when it happened,
    // and a clientError listener that left the socket open still sees it ended below.
    const error = this.failed ? undefined : this.parser.tryFinish();
    if (error) {
      this.failed = true;
      socketOnError.call(this.socket, parseErrorForNode(error, undefined, this.parser.bytesParsed));
    } else if (!this.server.httpAllowHalfOpen) {
      this.socket.end();
    } else if (this.waiting.length) {
      this.waiting[this.waiting.length - 1]._last = true;
    } else if (this.socket._httpMessage) {
      this.socket._httpMessage._last = true;
    } else {
      this.socket.end();
    }
  };

  onClose = (): void => {
    this.release();
    // Their bytes will never leave; they get the 'close' an owner of the socket would get.
    for (const response of this.handedOver) emitCloseNT(response);
    this.handedOver.clear();
    while (this.requests.length) this.requests.shift()!.destroy(connectionReset('aborted'));
  };

  onDrain = (): void => {
    const socket = this.socket;
    const needPause = this.outgoingData > socket.writableHighWaterMark;
    if (socket._paused && !needPause) {
      socket._paused = false;
      socket.resume();
    }
    const response = socket._httpMessage;
    if (response && !response.finished && response[kNeedDrain]) {
      response[kNeedDrain] = false;
      response.emit('drain');
    }
  };

  /** ServerResponse._onPendingData: bytes queued in responses still waiting for the socket. */
  onPendingData = (delta: number): void => {
    this.outgoingData += delta;
    this.onDrain();
  };

  /** Node's parserOnHeadersComplete, for the head record t[i]: returns how to read what follows. */
  head(t: Uint32Array, i: number, text: string, base: number): number {
    const server = this.server;
    const socket = this.socket;
    this.headersDone = true;
    const flags = t[i + Head.FLAGS];
    const request: Request = newIncomingMessage(server[kIncomingMessage], socket);
    request.joinDuplicateHeaders = server.joinDuplicateHeaders || null;
    request.url = headTarget(t, i, text, base);
    const raw = readHeadInto(request, t, i, text, base, this.maxHeaderPairs);
    request.method = METHODS[t[i + Head.METHOD_OR_STATUS]];
    this.incoming = request;
    return this.onRequest(request, (flags & Flag.KEEP_ALIVE) !== 0, hostAndExpect(raw, countedEntries(raw, this.maxHeaderPairs)));
  }

  /** Body bytes chunk[from, from + length). */
  body(chunk: Uint8Array, from: number, length: number): void {
    const request = this.incoming;
    if (request !== null && !request._dumped && !request.push(this.sharedChunks ? copyOf(chunk, from, length) : bodyView(chunk, from, length))) this.socket.pause();
  }

  /** The request ended, with its trailers, at stream offset `offset`. */
  complete(rawTrailers: string[], offset: number): void {
    this.messageStart = 0;
    this.headersDone = false;
    this.lastMessageEnd = offset;
    completeMessage(this.incoming, rawTrailers, this.maxHeaderPairs, this.socket);
  }

  /** Node's parserOnIncoming: answers the parser with how to read what follows the head. */
  private onRequest(request: Request, keepAlive: boolean, fields: number): number {
    const server = this.server;
    const socket = this.socket;
    if (this.keepAliveTimeoutSet) {
      this.keepAliveTimeoutSet = false;
      const timeout = server.timeout || 0;
      if (this.idleSince !== 0 && timeout === 0 && !socketTimerArmed(socket)) (socket as { timeout: number }).timeout = 0;
      else socket.setTimeout(timeout);
      this.idleSince = 0;
    }
    if (request.upgrade) {
      // Node 20: an Upgrade nobody listens for is an ordinary request; CONNECT never is.
      request.upgrade = request.method === 'CONNECT' || server.listenerCount('upgrade') > 0;
      if (request.upgrade) return 2;
      this.respond(request, keepAlive, fields);
      return 3; // the parser reads on as HTTP
    }
    return this.respond(request, keepAlive, fields);
  }

  /** `fields`: which of HOST and EXPECT request.headers would hold (so it need not be built). */
  private respond(request: Request, keepAlive: boolean, fields: number): number {
    const server = this.server;
    const socket = this.socket;
    this.requests.push(request);

    // Stop reading while responses pile up unsent, so a flood of pipelined requests waits.
    const highWaterMark = socket.writableHighWaterMark; // a getter: read once
    if (!socket._paused) {
      const ws = socket._writableState;
      if (ws.needDrain || this.outgoingData >= highWaterMark) {
        socket._paused = true;
        socket.pause();
      }
    }

    const ResponseClass = server[kServerResponse] as unknown as new (request: Request, options: object) => Response;
    const response = new ResponseClass(request, {
      highWaterMark,
      rejectNonStandardBodyWrites: server.rejectNonStandardBodyWrites,
    });
    response._keepAliveTimeout = server.keepAliveTimeout;
    response._maxRequestsPerSocket = server.maxRequestsPerSocket;
    response._onPendingData = this.onPendingData;
    response.shouldKeepAlive = keepAlive;
    response[kUniqueHeaders] = server[kUniqueHeaders];
    if (requestStartChannel.hasSubscribers) requestStartChannel.publish({ request, response, socket, server });

    if (socket._httpMessage) this.waiting.push(response);
    else response.assignSocket(socket);
    addFinish(response, this.onFinish);

    if (request.httpVersionMajor === 1 && request.httpVersionMinor === 1) {
      if (server.requireHostHeader && (fields & HOST) === 0) {
        response.writeHead(400, ['Connection', 'close']);
        response.end();
        return 0;
      }
      const limit = server.maxRequestsPerSocket;
      const limited = typeof limit === 'number' && limit > 0;
      if (limited) {
        this.requestsCount++;
        response.maxRequestsOnConnectionReached = limit <= this.requestsCount;
      }
      if (limited && limit < this.requestsCount) {
        server.emit('dropRequest', request, socket);
        response.writeHead(503);
        response.end();
        return 0;
      }
      if ((fields & EXPECT) !== 0) {
        const expect: string = request.headers.expect!;
        if (continueExpression.test(expect)) {
          response._expect_continue = true;
          if (server.listenerCount('checkContinue') > 0) {
            server.emit('checkContinue', request, response);
          } else {
            response.writeContinue();
            server.emit('request', request, response);
          }
        } else if (server.listenerCount('checkExpectation') > 0) {
          server.emit('checkExpectation', request, response);
        } else {
          response.writeHead(417);
          response.end();
        }
        return 0;
      }
    }
    server.emit('request', request, response);
    return 0;
  }

  /**
   * Pipelining: when the socket's owner has ended and handed all its bytes to the socket, give
   * the socket to the next queued response now rather than at the owner's 'finish' (after the OS
   * took the bytes, a tick or more later); while that one has ended too, go on. Run after each
   * chunk is parsed and when a response finishes: a batch of pipelined requests answered at
   * once leaves in one write (two with the first), not one per response. Wire order is unchanged.
   */
  handOverFinished(): void {
    const socket = this.socket;
    let owner: Response | null = socket._httpMessage;
    // A client that does not read: leave the rest queued (counted against reading more requests).
    const canPass = () =>
      owner !== null && owner.finished && !owner._last && !owner.outputData.length &&
      this.waiting.length > 0 && !socket.destroyed && !socket.writableNeedDrain;
    if (!canPass()) return;
    socket.cork();
    try {
      while (canPass()) {
        owner = owner!;
        this.handedOver.add(owner);
        owner.detachSocket(socket);
        owner = this.waiting.shift()!;
        owner.assignSocket(socket);
      }
    } finally {
      socket.uncork();
    }
  }

  /** Upgrade or CONNECT: the socket leaves HTTP; what followed the head goes along as `head`. */
  private handOver(request: Request, chunk: Buffer, used: number): void {
    const server = this.server;
    const socket = this.socket;
    socket.removeListener('data', this.onData);
    socket.removeListener('end', this.onEnd);
    socket.removeListener('close', this.onClose);
    socket.removeListener('drain', this.onDrain);
    socket.removeListener('error', socketOnError);
    socket.removeListener('timeout', socketOnTimeout);
    this.release();
    request.parser = null;
    const event = request.method === 'CONNECT' ? 'connect' : 'upgrade';
    if (event === 'upgrade' || server.listenerCount(event) > 0) {
      const head = this.sharedChunks ? copyOf(chunk.subarray(used)) : chunk.subarray(used);
      readAsStream(socket);
      (socket as { readableFlowing: boolean | null }).readableFlowing = null;
      server.emit(event, request, socket, head);
    } else {
      socket.destroy();
    }
  }

  /**
   * A keep-alive pause: Node arms the socket's timeout with `ms` at every pause and clears it at
   * the next request, three timer operations per request (one more to refresh it on the read).
   * While the socket has no timer of its own (no server.timeout, no socket.setTimeout()), one
   * timer per connection does the same: it checks, when it fires, whether the pause it was armed
   * for still lasts, and otherwise waits again for what is left of the current one.
   */
  startIdle(ms: number): void {
    const socket = this.socket;
    this.keepAliveTimeoutSet = true;
    if (socketTimerArmed(socket)) {
      socket.setTimeout(ms);
      return;
    }
    // A pause that begins in a tick the last read of this connection scheduled (a response ended
    // as its request was parsed, its bytes taken at once) begins in that read's event-loop turn:
    // its time is the read's, as Node's timers take the loop's time of the turn. Saves a
    // Date.now() (~200 instructions) per keep-alive request.
    const readNow = this.readNow;
    const now = readNow !== 0 && triggerAsyncId() === this.asyncResource.asyncId() ? readNow : Date.now();
    (socket as { timeout: number }).timeout = ms; // as Node's socket.setTimeout(ms) shows it
    this.idleSince = now;
    this.idleTimeout = ms;
    if (this.idleTimer === null || this.idleDue > now + ms) {
      this.stopIdleTimer();
      this.idleDue = now + ms;
      this.idleTimer = setTimeout(onIdleTimer, ms, this).unref();
    }
  }

  /** Date.now() as this connection's last read began, or 0 if that read did not take it (see startIdle). */
  readNow = 0;

  /** When idleTimer fires (Date.now() terms). */
  idleDue = 0;

  stopIdleTimer(): void {
    if (this.idleTimer !== null) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
  }

  /** The parser goes back to the pool; the connection leaves the server's list. */
  private release(): void {
    this.stopIdleTimer();
    if (this.socket.parser === this) this.socket.parser = null;
    if (this.server[kConnections].delete(this)) {
      returnParser(this.parserKey, this.parser);
      this.asyncResource.emitDestroy();
    }
  }
}

const HOST = 1;
const EXPECT = 2;

/** Which of Host and Expect are among the first `count` entries of rawHeaders: request.headers without building it. */
function hostAndExpect(raw: string[], count: number): number {
  let found = 0;
  for (let i = 0; i < count; i += 2) {
    const name = raw[i];
    // The first letter decides before any toLowerCase(): Date, Vary, Accept… cost no string.
    const first = name.charCodeAt(0) | 0x20;
    if (name.length === 4) {
      if (first === 0x68 && (name === 'Host' || name.toLowerCase() === 'host')) found |= HOST;
    } else if (name.length === 6 && first === 0x65 && (name === 'Expect' || name.toLowerCase() === 'expect')) {
      found |= EXPECT;
    }
  }
  return found;
}

function onResponseFinish(response: Response, connection: Connection) {
  const request = response.req as Request;
  const socket = connection.socket;
  const requests = connection.requests;
  if (responseFinishChannel.hasSubscribers) responseFinishChannel.publish({ request, response, socket, server: connection.server });
  // A connection reset may already have emptied the list.
  if (requests[0] === request) requests.shift();

  // Nobody read the body: drain it off the wire so the next request can be parsed. Node's
  // _consuming is set by _read(), which a handler's resume() reaches before the body arrives in
  // Node (its parser drains the tick queue after each head); we parse the read whole, so the body
  // may be in and ended first and _read() never runs: data already read counts as consuming too.
  const readable = request._readableState;
  let quietEnd = -1;
  if (!request._consuming && !readable.dataEmitted && !readable.resumeScheduled) {
    quietEnd = canEndQuietly(request); // ./incoming.ts: the state _dump() leads to, without its four ticks
    if (quietEnd === -1) request._dump();
  }

  // A response that passed the socket on is in handedOver (a Set lookup only while any is).
  const handedOver = connection.handedOver;
  if (handedOver.size === 0 || !handedOver.delete(response)) response.detachSocket(socket);
  clearIncoming(request);
  if (quietEnd === -1) process.nextTick(emitCloseNT, response);
  else process.nextTick(emitCloseAndEndQuietly, response, request, quietEnd);

  if (response._last) {
    if (typeof socket.destroySoon === 'function') socket.destroySoon();
    else socket.end();
  } else if (socket._httpMessage) {
    // The socket already went on to a later response (handOverFinished).
  } else if (connection.waiting.length === 0) {
    const server = connection.server;
    if (server.keepAliveTimeout && typeof socket.setTimeout === 'function') {
      connection.startIdle(server.keepAliveTimeout + KEEP_ALIVE_TIMEOUT_BUFFER);
    }
  } else {
    connection.waiting.shift()!.assignSocket(socket);
    connection.handOverFinished();
  }
}

/**
 * Node's clearIncoming: lets a finished request be collected once its body has been read. Node
 * keeps it as `incoming` until 'end'; a request whose bytes have all arrived needs nothing more
 * from its connection (no body to route, no timeout to report), so it lets go at once. The
 * 'end' listener stays, as Node's, for code that counts listeners.
 */
function clearIncoming(this: Request | void, request?: Request) {
  request = request ?? (this as Request);
  const connection = request.socket && (request.socket as Socket).parser;
  if (connection && connection.incoming === request) {
    if (request.readableEnded) {
      connection.incoming = null;
    } else {
      addMessageEnd(request, clearIncoming);
      if (request.complete) connection.incoming = null;
    }
  }
}

function emitCloseAndEndQuietly(response: Response, request: Request, finalBits: number) {
  emitCloseNT(response);
  endQuietly(request, finalBits, clearIncoming);
}

function emitCloseNT(response: Response) {
  if (!response._closed) {
    response.destroyed = true;
    response._closed = true;
    response.emit('close');
  }
}

/** net.Socket's slot for its timer (an internal symbol, found by name; absent, startIdle arms the socket's). */
const kSocketTimer: symbol | undefined = Object.getOwnPropertySymbols(new net.Socket()).find((symbol) => symbol.description === 'timeout');

/** Whether the socket's own timeout is armed (a cleared timer stays in the slot, destroyed). */
function socketTimerArmed(socket: Socket): boolean {
  if (kSocketTimer === undefined) return true;
  const timer = socket[kSocketTimer];
  return timer != null && !timer._destroyed;
}

function onIdleTimer(connection: Connection) {
  connection.idleTimer = null;
  const socket = connection.socket;
  if (connection.idleSince === 0 || socket.destroyed) return; // not pausing: the next pause arms it
  // The user changed the socket's timeout since (socket.setTimeout): theirs replaced this one, as in Node.
  if (socket.timeout !== connection.idleTimeout || socketTimerArmed(socket)) return;
  const now = Date.now();
  const left = connection.idleSince + connection.idleTimeout - now;
  if (left > 0) {
    connection.idleDue = now + left;
    connection.idleTimer = setTimeout(onIdleTimer, left, connection).unref();
    return;
  }
  connection.idleSince = 0;
  socket.emit('timeout');
}

export function socketOnTimeout(this: Socket) {
  const request = this.parser && this.parser.incoming;
  const requestListened = request && !request.complete && request.emit('timeout', this);
  const response = this._httpMessage;
  const responseListened = response && response.emit('timeout', this);
  const serverListened = this.server.emit('timeout', this);
  if (!requestListened && !responseListened && !serverListened) this.destroy();
}

function noop() {}

export function socketOnError(this: Socket, error: Error & { code?: string }) {
  // Ignore further errors.
  this.removeListener('error', socketOnError);
  if ((this.listenerCount as (event: string, listener: unknown) => number)('error', noop) === 0) this.on('error', noop);
  if (this.server.emit('clientError', error, this)) return;
  // Answer only if no response has started on this socket, so the peer sees no corrupt stream.
  if (this.writable && (!this._httpMessage || !this._httpMessage._headerSent)) {
    switch (error.code) {
      case 'HPE_HEADER_OVERFLOW':
        this.write(headerFieldsTooLargeResponse);
        break;
      case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
        this.write(chunkExtensionsTooLargeResponse);
        break;
      case 'ERR_HTTP_REQUEST_TIMEOUT':
        this.write(requestTimeoutResponse);
        break;
      default:
        this.write(badRequestResponse);
    }
  }
  this.destroy(error);
}
