// npm run size: what each entry costs a user, minified (esbuild) and gzipped (level 9), the JS
// and the wasm apart. Reads dist/ (npm run build first). Prints a markdown table for the README.
//
// Two measures of the parser entry `wirehttp`, each held to a budget JS + wasm that
// test/size.test.ts enforces:
// - the whole entry (everything the root exports, `import * as`), in both of its forms: with the
//   wasm embedded (browsers, bundlers) and with the wasm as a file beside it (the workerd /
//   edge-light entries). The 12 KB target is judged on these lines;
// - what a typical user's bundle carries: `import { HttpParser }` or `import { parseRequest }`,
//   tree-shaken by esbuild (the root's top level is pure, package.json says where side effects
//   are).
// Under the `node` condition the root also carries http-parser-js's API (for npm `overrides`);
// that line, and the subpath's, are shown without a budget.
// README, "Size", says what weighs what and what was tried.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, transformSync } from 'esbuild';

/** Issue 13's target for the whole entry, held as its budget: a change that crosses it must say why. */
export const PARSER_BUDGET = 12 * 1024;
/** The same for the lines of a typical user's tree-shaken bundle (HttpParser or parseRequest alone). */
export const TYPICAL_BUDGET = 11.7 * 1024;

const dist = (file) => new URL(`../dist/${file}`, import.meta.url);
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
/** The embedded wasm's text in a bundle of dist/index.js, emptied (to weigh the JS alone). */
function blankWasm(text) {
  const blank = text.replace(/\bWASM_TEXT = "[^"]*"/, 'WASM_TEXT = ""');
  if (blank === text) throw new Error('dist/index.js: no embedded WASM_TEXT to blank');
  return blank;
}
/** A dist file minified whole (nothing dropped: everything it exports), its embedded wasm emptied unless `wasm`. */
const minified = (file, { wasm = true } = {}) => {
  const text = readFileSync(dist(file), 'utf8');
  return transformSync(wasm ? text : blankWasm(text), { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' }).code;
};

/**
 * A user's module importing `names` from the root, bundled and minified by esbuild, which drops
 * what is not reachable from them (package.json's "sideEffects" and the root's pure top level let
 * it): what a typical app's bundle carries. `wasm: false` blanks the embedded wasm, to weigh the
 * JS alone.
 */
export async function userBundle(names, { wasm = true } = {}) {
  const index = fileURLToPath(dist('index.js'));
  const result = await build({
    stdin: { contents: `export { ${names.join(', ')} } from ${JSON.stringify(index)};`, loader: 'js', resolveDir: fileURLToPath(dist('.')) },
    bundle: true, write: false, minify: true, format: 'esm', target: 'es2022', platform: 'neutral', legalComments: 'none', logLevel: 'silent',
    plugins: wasm ? [] : [{
      name: 'no-embedded-wasm',
      setup(b) {
        b.onLoad({ filter: /[\\/]dist[\\/]index\.js$/ }, (args) => ({ contents: blankWasm(readFileSync(args.path, 'utf8')), loader: 'js' }));
      },
    }],
  });
  return result.outputFiles[0].contents;
}

/** `userBundle` as a size line: the JS alone, and the wasm as what the embedded copy adds. */
async function userLine(entry, names, budget) {
  const js = gzip(await userBundle(names, { wasm: false }));
  const total = gzip(await userBundle(names));
  return { entry, js, wasm: total - js, total, budget };
}

/** A dist entry bundled with the dist files it imports (the core), minified. */
async function withImports(file) {
  const result = await build({
    entryPoints: [fileURLToPath(dist(file))],
    bundle: true, write: false, minify: true, format: 'esm', target: 'es2022', platform: 'neutral', legalComments: 'none', logLevel: 'silent',
  });
  return result.outputFiles[0].contents;
}

/** Sizes in bytes: { entry, js, wasm, total } per line. */
export async function measure() {
  const embedded = minified('index.js');
  const wasmFile = gzip(readFileSync(dist('wirehttp.wasm')));
  const js = gzip(minified('index.js', { wasm: false }));
  const whole = gzip(embedded);
  const moduleJs = gzip(minified('workerd.js'));
  return [
    { entry: '`wirehttp` (wasm embedded: browsers, bundlers)', js, wasm: whole - js, total: whole, budget: PARSER_BUDGET },
    { entry: '`wirehttp` on Workers / Vercel edge (`workerd`, `edge-light`: the wasm a file)', js: moduleJs, wasm: wasmFile, total: moduleJs + wasmFile, budget: PARSER_BUDGET },
    await userLine('`import { HttpParser } from \'wirehttp\'`, as a bundler tree-shakes it (the wasm embedded)', ['HttpParser'], TYPICAL_BUDGET),
    await userLine('`import { parseRequest } from \'wirehttp\'`, as a bundler tree-shakes it (the wasm embedded)', ['parseRequest'], TYPICAL_BUDGET),
    { entry: '`wirehttp` under the `node` condition (Node, Deno, Bun: the root and http-parser-js\'s API; the wasm embedded)', js: undefined, wasm: undefined, total: gzip(await withImports('index.node.js')) },
    { entry: '`wirehttp/http-parser-js` alone (it imports `wirehttp`, above, and shares it)', js: gzip(minified('http-parser-js.js')), wasm: undefined, total: gzip(minified('http-parser-js.js')) },
    { entry: '`wirehttp/node` (Node only; the wasm embedded)', js: undefined, wasm: undefined, total: gzip(minified('node.cjs')) },
    { entry: '`wirehttp/web` alone (it imports `wirehttp`, above, and shares it)', js: gzip(minified('web.js')), wasm: undefined, total: gzip(minified('web.js')) },
    { entry: '`wirehttp/web` with `wirehttp`, in one bundle (the wasm embedded)', js: undefined, wasm: undefined, total: gzip(await withImports('web.js')) },
  ];
}

const kb = (n) => (n === undefined ? '—' : `${(n / 1024).toFixed(1)} KB (${Math.floor(n).toLocaleString('en-US')} B)`);

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await measure();
  console.log('| entry | JS, min+gz | wasm, gz | total |');
  console.log('|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.entry} | ${kb(r.js)} | ${kb(r.wasm)} | ${kb(r.total)} |`);
  const over = rows.filter((r) => r.budget !== undefined && r.total > r.budget);
  for (const r of over) console.error(`over budget (${kb(r.budget)}): ${r.entry} ${kb(r.total)}`);
  process.exit(over.length ? 1 : 0);
}
