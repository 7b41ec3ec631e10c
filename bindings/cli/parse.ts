// `wirehttp parse`: every message in a capture, a .http file or stdin, in a readable layout or
// as JSON; on a parse error, the code, the reason and the offending line with a caret.
import { ParseError, parseRequest, parseResponse, type ParsedMessage, type ResponseOptions } from '../core/index.js';

export type ParseType = 'request' | 'response' | 'auto';

export interface ParsedEntry {
  type: 'request' | 'response';
  offset: number;
  length: number;
  startLine: string;
  method?: string;
  url?: string;
  statusCode?: number;
  statusMessage?: string;
  version: string;
  rawHeaders: string[];
  framing: 'content-length' | 'chunked' | 'until-close' | 'none' | 'upgrade';
  bodyLength: number;
  rawTrailers: string[];
  keepAlive: boolean;
  upgrade: boolean;
  /** The decoded body (only with parseAll's `withBodies`). */
  body?: Uint8Array;
}

export interface ParseReport {
  messages: ParsedEntry[];
  error?: { code: string; reason: string; offset: number; line: number; column: number; text: string };
  /** Bytes after an upgrade / CONNECT, not HTTP. */
  trailingBytes: number;
}

const isResponseStart = (bytes: Uint8Array, at: number) =>
  bytes[at] === 0x48 && bytes[at + 1] === 0x54 && bytes[at + 2] === 0x54 && bytes[at + 3] === 0x50 && bytes[at + 4] === 0x2f;

/**
 * Parses every message in `bytes`; with 'auto', each message's type is taken from its first bytes
 * and a response answers the request before it (else `options.requestMethod`).
 */
export function parseAll(bytes: Uint8Array, type: ParseType, options: ResponseOptions, withBodies = false): ParseReport {
  const report: ParseReport = { messages: [], trailingBytes: 0 };
  let at = 0;
  let lastMethod: string | undefined;
  while (at < bytes.length) {
    // Empty lines between messages are allowed before a request; skip them for a response too.
    while (at + 1 < bytes.length && bytes[at] === 0x0d && bytes[at + 1] === 0x0a) at += 2;
    if (at >= bytes.length) break;
    const kind = type === 'auto' ? (isResponseStart(bytes, at) ? 'response' : 'request') : type;
    const rest = bytes.subarray(at);
    let m: ParsedMessage;
    try {
      m = kind === 'request' ? parseRequest(rest, options) : parseResponse(rest, { ...options, requestMethod: lastMethod ?? options.requestMethod });
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      report.error = locate(bytes, at + error.offset, error);
      return report;
    }
    report.messages.push(withBodies ? { ...entry(kind, m, at), body: m.body } : entry(kind, m, at));
    if (kind === 'request') lastMethod = m.method;
    at += m.bytesConsumed;
    if (m.upgrade || (kind === 'response' && m.statusCode === 101)) {
      report.trailingBytes = bytes.length - at;
      break;
    }
  }
  return report;
}

function entry(type: 'request' | 'response', m: ParsedMessage, offset: number): ParsedEntry {
  const version = `HTTP/${m.versionMajor}.${m.versionMinor}`;
  const framing = m.upgrade ? 'upgrade' : m.chunked ? 'chunked' : m.contentLength !== undefined ? 'content-length'
    : m.body.length > 0 ? 'until-close' : 'none';
  return {
    type, offset, length: m.bytesConsumed,
    startLine: type === 'request' ? `${m.method} ${m.url} ${version}` : `${version} ${m.statusCode} ${m.statusMessage}`.trimEnd(),
    method: m.method, url: m.url, statusCode: m.statusCode, statusMessage: m.statusMessage, version,
    rawHeaders: m.rawHeaders, framing, bodyLength: m.body.length, rawTrailers: m.rawTrailers,
    keepAlive: m.shouldKeepAlive, upgrade: m.upgrade,
  };
}

/** The line holding byte `offset`, for showing it with a caret. */
function locate(bytes: Uint8Array, offset: number, error: ParseError): NonNullable<ParseReport['error']> {
  const at = Math.min(offset, bytes.length);
  let start = at;
  while (start > 0 && bytes[start - 1] !== 0x0a) start--;
  let end = at;
  while (end < bytes.length && bytes[end] !== 0x0a) end++;
  let line = 1;
  for (let i = 0; i < start; i++) if (bytes[i] === 0x0a) line++;
  let text = '';
  let column = 0;
  for (let i = start; i < Math.min(end + 1, bytes.length); i++) {
    const shown = visible(bytes[i]);
    if (i < at) column += shown.length;
    text += shown;
  }
  return { code: error.code, reason: error.reason, offset, line, column, text };
}

/** One byte as the caret line shows it: CR, LF, TAB and other controls spelled out. */
export function visible(b: number): string {
  if (b === 0x0d) return '\\r';
  if (b === 0x0a) return '\\n';
  if (b === 0x09) return '\\t';
  if (b < 0x20 || b === 0x7f || b >= 0x80) return `\\x${b.toString(16).padStart(2, '0')}`;
  return String.fromCharCode(b);
}

/** The readable layout. */
export function formatReport(report: ParseReport, color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  report.messages.forEach((m, i) => {
    lines.push(paint(1, `#${i + 1} ${m.type}  ${m.startLine}`) + paint(2, `  (bytes ${m.offset}–${m.offset + m.length}, ${m.keepAlive ? 'keep-alive' : 'close'}${m.upgrade ? ', upgrade' : ''})`));
    for (let k = 0; k < m.rawHeaders.length; k += 2) lines.push(`  ${paint(36, m.rawHeaders[k])}: ${m.rawHeaders[k + 1]}`);
    lines.push(`  body: ${m.bodyLength} bytes (${m.framing})`);
    for (let k = 0; k < m.rawTrailers.length; k += 2) lines.push(`  trailer ${paint(36, m.rawTrailers[k])}: ${m.rawTrailers[k + 1]}`);
  });
  if (report.trailingBytes) lines.push(paint(2, `${report.trailingBytes} bytes after the switch of protocol (not HTTP)`));
  if (report.error) {
    const e = report.error;
    lines.push(paint(31, `error ${e.code}: ${e.reason} (byte ${e.offset}, line ${e.line})`));
    lines.push(`  ${e.text}`);
    lines.push(`  ${' '.repeat(e.column)}${paint(31, '^')}`);
  }
  return lines.join('\n');
}
