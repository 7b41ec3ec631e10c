// http-parser-js's HTTPParser (the shape of Node's process.binding('http_parser').HTTPParser)
// on the wasm parser: the same constructor forms, constants, callback slots and calling forms,
// return values and error shapes, strict by default. Runtime-neutral: no Node API here.
import { Decision, Flag, Head, Why } from '../../../assembly/constants.js';
// The parser and its lists come from the root (the build keeps `../api.js` external, as the root
// bundle), so this layer shares the root's wasm instance; the small helpers below are its own copies.
import { HttpParser, LENIENT_FLAGS as LENIENT_NAMES, MAX_HEADER_SIZE_LIMIT, METHODS, type LenientFlag, type ParseError } from '../api.js';
import { headFields, headTarget } from '../head.js';
import { bodyView, kFailure, kSink, lenientBits, type TableSink } from '../internal.js';
import { latin1Bytes } from '../latin1.js';

export type HTTPParserType = 'REQUEST' | 'RESPONSE';
export type LenientSetting = boolean | Partial<Record<LenientFlag, boolean>>;

/** What onHeadersComplete receives in its object form (until something reads HTTPParser.kOnExecute). */
export interface HeadersInfo {
  versionMajor: number;
  versionMinor: number;
  /** [name, value, …], names as sent. */
  headers: string[];
  /** Requests: the index into `methods`, or the name once an `on*` accessor was set on the parser. */
  method?: number | string;
  url?: string;
  /** Responses only. */
  statusCode?: number;
  statusMessage?: string;
  upgrade: boolean;
  shouldKeepAlive: boolean;
}

/** An Error from execute()/finish(): http-parser-js's message, Node's code, and where it stopped. */
export interface HTTPParserError extends Error {
  /** llhttp's HPE_* name (http-parser-js sets one for some errors; here every error has one). */
  code: string;
  /** Which rule was broken (the core parser's reason). */
  reason: string;
  /** Offset in the chunk passed to the execute() that failed, as Node's binding reports it. */
  bytesParsed: number;
}

const REQUEST = 'REQUEST';
const RESPONSE = 'RESPONSE';
const kOnHeaders = 1;
const kOnHeadersComplete = 2;
const kOnBody = 3;
const kOnMessageComplete = 4;

// Nothing at this module's top level has an effect outside it (the `@__PURE__` calls, and
// HTTPParser made in one), so a bundle that imports the root's HttpParser alone drops all of it.

// A head's method id is its index in METHODS, and so in `methods`: it is handed out as it is.
/** http-parser-js's method list, index for index (the same ids as llhttp's for these names), plus QUERY. */
export const methods: string[] = /* @__PURE__ */ METHODS.slice();

/**
 * Module-wide, as in http-parser-js: the first read of HTTPParser.kOnExecute (which Node ≥ 0.12
 * makes) switches every parser's onHeadersComplete to the positional calling form.
 */
let positionalHeaders = false;

// The process-wide lenient switch: code that reaches this parser through npm `overrides`
// (websocket-driver, faye-websocket) never passes options.
const ENV_LENIENT = 'WIREHTTP_HTTP_PARSER_JS_LENIENT';
/** Lenient bits for new parsers; from the environment at the first HTTPParser (a typo there then throws, not an import). */
let lenientDefault: number | undefined;
const processLenient = (): number => (lenientDefault ??= lenientFromEnv(envSetting()));

function envSetting(): string | undefined {
  try {
    return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[ENV_LENIENT];
  } catch {
    return undefined; // Deno without --allow-env throws on the read: the variable counts as unset
  }
}

/** '1', 'true', 'all' → every flag; a comma list of flag names → those; '', '0', 'false' → none. */
export function lenientFromEnv(text: string | undefined): number {
  const value = (text ?? '').trim();
  if (value === '' || value === '0' || value === 'false') return 0;
  if (value === '1' || value === 'true' || value === 'all') return lenientBits(true);
  const flags: Record<string, boolean> = {};
  for (const name of value.split(',')) if (name.trim()) flags[name.trim()] = true;
  try {
    return lenientBits(flags);
  } catch (error) {
    throw new TypeError(`${ENV_LENIENT}: ${(error as Error).message}`);
  }
}

function lenientSetting(bits: number): Partial<Record<LenientFlag, boolean>> {
  const out: Partial<Record<LenientFlag, boolean>> = {};
  LENIENT_NAMES.forEach((name, bit) => {
    if (bits & (1 << bit)) out[name] = true;
  });
  return Object.freeze(out);
}

// Internal state behind symbols, out of the way of the properties consumers set on parsers.
const kCore = Symbol('wirehttp.core');
const kType = Symbol('wirehttp.type');
const kNodeMaxHeaderSize = Symbol('wirehttp.nodeMaxHeaderSize');
const kNodeLenient = Symbol('wirehttp.nodeLenient');
const kFailed = Symbol('wirehttp.failed');
const kChunkStart = Symbol('wirehttp.chunkStart');
const kCompat011 = '_compatMode0_11';

/** The prototype of every HTTPParser (the constructor is a function, so it can be called on an instance). */
class HTTPParserMethods {
  declare type: HTTPParserType;
  declare maxHeaderSize: number;
  declare _compatMode0_11: boolean;
  declare [kCore]: HttpParser | null;
  declare [kType]: HTTPParserType;
  declare [kNodeMaxHeaderSize]: number;
  declare [kNodeLenient]: number;
  declare [kFailed]: HTTPParserError | null;
  declare [kChunkStart]: number;
  [key: number]: ((...args: never[]) => unknown) | undefined;

  /**
   * Starts over as a parser of `type`. Node's binding passes more: its `maxHeaderSize` (0: this
   * parser's) and lenient flags (Node's kLenient* bits) are honoured too.
   */
  initialize(type: HTTPParserType, _resource?: unknown, maxHeaderSize?: number, lenientFlags?: number): void {
    if (type !== REQUEST && type !== RESPONSE) throw new Error('type must be REQUEST or RESPONSE');
    this.type = type;
    this[kType] = type;
    this[kNodeMaxHeaderSize] = typeof maxHeaderSize === 'number' && maxHeaderSize > 0 ? maxHeaderSize : 0;
    this[kNodeLenient] = typeof lenientFlags === 'number' ? lenientFlags : 0;
    this[kFailed] = null;
    // The wasm parser is made at the first execute(), after `maxHeaderSize` may have been set.
    this[kCore]?.free();
    this[kCore] = null;
  }

  /** Parses chunk[start, start + length); returns the bytes consumed or an Error (never throws for bad input). */
  execute(chunk: Uint8Array, start?: number, length?: number): number | HTTPParserError {
    if (!(this instanceof HTTPParserMethods)) throw new TypeError('not a HTTPParser');
    if (this[kFailed]) return this[kFailed];
    const from = start || 0;
    const count = typeof length === 'number' ? length : chunk.length - from;
    const core = this[kCore] ?? this.makeCore();
    this[kChunkStart] = core.bytesParsed;
    const result = core.tryExecute(from === 0 && count === chunk.length ? chunk : chunk.subarray(from, from + count));
    return typeof result === 'number' ? result : this.failed(core, result);
  }

  /** End of input: completes a body read until the connection closes; inside a message, an Error. */
  finish(): HTTPParserError | undefined {
    if (this[kFailed]) return undefined; // as http-parser-js: nothing more to say after an error
    const core = this[kCore] ?? this.makeCore();
    this[kChunkStart] = core.bytesParsed;
    const error = core.tryFinish();
    return error ? this.failed(core, error) : undefined;
  }

  // http-parser-js's no-ops, kept so code written for Node's binding runs.
  pause(): void {}
  resume(): void {}
  remove(): void {}
  consume(): void {}
  unconsume(): void {}
  getCurrentBuffer(): void {}
  getAsyncId(): number {
    return 0;
  }

  /** Hands the wasm state slot back (the parser keeps working); Node's parser pool calls these. */
  close(): void {
    this[kCore]?.free();
  }
  free(): void {
    this[kCore]?.free();
  }

  private makeCore(): HttpParser {
    if (this[kType] === undefined) throw new Error('type must be REQUEST or RESPONSE');
    const isResponse = this[kType] === RESPONSE;
    const limit = this[kNodeMaxHeaderSize] || this.maxHeaderSize || HTTPParser.maxHeaderSize;
    const core = new HttpParser(isResponse ? 'response' : 'request', {
      maxHeaderSize: Math.min(Math.max(1, Math.floor(limit)), MAX_HEADER_SIZE_LIMIT),
      headers: false, // http-parser-js hands out raw [name, value, …] lists only
      lenient: lenientSetting(processLenient() | this[kNodeLenient]),
    });
    core[kSink] = new CompatSink(this, isResponse);
    return (this[kCore] = core);
  }

  private failed(core: HttpParser, error: ParseError): HTTPParserError {
    const why = core[kFailure]()?.why;
    const err = new Error(httpParserJsMessage(error.code, why)) as HTTPParserError;
    err.code = error.code;
    err.reason = error.reason;
    err.bytesParsed = Math.max(0, error.offset - this[kChunkStart]);
    return (this[kFailed] = err);
  }
}

/**
 * Where the wasm parser behind an HTTPParser hands heads, body pieces and message ends: to the
 * owner's callbacks in http-parser-js's shapes, built straight from the token table (no
 * MessageHead or MessageEnd in between: for a short message that is a good part of the cost).
 */
class CompatSink implements TableSink {
  private readonly owner: HTTPParserMethods;
  private readonly isResponse: boolean;

  constructor(owner: HTTPParserMethods, isResponse: boolean) {
    this.owner = owner;
    this.isResponse = isResponse;
  }

  /** As MessageHead reads the record (head.ts), then onHeadersComplete in the calling form of the moment. */
  head(t: Uint32Array, i: number, text: string, base: number): number {
    const owner = this.owner;
    const isResponse = this.isResponse;
    const flags = t[i + Head.FLAGS];
    const what = t[i + Head.METHOD_OR_STATUS];
    const target = headTarget(t, i, text, base);
    let url = isResponse ? undefined : target;
    let statusMessage = isResponse ? target : undefined;
    const statusCode = isResponse ? what : undefined;
    const versionMajor = t[i + Head.VERSION] >>> 8;
    const versionMinor = t[i + Head.VERSION] & 0xff;
    let headers = headFields(t, i, text, base);
    const upgrade = (flags & Flag.UPGRADE) !== 0;
    const shouldKeepAlive = (flags & Flag.KEEP_ALIVE) !== 0;
    if (recodeHeads) {
      if (url !== undefined) url = recodeString(url);
      if (statusMessage !== undefined) statusMessage = recodeString(statusMessage);
      headers = recode(headers);
    }
    const method = isResponse ? undefined : owner[kCompat011] ? METHODS[what] : what;
    // Called as a method, as every callback is: Node's own parserOnHeadersComplete reads `this`.
    const answer = positionalHeaders
      ? (owner[kOnHeadersComplete] as (...args: unknown[]) => unknown)(versionMajor, versionMinor, headers, method, url,
          statusCode, statusMessage, upgrade, shouldKeepAlive)
      : (owner[kOnHeadersComplete] as (info: HeadersInfo) => unknown)(isResponse
        // http-parser-js's key order and keys: a request's info has no status, a response's no method or url.
        ? { headers, upgrade, versionMajor, versionMinor, statusCode, statusMessage, shouldKeepAlive } as HeadersInfo
        : { headers, upgrade, method, url, versionMajor, versionMinor, shouldKeepAlive } as HeadersInfo);
    // http-parser-js: 2 = the connection changes protocol after this head; anything truthy = no body.
    return answer === 2 ? Decision.UPGRADE : answer ? Decision.SKIP_BODY : Decision.DEFAULT;
  }

  /** onBody(view, 0, length): a view of just the body bytes, as Node's binding hands them out. */
  body(chunk: Uint8Array, from: number, length: number): void {
    this.owner[kOnBody]!(bodyView(chunk, from, length) as never, 0 as never, length as never);
  }

  /** Trailers, if any, through onHeaders (as http-parser-js), then onMessageComplete. */
  complete(rawTrailers: string[]): void {
    const owner = this.owner;
    if (rawTrailers.length) owner[kOnHeaders]!(recode(rawTrailers) as never, '' as never);
    owner[kOnMessageComplete]!();
  }
}

/** http-parser-js's own texts for the conditions it names; 'Parse Error' for the rest, as it says for those. */
function httpParserJsMessage(code: string, why: number | undefined): string {
  if (code === 'HPE_INVALID_METHOD') return 'invalid request method';
  if (code === 'HPE_HEADER_OVERFLOW') return 'max header size exceeded';
  if (code === 'HPE_INVALID_EOF_STATE') return 'invalid state for EOF';
  if (why === Why.EXPECTED_CRLF_AFTER_CHUNK) return 'Expected empty line';
  return 'Parse Error';
}

// HTTPParser.encoding: heads are decoded as latin1 (every byte kept); other encodings re-decode
// the strings that hold a byte above 0x7f, so the common ASCII head costs nothing.
const decoders = new Map<string, TextDecoder>();
const NON_ASCII = /[\u0080-\u00ff]/;

// HTTPParser.encoding is an accessor keeping these two, so a head checks one module variable.
let encodingName = 'ascii';
let recodeHeads = false;

function recodeString(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  const encoding = encodingName;
  let decoder = decoders.get(encoding);
  if (!decoder) {
    const label = encoding === 'utf8' ? 'utf-8' : encoding === 'ucs2' || encoding === 'ucs-2' || encoding === 'utf16le' ? 'utf-16le' : encoding;
    try {
      decoder = new TextDecoder(label);
    } catch {
      throw new TypeError(`wirehttp: HTTPParser.encoding ${JSON.stringify(encoding)} is not supported (latin1, binary, ascii, utf8, utf16le)`);
    }
    decoders.set(encoding, decoder);
  }
  return decoder.decode(latin1Bytes(text));
}

function recode(strings: string[]): string[] {
  return recodeHeads ? strings.map(recodeString) : strings;
}

const noop = (): void => {};

export interface HTTPParserConstructor {
  new (type?: HTTPParserType): HTTPParser;
  /** Called on an instance (http-parser-js's `reinitialize`): initializes it again. */
  (this: HTTPParser, type?: HTTPParserType): void;
  readonly prototype: HTTPParser;
  readonly REQUEST: 'REQUEST';
  readonly RESPONSE: 'RESPONSE';
  readonly kOnHeaders: 1;
  readonly kOnHeadersComplete: 2;
  readonly kOnBody: 3;
  readonly kOnMessageComplete: 4;
  /** Reading it switches onHeadersComplete to the positional form, for every parser (as http-parser-js). */
  readonly kOnExecute: 99;
  readonly methods: string[];
  /** Decoding of head strings: 'ascii' (the default) and 'latin1'/'binary' keep every byte as latin1; 'utf8', 'utf16le' re-decode. */
  encoding: string;
  /** The default for new parsers (80 KiB, as http-parser-js; wirehttp's limit is 128 KiB). */
  maxHeaderSize: number;
  /**
   * Process-wide lenient parsing for parsers made from now on: `true` (every flag), an object of
   * flags, or `false`. Starts from the WIREHTTP_HTTP_PARSER_JS_LENIENT environment variable.
   */
  lenient: LenientSetting;
}

export type HTTPParser = HTTPParserMethods & {
  onHeaders: ((headers: string[], url: string) => void) | undefined;
  onHeadersComplete: ((...args: never[]) => unknown) | undefined;
  onBody: ((chunk: Uint8Array, offset: number, length: number) => void) | undefined;
  onMessageComplete: (() => void) | undefined;
  reinitialize(type?: HTTPParserType): void;
};

// Made in one call marked pure, so a bundle that never reads HTTPParser drops the lot.
export const HTTPParser: HTTPParserConstructor = /* @__PURE__ */ (() => {
  // Named through the property key, not Object.defineProperty(…, 'name'): redefining a function's
  // name puts its properties in dictionary mode, and every HTTPParser.methods / HTTPParser.kOnBody
  // read (consumers make them per message) would then be a slow lookup.
  const HTTPParser = { HTTPParser: function (this: HTTPParser | undefined, type?: HTTPParserType): HTTPParser | void {
    if (!(this instanceof HTTPParserMethods)) return new HTTPParser(type);
    if (type !== undefined && type !== REQUEST && type !== RESPONSE) throw new Error('type must be REQUEST or RESPONSE');
    processLenient();
    if (this[kCore] === undefined) {
      // First construction: every internal field, so all parsers share one shape.
      this[kCore] = null;
      this[kType] = undefined as unknown as HTTPParserType;
      this[kNodeMaxHeaderSize] = 0;
      this[kNodeLenient] = 0;
      this[kFailed] = null;
      this[kChunkStart] = 0;
    }
    if (type !== undefined) this.initialize(type);
    this.maxHeaderSize = HTTPParser.maxHeaderSize;
  } }.HTTPParser as unknown as HTTPParserConstructor;

  (HTTPParser as { prototype: unknown }).prototype = HTTPParserMethods.prototype;
  const proto = HTTPParserMethods.prototype as unknown as Record<string | number, unknown>;
  Object.defineProperty(proto, 'constructor', { value: HTTPParser, writable: true, configurable: true });
  proto.reinitialize = HTTPParser;
  proto[kCompat011] = false;
  proto[kOnHeaders] = proto[kOnHeadersComplete] = proto[kOnBody] = proto[kOnMessageComplete] = noop;

  // The accessors of Node < 0.11.6: setting one switches the parser to http-parser-js's 0.11
  // mode, where a request's method is its name (websocket-driver relies on that).
  (['Headers', 'HeadersComplete', 'Body', 'MessageComplete'] as const).forEach((name, i) => {
    const slot = i + 1;
    Object.defineProperty(proto, `on${name}`, {
      get(this: Record<string | number, unknown>) {
        return this[slot];
      },
      set(this: Record<string | number, unknown>, fn: unknown) {
        this[kCompat011] = true;
        this[slot] = fn;
      },
      configurable: true,
    });
  });

  Object.defineProperties(HTTPParser, {
    REQUEST: { value: REQUEST, enumerable: true },
    RESPONSE: { value: RESPONSE, enumerable: true },
    kOnHeaders: { value: kOnHeaders, enumerable: true },
    kOnHeadersComplete: { value: kOnHeadersComplete, enumerable: true },
    kOnBody: { value: kOnBody, enumerable: true },
    kOnMessageComplete: { value: kOnMessageComplete, enumerable: true },
    kOnExecute: {
      get() {
        positionalHeaders = true;
        return 99;
      },
    },
    methods: { value: methods, enumerable: true },
    encoding: {
      get: () => encodingName,
      set: (value: string) => {
        encodingName = String(value);
        recodeHeads = encodingName !== 'ascii' && encodingName !== 'latin1' && encodingName !== 'binary';
      },
      enumerable: true,
    },
    maxHeaderSize: { value: 80 * 1024, writable: true, enumerable: true },
    lenient: {
      get: () => lenientSetting(processLenient()),
      set: (value: LenientSetting) => {
        lenientDefault = lenientBits(value);
      },
      enumerable: true,
    },
  });
  return HTTPParser;
})();
