// wasm entry: fixes the memory layout once, then exports the parser's calls.
// Memory is laid out at instantiation and never grows afterwards, whatever the input.
// Before the first call, JS writes the word lists into the input buffer and calls setup().
// Layout, at addresses JS knows from Limits: a scratch state block, the parsers' state slots,
// the input buffer, the token table.
import { Limits, State } from "./constants";
import { initTables } from "./tables";

export { execute } from "./http";

const PAGE: usize = 65536;

function layout(): void {
  // The static tables (memory.data) must end below the state blocks: a build that breaks this
  // fails at instantiation, in every test.
  if (__heap_base > <usize>Limits.STATE_AT) unreachable();
  const inputPtr = <usize>Limits.STATE_AT + (<usize>Limits.SLOTS + 1) * <usize>Limits.SLOT_BYTES;
  if (inputPtr != <usize>Limits.INPUT_AT) unreachable();
  const tablePtr = inputPtr + <usize>Limits.INPUT_CAPACITY + <usize>Limits.INPUT_SLACK;
  const top = tablePtr + (<usize>Limits.TABLE_WORDS << 2);
  const pages = <i32>((top + PAGE - 1) / PAGE);
  if (memory.size() < pages) memory.grow(pages - memory.size());
}
layout();

/**
 * Builds the lookup tables from the method and known header names JS wrote at Limits.INPUT_AT.
 * Returns State.WORDS: JS checks it to know the module is this build's parser.
 */
export function setup(methods: i32, llhttpOnly: i32, headers: i32): i32 {
  initTables(<usize>Limits.INPUT_AT, <usize>methods, <usize>llhttpOnly, <usize>headers);
  return State.WORDS;
}
