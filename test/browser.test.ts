// The runtime-neutral core in real browsers: Debian's Chromium (playwright-core) and Firefox ESR
// (puppeteer-core), each running test/scenarios/core.mjs, bundled from the packed package with
// the browser conditions, on the page's main thread and in a module Web Worker (where there is no
// Buffer), served from loopback. Every result must deep-equal Node's (the same scenario run by
// Node on the same package). Also: the core bundles for browsers with no Node built-in.
import { builtinModules } from 'node:module';
import { build, type Message, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_SCENARIO, coreInput, expectReference, type CoreRun } from './support/core-scenario.js';
import { openBrowser, runNode, type BrowserName, type BrowserSession } from './support/runtimes/index.js';

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

let node: CoreRun;

beforeAll(async () => {
  node = (await runNode(CORE_SCENARIO, coreInput)) as CoreRun;
  expectReference(node);
}, 180_000);

describe('bindings/core bundled for the browser', () => {
  let bundleText = '';
  let bundleError: unknown;
  let bundleErrors: Message[] = [];
  let bundleWarnings: Message[] = [];
  let metafile: Metafile | undefined;

  beforeAll(async () => {
    try {
      const result = await build({
        entryPoints: [new URL('../bindings/core/index.ts', import.meta.url).pathname],
        platform: 'browser',
        format: 'esm',
        bundle: true,
        write: false,
        external: [],
        target: 'es2022',
        legalComments: 'none',
        logLevel: 'silent',
        metafile: true,
      });
      bundleErrors = result.errors;
      bundleWarnings = result.warnings;
      metafile = result.metafile;
      bundleText = result.outputFiles.map((file) => file.text).join('\n');
    } catch (error) {
      bundleError = error;
      bundleErrors = (error as { errors?: Message[] }).errors ?? [];
      bundleWarnings = (error as { warnings?: Message[] }).warnings ?? [];
    }
  });

  it('has no Node built-in', () => {
    expect(bundleError, String(bundleError)).toBeUndefined();
    expect(bundleErrors).toEqual([]);
    expect(bundleWarnings).toEqual([]);
    expect(bundleText.length).toBeGreaterThan(1000);

    // Self-contained: no import left in the output, every input a file of the project.
    const outputs = Object.values(metafile!.outputs);
    expect(outputs.flatMap((output) => output.imports)).toEqual([]);
    for (const input of Object.keys(metafile!.inputs)) {
      expect(NODE_BUILTINS.has(input), input).toBe(false);
      expect(input).toMatch(/^(bindings\/core|assembly)\/[\w./-]+\.ts$/);
    }

    // No require() of a Node module, and no node: specifier, anywhere in the text.
    const requires = [...bundleText.matchAll(/\brequire\s*\(\s*(["'`])([^"'`]+)\1/g)].map((m) => m[2]);
    expect(requires.filter((name) => NODE_BUILTINS.has(name) || name.startsWith('node:'))).toEqual([]);
    expect(bundleText).not.toMatch(/\b__require\b/);
    expect(bundleText).not.toMatch(/(?:\bfrom|\bimport|\brequire)\s*\(?\s*["'`]node:/);
    expect(bundleText).not.toMatch(/["'`]node:[a-z_/]+["'`]/);
    // A static or dynamic import of any built-in by its bare name.
    for (const name of builtinModules) {
      const quoted = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      expect(bundleText, `imports ${name}`).not.toMatch(new RegExp(`(?:\\bfrom|\\bimport)\\s*\\(?\\s*["'\`]${quoted}["'\`]`));
    }
  });
});

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`bindings/core in ${name}`, () => {
    let session: BrowserSession | undefined;

    beforeAll(async () => {
      session = await openBrowser(name);
    }, 120_000);

    afterAll(async () => {
      await session?.close();
    }, 60_000);

    it('on the page: what Node returns, without Buffer', async () => {
      const run = (await session!.runInPage(CORE_SCENARIO, coreInput)) as CoreRun;
      expect(run.environment).toEqual({ hasBuffer: false, hasFinalizationRegistry: true, rootHasHTTPParser: false });
      expect(run.results).toEqual(node.results);
    });

    it('in a module Web Worker: what Node returns, without Buffer', async () => {
      const run = (await session!.runInWorker(CORE_SCENARIO, coreInput)) as CoreRun;
      expect(run.environment).toEqual({ hasBuffer: false, hasFinalizationRegistry: true, rootHasHTTPParser: false });
      expect(run.results).toEqual(node.results);
    });

    it('stays on loopback with no page error', () => {
      expect(session!.problems).toEqual([]);
      expect(session!.requested.length).toBeGreaterThan(0);
      for (const url of session!.requested) expect(url.startsWith(`${session!.origin}/`), url).toBe(true);
    });
  });
}
