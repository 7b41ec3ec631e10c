// The core outside Node: the packed package, imported by name, runs test/scenarios/core.mjs in
// Deno, Bun and workerd (a Worker built as wrangler builds one), and every result must deep-equal
// Node's. Browsers: test/browser.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { CORE_SCENARIO as SCENARIO, coreInput as input, expectReference, type CoreRun as Run } from './support/core-scenario.js';
import { DENO, BUN, newestCompatibilityDate, runBun, runDeno, runNode, runtimeVersion, runWorkerd } from './support/runtimes/index.js';

const versions = { deno: await runtimeVersion(DENO), bun: `bun ${await runtimeVersion(BUN)}` };
let node: Run;

beforeAll(async () => {
  node = (await runNode(SCENARIO, input)) as Run;
}, 180_000);

describe('the reference run (Node, the packed package)', () => {
  it('covers every fixture, agrees with itself at every split, and keeps 5000 live parsers apart', () => {
    expectReference(node);
    expect(node.environment).toEqual({ hasBuffer: true, hasFinalizationRegistry: true, rootHasHTTPParser: true });
  });
});

describe('Deno and Bun: the package imported by name', () => {
  it(`${versions.deno} returns what Node returns`, async () => {
    const deno = (await runDeno(SCENARIO, input)) as Run;
    expect(deno.environment.rootHasHTTPParser).toBe(true); // Deno resolves with the `node` condition
    expect(deno.results).toEqual(node.results);
  });

  it(`${versions.bun} returns what Node returns`, async () => {
    const bun = (await runBun(SCENARIO, input)) as Run;
    expect(bun.environment.rootHasHTTPParser).toBe(true); // so does Bun
    expect(bun.results).toEqual(node.results);
  });
});

describe('workerd: a Worker built with wrangler\'s conditions, the wasm a module', () => {
  it('with compatibility date 2024-09-23 (no FinalizationRegistry) returns what Node returns', async () => {
    const worker = (await runWorkerd(SCENARIO, input, { compatibilityDate: '2024-09-23' })) as Run;
    expect(worker.environment).toEqual({ hasBuffer: false, hasFinalizationRegistry: false, rootHasHTTPParser: false });
    expect(worker.results).toEqual(node.results);
  });

  it(`with today's compatibility date (${newestCompatibilityDate()}, or the newest this workerd knows) returns what Node returns`, async () => {
    const worker = (await runWorkerd(SCENARIO, input)) as Run;
    expect(worker.environment).toMatchObject({ hasFinalizationRegistry: true, rootHasHTTPParser: false });
    expect(worker.results).toEqual(node.results);
  });

  it("the edge-light entry (Vercel's edge), its './wirehttp.wasm?module' import bundled as a module, returns what Node returns", async () => {
    // No local Vercel edge runtime exists; workerd holds the same rule (no wasm from bytes), so it stands in.
    const worker = (await runWorkerd(SCENARIO, input, { conditions: ['edge-light', 'worker', 'browser'] })) as Run;
    expect(worker.results).toEqual(node.results);
  });

  it("init() with 'wirehttp/wirehttp.wasm' imported as a module runs the default entry there too", async () => {
    const scenario = new URL('./scenarios/init-module.mjs', import.meta.url).pathname;
    const worker = await runWorkerd(scenario, undefined, { conditions: ['worker', 'browser'] });
    expect(worker).toEqual({ isModule: true, url: '/by-hand', headers: { host: 'w' } });
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
