// One event-log format for every suite: fixtures, split invariance, the scalar build and the
// llhttp differential all compare these lines. Body pieces are merged, so the log does not
// depend on how the input was split.
import { HttpParser, ParseError, type ParserOptions, type MessageHead } from '../../core/index.js';
import { latin1Slow } from '../../core/latin1.js';

export type MessageType = 'request' | 'response';

export interface RunOptions extends ParserOptions {
  /** Responses: the method of the request they answer (HEAD: no body; CONNECT 2xx: tunnel). */
  requestMethod?: string;
}

export const latin1 = (bytes: Uint8Array): string => latin1Slow(bytes, 0, bytes.length);


const q = JSON.stringify;

export function headLines(h: {
  method?: string; url?: string; statusCode?: number; statusMessage?: string;
  versionMajor: number; versionMinor: number; shouldKeepAlive: boolean; upgrade: boolean; rawHeaders: string[];
}): string[] {
  const start = h.method !== undefined
    ? `request ${h.method} ${q(h.url)} HTTP/${h.versionMajor}.${h.versionMinor}`
    : `response ${h.statusCode} ${q(h.statusMessage)} HTTP/${h.versionMajor}.${h.versionMinor}`;
  const lines = [start, `keep-alive=${h.shouldKeepAlive} upgrade=${h.upgrade}`];
  for (let i = 0; i < h.rawHeaders.length; i += 2) lines.push(`header ${q(h.rawHeaders[i])}: ${q(h.rawHeaders[i + 1])}`);
  return lines;
}

/** Decision a client makes for a response, from the request method (as Node's client does). */
export function responseDecision(requestMethod: string | undefined, statusCode: number | undefined): number | undefined {
  if (requestMethod === 'HEAD') return 1;
  if (requestMethod === 'CONNECT' && statusCode! >= 200 && statusCode! < 300) return 2;
  return undefined;
}

class LogBuilder {
  lines: string[] = [];
  private body = '';
  push(line: string): void {
    this.flushBody();
    this.lines.push(line);
  }
  addBody(text: string): void {
    this.body += text;
  }
  flushBody(): void {
    if (this.body) this.lines.push(`body ${q(this.body)}`);
    this.body = '';
  }
}

const reused = new Map<string, HttpParser>();

/** A reset parser for these options, reused across calls (the fuzzer calls this millions of times). */
function parserFor(type: MessageType, options: RunOptions): HttpParser {
  const key = `${type}${JSON.stringify(options)}`;
  let parser = reused.get(key);
  if (!parser) {
    parser = new HttpParser(type, { ...options, headers: false }); // the log has raw fields only
    if (reused.size < 64) reused.set(key, parser);
  }
  parser.reset();
  return parser;
}

/**
 * Feeds `bytes` to a wirehttp parser cut at `cuts` (sorted offsets), then ends the input.
 * Returns the event log.
 */
export function wirehttpLog(type: MessageType, bytes: Uint8Array, options: RunOptions = {}, cuts: number[] = []): string[] {
  const log = new LogBuilder();
  const parser = parserFor(type, options);
  parser.onHeadersComplete = (h: MessageHead) => {
    for (const line of headLines(h)) log.push(line);
    return type === 'response' ? responseDecision(options.requestMethod, h.statusCode) : undefined;
  };
  parser.onBody = (b) => log.addBody(latin1(b));
  parser.onMessageComplete = (end) => {
    for (let i = 0; i < end.rawTrailers.length; i += 2) log.push(`trailer ${q(end.rawTrailers[i])}: ${q(end.rawTrailers[i + 1])}`);
    log.push(`complete @${end.offset}`);
  };
  try {
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      const piece = bytes.subarray(from, cut);
      const used = parser.execute(piece);
      if (used < piece.length) {
        // The rest belongs to another protocol (logged only when bytes are left, as llhttp shows it).
        log.push(`upgraded @${from + used}`);
        return log.lines;
      }
      from = cut;
    }
    parser.finish();
    log.flushBody();
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    log.push(`error ${error.code} @${error.offset}`);
  }
  return log.lines;
}

/**
 * The comparable core of a log: completed messages and how the input ended, without offsets.
 * Events of a message that ended in an error are dropped (llhttp reports some heads before
 * rejecting them; we reject first).
 */
export function outcome(lines: string[]): string[] {
  let end = lines.length;
  const last = lines[lines.length - 1] ?? '';
  if (last.startsWith('error')) {
    end = lines.length - 1;
    while (end > 0 && !lines[end - 1].startsWith('complete')) end--;
    return [...lines.slice(0, end).map(stripOffset), stripOffset(last)];
  }
  return lines.map(stripOffset);
}

const stripOffset = (line: string): string => line.replace(/ @\d+$/, '');
