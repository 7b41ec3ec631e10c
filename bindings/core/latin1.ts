// Head bytes become one string per head, decoded as latin1 exactly (byte n = U+00nn).
// TextDecoder('latin1') is windows-1252 in every runtime, so it is never used here.

interface NodeBufferLike {
  latin1Slice(start: number, end: number): string;
}
interface NodeBufferStatic {
  from(buffer: ArrayBuffer, offset?: number, length?: number): NodeBufferLike;
}

const NodeBuffer = (globalThis as unknown as { Buffer?: NodeBufferStatic }).Buffer;
const asciiDecoder = new TextDecoder(); // UTF-8

/**
 * Decodes bytes[start, end) as latin1; `ascii` says the range holds no byte above 0x7f. In Node
 * this is Buffer's native latin1Slice bound to a Buffer view of the memory itself (it ignores
 * `ascii`), so the hot path is one native call with no wrapper frame. Bound, not called as
 * `view.latin1Slice(…)`: V8 11's concurrent optimizing compiler (Node 20's default) compiles a
 * method read from a Buffer or typed array as a generic property lookup (a LoadIC call) on every
 * execution, where a call of a bound function it has seen becomes a direct call of the native.
 */
export type Latin1Decoder = (start: number, end: number, ascii: boolean) => string;

/** A decoder over `bytes`, which must not be detached or resized while it is in use. */
export function latin1Decoder(bytes: Uint8Array): Latin1Decoder {
  if (NodeBuffer && typeof NodeBuffer.from === 'function') {
    const view = NodeBuffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
    if (typeof view.latin1Slice === 'function') return view.latin1Slice.bind(view) as Latin1Decoder;
  }
  return (start, end, ascii) => (ascii ? asciiDecoder.decode(bytes.subarray(start, end)) : latin1Slow(bytes, start, end));
}

export function latin1Slow(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let at = start; at < end; at += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(at, Math.min(end, at + 4096)) as unknown as number[]);
  }
  return out;
}

/** The inverse: a string of code points 0–255 as bytes (one byte per character). */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
