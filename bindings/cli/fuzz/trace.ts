// A compact, comparable record of what one parse produced — numbers only, strings and body bytes
// hashed — cheap enough to take twice per fuzz execution (whole, and split into pieces).
import { ERROR_CODES, HttpParser, METHODS, type MessageHead, type MessageEnd, type ParserOptions } from '../../core/index.js';
import { kExecuteQuiet, kFailure, kFinishQuiet } from '../../core/internal.js';
import type { MessageType } from './events.js';

export const enum Event {
  HEAD = 1,
  BODY = 2,
  COMPLETE = 3,
  ERROR = 4,
  UPGRADED = 5,
  /** All input fed, before finish(): the error code index and offset so far, or -1, -1 (waiting for more). */
  INPUT_END = 6,
}

const FNV_OFFSET = 0x811c9dc5;

function hashBytes(h: number, b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

/**
 * What a parse did. Events hold numbers and the head's strings themselves: comparing two
 * strings is a native memcmp, cheaper than hashing them here.
 */
export interface Trace {
  events: (number | string)[];
  heads: MessageHead[];
  messages: number;
  /** 'ok', 'upgraded', or the error code. */
  end: string;
  /** Index of the INPUT_END event in `events`. */
  inputEnd: number;
  /** An exception that is not a ParseError (a crash). */
  crash?: unknown;
}

/**
 * The tracer whose run is under way. Every tracer's parser calls the same three callback
 * functions, which go to it: with one closure per tracer (there is one per flag set, type and
 * feed), the parser's call sites would see dozens of targets and stop inlining them.
 */
let running: Tracer | undefined;
const onHeadersComplete = (h: MessageHead) => running!.onHead(h);
const onBody = (b: Uint8Array) => running!.onBody(b);
const onMessageComplete = (e: MessageEnd) => running!.onComplete(e);

/** Runs inputs through one reused parser and records their traces. */
export class Tracer {
  private readonly parser: HttpParser;
  private events: (number | string)[] = [];
  private heads: MessageHead[] = [];
  private messages = 0;
  private bodyLength = 0;
  private bodyHash = FNV_OFFSET;

  constructor(readonly type: MessageType, options: ParserOptions = {}) {
    const parser = (this.parser = new HttpParser(type, options));
    parser.onHeadersComplete = onHeadersComplete;
    parser.onBody = onBody;
    parser.onMessageComplete = onMessageComplete;
  }

  onBody(b: Uint8Array): void {
    this.bodyLength += b.length;
    this.bodyHash = hashBytes(this.bodyHash, b);
  }

  private flushBody(): void {
    if (this.bodyLength === 0) return;
    this.events.push(Event.BODY, this.bodyLength, this.bodyHash);
    this.bodyLength = 0;
    this.bodyHash = FNV_OFFSET;
  }

  onHead(h: MessageHead): void {
    this.flushBody();
    const what = h.method !== undefined ? METHODS.indexOf(h.method) : h.statusCode!;
    const flags = (h.shouldKeepAlive ? 1 : 0) | (h.upgrade ? 2 : 0) | (h.chunked ? 4 : 0);
    const events = this.events;
    events.push(Event.HEAD, what, h.versionMajor * 10 + h.versionMinor, flags, h.url ?? h.statusMessage ?? '', h.rawHeaders.length);
    for (const field of h.rawHeaders) events.push(field);
    this.heads.push(h);
  }

  onComplete(e: MessageEnd): void {
    this.flushBody();
    this.messages++;
    const events = this.events;
    events.push(Event.COMPLETE, e.offset, e.rawTrailers.length);
    for (const field of e.rawTrailers) events.push(field);
  }

  /**
   * Parses `bytes` cut at `cuts` (sorted offsets), then ends the input. The trace's arrays are
   * this tracer's own, reused by its next run: copy what must outlive that.
   */
  run(bytes: Uint8Array, cuts: readonly number[] = []): Trace {
    running = this;
    this.parser.reset();
    // Fresh arrays: truncating the last run's (length = 0) costs more than making new ones.
    this.events = [];
    this.heads = [];
    this.messages = 0;
    this.bodyLength = 0;
    this.bodyHash = FNV_OFFSET;
    let end = 'ok';
    let crash: unknown;
    let inputEnd = -1;
    const parser = this.parser;
    try {
      let failed = false;
      let from = 0;
      let upgraded = false;
      for (let k = 0; k <= cuts.length && !upgraded && !failed; k++) {
        const to = k < cuts.length ? cuts[k] : bytes.length;
        const used = parser[kExecuteQuiet](from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to));
        if (used < 0) failed = true;
        else if (used < to - from) {
          this.flushBody();
          this.events.push(Event.UPGRADED, from + used);
          upgraded = true;
          end = 'upgraded';
        }
        from = to;
      }
      // Where the input left the parser before finish() (which re-parses a pending head and
      // would hide when an error surfaced): split-dependence shows here first.
      this.flushBody();
      inputEnd = this.events.length;
      if (failed) {
        const f = parser[kFailure]()!;
        this.events.push(Event.INPUT_END, f.code, f.offset);
      } else {
        this.events.push(Event.INPUT_END, -1, -1);
        if (!upgraded) failed = parser[kFinishQuiet]();
      }
      this.flushBody();
      if (failed) {
        const f = parser[kFailure]()!;
        end = ERROR_CODES[f.code];
        this.events.push(Event.ERROR, end, f.offset);
      }
    } catch (error) {
      // The parser never throws for bad input: anything thrown here is a crash.
      crash = error;
    }
    return { events: this.events, heads: this.heads, messages: this.messages, end, inputEnd, crash };
  }
}

export function sameEvents(a: readonly (number | string)[], b: readonly (number | string)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Where two traces of one input part: before finish() (how the fed input left the parser
 * differs) or after; and how each stood when all input was fed.
 */
export function splitDifference(whole: Trace, pieces: Trace): { beforeFinish: boolean; detail: string } {
  let i = 0;
  while (i < whole.events.length && i < pieces.events.length && whole.events[i] === pieces.events[i]) i++;
  const beforeFinish = i <= whole.inputEnd + 2 || i <= pieces.inputEnd + 2;
  const detail = `${beforeFinish ? 'before' : 'after'} finish(): whole ${inputEndState(whole)}, split ${inputEndState(pieces)}; at the end whole ${whole.end}, split ${pieces.end}`;
  return { beforeFinish, detail };
}

function inputEndState(trace: Trace): string {
  const at = trace.inputEnd;
  if (at < 0) return 'crashed';
  const code = trace.events[at + 1] as number;
  return code < 0 ? (trace.end === 'upgraded' ? 'upgraded' : 'no error, waiting for more') : `failed ${ERROR_CODES[code]} @${trace.events[at + 2]}`;
}

const ENDS = ['ok', 'upgraded', ...ERROR_CODES];

/** How an input ended, as a number (cheap to compare every execution): type, messages (0–3), ending. */
export function signature(type: MessageType, trace: Trace): number {
  return (type === 'response' ? 1 : 0) + 2 * Math.min(trace.messages, 3) + 8 * ENDS.indexOf(trace.end);
}

/** The readable form of a signature. */
export function describeSignature(signature: number): string {
  return `${signature & 1 ? 'response' : 'request'}:${(signature >> 1) & 3}:${ENDS[signature >> 3]}`;
}
