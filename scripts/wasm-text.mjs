// The wasm as printable ASCII for the embedded entry: the encoder of bindings/core/wasm-text.ts
// (which says why, and decodes).
const ROTATION = 65; // bindings/core/wasm-text.ts
const character = (d) => String.fromCharCode(d + 0x20 + (d + 0x20 >= 0x22 ? 1 : 0) + (d + 0x21 >= 0x5c ? 1 : 0));
const digitChar = (d) => character((d + ROTATION) % 91);
/** The swap bindings/core/wasm-text.ts undoes (its own inverse). */
const swapBytes = (v) => (v - 37 >>> 0 < 26 ? v + 69 : v - 106 >>> 0 < 26 ? v - 69 : v);

export function wasmToText(bytes) {
  let text = '';
  for (const byte of bytes) {
    const b = swapBytes(byte);
    text += b < 91 ? digitChar(b) : (b < 182 ? '}' : '~') + digitChar(b < 182 ? b - 91 : b - 182);
  }
  return text;
}
