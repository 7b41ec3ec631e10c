// A structure-aware generator of valid and near-valid HTTP/1.x messages: real grammar, then
// small obfuscations (case, whitespace, duplicates, framing combinations, bare CR/LF, obs-fold,
// CTL and obs-text bytes) at a low rate, so most inputs get deep into the parser. Near-valid
// inputs also hold what lenient flags and split feeds disagree on: whole messages with bare-LF
// or bare-CR line ends (size lines, data ends, trailers included), folds and whitespace in
// framing fields, and heads cut off right after a bad byte.
import { METHODS } from '../../core/index.js';
import { latin1Bytes } from '../../core/latin1.js';
import type { MessageType } from './events.js';

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const chance = (random: Random, p: number): boolean => random() < p;
const int = (random: Random, lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));

const TARGETS = ['/', '/index.html', '/a/b/c?x=1&y=2', '/search?q=%20a+b', '/%7Euser/', '/api/v1/items/42'];
const NAMES = ['Host', 'User-Agent', 'Accept', 'Accept-Encoding', 'Cookie', 'Set-Cookie', 'X-Request-Id', 'Cache-Control', 'Referer', 'Authorization', 'X-Forwarded-For', 'Content-Type', 'Expect', 'Trailer', 'Via'];
const VALUES = ['example.com', 'curl/8.4.0', '*/*', 'gzip, deflate', 'a=1; b=2', 'abc123', 'no-cache', 'http://example.com/', 'Bearer x.y.z', '10.0.0.1, 10.0.0.2', 'text/plain', '100-continue', ''];
const REASONS = ['OK', 'Not Found', 'No Content', 'Switching Protocols', 'Continue', '', 'Internal Server Error'];
const STATUSES = [200, 200, 200, 201, 204, 301, 304, 404, 500, 100, 101, 103];
const TE_VALUES = ['chunked', 'chunked', 'gzip, chunked', 'gzip', 'chunked, gzip', 'CHUNKED', 'chunked, chunked', 'identity', ' chunked '];
const CONNECTION_VALUES = ['close', 'keep-alive', 'Upgrade', 'keep-alive, Upgrade', 'TE, close', 'Close'];
const NOISE = ['\x00', '\x01', '\x7f', '\r', '\n', '\t', ' ', '\xe9', '\xff', ':', ';', '"', '\\', ',', '\x0b'];

/** Applies one random byte-level mutation at a low rate. */
function noise(random: Random, text: string, rate: number): string {
  if (!chance(random, rate) || text.length === 0) return text;
  const at = int(random, 0, text.length);
  const op = int(random, 0, 2);
  if (op === 0) return text.slice(0, at) + pick(random, NOISE) + text.slice(at);
  if (op === 1) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + pick(random, NOISE) + text.slice(at + 1);
}

/** The line end every line of the message being generated uses ('' : CRLF with random slips). */
let messageLineEnd = '';

function line(random: Random, rate: number): string {
  if (messageLineEnd && !chance(random, rate / 4)) return messageLineEnd;
  return chance(random, rate / 4) ? pick(random, ['\n', '\r', '\r\r\n', '\n\r']) : '\r\n';
}

const FRAMING_FIELD = /^(content-length|transfer-encoding|connection)$/i;

/** A framing field's value or name bent the ways lenient parsers read differently (rate > 0 only). */
function bentFraming(random: Random, name: string, value: string, rate: number): string | undefined {
  if (!chance(random, rate / 2)) return undefined;
  const end = line(random, rate);
  const comma = value.indexOf(',');
  switch (int(random, 0, 5)) {
    case 0: // obs-fold inside the value (at a list comma, or before it)
      return comma > 0
        ? `${name}: ${value.slice(0, comma + 1)}${end}${pick(random, [' ', '\t'])}${value.slice(comma + 1).trim()}${end}`
        : `${name}:${end}${pick(random, [' ', '\t', '  '])}${value}${end}`;
    case 1: // whitespace before the colon, or inside the name
      return `${pick(random, [name + ' ', name + '\t', name.replace('-', ' -'), ' ' + name])}: ${value}${end}`;
    case 2: // whitespace around the value
      return `${name}:${pick(random, ['', ' ', '\t', ' \t'])}${value}${pick(random, [' ', '\t', ' \t ', '\x0b'])}${end}`;
    case 3: // a line end inside the value
      return `${name}: ${value.slice(0, 1)}${pick(random, ['\r', '\n', '\r\n'])}${value.slice(1)}${end}`;
    case 4: // an empty field line before it
      return `${pick(random, [':', ' :', '\r'])}${end}${name}: ${value}${end}`;
    default: // the field twice, once folded
      return `${name}: ${value}${end}${name}:${end} ${value}${end}`;
  }
}

function fieldLine(random: Random, name: string, value: string, rate: number): string {
  const framingField = FRAMING_FIELD.test(name);
  if (framingField && rate > 0) {
    const bent = bentFraming(random, name, value, rate);
    if (bent !== undefined) return bent;
  }
  let n = name;
  if (chance(random, 0.2)) n = n.toLowerCase();
  if (chance(random, rate / 4)) n = n.toUpperCase();
  const before = chance(random, rate / 4) ? pick(random, [' ', '\t']) : '';
  const ows = pick(random, ['', ' ', ' ', ' ', '  ', '\t']);
  // A trailing HTAB after a framing value is a deliberate difference from llhttp: near-valid only.
  const trail = chance(random, 0.1) ? pick(random, rate === 0 && framingField ? [' '] : [' ', '\t']) : '';
  let text = `${n}${before}:${ows}${noise(random, value, rate)}${trail}${line(random, rate)}`;
  if (chance(random, rate / 4)) text += ` folded${line(random, rate)}`;
  return text;
}

function chunkedBody(random: Random, rate: number): string {
  let out = '';
  const count = int(random, 0, 3);
  for (let i = 0; i < count; i++) {
    const size = int(random, 1, 20);
    let sizeText = size.toString(16);
    if (chance(random, 0.2)) sizeText = sizeText.toUpperCase();
    if (chance(random, 0.1)) sizeText = '0' + sizeText;
    const extensions = [';a', ';a=b', ';a="q v"', ';a=b;c', ';a="\\"x"'];
    if (rate > 0) extensions.push('; a=b', ';=x');
    const ext = chance(random, 0.2) ? pick(random, extensions) : '';
    // Whitespace after the size (spacesAfterChunkSize), no line end after the data (optionalCrlfAfterChunk).
    const space = chance(random, rate / 3) ? pick(random, [' ', '\t', '  ']) : '';
    const data = 'x'.repeat(size + (chance(random, rate / 3) ? int(random, -1, 1) : 0));
    const dataEnd = chance(random, rate / 4) ? '' : line(random, rate);
    out += noise(random, sizeText + space + ext, rate / 2) + line(random, rate) + data + dataEnd;
  }
  out += '0' + (chance(random, 0.1) ? ';last' : '') + line(random, rate);
  // Content-Length in trailers is rejected (as llhttp does): near-valid only.
  const trailers = ['X-Checksum', 'Expires', ...(rate > 0 ? ['Content-Length', 'Transfer-Encoding'] : [])];
  for (let n = chance(random, 0.3) ? int(random, 1, 2) : 0; n > 0; n--) out += fieldLine(random, pick(random, trailers), pick(random, VALUES), rate);
  return out + line(random, rate);
}

interface Framing {
  headers: string;
  body: string;
}

function framing(random: Random, rate: number, hasBody: boolean): Framing {
  const body = 'b'.repeat(int(random, 0, 24));
  const roll = random();
  if (!hasBody && roll < 0.6) return { headers: '', body: '' };
  if (roll < 0.55) {
    let cl = String(body.length);
    if (chance(random, rate)) cl = pick(random, ['+' + cl, cl + ' ' + cl, '0x' + cl, '', cl + ',' + cl, '-1', '99999999999999999999', '9007199254740993']);
    let headers = fieldLine(random, 'Content-Length', cl, rate / 2);
    if (chance(random, rate / 2)) headers += fieldLine(random, 'Content-Length', pick(random, [cl, String(body.length + 1)]), 0);
    if (chance(random, rate / 2)) headers += fieldLine(random, 'Transfer-Encoding', 'chunked', 0);
    return { headers, body };
  }
  if (roll < 0.9) {
    const te = chance(random, rate * 2) ? pick(random, TE_VALUES) : 'chunked';
    let headers = fieldLine(random, 'Transfer-Encoding', te, rate / 2);
    if (chance(random, rate / 2)) headers += fieldLine(random, 'Transfer-Encoding', pick(random, TE_VALUES), 0);
    if (chance(random, rate / 2)) headers += fieldLine(random, 'Content-Length', '3', 0);
    return { headers, body: chunkedBody(random, rate) };
  }
  return { headers: '', body: '' };
}

function fields(random: Random, rate: number): string {
  let out = '';
  for (let i = int(random, 0, 6); i > 0; i--) out += fieldLine(random, pick(random, NAMES), pick(random, VALUES), rate);
  if (chance(random, 0.25)) out += fieldLine(random, 'Connection', pick(random, CONNECTION_VALUES), rate);
  if (chance(random, 0.1)) out += fieldLine(random, 'Upgrade', pick(random, ['websocket', 'h2c']), rate);
  return out;
}

/** Sometimes HTTP/1.0 — but Transfer-Encoding in HTTP/1.0 (faulty framing, RFC 9112 6.1) only in near-valid inputs. */
function http10(random: Random, rate: number, frame: Framing): string | undefined {
  if (!chance(random, 0.15)) return undefined;
  return rate === 0 && /transfer-encoding/i.test(frame.headers) ? undefined : 'HTTP/1.0';
}

function request(random: Random, rate: number): string {
  let method = chance(random, 0.7) ? pick(random, ['GET', 'POST', 'PUT', 'DELETE']) : pick(random, METHODS);
  if (chance(random, rate / 4)) method = pick(random, ['get', 'FETCH', 'G ET', 'PRI']);
  let target = method === 'CONNECT' ? 'example.com:443' : method === 'OPTIONS' && chance(random, 0.5) ? '*' : pick(random, TARGETS);
  if (target.startsWith('/') && chance(random, 0.1)) target = 'http://example.com' + target;
  target = noise(random, target, rate / 2);
  const frame = framing(random, rate, method === 'POST' || method === 'PUT' || chance(random, 0.1));
  const version = http10(random, rate, frame) ?? (chance(random, rate / 3) ? pick(random, ['HTTP/1.2', 'HTTP/2.0', 'HTTP/0.9', 'http/1.1', 'HTTP/1.1 ', 'HTTP/11']) : 'HTTP/1.1');
  const sp = chance(random, rate / 4) ? '  ' : ' ';
  const lead = chance(random, 0.05) ? pick(random, rate > 0 ? ['\r\n', '\r\n\r\n', '\n'] : ['\r\n', '\r\n\r\n']) : '';
  return `${lead}${method}${sp}${target} ${version}${line(random, rate)}${fields(random, rate)}${frame.headers}${line(random, rate)}${frame.body}`;
}

function response(random: Random, rate: number): string {
  let status = String(pick(random, STATUSES));
  if (chance(random, rate / 4)) status = pick(random, ['20', '2000', '099', 'abc', '600']);
  // A 1xx has no body (RFC 9112 6.3), where llhttp reads one: framing on a 1xx is near-valid only.
  const frame = rate === 0 && status.startsWith('1') ? { headers: '', body: '' } : framing(random, rate, true);
  const version = http10(random, rate, frame) ?? (chance(random, rate / 4) ? pick(random, ['HTTP/1.2', 'HTTP/2.0', 'HTTP/1.1 ']) : 'HTTP/1.1');
  const reason = noise(random, pick(random, REASONS), rate / 2);
  const statusLine = chance(random, 0.05) ? `${version} ${status}` : `${version} ${status} ${reason}`;
  return `${statusLine}${line(random, rate)}${fields(random, rate)}${frame.headers}${line(random, rate)}${frame.body}`;
}

const BAD_BYTES = ['\x00', '\x01', '\x7f', '\xff', '\x80', '\r', '\n', ' ', '\t', '"', '(', '@', '\x0b', '\x0c'];

/** The head cut off right after a bad byte (0–2 bytes of it kept past that): a head still arriving. */
function cutAfterBadByte(random: Random, message: string): string {
  const headEnd = message.search(/\r?\n\r?\n|\r\r/);
  const at = int(random, 0, headEnd < 0 ? message.length : headEnd);
  return message.slice(0, at) + pick(random, BAD_BYTES) + message.slice(at, at + int(random, 0, 2));
}

/** 1–3 messages of `type`; `rate` is the chance of each obfuscation (0: valid messages only). */
export function generateMessages(random: Random, type: MessageType, rate: number): Uint8Array {
  let text = '';
  for (let i = int(random, 1, 3); i > 0; i--) {
    // Now and then a whole message with bare line ends: what the lenient line-end flags are for.
    messageLineEnd = chance(random, rate) ? pick(random, ['\n', '\n', '\r']) : '';
    let message = type === 'request' ? request(random, rate) : response(random, rate);
    if (i === 1 && chance(random, rate / 2)) message = cutAfterBadByte(random, message);
    text += message;
  }
  messageLineEnd = '';
  return latin1Bytes(text);
}
