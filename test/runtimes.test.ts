// The core outside Node: the packed package, imported by name, runs test/scenarios/core.mjs in
// Deno, Bun and workerd (a Worker built as wrangler builds one), and every result must deep-equal
// Node's. Browsers: test/browser.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixtures } from './support/fixtures.js';
import { DENO, BUN, newestCompatibilityDate, runBun, runDeno, runNode, runtimeVersion, runWorkerd } from './support/runtimes/index.js';

const SCENARIO = new URL('./scenarios/core.mjs', import.meta.url).pathname;
const latin1 = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');
const input = { fixtures: loadFixtures().map((f) => ({ file: f.file, name: f.name, type: f.type, options: f.options, raw: latin1(f.raw) })) };

interface Run {
  environment: { hasBuffer: boolean; hasFinalizationRegistry: boolean };
  results: {
    fixtures: Record<string, { whole: unknown[]; byteByByte: unknown[]; splitsDiffering: number[] }>;
    slots: { parsers: number; wrong: number[]; churned: number; urls: string[] };
    initRejectsGarbage: boolean;
  };
}

let node: Run;

beforeAll(async () => {
  node = (await runNode(SCENARIO, input)) as Run;
}, 180_000);

describe('the reference run (Node, the packed package)', () => {
  it('covers every fixture, agrees with itself at every split, and keeps 5000 live parsers apart', () => {
    const fixtures = Object.values(node.results.fixtures);
    expect(fixtures.length).toBe(input.fixtures.length);
    for (const f of fixtures) {
      expect(f.splitsDiffering).toEqual([]);
      expect(f.byteByByte).toEqual(f.whole);
    }
    expect(node.results.slots).toEqual({ parsers: 5000, wrong: [], churned: 3 * 4096, urls: ['/before-free', '/after-reset'] });
    expect(node.results.initRejectsGarbage).toBe(true);
    expect(node.environment).toEqual({ hasBuffer: true, hasFinalizationRegistry: true });
  });
});

describe('Deno and Bun: the package imported by name', () => {
  it(`Deno (${DENO}) returns what Node returns`, async () => {
    const deno = (await runDeno(SCENARIO, input)) as Run;
    expect(deno.results).toEqual(node.results);
    expect((await runtimeVersion(DENO)).startsWith('deno ')).toBe(true);
  });

  it(`Bun (${BUN}) returns what Node returns`, async () => {
    const bun = (await runBun(SCENARIO, input)) as Run;
    expect(bun.results).toEqual(node.results);
  });
});

describe('workerd: a Worker built with wrangler\'s conditions, the wasm a module', () => {
  it('with compatibility date 2024-09-23 (no FinalizationRegistry) returns what Node returns', async () => {
    const worker = (await runWorkerd(SCENARIO, input, { compatibilityDate: '2024-09-23' })) as Run;
    expect(worker.environment).toEqual({ hasBuffer: false, hasFinalizationRegistry: false });
    expect(worker.results).toEqual(node.results);
  });

  it(`with today's compatibility date (${newestCompatibilityDate()}, or the newest this workerd knows) returns what Node returns`, async () => {
    const worker = (await runWorkerd(SCENARIO, input)) as Run;
    expect(worker.environment.hasFinalizationRegistry).toBe(true);
    expect(worker.results).toEqual(node.results);
  });

  it('needs the workerd entry: the embedded-bytes entry cannot compile its wasm there', async () => {
    // Built without the workerd condition, as a bundler for browsers would: Workers refuse to compile wasm from bytes.
    const failed = await runWorkerd(SCENARIO, input, { conditions: ['worker', 'browser'] }).then(
      () => 'ran',
      (error: Error) => error.message,
    );
    expect(failed).toMatch(/Wasm code generation disallowed by embedder/);
  });
});
