// The streaming parser: one wasm call per chunk (more only when the token table fills, or when
// onHeadersComplete changes a message's framing and parsing resumes from the head's end), then
// one walk over the token table.
import {
  Decision, Err, Flag, Head, Lenient, Limits, Phase, Rec, Resume, State, Stop, Trailer, Why,
} from '../../assembly/constants.js';
import type { LenientFlag } from '../../assembly/names.js';
import { parseErrorFromWasm, ParseError } from './errors.js';
import { MessageHead, decodeFields, decodeSection, headRecordWords, headersFromRaw, type Headers } from './head.js';
import { enter, home, leave, type Wasm } from './wasm.js';
import { bodyView, kExecuteQuiet, kFailure, kFinishQuiet, kSink, lenientBits, type TableSink } from './internal.js';

export type { LenientFlag };

export interface ParserOptions {
  /** Bytes allowed for the start line plus the header section (and, separately, for trailers). Default 16384. */
  maxHeaderSize?: number;
  /** Fields that go into `head.headers` (rawHeaders keeps them all, as in Node). 0 = no limit. Default 2000. */
  maxHeadersCount?: number;
  /** Named relaxations of RFC 9112, all off by default; `true` turns on every one. */
  lenient?: boolean | Partial<Record<LenientFlag, boolean>>;
  /**
   * `false`: heads and message ends carry no `headers` / `trailers` objects, for callers that
   * use rawHeaders only (wirehttp/node builds Node's own from them). Default true.
   */
  headers?: boolean;
}

/** What onMessageComplete receives: plain data, as MessageHead. */
export class MessageEnd {
  /** [name, value, …] of the trailer section, names as sent. */
  readonly rawTrailers: string[];
  /** Trailers with Node's header rules (`undefined` from a parser made with `headers: false`). */
  readonly trailers: Headers;
  /** Stream offset just after the message's last byte. */
  readonly offset: number;

  /** `maxCount` < 0: no trailers object (the parser's `headers: false`). */
  constructor(rawTrailers: string[], offset: number, maxCount: number) {
    this.rawTrailers = rawTrailers;
    this.trailers = maxCount < 0
      ? (undefined as unknown as Headers)
      : rawTrailers.length ? headersFromRaw(rawTrailers, maxCount) : NO_TRAILERS;
    this.offset = offset;
  }
}

/**
 * What onHeadersComplete may return: `true`/1 the message has no body (a response to HEAD);
 * 2 no body, and the connection changes protocol after it (a 2xx response to CONNECT);
 * 3 an Upgrade the caller declined: parse what follows as HTTP. Anything else: framing as sent.
 */
export type HeadersDecision = boolean | number | void;

export type MessageType = 'request' | 'response';

const EMPTY = new Uint8Array(0);
/** The JS state array the last parser to take a slot left, for the next free() (a one-shot parse takes its own back). */
let spareState: Uint32Array | undefined;

interface Failure {
  code: number;
  why: number;
  offset: number;
  error: ParseError | undefined;
}

/** run()'s (and the quiet calls') result when the input is bad (this.failure is set). */
const FAILED = -0x80000000;

/**
 * A pending section shorter than this is parsed again on every chunk (errors in its first bytes
 * count at once); assembly/http.ts's EARLY, which must be the same.
 */
const EARLY = 64;

/** What a chunk that continues a pending section calls for. */
const enum Step {
  HOLD, // no line ended: keep the bytes
  CHECK, // a line ended: judge the new lines (wasm check())
  PARSE, // the section may be complete, is short, or is over the limit: parse it whole
}

/** The state slot a parser holds in its home instance: `slot` is a byte offset, or -1 for none. */
interface Lease {
  readonly w: Wasm;
  slot: number;
}

/**
 * Gives a collected parser's slot back, where the runtime has FinalizationRegistry (Workers before
 * compatibility date 2025-05-05 have none: there finish() and free() hand slots back). Made at the
 * first parser, never at load. Each parser registers once; its lease says what it holds when collected.
 */
let slotReturns: FinalizationRegistry<Lease> | null | undefined;
function collectedSlots(): FinalizationRegistry<Lease> | null {
  if (slotReturns === undefined) {
    slotReturns = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(returnSlot) : null;
  }
  return slotReturns;
}
function returnSlot(lease: Lease): void {
  if (lease.slot >= 0) lease.w.freeSlots.push(lease.slot);
  lease.slot = -1;
}
const NO_RAW_TRAILERS: string[] = Object.freeze([]) as unknown as string[];
const NO_TRAILERS: Headers = Object.freeze({}) as Headers;

function checkLimit(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`wirehttp: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** maxHeadersCount of a parser made with `headers: false`: heads carry no headers object. */
const NO_HEADERS_OBJECT = -1;

/** The largest `maxHeaderSize` a parser accepts (the wasm input area bounds a head). */
export const MAX_HEADER_SIZE_LIMIT: number = Limits.MAX_HEADER_SIZE;

export class HttpParser {
  onHeadersComplete: ((head: MessageHead) => HeadersDecision) | undefined = undefined;
  onBody: ((chunk: Uint8Array) => void) | undefined = undefined;
  onMessageComplete: ((end: MessageEnd) => void) | undefined = undefined;

  readonly type: MessageType;
  /**
   * The parser's state block: a slot in its home instance's memory when one was free (no
   * copies per call), else plain JS memory copied through an instance's scratch block.
   */
  private state: Uint32Array;
  private readonly lease: Lease;
  private readonly maxHeaderSize: number;
  /** Fields that go into head.headers (0: all), or NO_HEADERS_OBJECT. */
  private readonly maxHeadersCount: number;
  private readonly lenient: number;
  /** Bytes of an incomplete head or trailer section, waiting for the rest; the shared EMPTY until one is held (idle parsers own no buffer). */
  private pending: Uint8Array = EMPTY;
  private pendingLength = 0;
  /** Absolute stream offset of the next byte of input. */
  private position = 0;
  private rawTrailers: string[] = NO_RAW_TRAILERS;
  /** Why parsing stopped, if it did; the ParseError is built only when the public API hands it out. */
  private failure: Failure | null = null;
  /** See kSink. Set first in the constructor, where an initializer would run: as a field with a computed key, TypeScript's output captures the key in a module variable at class definition. */
  declare [kSink]: TableSink | null;

  constructor(type: MessageType, options: ParserOptions = {}) {
    this[kSink] = null;
    if (type !== 'request' && type !== 'response') throw new TypeError(`wirehttp: parser type must be 'request' or 'response', got ${String(type)}`);
    this.type = type;
    this.maxHeaderSize = checkLimit('maxHeaderSize', options.maxHeaderSize, Limits.DEFAULT_MAX_HEADER_SIZE, 1, Limits.MAX_HEADER_SIZE);
    const maxHeadersCount = checkLimit('maxHeadersCount', options.maxHeadersCount, Limits.DEFAULT_MAX_HEADERS_COUNT, 0, 0xffffffff);
    this.maxHeadersCount = options.headers === false ? NO_HEADERS_OBJECT : maxHeadersCount;
    this.lenient = lenientBits(options.lenient);
    this.lease = { w: home(), slot: -1 };
    this.state = new Uint32Array(State.WORDS);
    this.state[State.TYPE] = type === 'response' ? 1 : 0;
    this.state[State.LENIENT] = this.lenient;
    this.state[State.MAX_HEADER_SIZE] = this.maxHeaderSize;
    collectedSlots()?.register(this, this.lease);
    this.reset();
  }

  /**
   * Gives the parser's state slot back now; the parser keeps working (its state moves to JS
   * memory) and takes a slot again at its next reset(). finish() does the same, as the input has
   * ended. For runtimes without FinalizationRegistry, and for pools that churn parsers.
   */
  /**
   * The state's JS copy while the parser holds no slot, taken by its first free() and kept for the
   * next (finish() frees each message stream). A parser that never gives its slot back (one per
   * idle keep-alive connection) holds none: takeSlot() leaves its array as the spare.
   */
  private ownState: Uint32Array | undefined;

  free(): void {
    const lease = this.lease;
    if (lease.slot < 0) return;
    const copy = (this.ownState ??= spareState ?? new Uint32Array(State.WORDS));
    spareState = undefined; // one array never serves two parsers
    copy.set(this.state);
    this.state = copy;
    returnSlot(lease);
  }

  /** Moves the state into a free slot of the home instance, when there is one. */
  private takeSlot(): void {
    const lease = this.lease;
    const slot = lease.w.freeSlots.pop();
    if (slot === undefined) return; // all taken: the state stays in JS memory, copied around each call
    const view = new Uint32Array(lease.w.exports.memory.buffer, slot, State.WORDS);
    view.set(this.state);
    if (this.state !== this.ownState) spareState = this.state;
    this.state = view;
    lease.slot = slot;
  }

  /** Forgets everything but the options: the next byte starts a new message. */
  reset(): void {
    if (this.lease.slot < 0) this.takeSlot();
    const s = this.state;
    s[State.PHASE] = Phase.MESSAGE_START;
    s[State.MESSAGE_FLAGS] = 0;
    s[State.REMAINING_LO] = s[State.REMAINING_HI] = 0;
    s[State.CONTENT_LENGTH_LO] = s[State.CONTENT_LENGTH_HI] = 0;
    s[State.CHUNK_EXT_BYTES] = 0;
    s[State.RESUME_AT] = s[State.RESUME_FLAGS] = s[State.RESUME_FIELD] = 0;
    this.pendingLength = 0;
    this.position = 0;
    this.rawTrailers = NO_RAW_TRAILERS;
    this.failure = null;
  }

  /** Bytes of the stream consumed so far (including bytes held for an incomplete head). */
  get bytesParsed(): number {
    return this.position;
  }

  /** The connection changed protocol: execute consumes nothing more. */
  get upgraded(): boolean {
    return this.state[State.PHASE] === Phase.UPGRADED;
  }

  /**
   * Parses a chunk, calling the callbacks for what it completes. Returns the bytes consumed:
   * all of them, unless the connection changed protocol (Upgrade, CONNECT), in which case the
   * rest of the chunk belongs to the new protocol. Throws ParseError on bad input, and again
   * on every later call.
   */
  execute(chunk: Uint8Array): number {
    const result = this.tryExecute(chunk);
    if (typeof result !== 'number') throw result;
    return result;
  }

  /** execute() that returns the ParseError instead of throwing it (as Node's own binding does). */
  tryExecute(chunk: Uint8Array): number | ParseError {
    const used = this[kExecuteQuiet](chunk);
    return used === FAILED ? this.error() : used;
  }

  /** Internal (the fuzzer's hot path): execute() returning FAILED without building a ParseError. */
  [kExecuteQuiet](chunk: Uint8Array): number {
    if (this.failure) return FAILED;
    if (this.state[State.PHASE] === Phase.UPGRADED) return 0;
    const w = enter();
    try {
      let offset = 0;
      while (offset < chunk.length) {
        if (this.pendingLength === 0 && this.inBody()) {
          offset += this.passBody(chunk, offset);
          // With the body's bytes all counted, wasm completes the message (or moves past the chunk).
          if (offset === chunk.length && !this.bodyDone()) break;
        }
        if (this.pendingLength > 0) {
          const step = this.nextStep(chunk, offset);
          const judged = step === Step.CHECK ? this.check(w, chunk, offset) : Stop.NEED_MORE;
          if (judged === Stop.FAILED) return FAILED;
          if (step !== Step.PARSE && judged === Stop.NEED_MORE) {
            this.hold(chunk.subarray(offset));
            this.position += chunk.length - offset;
            break;
          }
        }
        const used = this.run(w, chunk, offset);
        if (used === FAILED) return FAILED;
        if (used < 0) return offset - used - 1;
        offset += used;
      }
      return chunk.length;
    } finally {
      leave();
    }
  }

  /** End of input: completes a body delimited by the connection closing; a cut-short message is an error. */
  finish(): void {
    const error = this.tryFinish();
    if (error) throw error;
  }

  /** finish() that returns the ParseError instead of throwing it. */
  tryFinish(): ParseError | undefined {
    return this[kFinishQuiet]() ? this.error() : undefined;
  }

  /** Internal: finish() returning whether it failed, without building a ParseError. Hands the slot back. */
  [kFinishQuiet](): boolean {
    try {
      return this.finishInput();
    } finally {
      this.free();
    }
  }

  private finishInput(): boolean {
    if (this.failure) return true;
    const w = enter();
    try {
      if (this.pendingLength > 0) {
        // Parse what there is once more, its last line judged as complete: a broken head reports
        // its own error rather than EOF.
        const held = this.pendingLength;
        w.copyIn(this.pending.subarray(0, held), Limits.INPUT_AT);
        this.state[State.RESUME_FIELD] |= Resume.EOF;
        this.call(w, 0, held);
        if (this.state[State.STOP] === Stop.FAILED) this.fail(this.position - held + this.state[State.ERROR_AT]);
        else this.failure = { code: Err.INVALID_EOF_STATE, why: Why.EOF_IN_MESSAGE, offset: this.position, error: undefined };
        return true;
      }
      this.call(w, -1, 0);
      if (this.state[State.STOP] === Stop.FAILED) {
        this.fail(this.position);
        return true;
      }
      if (this.state[State.TABLE_WORDS] > 0) this.walk(w, EMPTY, 0, this.position);
      return false;
    } finally {
      leave();
    }
  }

  /** Internal: the failure as numbers (code is an index into ERROR_CODES), or null. */
  [kFailure](): Readonly<Failure> | null {
    return this.failure;
  }

  /** The failure's ParseError, built once. */
  private error(): ParseError {
    const f = this.failure!;
    return (f.error ??= parseErrorFromWasm(f.code, f.why, f.offset));
  }

  private fail(offset: number): void {
    const s = this.state;
    this.failure = { code: s[State.ERROR_CODE], why: s[State.ERROR_WHY], offset, error: undefined };
  }

  /** One wasm call on this parser's state: execute(start, length); finish when start is -1, check(length) when -2 (the same export). */
  private call(w: Wasm, start: number, length: number): number {
    const { slot } = this.lease;
    const local = slot >= 0 && w === this.lease.w;
    const state = local ? slot : Limits.STATE_AT;
    if (!local) w.scratch.set(this.state);
    const at = w.exports.execute(state, start, length);
    if (!local) this.state.set(w.scratch);
    return at;
  }

  private inBody(): boolean {
    const phase = this.state[State.PHASE];
    return phase === Phase.BODY_LENGTH || phase === Phase.CHUNK_DATA || phase === Phase.BODY_UNTIL_EOF;
  }

  /** A length-delimited body (or chunk) has no bytes left to come, but wasm has not closed it yet. */
  private bodyDone(): boolean {
    const s = this.state;
    return (s[State.PHASE] === Phase.BODY_LENGTH || s[State.PHASE] === Phase.CHUNK_DATA) && s[State.REMAINING_LO] === 0 && s[State.REMAINING_HI] === 0;
  }

  /**
   * A chunk that starts inside a body: its body bytes go to onBody as a view, without being
   * copied into wasm; only the count of bytes still to come changes. Returns the bytes used.
   */
  private passBody(chunk: Uint8Array, offset: number): number {
    const s = this.state;
    let n = chunk.length - offset;
    if (s[State.PHASE] !== Phase.BODY_UNTIL_EOF) {
      const remaining = s[State.REMAINING_LO] + s[State.REMAINING_HI] * 0x100000000;
      if (remaining < n) n = remaining;
      const left = remaining - n;
      s[State.REMAINING_LO] = left >>> 0;
      s[State.REMAINING_HI] = Math.floor(left / 0x100000000);
    }
    this.position += n;
    if (n > 0) {
      this.emitBody(chunk, offset, n);
    }
    return n;
  }

  /** Body bytes chunk[from, from + length) to the sink or onBody. */
  private emitBody(chunk: Uint8Array, from: number, length: number): void {
    const sink = this[kSink];
    if (sink !== null) sink.body(chunk, from, length);
    else this.onBody?.(bodyView(chunk, from, length));
  }

  /**
   * With a section pending: parse it whole when it may now be complete (an empty line arrived),
   * is still short (errors in its first bytes count at once) or is over the limit; judge the new
   * lines when a line ended (an LF, or a CR with a byte after it) or a new one began: errors
   * count once their line is complete (assembly/http.ts's settle()); else wait. Each line is judged about once, so a
   * section trickled in costs linear work.
   */
  private nextStep(chunk: Uint8Array, offset: number): Step {
    const total = this.pendingLength + (chunk.length - offset);
    if (this.pendingLength < EARLY || total > this.maxHeaderSize) return Step.PARSE;
    const crEnds = (this.lenient & Lenient.OPTIONAL_LF_AFTER_CR) !== 0;
    const last = this.pending[this.pendingLength - 1];
    let lineEnded = last === 13 || last === 10;
    const firstCr = chunk.indexOf(13, offset);
    if (firstCr >= 0 && firstCr < chunk.length - 1) lineEnded = true;
    let from = offset;
    while (true) {
      const lf = chunk.indexOf(10, from);
      const cr = crEnds ? chunk.indexOf(13, from) : -1;
      const at = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (at < 0) break;
      if (lf >= 0) lineEnded = true;
      // An empty line: this line end follows another one (LF, CR LF, or lenient CR).
      const prev = this.byteBefore(chunk, offset, at, 1);
      if (prev === 10 || (crEnds && prev === 13)) return Step.PARSE;
      if (prev === 13 && this.byteBefore(chunk, offset, at, 2) === 10) return Step.PARSE;
      from = at + 1;
    }
    if (!lineEnded) return Step.HOLD;
    return this.state[State.RESUME_AT] > 0 ? Step.CHECK : Step.PARSE;
  }

  /**
   * Judges the lines of the pending section that arrived since the last look, with the chunk
   * from offset (wasm check(); the section is not copied whole). Returns Stop.NEED_MORE,
   * Stop.FAILED (this.failure set) or Stop.DONE: the section is complete, parse it whole.
   */
  private check(w: Wasm, chunk: Uint8Array, offset: number): number {
    const from = this.state[State.RESUME_AT];
    const held = this.pendingLength - from;
    const take = chunk.length - offset;
    w.copyIn(this.pending.subarray(from, this.pendingLength), Limits.INPUT_AT);
    w.copyIn(offset === 0 ? chunk : chunk.subarray(offset), Limits.INPUT_AT + held);
    this.call(w, -2, held + take);
    const stop = this.state[State.STOP];
    if (stop === Stop.FAILED) this.fail(this.position - held + this.state[State.ERROR_AT]);
    return stop;
  }

  /** The byte `back` positions before chunk[at], looking into the pending bytes; a section starts after a line end. */
  private byteBefore(chunk: Uint8Array, offset: number, at: number, back: number): number {
    const i = at - back;
    if (i >= offset) return chunk[i];
    const j = this.pendingLength + (i - offset);
    return j >= 0 ? this.pending[j] : 10;
  }

  /** Appends to the pending section (growing its buffer geometrically). */
  private hold(bytes: Uint8Array): void {
    const need = this.pendingLength + bytes.length;
    if (need > this.pending.length) {
      const grown = new Uint8Array(Math.max(need, this.pending.length * 2, 256));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(bytes, this.pendingLength);
    this.pendingLength = need;
  }

  /**
   * One pass through wasm over [pending bytes + chunk from offset]. Returns the chunk bytes it
   * used, -(used + 1) when the connection changed protocol after `used` bytes, or FAILED.
   */
  private run(w: Wasm, chunk: Uint8Array, offset: number): number {
    const held = this.pendingLength;
    if (held > 0) w.copyIn(this.pending.subarray(0, held), Limits.INPUT_AT);
    const take = Math.min(chunk.length - offset, Limits.INPUT_CAPACITY - held);
    w.copyIn(take === chunk.length ? chunk : chunk.subarray(offset, offset + take), Limits.INPUT_AT + held);
    const total = held + take;
    const base = this.position - held; // stream offset of input[0]
    this.position += take;
    this.pendingLength = 0;

    let at = 0;
    while (true) {
      at = this.call(w, at, total);
      // this.state, not a local: a callback in walk() may free() the parser, moving its state.
      const stop = this.state[State.STOP];
      if (this.state[State.TABLE_WORDS] > 0) {
        const rewindTo = this.walk(w, chunk, offset - held, base);
        if (rewindTo >= 0) {
          at = rewindTo;
          continue;
        }
      }
      switch (stop) {
        case Stop.DONE:
          return take;
        case Stop.TABLE_FULL:
          continue;
        case Stop.NEED_MORE:
          // The section from `at` is incomplete: keep it (a copy) for the next chunk.
          this.hold(w.bytes.subarray(Limits.INPUT_AT + at, Limits.INPUT_AT + total));
          return take;
        case Stop.UPGRADED:
          this.position = base + at;
          return -(at - held) - 1;
        default:
          this.fail(base + this.state[State.ERROR_AT]);
          return FAILED;
      }
    }
  }

  /**
   * Walks the token table. `shift` maps input offsets to chunk offsets for body views,
   * `base` to stream offsets. Returns -1, or the input offset to parse again from when
   * onHeadersComplete changed a message's framing (the rest of the table is then stale).
   */
  private walk(w: Wasm, chunk: Uint8Array, shift: number, base: number): number {
    const t = w.table;
    const s = this.state;
    const words = s[State.TABLE_WORDS];
    // Back-to-back pipelined heads (no body or empty line between them) are decoded with one
    // call — its fixed cost dominates a short head — and each head slices the shared string.
    // Only then: with other bytes in the span, the heads' ASCII flag would not cover them.
    const from = s[State.HEADS_FROM];
    const span = s[State.HEADS_TO] - from;
    const shared = s[State.HEADS_COUNT] > 1 && span === s[State.HEADS_BYTES]
      ? decodeSection(w.decode, from, span, s[State.HEADS_FLAGS])
      : undefined;
    for (let i = 0; i < words;) {
      switch (t[i]) {
        case Rec.HEAD: {
          const flags = t[i + Head.FLAGS];
          const text = shared ?? decodeSection(w.decode, t[i + Head.START], t[i + Head.LENGTH], flags);
          const at = shared !== undefined ? from : t[i + Head.START];
          const sink = this[kSink];
          const decision = sink !== null
            ? sink.head(t, i, text, at)
            : toDecision(this.onHeadersComplete?.(new MessageHead(this.type === 'response', t, i, text, at, this.maxHeadersCount)));
          // Honoured for requests too, as llhttp does (1: no body; 2: no body, then a tunnel).
          if (decision !== Decision.DEFAULT) return this.rewind(t, i, decision);
          i += headRecordWords(t, i);
          break;
        }
        case Rec.BODY: {
          this.emitBody(chunk, t[i + 1] + shift, t[i + 2]);
          i += 3;
          break;
        }
        case Rec.TRAILERS: {
          const count = t[i + Trailer.COUNT];
          if (count > 0) {
            const text = decodeSection(w.decode, t[i + Trailer.START], t[i + Trailer.LENGTH], Flag.NON_ASCII);
            this.rawTrailers = decodeFields(t, i + Trailer.WORDS, count, text, t[i + Trailer.START], true);
          }
          i += Trailer.WORDS + count * 4;
          break;
        }
        case Rec.COMPLETE: {
          const rawTrailers = this.rawTrailers;
          const end = base + t[i + 1];
          this.rawTrailers = NO_RAW_TRAILERS;
          i += 2;
          const sink = this[kSink];
          if (sink !== null) sink.complete(rawTrailers, end);
          else this.onMessageComplete?.(new MessageEnd(rawTrailers, end, this.maxHeadersCount));
          break;
        }
        default:
          throw new Error(`wirehttp: corrupt token table at word ${i}`);
      }
    }
    return -1;
  }

  /** Puts the state back to the end of the head at t[i] (all of it is in the record), with `decision` to apply. */
  private rewind(t: Uint32Array, i: number, decision: number): number {
    const s = this.state;
    const isResponse = this.type === 'response';
    s[State.PHASE] = Phase.AWAIT_DECISION;
    s[State.DECISION] = decision;
    s[State.MESSAGE_FLAGS] = t[i + Head.FLAGS];
    s[State.METHOD] = isResponse ? 0xffffffff : t[i + Head.METHOD_OR_STATUS];
    s[State.STATUS_CODE] = isResponse ? t[i + Head.METHOD_OR_STATUS] : 0;
    s[State.VERSION] = t[i + Head.VERSION];
    s[State.CONTENT_LENGTH_LO] = t[i + Head.CONTENT_LENGTH_LO];
    s[State.CONTENT_LENGTH_HI] = t[i + Head.CONTENT_LENGTH_HI];
    s[State.REMAINING_LO] = s[State.REMAINING_HI] = 0;
    s[State.CHUNK_EXT_BYTES] = 0;
    return t[i + Head.START] + t[i + Head.LENGTH];
  }
}

function toDecision(answer: HeadersDecision): number {
  if (answer === true) return Decision.SKIP_BODY;
  if (answer === Decision.SKIP_BODY || answer === Decision.UPGRADE || answer === Decision.NO_UPGRADE) return answer;
  return Decision.DEFAULT;
}
