// Drives an http-parser-js-shaped HTTPParser (http-parser-js itself, wirehttp's drop-in, or Node's
// own binding) over bytes cut at `cuts`, and logs every callback with its arguments and what
// execute()/finish() returned, so two parsers' logs can be compared entry by entry.
import { lenientBits } from '../../bindings/core/internal.js';
import { METHODS } from '../../bindings/core/index.js';
import { responseDecision, type RunOptions } from '../../bindings/cli/fuzz/events.js';

/** The part of an HTTPParser class the log drives (http-parser-js's, ours, or Node's binding). */
export interface ParserClass {
  new (type?: string): ParserInstance;
  REQUEST: string | number;
  RESPONSE: string | number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
}
export interface ParserInstance {
  initialize(type: string | number, resource?: object, maxHeaderSize?: number, lenient?: number): void;
  execute(chunk: Uint8Array, start?: number, length?: number): number | Error;
  finish(): number | Error | undefined | void;
  maxHeaderSize?: number;
  [key: string | number]: unknown;
}

export type Entry = unknown[];

export interface LogOptions extends RunOptions {
  /** Set callbacks through the on* accessors (http-parser-js's 0.11 mode) instead of the k* slots. */
  accessors?: boolean;
  /** Node's binding takes its type, limit and lenient flags through initialize(). */
  viaInitialize?: boolean;
}

const latin1 = (b: Uint8Array, from = 0, to = b.length): string => {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i]);
  return s;
};

/** An error as its owner shaped it: message, and every own property (code, reason, bytesParsed). */
export function errorShape(e: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { error: e.message };
  for (const key of Object.keys(e)) out[key] = (e as unknown as Record<string, unknown>)[key];
  return out;
}

const plain = (v: unknown): unknown => (v instanceof Uint8Array ? { bytes: latin1(v) } : v);

export function callbackLog(P: ParserClass, type: 'request' | 'response', bytes: Uint8Array, options: LogOptions = {}, cuts: number[] = []): Entry[] {
  const log: Entry[] = [];
  const typeValue = type === 'request' ? P.REQUEST : P.RESPONSE;
  let parser: ParserInstance;
  if (options.viaInitialize) {
    parser = new P();
    parser.initialize(typeValue, {}, options.maxHeaderSize ?? 0, lenientBits(options.lenient));
  } else {
    parser = new P(typeValue as string);
    if (options.maxHeaderSize !== undefined) parser.maxHeaderSize = options.maxHeaderSize;
    if (options.lenient) parser.initialize(typeValue as string, {}, 0, lenientBits(options.lenient));
  }
  const set = (slot: number, name: string, fn: (...args: unknown[]) => unknown) => {
    if (options.accessors) parser[name] = fn;
    else parser[slot] = fn;
  };
  let body = '';
  const flushBody = () => {
    if (body) log.push(['body', body]);
    body = '';
  };
  set(P.kOnHeaders, 'onHeaders', (...args) => {
    flushBody();
    log.push(['onHeaders', ...args.map(plain)]);
  });
  set(P.kOnHeadersComplete, 'onHeadersComplete', (...args) => {
    flushBody();
    log.push(['onHeadersComplete', ...args.map(plain)]);
    const info = args[0] as { statusCode?: number } | number;
    const statusCode = typeof info === 'object' ? info.statusCode : (args[5] as number);
    return type === 'response' ? (responseDecision(options.requestMethod, statusCode) ?? 0) : 0;
  });
  set(P.kOnBody, 'onBody', (...args) => {
    // Pieces merged (where a chunk ends decides how a body is cut); the argument shape is logged once per call.
    const [chunk, start, length] = args as [Uint8Array, number | undefined, number | undefined];
    const from = start ?? 0;
    body += latin1(chunk, from, from + (length ?? chunk.length));
    const shape = `body(${chunk.constructor.name}${start === undefined ? '' : `, ${start === 0 ? 0 : 'start'}, ${length === chunk.length ? 'length' : '?'}`})`;
    if (log[log.length - 1]?.[0] !== shape) log.push([shape]);
  });
  set(P.kOnMessageComplete, 'onMessageComplete', (...args) => {
    flushBody();
    log.push(['onMessageComplete', ...args.map(plain)]);
  });
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    const piece = bytes.subarray(from, cut);
    const result = parser.execute(piece as Buffer, 0, piece.length);
    flushBody();
    if (result instanceof Error) {
      log.push(['execute', errorShape(result)]);
      return log;
    }
    log.push(['execute', result]);
    if (result < piece.length) return log; // the rest is another protocol's
    from = cut;
  }
  const end = parser.finish();
  flushBody();
  log.push(['finish', end instanceof Error ? errorShape(end) : end]);
  return log;
}

/**
 * The log with what the three parsers legitimately shape differently set aside: onBody's
 * argument form (Node's binding passes the chunk alone), the URL Node passes with trailers
 * (a stale one), and an error's texts and offset (its code stays).
 */
export function sansShapes(log: Entry[]): string {
  return JSON.stringify(log.map((entry) => {
    const [kind, ...args] = entry;
    if (typeof kind === 'string' && kind.startsWith('body(')) return ['body()'];
    if (kind === 'onHeaders') return [kind, args[0]];
    if ((kind === 'execute' || kind === 'finish') && args[0] && typeof args[0] === 'object') {
      return [kind, { error: (args[0] as { code?: string }).code ?? 'no code' }];
    }
    return entry;
  }));
}

const isError = (entry: Entry | undefined): boolean =>
  !!entry && (entry[0] === 'execute' || entry[0] === 'finish') && typeof entry[1] === 'object' && entry[1] !== null;

/** The input was rejected: the log ends in an Error from execute() or finish(). */
export const rejected = (log: Entry[]): boolean => isError(log[log.length - 1]);

/**
 * The log without the events of a message that ended in an error: wirehttp rejects a bad head
 * before handing it over, Node's binding hands some over first (a request Transfer-Encoding
 * that does not end in chunked).
 */
export function sansRejectedMessage(log: Entry[]): Entry[] {
  if (!rejected(log)) return log;
  let end = log.length - 1;
  while (end > 0 && log[end - 1][0] !== 'onMessageComplete') end--;
  return [...log.slice(0, end), log[log.length - 1]];
}

/** onHeadersComplete's object form as the positional arguments, to set beside Node's binding. */
export function positional(log: Entry[]): Entry[] {
  return log.map((entry) => {
    if (entry[0] !== 'onHeadersComplete' || typeof entry[1] !== 'object') return entry;
    const i = entry[1] as Record<string, unknown>;
    // 0.11 mode's method names as ids (llhttp's for every name but QUERY, which no fixture compares with Node)
    const method = typeof i.method === 'string' ? METHODS.indexOf(i.method) : i.method;
    return ['onHeadersComplete', i.versionMajor, i.versionMinor, i.headers, method, i.url, i.statusCode, i.statusMessage, i.upgrade, i.shouldKeepAlive];
  });
}

/** Every string in the log with the top bit of each character cleared: Buffer's 'ascii' decoding. */
function asAscii(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/[\u0080-\u00ff]/g, (c) => String.fromCharCode(c.charCodeAt(0) & 0x7f));
  if (Array.isArray(value)) return value.map(asAscii);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asAscii(v)]));
  return value;
}

/**
 * Why wirehttp's HTTPParser and http-parser-js logged an input differently, as the README's
 * "Differences from http-parser-js" lists it; undefined when nothing there explains it.
 * `node` is Node's binding's log of the same input (the reference where the two disagree);
 * `deliberate` is the fixture's README-listed difference from llhttp, if it has one.
 */
export function explainDifference(ours: Entry[], hpjs: Entry[], node: Entry[], deliberate: boolean): string | undefined {
  if (JSON.stringify(ours) === JSON.stringify(hpjs)) return 'same';
  if (JSON.stringify(asAscii(ours)) === JSON.stringify(hpjs)) return 'non-ASCII bytes are latin1';
  if (rejected(ours) && rejected(hpjs)) return 'both reject';
  const comparable = (log: Entry[]) => sansShapes(sansRejectedMessage(positional(log)));
  if (!deliberate && comparable(ours) === comparable(node)) return 'as Node’s llhttp';
  if (deliberate) return 'wirehttp’s deliberate differences from llhttp';
  return undefined;
}
