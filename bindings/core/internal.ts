// What the parser shares with the layers built on it: the internals it keeps behind symbols, and
// small helpers they use too. Nothing here touches the parser's class or the wasm, so a bundle of
// its own (the http-parser-js layer, dist/http-parser-js.js, bundled on top of the root's) takes
// these without a copy of the parser.
import { LENIENT_NAMES } from '../../assembly/names.js';
import type { ParserOptions } from './parser.js';

// A sink reads head records (head.ts's readers) and answers with a Decision.
export { Decision, Flag, Head } from '../../assembly/constants.js';
export { headFields, headTarget } from './head.js';

/**
 * Internals behind symbols (the fuzzer's allocation-free failure path, the http-parser-js layer's
 * sink); not part of the API. Registered symbols: the http-parser-js layer is a bundle of its own
 * on top of the root's (dist/http-parser-js.js), and reaches its parsers' internals through them.
 */
export const kExecuteQuiet = Symbol.for('wirehttp.executeQuiet');
export const kFinishQuiet = Symbol.for('wirehttp.finishQuiet');
export const kFailure = Symbol.for('wirehttp.failure');
/**
 * Internal: a parser whose [kSink] is set hands heads, body pieces and message ends to it
 * instead of building MessageHead / MessageEnd for the on* properties. wirehttp's http-parser-js
 * drop-in builds its own shapes straight from the token table so (MessageHead and MessageEnd
 * are most of a short message's cost past the wasm call). A field, not subclass methods: walk()
 * stays monomorphic and HttpParser's own path stays inline.
 */
export const kSink = Symbol.for('wirehttp.sink');

export interface TableSink {
  /** Head record t[i], its section decoded as `text`, which starts at input offset `base`; returns a Decision. */
  head(t: Uint32Array, i: number, text: string, base: number): number;
  /** Body bytes chunk[from, from + length). */
  body(chunk: Uint8Array, from: number, length: number): void;
  /** A message's end, with its trailers ([] when none) and the stream offset just after it. */
  complete(rawTrailers: string[], offset: number): void;
}

type BodyView = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => Uint8Array;

/** A view of chunk[from, from + length), made as chunk.subarray makes it (the species constructor) minus its argument checks. */
export function bodyView(chunk: Uint8Array, from: number, length: number): Uint8Array {
  const View = (chunk.constructor as { [Symbol.species]?: BodyView })[Symbol.species] ?? Uint8Array;
  return new View(chunk.buffer, chunk.byteOffset + from, length);
}

/** A `lenient` option as the wasm's Lenient bits (bit i is LENIENT_NAMES[i]). */
export function lenientBits(lenient: ParserOptions['lenient']): number {
  if (lenient === true) return (1 << LENIENT_NAMES.length) - 1;
  if (!lenient) return 0;
  let bits = 0;
  for (const key of Object.keys(lenient)) {
    const bit = (LENIENT_NAMES as readonly string[]).indexOf(key);
    if (bit < 0) throw new TypeError(`wirehttp: unknown lenient flag "${key}" (known: ${LENIENT_NAMES.join(', ')})`);
    if ((lenient as Record<string, boolean>)[key]) bits |= 1 << bit;
  }
  return bits;
}
