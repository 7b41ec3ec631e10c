// A client request's socket, once it has one: node:http's tickOnSocket and what follows it in
// lib/_http_client.js, on the wasm parser. ./client.ts's ClientRequest hands the socket over
// here (attach); from then on its responses are parsed here (1xx, Upgrade and CONNECT, bodies
// with back-pressure), its errors and end reach the request, and once a response has ended the
// socket goes back to the Agent (the 'free' event) or closes.
import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import process from 'node:process'; // not the global, an accessor (~150 instructions a use)
import type net from 'node:net';
import type { HttpParser, ParseError } from '../core/index.js';
import { bodyView, Decision, Flag, Head, headTarget, kSink, type TableSink } from '../core/internal.js';
import { connectionReset, kNeedDrain } from './internals.js';
import {
  completeMessage, HTTPClientAsyncResource, parseErrorForNode, insecureByFlag, maxHeaderSizeFor, newIncomingMessage, parserKey, returnParser, takeParser, DEFAULT_MAX_HEADER_PAIRS, readHeadInto,
} from './parsing.js';
import { addSocketListeners, addFinish, addTimeout, removeData, removeKeepAliveListeners, removeResponseListeners, removeTimeout, addMessageEnd } from './listeners.js';
import { attachReader, copyOf, detachReader, isSharedRead, readIntoOwnBuffers, readsDirectly } from './reading.js';

type Request = http.ClientRequest & Record<string | symbol, any>;
type Response = http.IncomingMessage & Record<string | symbol, any>;
type Socket = net.Socket & Record<string | symbol, any>;

// node:http's diagnostics channels for the client, published at the same points.
const requestErrorChannel = diagnostics.channel('http.client.request.error');
const responseFinishChannel = diagnostics.channel('http.client.response.finish');

/** A socket's ResponseReader, kept across the requests it carries. */
const kResponseReader = Symbol('wirehttp.responseReader');

export function emitErrorEvent(req: Request, error: Error) {
  if (requestErrorChannel.hasSubscribers) requestErrorChannel.publish({ request: req, error });
  req.emit('error', error);
}

export /** Node's tickOnSocket: the socket now carries this request; its responses go to a parser. */
function attach(req: Request, socket: Socket) {
  const reader: ResponseReader = (socket[kResponseReader] ??= new ResponseReader(socket));
  reader.start(req);
  (req as { socket: Socket }).socket = socket;
  req.parser = reader;
  socket.parser = reader;
  socket._httpMessage = req;
  // The reader first: its own 'data' listener must not count as someone else's (see reading.ts).
  if (reader.sharedChunks) attachReader(socket, reader.onData);
  addSocketListeners(socket, socketOnError, reader.onData, socketOnEnd, socketOnClose, socketOnDrain);
  if (req.timeout !== undefined || req.agent?.options?.timeout) listenSocketTimeout(req);
  req.emit('socket', socket);
}

function emitRequestTimeout(this: Socket) {
  const req = this._httpMessage;
  if (req) req.emit('timeout');
}

function listenSocketTimeout(req: Request) {
  if (req.timeoutCb) return; // req.setTimeout() already did it (with Node's own listener)
  req.timeoutCb = emitRequestTimeout;
  (req.socket as Socket).once('timeout', emitRequestTimeout);
}

/**
 * What reads a socket's responses (one at a time, and the 1xx before each): made once per socket,
 * given a parser from the pool for each request. It is `req.parser` and `socket.parser` while a
 * response is read, as Node's parser is. The parser's sink: it reads the head records and body
 * pieces itself, so no MessageHead, body view or MessageEnd is made that it would not keep.
 */
class ResponseReader implements TableSink {
  req: Request = null as unknown as Request;
  parser: HttpParser = null as unknown as HttpParser;
  /** node:http's HTTPCLIENTREQUEST async resource for this request: parsing runs in it (see parsing.ts). */
  private asyncResource: HTTPClientAsyncResource = null as unknown as HTTPClientAsyncResource;
  private parserKey = '';
  private maxHeaderPairs = DEFAULT_MAX_HEADER_PAIRS;
  /** The message whose head or body is being read (a 1xx included). */
  incoming: Response | null = null;
  /** The socket reads into the shared buffer while this reader is attached. */
  sharedChunks = false;
  /** The chunk being parsed is a view of the shared read buffer: what outlives the read is copied. */
  private sharedChunk = false;

  constructor(readonly socket: Socket) {}

  /** A request takes the socket: a parser with its options. */
  start(req: Request): void {
    this.req = req;
    this.incoming = null;
    this.asyncResource = new HTTPClientAsyncResource('HTTPINCOMINGMESSAGE', req);
    const maxHeaderSize = maxHeaderSizeFor(req.maxHeaderSize);
    const lenient = req.insecureHTTPParser === undefined ? insecureByFlag() : req.insecureHTTPParser;
    this.parserKey = parserKey('response', maxHeaderSize, lenient);
    this.maxHeaderPairs = typeof req.maxHeadersCount === 'number' ? req.maxHeadersCount << 1 : DEFAULT_MAX_HEADER_PAIRS;
    this.sharedChunks = readsDirectly(this.socket);
    const parser = takeParser('response', this.parserKey, maxHeaderSize, lenient);
    parser[kSink] = this;
    this.parser = parser;
  }

  /** Node's socketOnData. */
  onData = (chunk: Buffer): void => {
    const socket = this.socket;
    const req = this.req;
    const chunkStart = this.parser.bytesParsed;
    const shared = (this.sharedChunk = this.sharedChunks && isSharedRead(chunk));
    const parser = this.parser;
    // The parser's callbacks run in the request's resource; what follows (errors, an upgrade), in the socket's.
    const used = this.asyncResource.runInAsyncScope(parser.tryExecute, parser, chunk) as number | ParseError;
    if (typeof used !== 'number') {
      const error = parseErrorForNode(used, shared ? copyOf(chunk) : chunk, chunkStart);
      this.release();
      socket.removeListener('data', this.onData);
      socket.removeListener('end', socketOnEnd);
      socket.destroy();
      socket._hadError = true;
      emitErrorEvent(req, error);
      return;
    }
    const res = this.incoming;
    if (res === null) return;
    if (res.upgrade) this.handOver(res, chunk, used);
    else if (res.complete && !informational(res.statusCode!)) {
      this.release();
      removeResponseListeners(socket, this.onData, socketOnEnd, socketOnDrain);
    }
  };

  /** Node's parserOnHeadersComplete and parserOnIncomingClient, for the head record t[i]: returns how to read the body. */
  head(t: Uint32Array, i: number, text: string, base: number): number {
    const socket = this.socket;
    const req = this.req;
    const flags = t[i + Head.FLAGS];
    const res = newIncomingMessage(http.IncomingMessage, socket) as Response;
    this.incoming = res;
    res.joinDuplicateHeaders = req.joinDuplicateHeaders;
    readHeadInto(res, t, i, text, base, this.maxHeaderPairs);
    const statusCode = t[i + Head.METHOD_OR_STATUS];
    res.statusCode = statusCode;
    res.statusMessage = headTarget(t, i, text, base);

    if (req.res) {
      // A second response to one request.
      socket.destroy();
      return Decision.DEFAULT;
    }
    req.res = res;
    if (res.upgrade) return Decision.UPGRADE;
    // Any answer to CONNECT is a tunnel, whatever its status (the parser's own rule is 2xx only).
    if (req.method === 'CONNECT') {
      res.upgrade = true;
      return Decision.UPGRADE;
    }
    if (informational(statusCode)) {
      req.res = null;
      if (statusCode === 100) req.emit('continue');
      req.emit('information', {
        statusCode,
        statusMessage: res.statusMessage,
        httpVersion: res.httpVersion,
        httpVersionMajor: res.httpVersionMajor,
        httpVersionMinor: res.httpVersionMinor,
        headers: res.headers,
        rawHeaders: res.rawHeaders,
      });
      return Decision.SKIP_BODY;
    }
    if (req.shouldKeepAlive && (flags & Flag.KEEP_ALIVE) === 0 && !req.upgradeOrConnect) req.shouldKeepAlive = false;
    if (responseFinishChannel.hasSubscribers) responseFinishChannel.publish({ request: req, response: res });
    res.req = req;
    addMessageEnd(res, responseOnEnd);
    addFinish(req, requestOnFinish);
    addTimeout(socket, responseOnTimeout);
    if (req.aborted || !req.emit('response', res)) res._dump();
    if (req.method === 'HEAD') return Decision.SKIP_BODY;
    if (statusCode === 304) {
      res.complete = true;
      return Decision.SKIP_BODY;
    }
    if (this.sharedChunks && ((flags & Flag.CHUNKED) !== 0 || ((flags & Flag.CONTENT_LENGTH) !== 0 && (t[i + Head.CONTENT_LENGTH_HI] > 0 || t[i + Head.CONTENT_LENGTH_LO] >= LARGE_BODY)))) readIntoOwnBuffers(socket, true);
    return Decision.DEFAULT;
  }

  /** Body bytes chunk[from, from + length). */
  body(chunk: Uint8Array, from: number, length: number): void {
    const res = this.incoming;
    if (res !== null && !res._dumped && !res.push(this.sharedChunk ? copyOf(chunk, from, length) : bodyView(chunk, from, length))) this.socket.pause();
  }

  /** The response (or a 1xx) ended, with its trailers. */
  complete(rawTrailers: string[]): void {
    readIntoOwnBuffers(this.socket, false);
    completeMessage(this.incoming, rawTrailers, this.maxHeaderPairs, this.socket);
  }

  /** Upgrade (101) or CONNECT: the socket leaves HTTP with the bytes after the head. */
  private handOver(res: Response, chunk: Buffer, used: number) {
    const socket = this.socket;
    const req = this.req;
    req.res = res;
    socket.removeListener('data', this.onData);
    socket.removeListener('end', socketOnEnd);
    socket.removeListener('drain', socketOnDrain);
    if (req.timeoutCb) socket.removeListener('timeout', req.timeoutCb);
    socket.removeListener('timeout', responseOnTimeout);
    this.parser.tryFinish();
    this.release();
    const bodyHead = this.sharedChunk ? copyOf(chunk.subarray(used)) : chunk.subarray(used);
    const event = req.method === 'CONNECT' ? 'connect' : 'upgrade';
    if (req.listenerCount(event) > 0) {
      req.upgradeOrConnect = true;
      socket.emit('agentRemove');
      socket.removeListener('close', socketOnClose);
      socket.removeListener('error', socketOnError);
      socket._httpMessage = null;
      (socket as { readableFlowing: boolean | null }).readableFlowing = null;
      req.emit(event, res, socket, bodyHead);
      req.destroyed = true;
      req._closed = true;
      req.emit('close');
    } else {
      socket.destroy();
    }
  }

  /** End of input (Node's parser.finish): completes a body read until close; a cut-short one stays incomplete. */
  finish(): void {
    const parser = this.parser;
    this.asyncResource.runInAsyncScope(parser.tryFinish, parser);
  }

  /** Node's freeParser: the parser goes back to the pool, reads go back to 'data' events. */
  release(): void {
    const socket = this.socket;
    if (socket.parser !== this) return;
    detachReader(socket);
    readIntoOwnBuffers(socket, false);
    socket.parser = null;
    this.req.parser = null;
    returnParser(this.parserKey, this.parser);
    this.incoming = null;
    this.asyncResource.emitDestroy();
  }
}

/** A body at least this long (or chunked) is read into buffers of its own rather than copied out of the shared one. */
const LARGE_BODY = 16 * 1024;

/** 1xx but 101: a final response follows on the same request. */
function informational(status: number): boolean {
  return status < 200 && status >= 100 && status !== 101;
}

function socketOnDrain(this: Socket) {
  const msg = this._httpMessage;
  if (msg && !msg.finished && msg[kNeedDrain]) {
    msg[kNeedDrain] = false;
    msg.emit('drain');
  }
}

function socketOnClose(this: Socket) {
  const socket = this;
  const req = socket._httpMessage as Request;
  const reader = socket.parser as ResponseReader | null;
  const res = req.res as Response | null;
  req.destroyed = true;
  if (res) {
    if (!res.complete) res.destroy(connectionReset('aborted'));
    req._closed = true;
    req.emit('close');
    if (!res.aborted && res.readable) res.push(null);
  } else {
    if (!socket._hadError) {
      socket._hadError = true;
      emitErrorEvent(req, connectionReset('socket hang up'));
    }
    req._closed = true;
    req.emit('close');
  }
  if (req.outputData) req.outputData.length = 0;
  if (reader) {
    reader.finish();
    reader.release();
  }
}

function socketOnError(this: Socket, err: Error) {
  const socket = this;
  const req = socket._httpMessage as Request | null;
  if (req) {
    socket._hadError = true;
    emitErrorEvent(req, err);
  }
  const reader = socket.parser as ResponseReader | null;
  if (reader) {
    reader.finish();
    reader.release();
    socket.removeListener('data', reader.onData);
  }
  socket.removeListener('end', socketOnEnd);
  socket.destroy();
}

function socketOnEnd(this: Socket) {
  const socket = this;
  const req = socket._httpMessage as Request;
  const reader = socket.parser as ResponseReader | null;
  if (!req.res && !socket._hadError) {
    socket._hadError = true;
    emitErrorEvent(req, connectionReset('socket hang up'));
  }
  if (reader) {
    reader.finish();
    reader.release();
  }
  socket.destroy();
}

/** The response ended: the socket goes back to the Agent, or closes. */
function responseOnEnd(this: Response) {
  const req = this.req as Request;
  const socket = req.socket as Socket;
  if (socket) {
    if (req.timeoutCb) socket.removeListener('timeout', emitRequestTimeout);
    removeTimeout(socket, responseOnTimeout);
  }
  req._ended = true;
  if (!req.shouldKeepAlive) {
    if (socket.writable) {
      if (typeof socket.destroySoon === 'function') socket.destroySoon();
      else socket.end();
    }
  } else if (req.writableFinished && !this.aborted) {
    responseKeepAlive(req);
  }
}

/** The whole response came before the request was sent: free the socket when it is. */
function requestOnFinish(this: Request) {
  if (this.shouldKeepAlive && this._ended) responseKeepAlive(this);
}

function responseOnTimeout(this: Socket) {
  const req = this._httpMessage;
  if (!req) return;
  const res = req.res;
  if (!res) return;
  res.emit('timeout');
}

function responseKeepAlive(req: Request) {
  const socket = req.socket as Socket;
  if (req.timeoutCb) {
    socket.setTimeout(0, req.timeoutCb);
    req.timeoutCb = null;
  }
  removeKeepAliveListeners(socket, socketOnClose, socketOnError, socketOnEnd);
  const reader = socket.parser as ResponseReader | null;
  if (reader) {
    removeData(socket, reader.onData);
    reader.release();
  }
  process.nextTick(emitFreeNT, req);
  req.destroyed = true;
  if (req.res) req.res.socket = null;
}

function emitFreeNT(req: Request) {
  req._closed = true;
  req.emit('close');
  if (req.socket) req.socket.emit('free');
}
