// The wasm instance of this thread and typed views on its memory.
// Instances are costly (~60 µs, and one per connection exhausts memory), so every parser shares
// one; a parser's own state lives in JS and is copied in and out around each call.
import { State, Limits } from '../../assembly/constants.js';
import { WASM_BASE64 } from './wasm-binary.generated.js';
import { latin1Bytes, latin1Decoder, type Latin1Decoder } from './latin1.js';

export interface WasmExports {
  memory: WebAssembly.Memory;
  execute(state: number, start: number, length: number): number;
  finish(state: number): void;
  check(state: number, length: number): void;
  statePointer(): number;
  slotsPointer(): number;
  inputPointer(): number;
  tablePointer(): number;
  stateWords(): number;
}

export interface Wasm {
  exports: WasmExports;
  /** The whole memory as bytes (never grows after instantiation, so views stay valid). */
  bytes: Uint8Array;
  /** Scratch state block, for parsers whose state lives elsewhere. */
  scratch: Uint32Array;
  scratchPointer: number;
  /** Free state slots (byte offsets), for parsers whose home this instance is. */
  freeSlots: number[];
  /** Token table. */
  table: Uint32Array;
  /** Offset of the input buffer in `bytes`. */
  input: number;
  /** latin1 strings from `bytes`. */
  decode: Latin1Decoder;
}

export function decodeBase64(text: string): Uint8Array {
  return latin1Bytes(atob(text));
}

/** Instantiates a parser module from its bytes. */
export function instantiate(bytes: Uint8Array): Wasm {
  const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as WasmExports;
  if (exports.stateWords() !== State.WORDS) throw new Error('wirehttp: wasm and bindings are from different builds');
  const buffer = exports.memory.buffer;
  const all = new Uint8Array(buffer);
  return {
    exports,
    bytes: all,
    scratch: new Uint32Array(buffer, exports.statePointer(), State.WORDS),
    scratchPointer: exports.statePointer(),
    freeSlots: Array.from({ length: Limits.SLOTS }, (_, i) => exports.slotsPointer() + (Limits.SLOTS - 1 - i) * Limits.SLOT_BYTES),
    table: new Uint32Array(buffer, exports.tablePointer(), Limits.TABLE_WORDS),
    input: exports.inputPointer(),
    decode: latin1Decoder(all),
  };
}

// One instance per nesting depth: a callback that parses synchronously with another parser
// (a proxy, a test) gets its own memory instead of overwriting the table being walked.
let moduleBytes: Uint8Array | undefined;
const pool: Wasm[] = [];
let depth = 0;

/** The instance parsers keep their state slots in (the one calls at nesting depth 0 run on). */
export function home(): Wasm {
  return (pool[0] ??= instantiate((moduleBytes ??= decodeBase64(WASM_BASE64))));
}

export function enter(): Wasm {
  const w = (pool[depth] ??= instantiate((moduleBytes ??= decodeBase64(WASM_BASE64))));
  depth++;
  return w;
}

export function leave(): void {
  depth--;
}

/** Replaces the module every later parse runs on (tests run every suite on the scalar build too). */
export function useWasm(bytes: Uint8Array): void {
  instantiate(bytes);
  moduleBytes = bytes;
  pool.length = 0;
}
