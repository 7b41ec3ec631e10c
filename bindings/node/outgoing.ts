// The header methods of node:http's OutgoingMessage on shorter paths, shared by wirehttp's
// ServerResponse (./response.ts) and ClientRequest (./client.ts): setHeader, getHeader, hasHeader
// and _storeHeader. They keep everything in Node's own fields (kOutHeaders, _header and the flags
// _storeHeader sets), so Node's other methods keep working on the same object; anything off the
// common path is handed to Node's method.
import http from 'node:http';
import { kOutHeaders } from './internals.js';

type Fields = Record<string | symbol, any>;

const nodeSetHeader = http.OutgoingMessage.prototype.setHeader;
const nodeGetHeader = http.OutgoingMessage.prototype.getHeader;
const nodeHasHeader = http.OutgoingMessage.prototype.hasHeader;

/** node:http's token check for header names (RFC 9110 tchar). */
const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
/** node:http's check for header values: HTAB, visible ASCII, SP and obs-text only. */
export const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

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

/** A name's lower case for a lookup (getHeader, hasHeader): cached as validLowerName does when the name is a token. */
const lowerName = (name: string) => lowerNames.get(name) ?? (TOKEN.test(name) ? validLowerName(name) : name.toLowerCase());

const nodeStoreHeader: (this: unknown, firstLine: string, headers: unknown) => void = (http.OutgoingMessage.prototype as any)._storeHeader;

const CONNECTION_CLOSE = /(?:^|\W)close(?:$|\W)/i;
const CHUNKED = /(?:^|\W)chunked(?:$|\W)/i;

/** The Date field's line, made once per second (node:http caches its value as often). */
let dateLine: string | undefined;
function httpDateLine(): string {
  if (dateLine === undefined) {
    const now = new Date();
    dateLine = `Date: ${now.toUTCString()}\r\n`;
    setTimeout(() => (dateLine = undefined), 1000 - now.getMilliseconds()).unref();
  }
  return dateLine;
}

/** The Connection and Keep-Alive lines of a keep-alive response, by timeout and max (the same on every response). */
let keepAliveLines = '';
let keepAliveLinesTimeout: unknown;
let keepAliveLinesMax: unknown;
function connectionKeepAliveLines(timeout: number, maxRequests: number): string {
  if (timeout !== keepAliveLinesTimeout || maxRequests !== keepAliveLinesMax) {
    const max = ~~maxRequests > 0 ? `, max=${maxRequests}` : '';
    keepAliveLines = `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(timeout / 1000)}${max}\r\n`;
    keepAliveLinesTimeout = timeout;
    keepAliveLinesMax = maxRequests;
  }
  return keepAliveLines;
}

// Which of the fields that steer framing a head carries (node:http's _storeHeader state), as bits.
const CONNECTION = 1;
const CONTENT_LENGTH = 2;
const TRANSFER_ENCODING = 4;
const DATE = 8;
const EXPECT = 16;
const TRAILER = 32;

/**
 * node:http's matchHeader: notes a field that steers framing and applies it to the response.
 * `lower` is the field name in lower case. Returns its bit (0 for the rest).
 */
function noteField(self: Fields, lower: string, value: unknown): number {
  switch (lower) {
    case 'connection':
      self._removedConnection = false;
      if (CONNECTION_CLOSE.test(value as string)) self._last = true;
      else self.shouldKeepAlive = true;
      return CONNECTION;
    case 'transfer-encoding':
      self._removedTE = false;
      if (CHUNKED.test(value as string)) self.chunkedEncoding = true;
      return TRANSFER_ENCODING;
    case 'content-length':
      self._contentLength = +(value as string);
      self._removedContLen = false;
      return CONTENT_LENGTH;
    case 'date':
      return DATE;
    case 'expect':
      return EXPECT;
    case 'trailer':
      return TRAILER;
    case 'keep-alive':
      self._defaultKeepAlive = false;
      return 0;
  }
  return 0;
}

/**
 * The last string value setHeader found valid: handlers set the same values on every response and
 * a client the same Host on every request (~300 instructions a regex test). Never undefined, which
 * must throw.
 */
let lastValidValue: unknown = '';

/**
 * The header map: no inherited keys, as Node's null-prototype one, but in V8's fast mode
 * (Object.create(null) and `{ __proto__: null }` start as hash tables, and _storeHeader's for-in
 * then collects the keys in the runtime) and made without Object.setPrototypeOf (~580
 * instructions a response): its prototype is one empty object with a null prototype.
 */
function HeaderMap() {}
HeaderMap.prototype = Object.create(null);

export function setHeader<T extends http.OutgoingMessage>(this: T, name: string, value: number | string | readonly string[]): T {
  const self: Fields = this;
  if (self._header) return nodeSetHeader.call(this, name, value) as T; // throws ERR_HTTP_HEADERS_SENT
  const lower = validLowerName(name);
  if (value !== lastValidValue) {
    if (value === undefined || INVALID_VALUE_CHAR.test(value as string)) http.validateHeaderValue(name, value as string);
    else if (typeof value === 'string') lastValidValue = value;
  }
  let headers = self[kOutHeaders];
  if (headers === null) self[kOutHeaders] = headers = new (HeaderMap as unknown as new () => Fields)();
  headers[lower] = [name, value];
  return this;
}

export function getHeader(this: http.OutgoingMessage, name: string) {
  if (typeof name !== 'string') return nodeGetHeader.call(this, name); // throws ERR_INVALID_ARG_TYPE
  const headers = (this as Fields)[kOutHeaders];
  if (headers === null) return undefined;
  const entry = headers[lowerName(name)];
  return entry && entry[1];
}

export function hasHeader(this: http.OutgoingMessage, name: string): boolean {
  if (typeof name !== 'string') return nodeHasHeader.call(this, name);
  const headers = (this as Fields)[kOutHeaders];
  return headers !== null && !!headers[lowerName(name)];
}

/**
 * A head is first kept as its pieces (see storeHeader): the first line, each field's name and
 * value, END, then the lines after the fields as written. A head of the same pieces as the last
 * one made is the same text, and the last one's string is used again. Made by concatenation, each
 * head was a new tree of a dozen strings that its socket write walked and copied into a flat
 * one (~1,500 instructions per response, in concatenation and flattening).
 */
const END = {};
let pieces: unknown[] = [];
let lastPieces: unknown[] = [];
let lastPieceCount = -1;
let lastHead = '';
/** storeHeader is making a head (see there). */
let making = false;

/** The head text of `list`'s first `count` pieces (as listed above), with its blank line: join() makes one flat string. */
function headOf(list: unknown[], count: number): string {
  const parts: unknown[] = [list[0]];
  let i = 1;
  for (; list[i] !== END; i += 2) parts.push(list[i], ': ', list[i + 1], '\r\n');
  for (i++; i < count; i++) parts.push(list[i]);
  parts.push('\r\n');
  return parts.join('');
}

/**
 * node:http's _storeHeader (of a response or a request) for single-valued fields, without a toLowerCase() per field: the
 * head text and every flag it sets are Node's. Lists of values and Content-Disposition (which
 * Node re-encodes) go to Node's own.
 */
export function storeHeader(this: http.OutgoingMessage, firstLine: string, headers: unknown): void {
  const self: Fields = this;
  const setByName = headers != null && headers === self[kOutHeaders];
  if (headers != null && (Array.isArray(headers) || (!setByName && typeof headers !== 'object'))) {
    return nodeStoreHeader.call(this, firstLine, headers);
  }
  // Made while another head is (from a getter of a user's header object): on pieces of its own.
  if (making) return storePieces(self, firstLine, headers, setByName, []);
  making = true;
  try {
    storePieces(self, firstLine, headers, setByName, pieces);
  } finally {
    making = false;
  }
}

/** storeHeader's work, on `list` for the pieces: the cache's (`pieces`), or one of its own that bypasses it. */
function storePieces(self: Fields, firstLine: string, headers: unknown, setByName: boolean, list: unknown[]): void {
  let count = 0;
  let seen = 0; // the bits above
  list[count++] = firstLine;
  if (headers != null) {
    const fields = headers as Record<string, unknown>;
    for (const key in fields) {
      let name: string;
      let value: unknown;
      let lower: string;
      if (setByName) {
        const entry = fields[key] as [string, unknown];
        name = entry[0];
        value = entry[1];
        lower = key;
      } else {
        if (!Object.hasOwn(fields, key)) continue;
        name = key;
        value = fields[key];
        lower = validLowerName(name);
        if (value === undefined || INVALID_VALUE_CHAR.test(value as string)) http.validateHeaderValue(name, value as string);
      }
      if ((typeof value !== 'string' && typeof value !== 'number') || lower === 'content-disposition') {
        return nodeStoreHeader.call(self, firstLine, headers); // the flags set so far are set again alike
      }
      list[count++] = name;
      list[count++] = value;
      if (lower.length >= 4 && lower.length <= 17) seen |= noteField(self, lower, value);
    }
  }

  list[count++] = END;
  if (self.sendDate && (seen & DATE) === 0) list[count++] = httpDateLine();

  // A 204 or 304 never has a body: a chunked one would leave the stream ambiguous, so close.
  if (self.chunkedEncoding && (self.statusCode === 204 || self.statusCode === 304)) {
    self.chunkedEncoding = false;
    self.shouldKeepAlive = false;
  }

  if (self._removedConnection) {
    self._last = !self.shouldKeepAlive;
  } else if ((seen & CONNECTION) === 0) {
    const sendKeepAlive = self.shouldKeepAlive && ((seen & CONTENT_LENGTH) !== 0 || self.useChunkedEncodingByDefault || self.agent);
    if (sendKeepAlive && self.maxRequestsOnConnectionReached) {
      list[count++] = 'Connection: close\r\n';
    } else if (sendKeepAlive) {
      if (self._keepAliveTimeout && self._defaultKeepAlive) list[count++] = connectionKeepAliveLines(self._keepAliveTimeout, self._maxRequestsPerSocket);
      else list[count++] = 'Connection: keep-alive\r\n';
    } else {
      self._last = true;
      list[count++] = 'Connection: close\r\n';
    }
  }

  if ((seen & (CONTENT_LENGTH | TRANSFER_ENCODING)) === 0) {
    if (!self._hasBody) {
      self.chunkedEncoding = false;
    } else if (!self.useChunkedEncodingByDefault) {
      self._last = true;
    } else if ((seen & TRAILER) === 0 && !self._removedContLen && typeof self._contentLength === 'number') {
      list[count++] = 'Content-Length: ';
      list[count++] = self._contentLength;
      list[count++] = '\r\n';
    } else if (!self._removedTE) {
      list[count++] = 'Transfer-Encoding: chunked\r\n';
      self.chunkedEncoding = true;
    } else {
      self._last = true; // neither length nor chunked: the body ends when the connection does
    }
  }

  if (self.chunkedEncoding !== true && (seen & TRAILER) !== 0) {
    return nodeStoreHeader.call(self, firstLine, headers); // throws ERR_HTTP_TRAILER_INVALID
  }
  if (list !== pieces) {
    self._header = headOf(list, count);
  } else {
    let same = count === lastPieceCount;
    for (let i = 0; same && i < count; i++) same = list[i] === lastPieces[i];
    if (!same) {
      lastHead = headOf(list, count);
      lastPieceCount = count;
      pieces = lastPieces;
      lastPieces = list;
    }
    self._header = lastHead;
  }
  self._headerSent = false;
  if ((seen & EXPECT) !== 0) self._send('');
}
