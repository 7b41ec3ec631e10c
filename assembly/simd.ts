// The one place the parser scans many bytes at once. SIMD when built with --enable simd,
// a scalar loop beside it otherwise (picohttpparser keeps the same split).

/** 0x80 once the scanners have seen a byte >= 0x80, so JS can take a fast ASCII decode path. */
export let seenHighBits: u32 = 0;

export function resetSeenHighBits(): void {
  seenHighBits = 0;
}

/**
 * First position in [p, end) holding a byte below `floor`, DEL (0x7f), or, when
 * `stopHigh` is set, a byte >= 0x80. Returns `end` when there is none.
 * Field values scan with floor 0x20 (stops at CTLs incl. HTAB, CR, LF);
 * request targets with floor 0x21 and stopHigh (stops at SP too).
 *
 * The SIMD build reads the last vector whole even when fewer than 16 bytes are left (the input
 * buffer has slack after it, see index.ts): the lanes past `end` are masked out, so short values
 * and the last lines of an input need no byte-at-a-time tail.
 */
// @ts-ignore: decorator
@inline
export function findSpecial(p: usize, end: usize, floor: u32, stopHigh: bool): usize {
  if (ASC_FEATURE_SIMD) {
    // Signed compare also catches bytes >= 0x80 (they are negative). The unsigned `v < floor`
    // is written `min_u(v, floor - 1) == v`: V8 has no unsigned compare on x64 and would
    // otherwise add a negation.
    const lo = i8x16.splat(<i8>(stopHigh ? floor : floor - 1));
    const del = i8x16.splat(0x7f);
    let high = v128.splat<i64>(0);
    while (true) {
      let v = v128.load(p);
      let hit = stopHigh ? i8x16.lt_s(v, lo) : i8x16.eq(i8x16.min_u(v, lo), v);
      hit = v128.or(hit, i8x16.eq(v, del));
      let mask = i8x16.bitmask(hit);
      const left = end - p;
      if (left < 16) {
        // The last, partial vector. The bytes past `end` are not the input's: they stop
        // nothing and set no flag.
        if ((i8x16.bitmask(v) & ((<i32>1 << <i32>left) - 1)) != 0) seenHighBits |= 0x80;
        mask |= <i32>1 << <i32>left;
        v = high;
      }
      high = v128.or(high, v);
      if (mask != 0) {
        // bitmask() is one bit per lane, not the bytes' OR: fold it into the 0x80 flag.
        if (i8x16.bitmask(high) != 0) seenHighBits |= 0x80;
        return p + <usize>ctz(mask);
      }
      p += 16;
    }
  }
  let seen: u32 = 0;
  while (p < end) {
    const c = <u32>load<u8>(p);
    seen |= c;
    if (c < floor || c == 0x7f || (stopHigh && c >= 0x80)) break;
    p++;
  }
  seenHighBits |= seen & 0x80;
  return p;
}

/**
 * First position in [p, end) that is not a tchar (RFC 9110 token character), or `end`.
 * `table` is the scalar classifier (CLASS), for builds without SIMD.
 */
// @ts-ignore: decorator
@inline
export function findNonToken(p: usize, end: usize, table: usize): usize {
  if (ASC_FEATURE_SIMD) {
    // tchar classification by nibbles: a byte is a tchar when TCHAR_LO[low nibble] and
    // TCHAR_HI[high nibble] share a bit (bit k stands for high nibble k + 2).
    const TCHAR_LO = i8x16(58, 63, 62, 63, 63, 63, 63, 63, 62, 62, 61, 21, 52, 21, 61, 28);
    const TCHAR_HI = i8x16(0, 0, 1, 2, 4, 8, 16, 32, 0, 0, 0, 0, 0, 0, 0, 0);
    // As findSpecial, the last vector is read whole: the lanes past `end` count as non-tchars.
    // One nibble mask serves both halves: the high nibble is a 16-bit shift then the mask,
    // which is what V8 emits for an 8-bit shift anyway, less a second constant.
    const nibble = i8x16.splat(0x0f);
    while (true) {
      const v = v128.load(p);
      const lo = i8x16.swizzle(TCHAR_LO, v128.and(v, nibble));
      const hi = i8x16.swizzle(TCHAR_HI, v128.and(i16x8.shr_u(v, 4), nibble));
      let mask = i8x16.bitmask(i8x16.eq(v128.and(lo, hi), i8x16.splat(0)));
      const left = end - p;
      if (left < 16) mask |= <i32>1 << <i32>left;
      if (mask != 0) return p + <usize>ctz(mask);
      p += 16;
    }
    return p;
  }
  while (p < end && (load<u8>(table + <usize>load<u8>(p)) & 1) != 0) p++;
  return p;
}

/** First position in [p, end) holding the byte `b`, or `end` (the last vector read whole, as above). */
// @ts-ignore: decorator
@inline
export function findByte(p: usize, end: usize, b: u32): usize {
  if (ASC_FEATURE_SIMD) {
    const needle = i8x16.splat(<i8>b);
    while (true) {
      let mask = i8x16.bitmask(i8x16.eq(v128.load(p), needle));
      const left = end - p;
      if (left < 16) mask |= <i32>1 << <i32>left;
      if (mask != 0) return p + <usize>ctz(mask);
      p += 16;
    }
  }
  while (p < end && <u32>load<u8>(p) != b) p++;
  return p;
}
