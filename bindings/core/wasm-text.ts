// The wasm bytes as a string of printable ASCII, for the entry that carries the wasm inside the
// bundle. Every bundler keeps such a string as it is (bytes outside it become 4-character
// escapes), and gzip then sees nearly the wasm itself: about 1% over the gzipped wasm, where
// `\xNN` escapes cost 17% and base64 38%.
//
// Digits are the 91 characters from SP to `|` without `"` and `\`, rotated (ROTATION); a byte
// below 91 is one digit, a higher one `}` or `~` and a digit (91 + d, 182 + d).
// scripts/wasm-text.mjs encodes (at build time); test/init.test.ts checks that every byte value
// comes back.

const HIGH = 0x7d; // '}': 91 + digit; '~': 182 + digit

/**
 * Digit d is written as the character of (d + ROTATION) % 91: the wasm's commonest bytes (0x00
 * to 0x17: zeros, small immediates, local indices) come out as `c` to `z`, the characters
 * minified JS uses most, so the Huffman codes gzip shares between a bundle's JS and
 * this text fit both (−50 to −90 B gzipped in every bundle measured; brotli, which models
 * contexts apart, moves ±25 B).
 */
const ROTATION = 65;
const digit = (code: number): number => (code - 0x20 - +(code > 0x22) - +(code > 0x5c) + 91 - ROTATION) % 91;
export function textToWasm(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes[n++] = code < HIGH ? digit(code) : (code - HIGH + 1) * 91 + digit(text.charCodeAt(++i));
  }
  return bytes.subarray(0, n);
}
