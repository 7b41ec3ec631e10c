// Byte classes and the word tables (methods, well-known header names), built once at init.
// The words themselves come from JS (METHODS, LLHTTP_ONLY_METHODS, KNOWN_HEADERS in names.ts),
// written into memory before setup: as AssemblyScript strings they would be the module's data
// section (the twelve LLHTTP_ONLY_METHODS alone were 542 bytes of it, 0.3 KB gzipped).
import { NameCase } from "./constants";

export const CLASS = memory.data(256);
const C_TOKEN: u8 = 1; // findNonToken's scalar path tests this bit
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

// Known header names by hash: slot -> id + 1 (0 = empty), linear probing.
const HASH_SLOTS: u32 = 512;
const HEADER_HASH = memory.data(<i32>HASH_SLOTS);

// Per known name, 32-byte zero-padded copies for vector comparison: lower-case, then as spelled.
const PADDED: usize = 32;
// Every known name fits in PADDED bytes (the longest, Access-Control-Allow-Credentials, is 32).
const MAX_KNOWN = 128;
const HEADER_PADDED = memory.data(MAX_KNOWN * 2 * <i32>PADDED, 16);

/**
 * Hash of a tchar name from its length and its first two and last two bytes, case-folded (one
 * multiply; a one-byte name, never a known one, hashes the byte before it too).
 */
// @ts-ignore: decorator
@inline function nameHash(p: usize, n: usize): u32 {
  const h = (<u32>load<u16>(p) | (<u32>load<u16>(p + n - 2) << 16)) | 0x20202020;
  return (h * 0x9e3779b1 + <u32>n) >> 23; // the top 9 bits: HASH_SLOTS
}

/** The method table's words: Node's METHODS, then LLHTTP_ONLY_METHODS (names.ts), found by length only among the first. */
let prefixWords: usize = 0;

/**
 * Builds a word table from `count` words at `src`, each a length byte and its bytes, the first
 * `indexed` of them found by length. Returns the address after the last word.
 */
function buildWordTable(base: usize, src: usize, count: usize, indexed: usize): usize {
  let at: usize = T_BYTES;
  for (let i: usize = 0; i < count; i++) {
    const n = <usize>load<u8>(src);
    src++;
    store<u16>(base + T_OFFSET + (i << 1), <u16>at);
    store<u8>(base + T_LENGTH + i, <u8>n);
    for (let j: usize = 0; j < n; j++) {
      const c = <u32>load<u8>(src + j);
      store<u8>(base + at + j, <u8>(c >= 0x41 && c <= 0x5a ? c | 0x20 : c));
      store<u8>(base + at + n + j, <u8>c);
    }
    src += n;
    at += 2 * n + 8; // 8 spare bytes: comparisons load whole u64 words
  }
  let k = 0;
  for (let len = 1; len <= MAX_WORD_LENGTH; len++) {
    store<u8>(base + T_BY_LEN_START + <usize>len, <u8>k);
    for (let i: usize = 0; i < indexed; i++) {
      if (<i32>load<u8>(base + T_LENGTH + i) == len) {
        store<u8>(base + T_IDS + <usize>k, <u8>i);
        k++;
      }
    }
    store<u8>(base + T_BY_LEN_COUNT + <usize>len, <u8>(k - load<u8>(base + T_BY_LEN_START + <usize>len)));
  }
  return src;
}

/**
 * `words`: the methods, the methods only llhttp knows, then the known header names, in their
 * lists' order, each a length byte and its bytes.
 */
export function initTables(words: usize, methods: usize, llhttpOnly: usize, headers: usize): void {
  // Bit c of a mask is byte c (the low mask) or byte 64 + c (the high one); bytes from 128 are
  // neither (CLASS starts zeroed).
  // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
  const TOKEN_LOW: u64 = 0x03ff6cfa00000000; // ! # $ % & ' * + - . 0-9
  const TOKEN_HIGH: u64 = 0x57ffffffc7fffffe; // A-Z ^ _ ` a-z | ~
  const HEX_LOW: u64 = 0x03ff000000000000; // 0-9
  const HEX_HIGH: u64 = 0x0000007e0000007e; // A-F a-f
  for (let c: usize = 0; c < 128; c++) {
    const low = c < 64;
    const bit = <u64>1 << <u64>c; // (shift counts are taken mod 64)
    store<u8>(CLASS + c, (((low ? TOKEN_LOW : TOKEN_HIGH) & bit) != 0 ? C_TOKEN : 0) | (((low ? HEX_LOW : HEX_HIGH) & bit) != 0 ? C_HEX : 0));
  }
  prefixWords = methods + llhttpOnly;
  buildWordTable(HEADER_TABLE, buildWordTable(METHOD_TABLE, words, prefixWords, methods), headers, headers);
  for (let id: usize = 0; id < headers; id++) {
    const w = HEADER_TABLE + <usize>load<u16>(HEADER_TABLE + T_OFFSET + (id << 1));
    const n = <usize>load<u8>(HEADER_TABLE + T_LENGTH + id);
    memory.copy(HEADER_PADDED + id * 2 * PADDED, w, n);
    memory.copy(HEADER_PADDED + id * 2 * PADDED + PADDED, w + n, n);
    let slot = nameHash(w, n);
    while (load<u8>(HEADER_HASH + <usize>slot) != 0) slot = (slot + 1) & (HASH_SLOTS - 1);
    store<u8>(HEADER_HASH + <usize>slot, <u8>(id + 1));
  }
}

/** The low `n` bytes (n < 8) of a u64. */
// @ts-ignore: decorator
@inline function lowBytes(n: usize): u64 {
  return (<u64>1 << (<u64>n << 3)) - 1;
}

/** Compares n bytes at a with n bytes at b; `fold` ORs 0x20 into a's bytes first. */
// @ts-ignore: decorator
@inline function bytesEqual(a: usize, b: usize, n: usize, fold: u64): bool {
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
 * n bytes at p (n <= 32) against a 32-byte padded word; `fold` lower-cases p's bytes first
 * (valid for tchars compared with letters, digits and "-"). May read 32 bytes at p.
 */
// @ts-ignore: decorator
@inline function sameBytes(p: usize, padded: usize, n: usize, fold: bool): bool {
  if (ASC_FEATURE_SIMD) {
    // (No OR at all without `fold`: binaryen keeps an OR with zero, and V8 emits it.)
    const f = i8x16.splat(0x20);
    const low = i8x16.bitmask(i8x16.eq(fold ? v128.or(v128.load(p), f) : v128.load(p), v128.load(padded)));
    // The first n lanes match when the first mismatch (ctz of the inverted mask: at most 16, the
    // inverted high bits are set) is at n or later.
    if (n <= 16) return <usize>ctz(~low) >= n;
    return low == 0xffff && <usize>ctz(~i8x16.bitmask(i8x16.eq(fold ? v128.or(v128.load(p, 16), f) : v128.load(p, 16), v128.load(padded, 16)))) >= n - 16;
  }
  return bytesEqual(p, padded, n, fold ? FOLD : 0);
}

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

/** Longest prefix of the n bytes at p that starts some method llhttp knows (to place an error as llhttp does). */
export function methodPrefixLength(p: usize, n: usize): usize {
  const t = METHOD_TABLE;
  let best: usize = 0;
  for (let id: usize = 0; id < prefixWords; id++) {
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
// @ts-ignore: decorator
@inline export function lookupHeader(p: usize, n: usize): u32 {
  // (No length limit to test first: a name longer than every known one matches no entry's length.)
  const t = HEADER_TABLE;
  let slot = nameHash(p, n);
  while (true) {
    const entry = <usize>load<u8>(HEADER_HASH + <usize>slot);
    if (entry == 0) return 0;
    const id = entry - 1;
    if (<usize>load<u8>(t + T_LENGTH + id) == n) {
      const lower = HEADER_PADDED + id * 2 * PADDED;
      // The usual spelling first: one comparison for what nearly every client sends.
      if (sameBytes(p, lower + PADDED, n, false)) return <u32>entry | (<u32>NameCase.CANONICAL << 8);
      if (sameBytes(p, lower, n, true)) {
        const spelling = sameBytes(p, lower, n, false) ? NameCase.LOWER : NameCase.OTHER;
        return <u32>entry | (<u32>spelling << 8);
      }
    }
    slot = (slot + 1) & (HASH_SLOTS - 1);
  }
  return 0;
}

/**
 * Whether the n bytes at p spell `word` ignoring case, where `word` is given as its
 * little-endian bytes (first 8, then the rest) and `fold` marks its letters with 0x20, so only
 * letters are case-folded. May read 16 bytes at p.
 */
// @ts-ignore: decorator
@inline export function isWord(p: usize, n: usize, length: usize, word: u64, fold: u64, rest: u64, restFold: u64): bool {
  if (n != length) return false;
  const head = n >= 8 ? ~(<u64>0) : lowBytes(n);
  if (((load<u64>(p) | fold) & head) != word) return false;
  return n <= 8 || ((load<u64>(p, 8) | restFold) & lowBytes(n - 8)) == rest;
}

// The list tokens framing depends on, as isWord arguments.
// @ts-ignore: decorator
@inline export function isClose(p: usize, n: usize): bool {
  return isWord(p, n, 5, 0x65736f6c63, 0x2020202020, 0, 0);
}
// @ts-ignore: decorator
@inline export function isKeepAlive(p: usize, n: usize): bool {
  return isWord(p, n, 10, 0x696c612d7065656b, 0x2020200020202020, 0x6576, 0x2020);
}
// @ts-ignore: decorator
@inline export function isUpgrade(p: usize, n: usize): bool {
  return isWord(p, n, 7, 0x65646172677075, 0x20202020202020, 0, 0);
}
// @ts-ignore: decorator
@inline export function isChunked(p: usize, n: usize): bool {
  return isWord(p, n, 7, 0x64656b6e756863, 0x20202020202020, 0, 0);
}
