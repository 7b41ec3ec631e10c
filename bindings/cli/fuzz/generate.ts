// A structure-aware generator of valid and near-valid HTTP/1.x messages: real grammar, then
// small obfuscations (case, whitespace, duplicates, framing combinations, bare CR/LF, obs-fold,
// CTL and obs-text bytes) at a low rate, so most inputs get deep into the parser.
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

function line(random: Random, rate: number): string {
  return chance(random, rate / 4) ? pick(random, ['\n', '\r', '\r\r\n', '\n\r']) : '\r\n';
}

function fieldLine(random: Random, name: string, value: string, rate: number): string {
  let n = name;
  if (chance(random, 0.2)) n = n.toLowerCase();
  if (chance(random, rate / 4)) n = n.toUpperCase();
  const before = chance(random, rate / 4) ? pick(random, [' ', '\t']) : '';
  const ows = pick(random, ['', ' ', ' ', ' ', '  ', '\t']);
  // A trailing HTAB after a framing value is a deliberate difference from llhttp: near-valid only.
  const framingField = /^(content-length|transfer-encoding|connection)$/i.test(name);
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
    const data = 'x'.repeat(size + (chance(random, rate / 3) ? int(random, -1, 1) : 0));
    out += noise(random, sizeText + ext, rate / 2) + line(random, rate) + data + line(random, rate);
  }
  out += '0' + (chance(random, 0.1) ? ';last' : '') + '\r\n';
  // Content-Length in trailers is rejected (as llhttp does): near-valid only.
  if (chance(random, 0.3)) out += fieldLine(random, pick(random, rate > 0 ? ['X-Checksum', 'Expires', 'Content-Length'] : ['X-Checksum', 'Expires']), pick(random, VALUES), rate);
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

/** 1–3 messages of `type`; `rate` is the chance of each obfuscation (0: valid messages only). */
export function generateMessages(random: Random, type: MessageType, rate: number): Uint8Array {
  let text = '';
  for (let i = int(random, 1, 3); i > 0; i--) text += type === 'request' ? request(random, rate) : response(random, rate);
  return latin1Bytes(text);
}
