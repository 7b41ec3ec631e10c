// The scalar build (no SIMD, for runtimes without it) must behave exactly like the SIMD build:
// every fixture whole and byte by byte, and generated messages, on both.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useWasm } from '../bindings/core/wasm.js';
import { loadFixtures } from './support/fixtures.js';
import { generateMessages } from '../bindings/cli/fuzz/generate.js';
import { wirehttpLog } from '../bindings/cli/fuzz/events.js';
import { rng } from '../bindings/cli/fuzz/random.js';

const simd = readFileSync(new URL('../build/wirehttp.wasm', import.meta.url));
const scalar = readFileSync(new URL('../build/wirehttp-scalar.wasm', import.meta.url));

function bothBuilds<T>(run: () => T): [T, T] {
  useWasm(simd);
  const a = run();
  useWasm(scalar);
  const b = run();
  useWasm(simd);
  return [a, b];
}

describe('scalar build', () => {
  it('is a different module from the SIMD build', () => {
    expect(Buffer.compare(simd, scalar)).not.toBe(0);
  });

  for (const f of loadFixtures()) {
    it(`${f.file}: ${f.name}`, () => {
      const cuts = Array.from({ length: f.raw.length - 1 }, (_, i) => i + 1);
      const [a, b] = bothBuilds(() => [wirehttpLog(f.type, f.raw, f.options), wirehttpLog(f.type, f.raw, f.options, cuts)]);
      expect(b).toEqual(a);
      expect(a[0]).toEqual(f.expected);
    });
  }

  it('agrees on 4000 generated near-valid messages', () => {
    for (const type of ['request', 'response'] as const) {
      const random = rng(type === 'request' ? 11 : 12);
      const inputs = Array.from({ length: 2000 }, () => generateMessages(random, type, 0.15));
      const [a, b] = bothBuilds(() => inputs.map((bytes) => wirehttpLog(type, bytes)));
      expect(b).toEqual(a);
    }
  });
});
