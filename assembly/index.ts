// wasm entry: fixes the memory layout once, then exports the parser's two calls.
// Memory is laid out at instantiation and never grows afterwards, whatever the input.
// Before the first call, JS writes the word lists into the input buffer and calls setup().
// Layout: a scratch state block, the parsers' state slots, the input buffer, the token table.
// JS finds the slots and the table from the other two pointers and Limits, as layout() places them.
import { Limits, State } from "./constants";
import { initTables } from "./tables";
import { setLayout } from "./http";

export { execute, check, finish } from "./http";

const PAGE: usize = 65536;

let statePtr: usize = 0;
let inputPtr: usize = 0;

function layout(): void {
  statePtr = (__heap_base + 15) & ~15;
  const slotsPtr = statePtr + (<usize>Limits.SLOT_BYTES);
  inputPtr = slotsPtr + <usize>Limits.SLOTS * <usize>Limits.SLOT_BYTES;
  const tablePtr = inputPtr + <usize>Limits.INPUT_CAPACITY + <usize>Limits.INPUT_SLACK;
  const top = tablePtr + (<usize>Limits.TABLE_WORDS << 2);
  const pages = <i32>((top + PAGE - 1) / PAGE);
  if (memory.size() < pages) memory.grow(pages - memory.size());
  setLayout(inputPtr, tablePtr, Limits.TABLE_WORDS);
}
layout();

/** Builds the lookup tables from the method and known header names JS wrote at inputPointer(). */
export function setup(methods: i32, llhttpOnly: i32, headers: i32): void {
  initTables(inputPtr, <usize>methods, <usize>llhttpOnly, <usize>headers);
}

export function statePointer(): usize { return statePtr; }
export function inputPointer(): usize { return inputPtr; }
export function stateWords(): i32 { return State.WORDS; }
