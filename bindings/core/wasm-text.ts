// The wasm bytes as a string of printable ASCII, for the entry that carries the wasm inside the
// bundle. Every bundler keeps such a string as it is (bytes outside it become 4-character
// escapes), and gzip then sees nearly the wasm itself: about 4% (0.2 KB) over the gzipped wasm,
// where `\xNN` escapes cost 17% and base64 38%.
//
// Digits are the 91 characters from SP to `|` without `"` and `\`, rotated (ROTATION); a byte
// below 91 is one digit, a higher one `}` or `~` and a digit (91 + d, 182 + d), after the swap
// below. scripts/wasm-text.mjs encodes (at build time); test/size.test.ts checks that every byte
// value comes back.

// (A const enum: esbuild writes its members as numbers, where module constants stay variables.)
const enum Text {
  HIGH = 0x7d, // '}': 91 + digit; '~': 182 + digit
  ROTATION = 65,
  UNROTATE = 91 - ROTATION,
}

/**
 * Digit d is written as the character of (d + ROTATION) % 91: the wasm's commonest bytes (0x00
 * to 0x17: zeros, small immediates, local indices) come out as `c` to `z`, the characters
 * minified JS uses most, so the Huffman codes gzip shares between a bundle's JS and
 * this text fit both (−50 to −90 B gzipped in every bundle measured; brotli, which models
 * contexts apart, moves ±25 B).
 */
const digit = (code: number): number => (code - 0x20 - +(code > 0x22) - +(code > 0x5c) + Text.UNROTATE) % 91;

/*
 * Bytes 37–62 and 106–131 trade places (the swap is its own inverse), so that the i32 arithmetic
 * opcodes (0x6a add to 0x78 rotr), 0x7f (the i32 type, -1) and 0x80 (a LEB byte with more to
 * come) are one digit and the rarer loads and stores (0x28–0x3e) two: 1,669 two-character bytes
 * become 891, −50 B gzipped in the `HttpParser` bundle, the swap's code included.
 */
export function textToWasm(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < Text.HIGH ? digit(code) : (code - Text.HIGH + 1) * 91 + digit(text.charCodeAt(++i));
    bytes[n++] = v - 37 >>> 0 < 26 ? v + 69 : v - 106 >>> 0 < 26 ? v - 69 : v; // the swap
  }
  return bytes.subarray(0, n);
}
