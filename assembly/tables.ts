// Byte classes and the word tables (methods, well-known header names), built once at init.
import { METHODS, KNOWN_HEADERS, NameCase } from "./constants";

const CLASS = memory.data(256);
const C_TOKEN: u8 = 1;
const C_HEX: u8 = 2;

// @ts-ignore: decorator
@inline export function isToken(c: u32): bool {
  return (load<u8>(CLASS + c) & C_TOKEN) != 0;
}

// @ts-ignore: decorator
@inline export function isHex(c: u32): bool {
  return (load<u8>(CLASS + c) & C_HEX) != 0;
}

// @ts-ignore: decorator
@inline export function hexValue(c: u32): u32 {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

/**
 * A word table: the words' bytes (lower-cased and as listed), and the ids grouped by length.
 * Layout at `base`: u16 offset[256], u8 length[256], u8 byLenStart[64], u8 byLenCount[64],
 * u8 ids[256], then the bytes.
 */
const MAX_WORD_LENGTH: i32 = 63;
const T_OFFSET: usize = 0;
const T_LENGTH: usize = 512;
const T_BY_LEN_START: usize = 768;
const T_BY_LEN_COUNT: usize = 832;
const T_IDS: usize = 896;
const T_BYTES: usize = 1152;
const TABLE_SIZE: usize = 8192;

const METHOD_TABLE = memory.data(<i32>TABLE_SIZE);
const HEADER_TABLE = memory.data(<i32>TABLE_SIZE);

function buildWordTable(base: usize, words: string[]): void {
  let at: usize = T_BYTES;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const n = w.length;
    store<u16>(base + T_OFFSET + (<usize>i << 1), <u16>at);
    store<u8>(base + T_LENGTH + <usize>i, <u8>n);
    for (let j = 0; j < n; j++) {
      const c = <u32>w.charCodeAt(j);
      store<u8>(base + at + <usize>j, <u8>(c >= 0x41 && c <= 0x5a ? c | 0x20 : c));
      store<u8>(base + at + <usize>(n + j), <u8>c);
    }
    at += <usize>(2 * n + 8); // 8 spare bytes: comparisons load whole u64 words
  }
  let k = 0;
  for (let len = 1; len <= MAX_WORD_LENGTH; len++) {
    store<u8>(base + T_BY_LEN_START + <usize>len, <u8>k);
    for (let i = 0; i < words.length; i++) {
      if (words[i].length == len) {
        store<u8>(base + T_IDS + <usize>k, <u8>i);
        k++;
      }
    }
    store<u8>(base + T_BY_LEN_COUNT + <usize>len, <u8>(k - load<u8>(base + T_BY_LEN_START + <usize>len)));
  }
}

export function initTables(): void {
  for (let c = 0; c < 256; c++) {
    let cls: u8 = 0;
    const alnum = (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    if (alnum || c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b || c == 0x2d ||
        c == 0x2e || c == 0x5e || c == 0x5f || c == 0x60 || c == 0x7c || c == 0x7e) cls |= C_TOKEN;
    if ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66)) cls |= C_HEX;
    store<u8>(CLASS + <usize>c, cls);
  }
  buildWordTable(METHOD_TABLE, METHODS);
  buildWordTable(HEADER_TABLE, KNOWN_HEADERS);
}

/** The low `n` bytes (n < 8) of a u64. */
// @ts-ignore: decorator
@inline function lowBytes(n: usize): u64 {
  return (<u64>1 << (<u64>n << 3)) - 1;
}

/** Compares n bytes at a with n bytes at b; `fold` ORs 0x20 into a's bytes first. */
function bytesEqual(a: usize, b: usize, n: usize, fold: u64): bool {
  while (n >= 8) {
    if ((load<u64>(a) | fold) != load<u64>(b)) return false;
    a += 8; b += 8; n -= 8;
  }
  if (n == 0) return true;
  const mask = lowBytes(n);
  return ((load<u64>(a) | fold) & mask) == (load<u64>(b) & mask);
}

const FOLD: u64 = 0x2020202020202020;

/**
 * Method id for the n bytes at p (case-sensitive), or -1.
 */
export function lookupMethod(p: usize, n: usize): i32 {
  if (n == 0 || n > <usize>MAX_WORD_LENGTH) return -1;
  const t = METHOD_TABLE;
  const first = <usize>load<u8>(t + T_BY_LEN_START + n);
  const count = <usize>load<u8>(t + T_BY_LEN_COUNT + n);
  for (let k = first; k < first + count; k++) {
    const id = <usize>load<u8>(t + T_IDS + k);
    const w = t + <usize>load<u16>(t + T_OFFSET + (id << 1));
    if (bytesEqual(p, w + n, n, 0)) return <i32>id;
  }
  return -1;
}

/** Longest prefix of the n bytes at p that starts some method (to place an error). */
export function methodPrefixLength(p: usize, n: usize): usize {
  const t = METHOD_TABLE;
  let best: usize = 0;
  for (let id: usize = 0; id < <usize>METHODS.length; id++) {
    const w = t + <usize>load<u16>(t + T_OFFSET + (id << 1));
    const len = <usize>load<u8>(t + T_LENGTH + id);
    let k: usize = 0;
    while (k < n && k < len && load<u8>(p + k) == load<u8>(w + len + k)) k++;
    if (k > best) best = k;
  }
  return best;
}

/**
 * Known-header id (index + 1) for the n-byte token at p, case-insensitively, or 0;
 * bits 8.. hold the NameCase. Only valid for bytes already checked to be tchars.
 */
export function lookupHeader(p: usize, n: usize): u32 {
  if (n > <usize>MAX_WORD_LENGTH) return 0;
  const t = HEADER_TABLE;
  const first = <usize>load<u8>(t + T_BY_LEN_START + n);
  const count = <usize>load<u8>(t + T_BY_LEN_COUNT + n);
  const head = <u32>load<u8>(p) | 0x20;
  for (let k = first; k < first + count; k++) {
    const id = <usize>load<u8>(t + T_IDS + k);
    const w = t + <usize>load<u16>(t + T_OFFSET + (id << 1));
    if (<u32>load<u8>(w) != head || !bytesEqual(p, w, n, FOLD)) continue;
    let spelling = NameCase.OTHER;
    if (bytesEqual(p, w + n, n, 0)) spelling = NameCase.CANONICAL;
    else if (bytesEqual(p, w, n, 0)) spelling = NameCase.LOWER;
    return <u32>(id + 1) | (<u32>spelling << 8);
  }
  return 0;
}

/** Whether the n bytes at p equal `word` (lower-case ASCII) ignoring case. */
export function equalsIgnoreCase(p: usize, n: usize, word: string): bool {
  if (n != <usize>word.length) return false;
  for (let i: usize = 0; i < n; i++) {
    let c = <u32>load<u8>(p + i);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c != <u32>word.charCodeAt(<i32>i)) return false;
  }
  return true;
}
