// The `wirehttp` command. Exit codes: 0 fine, 1 a parse error (parse) or a finding (fuzz),
// 2 a usage error.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { LENIENT_FLAGS, type LenientFlag } from '../core/index.js';
import { instantiate } from '../core/wasm.js';
import { benchNames, runBench } from './bench.js';
import { parseLenientChoice, type LenientChoice } from './fuzz/lenient.js';
import { ORACLES, type OracleName } from './fuzz/oracles.js';
import { replay, runFuzz, workerLoop, WORKER_FLAG } from './fuzz/run.js';
import { formatReport, parseAll, type ParseType } from './parse.js';

// The bundle lives in dist/; the package root is one level up.
const ROOT = new URL('../', import.meta.url);
const SEEDS = fileURLToPath(new URL('bindings/cli/fuzz/seeds/', ROOT));
const BENCH = new URL('bench/', ROOT);

const HELP: Record<string, string> = {
  main: `wirehttp — HTTP/1.x parsing from the command line

usage: wirehttp <command> [options]

commands:
  parse [file | -]   print every message in raw HTTP (a capture, a .http file, stdin)
  fuzz               fuzz the parser: crashes, split dependence, disagreements with Node's llhttp
  bench [name]       run a benchmark from bench/ and print its table

wirehttp <command> --help shows a command's options.
exit codes: 0 fine · 1 parse error (parse) or findings (fuzz) · 2 usage error`,
  parse: `usage: wirehttp parse [file | -] [options]

Parses every message in the input (stdin when no file or "-") and prints each one's start
line, headers, body size and framing; with --json, one JSON document. On a parse error prints
the code, the reason and the offending line with a caret under the byte, and exits 1.

options:
  --type request|response|auto   message type (default auto: a message starting "HTTP/" is a response)
  --lenient flag,flag            lenient flags: ${LENIENT_FLAGS.join(', ')} (or "all")
  --max-header-size N            bytes allowed for a head (default 16384)
  --json                         JSON output
  -h, --help`,
  fuzz: `usage: wirehttp fuzz [options]

Runs a structure-aware generator and byte-level mutation of a seed corpus through the oracles:
  crash    anything but ParseError escapes, a wasm trap, wasm memory grows
  split    feeding the input in random pieces changes any event, or how the input left the
           parser before finish() (an error and its offset, or waiting for more)
  diff     Node's own llhttp, with the same lenient flags, disagrees (beyond the README's
           deliberate differences)
  smuggle  a request was accepted carrying CL + TE, a TE not ending in chunked, or conflicting
           CLs (unless a lenient flag in force allows it)
Every oracle runs under the lenient flags drawn for the execution. Exits 1 when anything was found.

options:
  --oracle name,name   oracles to run (default: all)
  --seconds N          time budget (default 10)
  --runs N             stop after N executions over all workers (instead of --seconds)
  --seed S             the same seed gives the same inputs (default: from the clock, printed)
  --workers N          worker threads (default: the number of cores)
  --max-len N          longest mutated input in bytes (default 4096)
  --lenient SET        none, all, random (default: per execution none, one flag or all), or flag,flag
  --wasm PATH          fuzz this parser build (build/wirehttp.wasm of another commit) instead of the bundled one
  --corpus DIR         more seeds from DIR; inputs with new outcomes are written there
  --findings DIR       each finding saved minimized (.http) with a JSON note
  --replay FILE        run one input through the oracles (as --type, default both types; under
                       each flag set --lenient can draw)
  --type request|response   with --replay
  -h, --help`,
  bench: `usage: wirehttp bench [name] [script options]

Runs bench/<name>.mjs (default: parse) and prints its table. Available: ${''}`,
};

class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return n;
}

function lenientOption(value: string | undefined): ParseArgsLenient {
  if (!value) return {};
  if (value === 'all') return true;
  const out: Partial<Record<LenientFlag, boolean>> = {};
  for (const flag of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(LENIENT_FLAGS as readonly string[]).includes(flag)) throw new UsageError(`unknown lenient flag "${flag}" (known: ${LENIENT_FLAGS.join(', ')})`);
    out[flag as LenientFlag] = true;
  }
  return out;
}
type ParseArgsLenient = boolean | Partial<Record<LenientFlag, boolean>>;

function readInput(file: string | undefined): Uint8Array {
  return new Uint8Array(readFileSync(file === undefined || file === '-' ? 0 : file));
}

async function parseCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      type: { type: 'string', default: 'auto' }, lenient: { type: 'string' }, 'max-header-size': { type: 'string' },
      json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return help('parse');
  if (positionals.length > 1) throw new UsageError('parse takes one file (or - for stdin)');
  const type = values.type as ParseType;
  if (!['request', 'response', 'auto'].includes(type)) throw new UsageError(`--type must be request, response or auto, got "${type}"`);
  const maxHeaderSize = positiveInt('max-header-size', values['max-header-size'], 16384);
  const report = parseAll(readInput(positionals[0]), type, { lenient: lenientOption(values.lenient), maxHeaderSize });
  process.stdout.write((values.json ? JSON.stringify(report, null, 2) : formatReport(report, process.stdout.isTTY === true)) + '\n');
  return report.error ? 1 : 0;
}

async function fuzzCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args, strict: true,
    options: {
      oracle: { type: 'string' }, seconds: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' },
      workers: { type: 'string' }, 'max-len': { type: 'string' }, corpus: { type: 'string' }, findings: { type: 'string' },
      replay: { type: 'string' }, type: { type: 'string' }, lenient: { type: 'string', default: 'random' }, wasm: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return help('fuzz');
  let lenient: LenientChoice;
  try {
    lenient = parseLenientChoice(values.lenient);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.wasm !== undefined) {
    if (!existsSync(values.wasm)) throw new UsageError(`--wasm: no file "${values.wasm}"`);
    try {
      instantiate(new WebAssembly.Module(readFileSync(values.wasm)));
    } catch (error) {
      throw new UsageError(`--wasm ${values.wasm}: ${(error as Error).message}`);
    }
  }
  const oracles = (values.oracle ? values.oracle.split(',').map((s) => s.trim()) : [...ORACLES]) as OracleName[];
  for (const o of oracles) if (!ORACLES.includes(o)) throw new UsageError(`unknown oracle "${o}" (known: ${ORACLES.join(', ')})`);
  if (values.type !== undefined && values.type !== 'request' && values.type !== 'response') throw new UsageError('--type must be request or response');
  if (values.replay) {
    const findings = replay(readInput(values.replay), oracles, values.type ? [values.type as 'request' | 'response'] : ['request', 'response'], lenient, values.wasm);
    process.stdout.write(JSON.stringify(findings.map(({ input: _input, ...f }) => f), null, 2) + '\n');
    return findings.length ? 1 : 0;
  }
  const seed = values.seed !== undefined ? positiveInt('seed', values.seed, 0) : Date.now() % 2 ** 31;
  return runFuzz({
    oracles,
    seconds: positiveInt('seconds', values.seconds, 10),
    runs: values.runs !== undefined ? positiveInt('runs', values.runs, 0) : undefined,
    seed,
    workers: Math.max(1, positiveInt('workers', values.workers, availableParallelism())),
    maxLength: Math.max(16, positiveInt('max-len', values['max-len'], 4096)),
    lenient,
    wasm: values.wasm,
    corpusDir: values.corpus,
    findingsDir: values.findings,
    out: process.stderr.isTTY ? process.stderr : process.stdout,
  }, new URL(import.meta.url), SEEDS);
}

async function benchCommand(args: string[]): Promise<number> {
  const available = benchNames(BENCH);
  if (args[0] === '--help' || args[0] === '-h') {
    process.stdout.write(`${HELP.bench}${available.join(', ') || '(none found)'}\n`);
    return 0;
  }
  const name = args[0] && !args[0].startsWith('-') ? args[0] : 'parse';
  if (!available.includes(name)) throw new UsageError(`no benchmark "${name}" (available: ${available.join(', ') || 'none'})`);
  return runBench(BENCH, name, args[0] === name ? args.slice(1) : args);
}

function help(topic: string): number {
  process.stdout.write(HELP[topic] + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') return help('main');
    if (command === 'parse') return await parseCommand(rest);
    if (command === 'fuzz') return await fuzzCommand(rest);
    if (command === 'bench') return await benchCommand(rest);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (!usage) throw error;
    process.stderr.write(`wirehttp: ${(error as Error).message}\n(see wirehttp ${command && HELP[command] ? `${command} ` : ''}--help)\n`);
    return 2;
  }
}

if (!isMainThread && workerData?.[WORKER_FLAG]) {
  void workerLoop(workerData[WORKER_FLAG], (message) => parentPort!.postMessage(message));
} else if (isMainThread) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (error) => {
    process.stderr.write(`wirehttp: ${(error as Error)?.stack ?? error}\n`);
    process.exitCode = 1;
  });
}
