// What the server and the client share about their parsers: the pool, the limits as node:http
// reads them, the fields it keeps, and parse errors shaped as Node's.
import { AsyncResource, executionAsyncId, executionAsyncResource } from 'node:async_hooks';
import http from 'node:http';
import net from 'node:net';
import { hasReader } from './reading.js';
import { HttpParser, MAX_HEADER_SIZE_LIMIT, type MessageType, type ParseError } from '../core/index.js';
import { Flag, Head, headFields, kSink } from '../core/internal.js';

// The async resources node:http parses in, for async_hooks users (APM tools, AsyncLocalStorage):
// its client makes one of type HTTPCLIENTREQUEST per request (when the socket is assigned), its
// server one of type HTTPINCOMINGMESSAGE per connection, triggered by the socket. The parser's
// callbacks run in it ('response', 'request', body pushes, the end), and it is destroyed when the
// parser is freed. Node's are plain objects its native parser enters; ours are AsyncResources. As
// Node's, they carry `type` (the string 'HTTPINCOMINGMESSAGE' on both) and `req` or `socket`, set
// just after the init hook has run. Both enter theirs with runInAsyncScope around each parse,
// which cost some 1,600–2,200 instructions a read inside a socket's read callback (Node's pop of
// the socket's own async context then truncates the JS resource stack through the V8 API), where
// Node's C++ parser pays nothing; about 1,100 once keepResourceStackInStep() has run.
const manualDestroy = { requireManualDestroy: true };
/** net.Socket's async id slot (an internal symbol, found by name). */
const kAsyncId: symbol | undefined = Object.getOwnPropertySymbols(new net.Socket()).find((symbol) => symbol.description === 'async_id_symbol');

type Incoming = http.IncomingMessage & Record<string, any>;

/**
 * `new Incoming(socket)`, for the server's request class and the client's responses. Node's
 * IncomingMessage reads the socket only for an options object ({ highWaterMark }) that Readable
 * reads through megamorphic loads (~600 instructions a message); made without one it takes the
 * default, and the socket and its number are set after: the same fields, values and maps. Other
 * classes, and a high-water mark Node's constructor would refuse, get Node's constructor.
 */
export function newIncomingMessage(Incoming: typeof http.IncomingMessage, socket: net.Socket): Incoming {
  if (Incoming !== http.IncomingMessage || !socket) return new Incoming(socket) as Incoming;
  const highWaterMark = socket.readableHighWaterMark as number | null | undefined;
  if (highWaterMark != null && !(Number.isSafeInteger(highWaterMark) && highWaterMark >= 0)) return new Incoming(socket) as Incoming;
  const message = new Incoming(null as never) as Incoming;
  message.socket = socket;
  message.client = socket;
  const state = message._readableState;
  if (highWaterMark != null && state.highWaterMark !== highWaterMark) state.highWaterMark = highWaterMark;
  return message;
}

export class HTTPClientAsyncResource extends AsyncResource {
  declare type: string;
  declare req: unknown;
  constructor(type: string, req: unknown) {
    super('HTTPCLIENTREQUEST', manualDestroy);
    this.type = type;
    this.req = req;
  }
}

export class HTTPServerAsyncResource extends AsyncResource {
  declare type: string;
  declare socket: unknown;
  constructor(type: string, socket: net.Socket) {
    // Node's connectionListener makes it with the socket's async id as the default trigger.
    const id = kAsyncId === undefined ? undefined : (socket as net.Socket & Record<symbol, unknown>)[kAsyncId];
    super('HTTPINCOMINGMESSAGE', { triggerAsyncId: typeof id === 'number' && id > 0 ? id : executionAsyncId(), requireManualDestroy: true });
    this.type = type;
    this.socket = socket;
  }
}
// What an init hook reads before the constructors above set their own.
HTTPClientAsyncResource.prototype.type = 'HTTPINCOMINGMESSAGE';
HTTPServerAsyncResource.prototype.type = 'HTTPINCOMINGMESSAGE';

/**
 * Runs `fn` in `resource`'s async scope with `parser` as the resource (what
 * executionAsyncResource() returns), as Node's native parser runs its execute callback once it has
 * freed itself (before 'upgrade' and 'connect'): the resource's ids, but the parser object, which
 * holds no AsyncLocalStorage store.
 */
export function runAsParser<A extends unknown[], R>(resource: AsyncResource, parser: object, fn: (...args: A) => R, thisArg: unknown, ...args: A): R {
  const target = parser as Record<symbol, unknown>;
  for (const symbol of Object.getOwnPropertySymbols(resource)) {
    if (symbol.description === 'async_id_symbol' || symbol.description === 'trigger_async_id_symbol') target[symbol] = (resource as unknown as Record<symbol, unknown>)[symbol];
  }
  return resource.runInAsyncScope.call(parser, fn, thisArg, ...args) as R;
}

let resourceStackInStep = false;
/**
 * Once executionAsyncResource() has been called, Node calls every native callback (a socket's
 * read among them) through a JS trampoline that keeps its resource on the JS resource stack, as
 * AsyncLocalStorage makes it do; a parse scope entered inside the read callback then leaves no
 * hole for Node to truncate through the V8 API. bench/async-scope.mjs, two runs: the scope +1,622
 * → +1,167 and +2,200 → +1,070 instructions a read, the trampoline itself 50–250 a native
 * callback. Called before the first parser is taken; it changes which path Node takes, nothing
 * a program can see.
 */
function keepResourceStackInStep(): void {
  resourceStackInStep = true;
  executionAsyncResource();
}

/** node:http's parser.maxHeaderPairs when maxHeadersCount is not a number (entries, not pairs). */
export const DEFAULT_MAX_HEADER_PAIRS = 2000;
/** rawHeaders entries in one of node:http's native field batches (31 fields). */
const NODE_FIELD_BATCH = 62;

// Parsers outlive their connections, as in Node's parser FreeList (one list per option set).
const idleParsers = new Map<string, HttpParser[]>();
let idleParserCount = 0;
/** Node's default for its parser FreeList; http.setMaxIdleHTTPParsers() changes it. */
let maxIdleParsers = 1000;

/** node:http's setMaxIdleHTTPParsers: validated by Node's own (which sizes its client's parser pool). */
export function setMaxIdleHTTPParsers(max: number): void {
  http.setMaxIdleHTTPParsers(max);
  maxIdleParsers = max;
}

/** A parser for `type` from the pool (`key` names its type and option set), or a new one. */
/** The idle-parser pool's key for parsers of one kind: the same string each time for the same kind (hashed once for the pool's Map). */
export function parserKey(type: MessageType, maxHeaderSize: number, lenient: boolean): string {
  // The same kind as last time (a client's every response): no Map lookup.
  if (type === lastType && maxHeaderSize === lastMaxHeaderSize && lenient === lastLenient) return lastKey;
  const keys = lenient ? lenientKeys[type] : strictKeys[type];
  let key = keys.get(maxHeaderSize);
  if (key === undefined) {
    key = `${type}/${maxHeaderSize}/${lenient}`;
    if (keys.size < 64) keys.set(maxHeaderSize, key);
  }
  // Plain variables, not an object: a process with a server and a client alternates kinds, and
  // that would make an object per message.
  lastType = type;
  lastMaxHeaderSize = maxHeaderSize;
  lastLenient = lenient;
  lastKey = key;
  return key;
}
let lastType = '';
let lastMaxHeaderSize = -1;
let lastLenient = false;
let lastKey = '';
const strictKeys = { request: new Map<number, string>(), response: new Map<number, string>() };
const lenientKeys = { request: new Map<number, string>(), response: new Map<number, string>() };

/** The pool's list for `key`, the last one found kept at hand (parsers are taken and returned by one kind at a time). */
function idleList(key: string): HttpParser[] | undefined {
  if (key === lastIdleKey) return lastIdleList;
  const list = idleParsers.get(key);
  if (list !== undefined) {
    lastIdleKey = key;
    lastIdleList = list;
  }
  return list;
}
let lastIdleKey = '';
let lastIdleList: HttpParser[] | undefined;

export function takeParser(type: MessageType, key: string, maxHeaderSize: number, lenient: boolean): HttpParser {
  if (!resourceStackInStep) keepResourceStackInStep();
  const parser = idleList(key)?.pop();
  // headers: false — both sides read rawHeaders and build Node's headers from them.
  if (parser === undefined) return new HttpParser(type, { maxHeaderSize, lenient, headers: false });
  idleParserCount--;
  parser.reset();
  return parser;
}

export function returnParser(key: string, parser: HttpParser): void {
  parser.onHeadersComplete = parser.onBody = parser.onMessageComplete = undefined;
  parser[kSink] = null;
  if (idleParserCount >= maxIdleParsers) return parser.free();
  let list = idleList(key);
  if (list === undefined) idleParsers.set(key, (list = []));
  list.push(parser);
  idleParserCount++;
}

/**
 * Node's parserOnHeadersComplete, what the server and the client share of it: the head record
 * t[i]'s version, Upgrade flag and header lines onto `message` (rawHeaders trimmed as Node's
 * batches trim them). Returns the fields kept; countedEntries() says how many of them count.
 */
export function readHeadInto(message: Incoming, t: Uint32Array, i: number, text: string, base: number, maxHeaderPairs: number): string[] {
  const version = t[i + Head.VERSION];
  const major = version >>> 8;
  const minor = version & 0xff;
  message.httpVersionMajor = major;
  message.httpVersionMinor = minor;
  message.httpVersion = httpVersionOf(major, minor);
  message.upgrade = (t[i + Head.FLAGS] & Flag.UPGRADE) !== 0;
  const raw = keptFields(headFields(t, i, text, base), maxHeaderPairs);
  message._addHeaderLines(raw, countedEntries(raw, maxHeaderPairs));
  return raw;
}

/** The rawHeaders entries node:http reads into headers under maxHeaderPairs (0: all). */
export function countedEntries(raw: string[], maxHeaderPairs: number): number {
  return maxHeaderPairs > 0 ? Math.min(raw.length, maxHeaderPairs) : raw.length;
}

/** IncomingMessage's httpVersion: the usual two without making a string per message. */
function httpVersionOf(major: number, minor: number): string {
  if (major === 1) {
    if (minor === 1) return '1.1';
    if (minor === 0) return '1.0';
  }
  return `${major}.${minor}`;
}

/** A maxHeaderSize option as the parser takes it: Node's default when unset, at most the parser's limit. */
export function maxHeaderSizeFor(option: number | undefined): number {
  return Math.min(option || http.maxHeaderSize, MAX_HEADER_SIZE_LIMIT);
}

// Node reads --insecure-http-parser (from the command line or NODE_OPTIONS) once, at start-up.
const insecureFlag = process.execArgv.includes('--insecure-http-parser') || (process.env.NODE_OPTIONS ?? '').split(/\s+/).includes('--insecure-http-parser');
let warnedLenient = false;
/** node:http's lenient default: the --insecure-http-parser flag (with Node's warning, once). */
export function insecureByFlag(): boolean {
  if (insecureFlag && !warnedLenient) {
    warnedLenient = true;
    process.emitWarning('Using insecure HTTP parsing');
  }
  return insecureFlag;
}

/**
 * The fields node:http keeps in rawHeaders. Its native parser hands a head of more than 31 fields
 * to JS in batches of 31, and a batch is kept only while fewer than maxHeaderPairs entries are in;
 * so a limit trims rawHeaders too, at batch granularity. Replayed here for the same arrays.
 */
function keptFields(raw: string[], maxPairs: number): string[] {
  if (maxPairs <= 0 || raw.length <= NODE_FIELD_BATCH) return raw;
  let kept = 0;
  while (kept < raw.length && kept < maxPairs) kept += NODE_FIELD_BATCH;
  return kept >= raw.length ? raw : raw.slice(0, kept);
}

/**
 * A parse error as Node hands it out ('clientError', a request's 'error'): `bytesParsed` counts
 * from the start of the chunk, which is `rawPacket`; an error at end of input has neither a
 * packet nor the reason in its message.
 */
export function parseErrorForNode(error: ParseError, chunk: Buffer | undefined, chunkStart: number) {
  const shaped = new Error(chunk ? `Parse Error: ${error.reason}` : 'Parse Error') as Error & Record<string, unknown>;
  shaped.bytesParsed = Math.max(0, error.offset - chunkStart);
  shaped.code = error.code;
  shaped.reason = error.reason;
  if (chunk) shaped.rawPacket = chunk;
  return shaped;
}

/**
 * Node's parserOnMessageComplete: the message (if anyone still reads it) is complete, gets its
 * trailers and ends; the socket reads on unless a full message stopped it.
 */
export function completeMessage(message: http.IncomingMessage | null, trailers: string[], maxHeaderPairs: number, socket: net.Socket): void {
  if (message !== null) {
    message.complete = true;
    if (trailers.length) {
      const kept = keptFields(trailers, maxHeaderPairs);
      (message as http.IncomingMessage & { _addHeaderLines(raw: string[], n: number): void })._addHeaderLines(kept, kept.length);
    }
    message.push(null);
  }
  // Node's readStart(). A socket whose reads go to a reader, flowing and not paused, is reading
  // already: resume() would change nothing there, so it is skipped.
  if (
    !(socket as net.Socket & { _paused?: boolean })._paused && socket.readable &&
    !(hasReader(socket) && socket.readableFlowing === true && !socket.isPaused())
  ) {
    socket.resume();
  }
}
