// node bench/parse-instructions.mjs DIST [DIST…] — CPU instructions per message for wirehttp
// builds (each a dist/ folder), counted by valgrind (callgrind): for comparing two builds on a
// machine too loaded for wall-clock ratios (npm run bench:parse --baseline) to mean much.
//
// Each build parses the pinned corpus (bench/corpus/, every message made into strings, as
// bench/parse.mjs does) N1 and then N2 times, in separate runs of `node --single-threaded` under
// callgrind; instructions per corpus pass = (I(N2) − I(N1)) / (N2 − N1), so start-up and most of
// the JIT warm-up cancel out. User-space instructions only.
//
//   node bench/parse-instructions.mjs dist /tmp/main-dist [--n1 2000] [--n2 6000] [--only name,name]
//
// --only: the whole parse of these corpus items alone (a pass is then over them only).
// --train K: first K passes over the whole corpus (the same in both runs, so they cancel out),
// so the JIT has seen every item, as in bench/parse.mjs, before the --only items are counted.
// --drop-in: the whole parse through wirehttp's http-parser-js drop-in (HTTPParser), driven as
// bench/parse.mjs drives it (k* slots, the object form, onBody(chunk, offset, length)).
//
// --wasm: the wasm's execute() alone, per corpus item (the input copied in once, the state block
// reset, the JS around it left out), under `node --predictable --random-seed=1 --no-liftoff`:
// V8 then compiles and tiers the same way every run, so repeat runs of one build agree to within
// a few instructions, where the whole parse swings by 10% (JIT tiering differs run to run).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { n1: { type: 'string' }, n2: { type: 'string' }, child: { type: 'string' }, wasm: { type: 'boolean' }, item: { type: 'string' }, only: { type: 'string' }, 'drop-in': { type: 'boolean' }, train: { type: 'string' } },
});
const ALL = ['small-get', 'browser-get', 'post-1k', 'chunked-post', 'pipelined-16', 'response-4k'];
const CORPUS = ALL.filter((name) => !args.only || args.only.split(',').includes(name));

if (args.child && args.wasm) {
  // The measured process for --wasm: the build's own instance (caught as it is made), execute()
  // on one item `child` times from a fresh scratch state block each time round.
  const Instance = WebAssembly.Instance;
  let exports;
  WebAssembly.Instance = function (module, imports) {
    const instance = new Instance(module, imports);
    exports ??= instance.exports;
    return instance;
  };
  const { HttpParser } = await import(pathToFileURL(join(positionals[0], 'index.js')).href);
  new HttpParser('request').execute(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'));
  WebAssembly.Instance = Instance;
  const bytes = readFileSync(new URL(`corpus/${args.item}.http`, import.meta.url));
  // Builds before 2026-12-04 export their layout; later ones place it at fixed addresses
  // (assembly/constants.ts Limits.STATE_AT, INPUT_AT) and export no getters.
  const at = exports.statePointer?.() ?? 32768;
  const state = new Uint32Array(exports.memory.buffer, at, 28);
  new Uint8Array(exports.memory.buffer).set(bytes, exports.inputPointer?.() ?? 491632);
  // State words (assembly/constants.ts): PHASE 0 = MESSAGE_START, TYPE 1, MAX_HEADER_SIZE 3, METHOD 11.
  state.fill(0);
  state[1] = args.item.startsWith('response') ? 1 : 0;
  state[3] = 80 * 1024;
  state[11] = 0xffffffff;
  let used = 0;
  for (let n = Number(args.child); n > 0; n--) used += exports.execute(at, 0, bytes.length);
  if (used !== Number(args.child) * bytes.length) throw new Error(`execute() stopped early on ${args.item}`);
  process.exit(0);
}

if (args.child) {
  // The measured process: parse the whole corpus `child` times with the build in positionals[0].
  const { HttpParser } = await import(pathToFileURL(join(positionals[0], 'index.js')).href);
  const { HTTPParser } = await import(pathToFileURL(join(positionals[0], 'http-parser-js.js')).href);
  const items = ALL.map((name) => ({ name, bytes: readFileSync(new URL(`corpus/${name}.http`, import.meta.url)), type: name.startsWith('response') ? 'response' : 'request' }));
  let sink = 0;
  const parsers = items.map((item) => {
    if (args['drop-in']) {
      HTTPParser.encoding = 'latin1';
      const p = new HTTPParser(item.type === 'request' ? HTTPParser.REQUEST : HTTPParser.RESPONSE);
      p[HTTPParser.kOnHeaders] = () => {};
      p[HTTPParser.kOnHeadersComplete] = (info) => void (sink += info.headers.length + (info.method === undefined ? 0 : HTTPParser.methods[info.method].length) + (info.url ?? '').length);
      p[HTTPParser.kOnBody] = (chunk, start, length) => void (sink += length);
      p[HTTPParser.kOnMessageComplete] = () => void sink++;
      return p;
    }
    const p = new HttpParser(item.type, { headers: false }); // strings only, as bench/parse.mjs (older builds ignore the option and build headers lazily)
    p.onHeadersComplete = (h) => void (sink += h.rawHeaders.length + (h.method ?? '').length + (h.url ?? '').length);
    p.onBody = (b) => void (sink += b.length);
    p.onMessageComplete = () => void sink++;
    return p;
  });
  for (let n = Number(args.train ?? 0); n > 0; n--) for (let i = 0; i < items.length; i++) parsers[i].execute(items[i].bytes);
  const counted = items.map((item, i) => i).filter((i) => CORPUS.includes(items[i].name));
  for (let n = Number(args.child); n > 0; n--) for (const i of counted) parsers[i].execute(items[i].bytes);
  if (sink === -1) console.log(sink);
  process.exit(0);
}

const n1 = Number(args.n1 ?? 2000);
const n2 = Number(args.n2 ?? 6000);
if (positionals.length === 0) {
  console.error('usage: node bench/parse-instructions.mjs DIST [DIST…] [--n1 2000] [--n2 6000] [--wasm]');
  process.exit(2);
}

function instructions(dist, n, item) {
  const dir = mkdtempSync(join(tmpdir(), 'wirehttp-callgrind-'));
  try {
    const out = join(dir, 'callgrind.out');
    const node = item ? ['--predictable', '--random-seed=1', '--no-liftoff'] : ['--single-threaded'];
    const child = item ? ['--wasm', '--item', item] : [...(args.only ? ['--only', args.only] : []), ...(args['drop-in'] ? ['--drop-in'] : []), ...(args.train ? ['--train', args.train] : [])];
    const run = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, ...node,
      fileURLToPath(import.meta.url), resolve(dist), '--child', String(n), ...child], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`valgrind failed for ${dist}:\n${run.stderr.slice(-2000)}`);
    const summary = readFileSync(out, 'utf8').match(/^summary: (\d+)/m) ?? readFileSync(out, 'utf8').match(/^totals: (\d+)/m);
    return Number(summary[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bytes = CORPUS.reduce((sum, name) => sum + readFileSync(new URL(`corpus/${name}.http`, import.meta.url)).length, 0);
if (args.wasm) {
  console.log(`wasm execute() instructions per corpus item, n1=${n1} n2=${n2}`);
  console.log(`| corpus | ${positionals.join(' | ')} |`);
  for (const item of CORPUS) {
    const counts = positionals.map((dist) => Math.round((instructions(dist, n2, item) - instructions(dist, n1, item)) / (n2 - n1)));
    console.log(`| ${item} | ${counts.map((c) => c.toLocaleString('en-US')).join(' | ')} |`);
  }
  process.exit(0);
}
console.log(`instructions per pass over the corpus (${CORPUS.length} inputs, ${bytes} bytes), n1=${n1} n2=${n2}`);
for (const dist of positionals) {
  const perPass = (instructions(dist, n2) - instructions(dist, n1)) / (n2 - n1);
  console.log(`${dist}: ${Math.round(perPass).toLocaleString('en-US')}`);
}
