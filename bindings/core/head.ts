// Turns head and trailer records from the token table into strings: one decode of the section,
// then a substring per token; well-known names come back as ids and reuse interned strings.
import { Field, Flag, Head, Limits, NameCase } from '../../assembly/constants.js';
import { KNOWN_HEADERS, METHODS } from '../../assembly/names.js';
import type { Latin1Decoder } from './latin1.js';

export type HeaderValue = string | string[];
export type Headers = Record<string, HeaderValue>;

const KNOWN_LOWER = ['', ...KNOWN_HEADERS.map((name) => name.toLowerCase())];
const KNOWN_SPELLED = ['', ...KNOWN_HEADERS];

/** How Node folds a repeated field into `headers` (lib/_http_incoming.js, matchKnownFields). */
const enum Join {
  COMMA = 0,
  KEEP_FIRST = 1,
  ARRAY = 2,
  SEMICOLON = 3,
}

const JOIN_RULES: Record<string, Join> = Object.create(null);
// Spelled and ordered as in KNOWN_HEADERS, which gzip then finds earlier in the bundle.
for (const name of [
  'Content-Length', 'Host', 'Content-Type', 'User-Agent', 'Referer', 'Authorization', 'Proxy-Authorization',
  'If-Modified-Since', 'If-Unmodified-Since', 'Server', 'Location', 'ETag', 'Last-Modified', 'Expires', 'Age',
  'From', 'Max-Forwards', 'Retry-After',
]) JOIN_RULES[name.toLowerCase()] = Join.KEEP_FIRST;
JOIN_RULES['set-cookie'] = Join.ARRAY;
JOIN_RULES['cookie'] = Join.SEMICOLON;

/**
 * Adds one field to a Node-style headers object: keys lower-cased, set-cookie collected in an
 * array, cookie joined with '; ', the fields that may appear once keep their first value
 * (unless joinDuplicates, Node's joinDuplicateHeaders), everything else joined with ', '.
 */
export function addHeader(dest: Headers, lowerName: string, value: string, joinDuplicates = false): void {
  const rule = JOIN_RULES[lowerName] ?? Join.COMMA;
  if (rule === Join.ARRAY) {
    const list = dest[lowerName];
    if (list !== undefined) (list as string[]).push(value);
    else dest[lowerName] = [value];
  } else if (rule === Join.KEEP_FIRST && !joinDuplicates) {
    if (dest[lowerName] === undefined) dest[lowerName] = value;
  } else if (typeof dest[lowerName] === 'string') {
    dest[lowerName] += (rule === Join.SEMICOLON ? '; ' : ', ') + value;
  } else {
    dest[lowerName] = value;
  }
}

/** headers from rawHeaders ([name, value, …] as sent), from the first `maxCount` fields (0: all). */
export function headersFromRaw(raw: readonly string[], maxCount = 0, joinDuplicates = false): Headers {
  const dest: Headers = {};
  const end = maxCount > 0 ? Math.min(raw.length, 2 * maxCount) : raw.length;
  for (let i = 0; i < end; i += 2) addHeader(dest, raw[i].toLowerCase(), raw[i + 1], joinDuplicates);
  return dest;
}

/**
 * The message head handed to onHeadersComplete: plain data, so console.log, `{ ...head }`,
 * structuredClone and JSON show it whole.
 */
export class MessageHead {
  /** Request method (requests only). */
  method: string | undefined;
  /** Request target as sent (requests only). */
  url: string | undefined;
  /** Status code (responses only). */
  statusCode: number | undefined;
  /** Reason phrase, possibly empty (responses only). */
  statusMessage: string | undefined;
  versionMajor: number;
  versionMinor: number;
  /** [name, value, name, value, …] with names as sent. */
  rawHeaders: string[];
  /**
   * Lower-case keys, Node's duplicate rules, the first maxHeadersCount fields. `undefined` from a
   * parser made with `headers: false` (wirehttp/node's, which builds its own from rawHeaders).
   */
  headers: Headers;
  /** The connection changes protocol after this message (Upgrade accepted, or CONNECT). */
  upgrade: boolean;
  shouldKeepAlive: boolean;
  /** Content-Length when the message has one. */
  contentLength: number | undefined;
  chunked: boolean;

  /** `maxHeadersCount` < 0: no headers object (the parser's `headers: false`). */
  constructor(isResponse: boolean, t: Uint32Array, i: number, text: string, base: number, maxHeadersCount: number) {
    const flags = t[i + Head.FLAGS];
    const what = t[i + Head.METHOD_OR_STATUS];
    const targetFrom = t[i + Head.TARGET_START] - base;
    const target = text.substring(targetFrom, targetFrom + t[i + Head.TARGET_LENGTH]);
    this.method = isResponse ? undefined : METHODS[what];
    this.url = isResponse ? undefined : target;
    this.statusCode = isResponse ? what : undefined;
    this.statusMessage = isResponse ? target : undefined;
    this.versionMajor = t[i + Head.VERSION] >>> 8;
    this.versionMinor = t[i + Head.VERSION] & 0xff;
    const raw = decodeFields(t, i + Head.WORDS, t[i + Head.HEADER_COUNT], text, base, (flags & Flag.OBS_FOLD) !== 0);
    this.rawHeaders = raw;
    this.headers = maxHeadersCount < 0 ? (undefined as unknown as Headers) : headersOfFields(t, i + Head.WORDS, raw, maxHeadersCount);
    this.upgrade = (flags & Flag.UPGRADE) !== 0;
    this.shouldKeepAlive = (flags & Flag.KEEP_ALIVE) !== 0;
    this.contentLength = flags & Flag.CONTENT_LENGTH
      ? t[i + Head.CONTENT_LENGTH_LO] + t[i + Head.CONTENT_LENGTH_HI] * 0x100000000
      : undefined;
    this.chunked = (flags & Flag.CHUNKED) !== 0;
  }
}

// Readers of a head record t[i] (its section decoded as `text`, starting at input offset `base`)
// for the sinks (internal.ts) that build their own shapes from it. MessageHead's constructor reads
// the same words inline: the root bundle, which has no sink, stays without these functions.

/** The request target, or the reason phrase of a response. */
export function headTarget(t: Uint32Array, i: number, text: string, base: number): string {
  const from = t[i + Head.TARGET_START] - base;
  return text.substring(from, from + t[i + Head.TARGET_LENGTH]);
}

/** The fields as [name, value, …], names as sent. */
export function headFields(t: Uint32Array, i: number, text: string, base: number): string[] {
  return decodeFields(t, i + Head.WORDS, t[i + Head.HEADER_COUNT], text, base, (t[i + Head.FLAGS] & Flag.OBS_FOLD) !== 0);
}

/**
 * headersFromRaw for a head's own field records: a well-known name spelled in its canonical or
 * lower-case form comes lower-case from its id, with no toLowerCase().
 */
function headersOfFields(t: Uint32Array, at: number, raw: readonly string[], maxCount: number): Headers {
  const dest: Headers = {};
  const end = maxCount > 0 ? Math.min(raw.length, 2 * maxCount) : raw.length;
  for (let k = 0; k < end; k += 2, at += Field.WORDS) {
    const nameWord = t[at + Field.NAME];
    const lower = nameWord >>> Field.NAME_CASE_SHIFT === NameCase.OTHER
      ? raw[k].toLowerCase()
      : KNOWN_LOWER[(nameWord >>> Field.NAME_ID_SHIFT) & Field.NAME_ID_MASK];
    // A name's first field is stored as is (set-cookie as a list); a repeat follows Node's rules.
    if (dest[lower] === undefined) dest[lower] = lower === 'set-cookie' ? [raw[k + 1]] : raw[k + 1];
    else addHeader(dest, lower, raw[k + 1]);
  }
  return dest;
}

/** Words a head record takes in the table, fields included. */
export function headRecordWords(t: Uint32Array, i: number): number {
  return Head.WORDS + t[i + Head.HEADER_COUNT] * Field.WORDS;
}

/** Decodes the head's bytes (input[start, start + length)) once; the caller passes the result to MessageHead / decodeFields. */
export function decodeSection(decode: Latin1Decoder, start: number, length: number, flags: number): string {
  return decode(Limits.INPUT_AT + start, Limits.INPUT_AT + start + length, (flags & Flag.NON_ASCII) === 0);
}

/** An obs-fold's line break; the whitespace after it stays, as llhttp leaves it (but a value that was empty before the fold starts at the fold's text, as in llhttp). */
const OBS_FOLD = /\r\n|\r|\n/g;
const LEADING_WHITESPACE = /^[ \t]+/;

/** Field records → [name, value, …]. Offsets are relative to the input buffer; `base` is the section's. */
export function decodeFields(t: Uint32Array, at: number, count: number, text: string, base: number, unfold: boolean): string[] {
  const raw: string[] = new Array(count * 2);
  for (let k = 0; k < count; k++, at += Field.WORDS) {
    const nameWord = t[at + Field.NAME];
    const spelling = nameWord >>> Field.NAME_CASE_SHIFT;
    let name: string;
    if (spelling === NameCase.CANONICAL) name = KNOWN_SPELLED[(nameWord >>> Field.NAME_ID_SHIFT) & Field.NAME_ID_MASK];
    else if (spelling === NameCase.LOWER) name = KNOWN_LOWER[(nameWord >>> Field.NAME_ID_SHIFT) & Field.NAME_ID_MASK];
    else {
      const from = t[at + Field.NAME_START] - base;
      name = text.substring(from, from + (nameWord & Field.NAME_LENGTH_MASK));
    }
    const from = t[at + Field.VALUE_START] - base;
    let value = text.substring(from, from + t[at + Field.VALUE_LENGTH]);
    // Only a value an obs-fold stretched holds a line break (and only then leading whitespace).
    if (unfold && (value.includes('\n') || value.includes('\r'))) value = value.replace(OBS_FOLD, '').replace(LEADING_WHITESPACE, '');
    raw[2 * k] = name;
    raw[2 * k + 1] = value;
  }
  return raw;
}
