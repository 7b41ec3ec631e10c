// The wasm instance of this thread and typed views on its memory.
// Instances are costly (~60 µs, and one per connection exhausts memory), so every parser shares
// one; a parser's own state lives in a slot of that instance's memory (or in JS, see parser.ts).
//
// Where the module comes from is the entry's business: the default entry decodes bytes embedded in
// the bundle, the workerd / edge-light entries import the .wasm file as a module (those runtimes
// refuse to compile wasm from bytes), and init() takes whatever the caller loaded.
import { State, Limits } from '../../assembly/constants.js';
import { KNOWN_HEADERS, LLHTTP_ONLY_METHODS, METHODS } from '../../assembly/names.js';
import { latin1Decoder, type Latin1Decoder } from './latin1.js';

export interface WasmExports {
  memory: WebAssembly.Memory;
  /** Returns State.WORDS. */
  setup(methods: number, llhttpOnly: number, headers: number): number;
  /** Parses input[start, length); `start` -1: the end of input (finish), -2: judges a pending section's new lines (check). */
  execute(state: number, start: number, length: number): number;
}

export interface Wasm {
  exports: WasmExports;
  /** The whole memory as bytes (never grows after instantiation, so views stay valid). */
  bytes: Uint8Array;
  /**
   * bytes.set(source, at), bound: a method read from a typed array is a generic lookup in code
   * V8 11 optimizes concurrently (latin1.ts says more); a bound function is called directly.
   */
  copyIn: (source: ArrayLike<number>, at: number) => void;
  /** Scratch state block (at Limits.STATE_AT), for parsers whose state lives elsewhere. */
  scratch: Uint32Array;
  /** Free state slots (byte offsets), for parsers whose home this instance is. */
  freeSlots: number[];
  /** Token table. */
  table: Uint32Array;
  /** latin1 strings from `bytes`. */
  decode: Latin1Decoder;
}

/** What init() accepts: the compiled module, its bytes, or a fetch() response for them. */
export type WasmSource = WebAssembly.Module | BufferSource | Response;

/** Instantiates a parser module and hands it the word lists its tables are built from. */
export function instantiate(module: WebAssembly.Module): Wasm {
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as WasmExports;
  // The layout is fixed (Limits.STATE_AT, INPUT_AT; assembly/index.ts): the state slots follow
  // the scratch block, the token table the input.
  const buffer = exports.memory?.buffer;
  const all = new Uint8Array(buffer ?? 0);
  let at: number = Limits.INPUT_AT;
  for (const word of [...METHODS, ...LLHTTP_ONLY_METHODS, ...KNOWN_HEADERS]) {
    all[at++] = word.length;
    for (let i = 0; i < word.length; i++) all[at++] = word.charCodeAt(i);
  }
  // A module of another build (or not ours at all) has no setup(), or one that answers otherwise.
  if (typeof exports.setup !== 'function' || exports.setup(METHODS.length, LLHTTP_ONLY_METHODS.length, KNOWN_HEADERS.length) !== State.WORDS) {
    throw new Error('wirehttp: the wasm module and the bindings are from different builds');
  }
  return {
    exports,
    bytes: all,
    copyIn: all.set.bind(all),
    scratch: new Uint32Array(buffer, Limits.STATE_AT, State.WORDS),
    freeSlots: Array.from({ length: Limits.SLOTS }, (_, i) => Limits.STATE_AT + (Limits.SLOTS - i) * Limits.SLOT_BYTES),
    table: new Uint32Array(buffer, Limits.INPUT_AT + Limits.INPUT_CAPACITY + Limits.INPUT_SLACK, Limits.TABLE_WORDS),
    decode: latin1Decoder(all),
  };
}

let wasmModule: WebAssembly.Module | undefined;
/** The entry's way to get the module when it is first needed (set once, by the entry). */
let loadModule: (() => WebAssembly.Module) | undefined;

export function setModuleLoader(load: () => WebAssembly.Module): void {
  loadModule = load;
}

function currentModule(): WebAssembly.Module {
  if (wasmModule) return wasmModule;
  if (!loadModule) throw new Error('wirehttp: no WebAssembly module yet: await init(module or bytes) before parsing');
  return (wasmModule = loadModule());
}

// One instance per nesting depth: a callback that parses synchronously with another parser
// (a proxy, a test) gets its own memory instead of overwriting the table being walked.
const pool: Wasm[] = [];
let depth = 0;

/** The instance parsers keep their state slots in (the one calls at nesting depth 0 run on). */
export function home(): Wasm {
  return (pool[0] ??= instantiate(currentModule()));
}

export function enter(): Wasm {
  const w = (pool[depth] ??= instantiate(currentModule()));
  depth++;
  return w;
}

export function leave(): void {
  depth--;
}

/** Replaces the module every later parser runs on (parsers made before keep theirs). */
export function useModule(module: WebAssembly.Module): void {
  instantiate(module); // fails here, not at the first parse, if it is not our parser
  wasmModule = module;
  pool.length = 0;
}

/** useModule() from bytes (tests run every suite on the scalar build too). */
export function useWasm(bytes: Uint8Array): void {
  useModule(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>));
}

async function compile(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof Response === 'function' && source instanceof Response) {
    if (!source.ok) throw new Error(`wirehttp: init() got HTTP ${source.status} for ${source.url || 'the wasm'}`);
    return WebAssembly.compile(await source.arrayBuffer());
  }
  return WebAssembly.compile(source as BufferSource);
}

/**
 * Loads the parser's wasm from where you got it: a WebAssembly.Module (a Workers or edge import),
 * its bytes, or a fetch() Response (or a promise of one of these). Parsers made afterwards use it.
 * With no argument, instantiates the module the entry carries now rather than at the first parse.
 * Only needed when you load the wasm yourself: every entry of the package brings its own.
 */
export async function init(source?: WasmSource | PromiseLike<WasmSource>): Promise<void> {
  const given = await source;
  if (given === undefined) home();
  else useModule(await compile(given));
}
