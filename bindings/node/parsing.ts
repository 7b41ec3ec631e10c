// What the server and the client share about their parsers: the pool, the limits as node:http
// reads them, the fields it keeps, and parse errors shaped as Node's.
import http from 'node:http';
import type net from 'node:net';
import { hasReader } from './reading.js';
import { HttpParser, MAX_HEADER_SIZE_LIMIT, type MessageEnd, type MessageType, type ParseError } from '../core/index.js';

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
  const keys = lenient ? lenientKeys[type] : strictKeys[type];
  let key = keys.get(maxHeaderSize);
  if (key === undefined) {
    key = `${type}/${maxHeaderSize}/${lenient}`;
    if (keys.size < 64) keys.set(maxHeaderSize, key);
  }
  return key;
}
const strictKeys = { request: new Map<number, string>(), response: new Map<number, string>() };
const lenientKeys = { request: new Map<number, string>(), response: new Map<number, string>() };

export function takeParser(type: MessageType, key: string, maxHeaderSize: number, lenient: boolean): HttpParser {
  const parser = idleParsers.get(key)?.pop();
  // headers: false — both sides read rawHeaders and build Node's headers from them.
  if (parser === undefined) return new HttpParser(type, { maxHeaderSize, lenient, headers: false });
  idleParserCount--;
  parser.reset();
  return parser;
}

export function returnParser(key: string, parser: HttpParser): void {
  parser.onHeadersComplete = parser.onBody = parser.onMessageComplete = undefined;
  if (idleParserCount >= maxIdleParsers) return parser.free();
  let list = idleParsers.get(key);
  if (list === undefined) idleParsers.set(key, (list = []));
  list.push(parser);
  idleParserCount++;
}

/** IncomingMessage's httpVersion: the usual two without making a string per message. */
export function httpVersionOf(major: number, minor: number): string {
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
export function keptFields(raw: string[], maxPairs: number): string[] {
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
export function completeMessage(message: http.IncomingMessage | null, end: MessageEnd, maxHeaderPairs: number, socket: net.Socket): void {
  if (message !== null) {
    message.complete = true;
    const trailers = end.rawTrailers;
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
