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
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

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

const lowerName = (name: string) => lowerNames.get(name) ?? name.toLowerCase();

const nodeStoreHeader: (this: unknown, firstLine: string, headers: unknown) => void = (http.OutgoingMessage.prototype as any)._storeHeader;

const CONNECTION_CLOSE = /(?:^|\W)close(?:$|\W)/i;
const CHUNKED = /(?:^|\W)chunked(?:$|\W)/i;

/** The Date header's value, made once per second (as node:http caches it). */
let dateValue: string | undefined;
function httpDate(): string {
  if (dateValue === undefined) {
    const now = new Date();
    dateValue = now.toUTCString();
    setTimeout(() => (dateValue = undefined), 1000 - now.getMilliseconds()).unref();
  }
  return dateValue;
}

/** Which of the fields that steer framing a head carries (node:http's _storeHeader state). */
interface HeadState {
  connection: boolean;
  contentLength: boolean;
  transferEncoding: boolean;
  date: boolean;
  expect: boolean;
  trailer: boolean;
}

/**
 * node:http's matchHeader: notes a field that steers framing and applies it to the response.
 * `lower` is the field name in lower case.
 */
function noteField(self: Fields, state: HeadState, lower: string, value: unknown): void {
  switch (lower) {
    case 'connection':
      state.connection = true;
      self._removedConnection = false;
      if (CONNECTION_CLOSE.test(value as string)) self._last = true;
      else self.shouldKeepAlive = true;
      break;
    case 'transfer-encoding':
      state.transferEncoding = true;
      self._removedTE = false;
      if (CHUNKED.test(value as string)) self.chunkedEncoding = true;
      break;
    case 'content-length':
      state.contentLength = true;
      self._contentLength = +(value as string);
      self._removedContLen = false;
      break;
    case 'date':
      state.date = true;
      break;
    case 'expect':
      state.expect = true;
      break;
    case 'trailer':
      state.trailer = true;
      break;
    case 'keep-alive':
      self._defaultKeepAlive = false;
      break;
  }
}

export function setHeader<T extends http.OutgoingMessage>(this: T, name: string, value: number | string | readonly string[]): T {
  const self: Fields = this;
  if (self._header) return nodeSetHeader.call(this, name, value) as T; // throws ERR_HTTP_HEADERS_SENT
  const lower = validLowerName(name);
  if (value === undefined || INVALID_VALUE_CHAR.test(value as string)) http.validateHeaderValue(name, value as string);
  let headers = self[kOutHeaders];
  // Null-prototype as Node's, but made so that V8 keeps it in fast mode (Object.create(null) and
  // a `{ __proto__: null }` literal start as hash tables): _storeHeader's for-in then uses V8's
  // cached key list instead of collecting the keys in its runtime.
  if (headers === null) self[kOutHeaders] = headers = Object.setPrototypeOf({}, null);
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
 * node:http's _storeHeader (of a response or a request) for single-valued fields, without a
 * toLowerCase() per field: the head text and every flag it sets are Node's. Lists of values and Content-Disposition (which
 * Node re-encodes) go to Node's own.
 */
export function storeHeader(this: http.OutgoingMessage, firstLine: string, headers: unknown): void {
  const self: Fields = this;
  const setByName = headers != null && headers === self[kOutHeaders];
  if (headers != null && (Array.isArray(headers) || (!setByName && typeof headers !== 'object'))) {
    return nodeStoreHeader.call(this, firstLine, headers);
  }
  const state: HeadState = { connection: false, contentLength: false, transferEncoding: false, date: false, expect: false, trailer: false };
  let header = firstLine;
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
        return nodeStoreHeader.call(this, firstLine, headers); // the flags set so far are set again alike
      }
      header += name + ': ' + value + '\r\n';
      if (lower.length >= 4 && lower.length <= 17) noteField(self, state, lower, value);
    }
  }

  if (self.sendDate && !state.date) header += 'Date: ' + httpDate() + '\r\n';

  // A 204 or 304 never has a body: a chunked one would leave the stream ambiguous, so close.
  if (self.chunkedEncoding && (self.statusCode === 204 || self.statusCode === 304)) {
    self.chunkedEncoding = false;
    self.shouldKeepAlive = false;
  }

  if (self._removedConnection) {
    self._last = !self.shouldKeepAlive;
  } else if (!state.connection) {
    const sendKeepAlive = self.shouldKeepAlive && (state.contentLength || self.useChunkedEncodingByDefault || self.agent);
    if (sendKeepAlive && self.maxRequestsOnConnectionReached) {
      header += 'Connection: close\r\n';
    } else if (sendKeepAlive) {
      header += 'Connection: keep-alive\r\n';
      if (self._keepAliveTimeout && self._defaultKeepAlive) {
        const max = ~~self._maxRequestsPerSocket > 0 ? `, max=${self._maxRequestsPerSocket}` : '';
        header += `Keep-Alive: timeout=${Math.floor(self._keepAliveTimeout / 1000)}${max}\r\n`;
      }
    } else {
      self._last = true;
      header += 'Connection: close\r\n';
    }
  }

  if (!state.contentLength && !state.transferEncoding) {
    if (!self._hasBody) {
      self.chunkedEncoding = false;
    } else if (!self.useChunkedEncodingByDefault) {
      self._last = true;
    } else if (!state.trailer && !self._removedContLen && typeof self._contentLength === 'number') {
      header += 'Content-Length: ' + self._contentLength + '\r\n';
    } else if (!self._removedTE) {
      header += 'Transfer-Encoding: chunked\r\n';
      self.chunkedEncoding = true;
    } else {
      self._last = true; // neither length nor chunked: the body ends when the connection does
    }
  }

  if (self.chunkedEncoding !== true && state.trailer) {
    return nodeStoreHeader.call(this, firstLine, headers); // throws ERR_HTTP_TRAILER_INVALID
  }
  self._header = header + '\r\n';
  self._headerSent = false;
  if (state.expect) self._send('');
}
