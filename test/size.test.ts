// The parser entry's size budgets (scripts/size.mjs), minified + gzipped, JS and wasm together: the whole
// entry with the wasm embedded and with it as a file, and a typical user's tree-shaken bundle (HttpParser or
// parseRequest alone). A byte count, not a timing.
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { measure, PARSER_BUDGET, TYPICAL_BUDGET } from '../scripts/size.mjs';
import { wasmToText } from '../scripts/wasm-text.mjs';
import { WASM_TEXT } from '../bindings/core/wasm-binary.generated.js';
import { textToWasm } from '../bindings/core/wasm-text.js';

it('the wirehttp entry stays within its min+gz budget, JS + wasm, in both forms', async () => {
  const rows = (await measure()) as { entry: string; js?: number; wasm?: number; total: number; budget?: number }[];
  const parser = rows.filter((r) => r.budget === PARSER_BUDGET);
  expect(parser.length).toBe(2);
  for (const r of parser) {
    expect(r.js! + r.wasm!, r.entry).toBe(r.total);
    expect(r.total, `${r.entry} is over its budget: npm run size, and README "Size" for what weighs what`).toBeLessThanOrEqual(PARSER_BUDGET);
    expect(r.wasm!, r.entry).toBeGreaterThan(3000); // the wasm is really in the count
  }
});

it('a bundle importing HttpParser or parseRequest alone stays within its budget', async () => {
  const rows = (await measure()) as { entry: string; js?: number; wasm?: number; total: number; budget?: number }[];
  const typical = rows.filter((r) => r.budget === TYPICAL_BUDGET);
  expect(typical.length).toBe(2);
  for (const r of typical) {
    expect(r.total, `${r.entry} is over its budget: npm run size, and README "Size" for what weighs what`).toBeLessThanOrEqual(TYPICAL_BUDGET);
    expect(r.wasm!, r.entry).toBeGreaterThan(3000); // the entry's wasm loader survives the tree-shaking
  }
});

it('http-parser-js\'s API is a layer on the root, not in it: the root under the `node` condition re-exports the two bundles', () => {
  const read = (file: string) => readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8');
  for (const root of ['index.js', 'index.cjs', 'workerd.js', 'edge-light.js']) expect(read(root), root).not.toContain('_compatMode0_11');
  // Its own bundle imports the parser from the root's (one wasm instance), with no copy of the parser class.
  const layer = read('http-parser-js.js');
  expect(layer).toContain('_compatMode0_11');
  expect(layer).toMatch(/from "\.\/index\.js"/);
  expect(layer).not.toMatch(/tryExecute\(\w+\) \{/);
  expect(read('index.node.js')).toMatch(/export \* from "\.\/index\.js";\s*export \* from "\.\/http-parser-js\.js";/);
});

it('the embedded wasm is printable ASCII that decodes to dist/wirehttp.wasm byte for byte, every byte value included', () => {
  expect(/^[ -~]*$/.test(WASM_TEXT) && !/["\\]/.test(WASM_TEXT)).toBe(true);
  expect(Buffer.from(textToWasm(WASM_TEXT)).equals(readFileSync(new URL('../dist/wirehttp.wasm', import.meta.url)))).toBe(true);
  const every = Uint8Array.from({ length: 256 }, (_, i) => i);
  expect(textToWasm(wasmToText(every))).toEqual(every);
});
