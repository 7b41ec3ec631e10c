// The package as a user gets it, and scenario modules built the way each runtime's users build.
//
// consumerProject(): `npm pack` of this repo (dist/ must be built), unpacked into a temp project's
// node_modules/wirehttp, so `import 'wirehttp'` resolves through package.json "exports" with the
// runtime's own conditions, exactly as after `npm install wirehttp`.
//
// A scenario is an ES module (JS or TS) whose default export is `async (input) => result`, `input`
// and `result` plain JSON. It may import 'wirehttp' (and its subpaths) by name and relative files.
// buildScenario() wraps it in an entry that runs it on `input` (embedded in the entry as JSON) and
// reports `{ ok: true, result }` or `{ ok: false, error }`:
//   'process'  printed on stdout as one line after RESULT_MARK (Node, Deno, Bun); 'wirehttp' stays a
//              bare import, resolved by the runtime from the consumer project
//   'workerd'  a Workers module whose fetch() answers with the JSON; built as wrangler builds a
//              Worker (conditions workerd, worker, browser; every .wasm import a CompiledWasm module)
//   'browser'  a module exporting `outcome()`, everything bundled (esbuild's browser platform)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Starts the line that carries a process's result on stdout. */
export const RESULT_MARK = '\u0001wirehttp-result ';

export type Outcome = { ok: true; result: unknown } | { ok: false; error: string };

let consumer: string | undefined;
let runs = 0;

/** Under the test run's own folder (WIREHTTP_TEST_TMP, removed by the global teardown), and removed when the process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(process.env.WIREHTTP_TEST_TMP ?? tmpdir(), `wirehttp-${prefix}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A temp project with this package installed from its npm tarball (made once per process). */
export function consumerProject(): string {
  if (consumer) return consumer;
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const dir = tempDir('consumer');
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ) as { filename: string }[];
  const target = join(dir, 'node_modules', 'wirehttp');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, packed[0].filename), '-C', target, '--strip-components=1']);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'wirehttp-consumer', private: true, type: 'module' }, null, 2));
  return (consumer = dir);
}

/** Resolves `wirehttp` and `wirehttp/…` from the consumer project, with the build's conditions. */
function fromConsumer(dir: string): Plugin {
  return {
    name: 'wirehttp-from-consumer',
    setup(b) {
      b.onResolve({ filter: /^wirehttp(\/.*)?$/ }, (args) => {
        if (args.resolveDir === dir) return undefined;
        return b.resolve(args.path, { kind: args.kind, resolveDir: dir });
      });
    },
  };
}

const WASM_INNER = Symbol('resolving a package .wasm');

/** As wrangler does: an imported `.wasm` (or `.wasm?module`) is not bundled but becomes a module beside the Worker. */
function wasmModules(outDir: string, modules: Map<string, string>): Plugin {
  return {
    name: 'wasm-as-module',
    setup(b) {
      b.onResolve({ filter: /\.wasm(\?module)?$/ }, async (args) => {
        if (args.pluginData === WASM_INNER) return undefined;
        const path = args.path.replace(/\?module$/, '');
        const file = /^\.{0,2}\//.test(path)
          ? resolve(args.resolveDir, path)
          : (await b.resolve(path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: WASM_INNER })).path;
        const name = basename(file);
        if (modules.has(name) && modules.get(name) !== file) throw new Error(`two wasm modules named ${name}`);
        modules.set(name, file);
        copyFileSync(file, join(outDir, name));
        return { path: `./${name}`, external: true };
      });
    },
  };
}

export type Target = 'process' | 'workerd' | 'browser';

export interface BuiltScenario {
  dir: string;
  /** The entry module's file. */
  entry: string;
  /** Wasm modules the entry imports, by the name it imports them with (workerd). */
  wasm: Map<string, string>;
}

/** Builds `scenario` (a file path) for a target; `input` is embedded in the entry. */
export interface BuildOptions {
  /** Export conditions for 'workerd' and 'browser' builds, in place of the usual ones. */
  conditions?: string[];
  /** Imports the runtime provides (node:net, cloudflare:sockets), left as imports. */
  external?: string[];
}

export async function buildScenario(scenario: string, input: unknown, target: Target, options: BuildOptions = {}): Promise<BuiltScenario> {
  const project = consumerProject();
  // 'process' entries live in the consumer project, where the runtime resolves the bare 'wirehttp'.
  const dir = target === 'process' ? join(project, `run-${process.pid}-${++runs}`) : tempDir(target);
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, target === 'workerd' ? 'worker.js' : 'entry.mjs');
  const wasm = new Map<string, string>();
  const source = [
    `import scenario from ${JSON.stringify(resolve(scenario))};`,
    `const input = JSON.parse(${JSON.stringify(JSON.stringify(input ?? null))});`,
    'async function outcome() {',
    '  try { return { ok: true, result: await scenario(input) }; }',
    '  catch (error) { return { ok: false, error: String((error && error.stack) || error) }; }',
    '}',
    target === 'process' ? `console.log(${JSON.stringify(RESULT_MARK)} + JSON.stringify(await outcome()));` : '',
    target === 'workerd'
      ? 'export default { async fetch() { return new Response(JSON.stringify(await outcome()), { headers: { "content-type": "application/json" } }); } };'
      : '',
    target === 'browser' ? 'export { outcome };' : '',
  ].join('\n');
  const result = await build({
    stdin: { contents: source, resolveDir: dirname(resolve(scenario)), sourcefile: 'entry.mjs', loader: 'js' },
    outfile: entry,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    logLevel: 'silent',
    external: options.external,
    ...(target === 'process' && { platform: 'neutral', external: ['wirehttp', 'wirehttp/*', ...(options.external ?? [])] }),
    ...(target === 'workerd' && {
      platform: 'neutral',
      conditions: options.conditions ?? ['workerd', 'worker', 'browser'],
      plugins: [fromConsumer(project), wasmModules(dir, wasm)],
    }),
    ...(target === 'browser' && { platform: 'browser', conditions: options.conditions, plugins: [fromConsumer(project)] }),
  });
  if (result.errors.length) throw new Error(`building ${scenario} for ${target}: ${JSON.stringify(result.errors)}`);
  return { dir, entry, wasm };
}

/** The outcome line in a process's stdout. */
export function outcomeFromStdout(stdout: string, what: string): Outcome {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (line === undefined) throw new Error(`${what} printed no result; stdout:\n${stdout.slice(-4000)}`);
  return JSON.parse(line.slice(RESULT_MARK.length)) as Outcome;
}

/** The result of an outcome, or an Error carrying the scenario's own error text. */
export function resultOf(outcome: Outcome, what: string): unknown {
  if (!outcome.ok) throw new Error(`scenario failed in ${what}:\n${outcome.error}`);
  return outcome.result;
}

