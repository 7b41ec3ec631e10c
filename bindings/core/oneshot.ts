// One message from a byte array: the helpers for captures, tests and tools.
import { Decision, Err, Method, Why } from '../../assembly/constants.js';
import { METHODS } from '../../assembly/names.js';
import { parseErrorFromWasm } from './errors.js';
import type { Headers, MessageHead } from './head.js';
import { HttpParser, type HeadersDecision, type ParserOptions } from './parser.js';

export interface ParsedMessage extends MessageHead {
  /** The body, decoded from chunked framing; a view into the input when it arrived in one piece. */
  body: Uint8Array;
  rawTrailers: string[];
  trailers: Headers;
  /** Bytes of the input the message took; what follows is the next message (or another protocol after an upgrade). */
  bytesConsumed: number;
}

export interface ResponseOptions extends ParserOptions {
  /** The request's method: HEAD responses have no body, a 2xx to CONNECT opens a tunnel. */
  requestMethod?: string;
}

/** The first message of `bytes`; `decide` answers onHeadersComplete (responses). */
function parseOne(parser: HttpParser, bytes: Uint8Array, decide?: (head: MessageHead) => HeadersDecision): ParsedMessage {
  let head: MessageHead | undefined;
  const pieces: Uint8Array[] = [];
  let result: ParsedMessage | undefined;
  parser.onHeadersComplete = (h) => {
    head = h;
    return decide?.(h);
  };
  parser.onBody = (piece) => void pieces.push(piece);
  parser.onMessageComplete = (end) => {
    result = Object.assign(head!, {
      body: join(pieces),
      rawTrailers: end.rawTrailers,
      trailers: end.trailers,
      bytesConsumed: end.offset,
    });
    throw result; // stops the parser after the first message
  };
  try {
    parser.execute(bytes);
    parser.finish();
  } catch (error) {
    if (error !== result) throw error;
  } finally {
    parser.free(); // its slot, now: the parser goes no further
  }
  if (!result) throw parseErrorFromWasm(Err.INVALID_EOF_STATE, Why.EOF_IN_MESSAGE, bytes.length);
  return result;
}

function join(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0];
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** Parses exactly one request from bytes[0]; the end of `bytes` is the end of input. Throws ParseError. */
export function parseRequest(bytes: Uint8Array, options: ParserOptions = {}): ParsedMessage {
  return parseOne(new HttpParser('request', options), bytes);
}

/** Parses exactly one response from bytes[0]; the end of `bytes` is the end of input. Throws ParseError. */
export function parseResponse(bytes: Uint8Array, options: ResponseOptions = {}): ParsedMessage {
  const parser = new HttpParser('response', options);
  const method = options.requestMethod?.toUpperCase();
  if (method !== undefined && !METHODS.includes(method)) throw new TypeError(`wirehttp: unknown requestMethod ${options.requestMethod}`);
  return parseOne(parser, bytes, (h) => {
    if (method === METHODS[Method.HEAD]) return Decision.SKIP_BODY;
    if (method === METHODS[Method.CONNECT] && h.statusCode! >= 200 && h.statusCode! < 300) return Decision.UPGRADE;
    return undefined;
  });
}
