// `wirehttp fuzz`: worker threads run the oracles on generated and mutated inputs; the main
// thread shows progress, keeps the corpus and the findings, and prints the summary.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { useWasm } from '../../core/wasm.js';
import { generateMessages } from './generate.js';
import { latin1, type MessageType } from './events.js';
import { ALL_LENIENT, flagBits, type LenientChoice } from './lenient.js';
import { mutate } from './mutate.js';
import { minimize, Oracles, type Finding, type OracleName } from './oracles.js';
import { rng } from './random.js';
import { describeSignature } from './trace.js';

export interface FuzzOptions {
  oracles: OracleName[];
  seconds: number;
  /** Total executions over all workers (instead of a time budget). */
  runs?: number;
  seed: number;
  workers: number;
  maxLength: number;
  /** Lenient flag sets the oracles run under (default random: none, one flag, or all per execution). */
  lenient?: LenientChoice;
  /** A parser build to fuzz instead of the bundled one (e.g. an older commit's build/wirehttp.wasm). */
  wasm?: string;
  corpusDir?: string;
  findingsDir?: string;
  /** Where the progress line and summary go (stderr on a TTY by default). */
  out: NodeJS.WriteStream;
}

interface WorkerConfig {
  oracles: OracleName[];
  seed: number;
  runs: number;
  deadline: number;
  maxLength: number;
  lenient: LenientChoice;
  wasm?: string;
  seeds: Uint8Array[];
}

type WorkerMessage =
  | { kind: 'progress'; runs: number; deliberate: number; codeOnly: number; findings: Record<string, number> }
  | { kind: 'signature'; signature: string; input: Uint8Array }
  | { kind: 'finding'; finding: SavedFinding };

export type SavedFinding = Omit<Finding, 'input'> & {
  input: Uint8Array;
  originalLength: number;
  seed: number;
  /** The finding worker's executions and seconds when it hit this input. */
  foundAfter: { runs: number; seconds: number };
};

/** Marks the worker_threads this module starts (the CLI entry checks it). */
export const WORKER_FLAG = 'wirehttpFuzzWorker';

const GENERATOR_RATES = [0, 0.05, 0.15, 0.4];
/** Findings reported per oracle, kind and outcome; the rest are counted. */
const REPORTS_PER_KEY = 2;

/**
 * The worker side: runs until its share of runs or the deadline, posting progress and findings.
 * It yields to its event loop between progress reports so that GC-driven cleanups (weak
 * callbacks, FinalizationRegistry) get to run.
 */
export async function workerLoop(config: WorkerConfig, post: (message: WorkerMessage) => void): Promise<void> {
  // ParseErrors are expected by the thousand; stack traces would cost more than parsing.
  Error.stackTraceLimit = 0;
  if (config.wasm) useWasm(new Uint8Array(readFileSync(config.wasm)));
  const random = rng(config.seed);
  const oracles = new Oracles(new Set(config.oracles), random, config.lenient);
  const pool = config.seeds.length ? config.seeds.map((s) => new Uint8Array(s)) : [generateMessages(random, 'request', 0)];
  const seen = new Set<number>();
  const reported = new Map<string, number>();
  const findings: Record<string, number> = {};
  let runs = 0;
  let deliberate = 0;
  let codeOnly = 0;
  const started = Date.now();
  let lastReport = started;
  const report = () => post({ kind: 'progress', runs, deliberate, codeOnly, findings: { ...findings } });
  while (runs < config.runs) {
    if ((runs & 127) === 0) {
      const now = Date.now();
      if (now >= config.deadline) break;
      if (now - lastReport >= 250) {
        report();
        lastReport = now;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const base = pool[Math.floor(random() * pool.length)];
    // A response starts with "HTTP/"; one input in ten is tried as the other type.
    let type: MessageType = base[0] === 0x48 && base[1] === 0x54 ? 'response' : 'request';
    if (random() < 0.1) type = type === 'request' ? 'response' : 'request';
    // Fresh structure-aware inputs now and then (generating costs ~20x a mutation).
    const input = (runs & 31) === 0
      ? generateMessages(random, type, GENERATOR_RATES[(runs >> 5) & 3])
      : mutate(random, base, pool, config.maxLength);
    const verdict = oracles.check(type, input);
    runs++;
    deliberate += verdict.deliberate;
    codeOnly += verdict.codeOnly;
    if (!seen.has(verdict.signature)) {
      // mutate() returns a view of its scratch buffer: keep a copy.
      const kept = input.slice();
      seen.add(verdict.signature);
      if (pool.length < 2048) pool.push(kept);
      else pool[Math.floor(random() * pool.length)] = kept;
      post({ kind: 'signature', signature: describeSignature(verdict.signature), input: kept });
    }
    for (const finding of verdict.findings) {
      const key = `${finding.oracle}:${finding.kind}:${finding.lenient}:${describeSignature(verdict.signature)}`;
      findings[finding.oracle] = (findings[finding.oracle] ?? 0) + 1;
      const count = reported.get(key) ?? 0;
      reported.set(key, count + 1);
      if (count >= REPORTS_PER_KEY) continue;
      // When it was found (minimizing takes a while and is not part of finding it).
      const foundAfter = { runs, seconds: (Date.now() - started) / 1000 };
      const same = (candidate: Uint8Array) => {
        // Splits are re-checked byte by byte: a strong, deterministic cut.
        const cuts = finding.oracle === 'split' ? Array.from({ length: Math.max(0, candidate.length - 1) }, (_, i) => i + 1) : undefined;
        return oracles.check(finding.type, candidate, cuts, verdict.lenient).findings.find((f) => f.oracle === finding.oracle && f.kind === finding.kind);
      };
      const small = minimize(finding.input.slice(), (candidate) => same(candidate) !== undefined, 3000);
      // The minimized input's own details (cuts, traces, outcomes), when it still fails as found.
      const shown = small.length < finding.input.length ? (same(small) ?? finding) : finding;
      post({ kind: 'finding', finding: { ...shown, input: small, originalLength: finding.input.length, seed: config.seed, foundAfter } });
    }
  }
  report();
}

/** Seeds shipped with the package, plus any in the corpus directory. */
export function loadSeeds(shipped: string, corpusDir?: string): Uint8Array[] {
  const seeds: Uint8Array[] = [];
  for (const dir of [shipped, corpusDir]) {
    if (!dir) continue;
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const path = join(dir, name);
      if (statSync(path).isFile()) seeds.push(new Uint8Array(readFileSync(path)));
    }
  }
  return seeds;
}

const ORACLE_ORDER: OracleName[] = ['crash', 'split', 'diff', 'smuggle'];

/** The coordinator: returns the exit code (1 when anything was found). */
export async function runFuzz(options: FuzzOptions, workerScript: URL, shippedSeeds: string): Promise<number> {
  const seeds = loadSeeds(shippedSeeds, options.corpusDir);
  if (options.corpusDir) mkdirSync(options.corpusDir, { recursive: true });
  if (options.findingsDir) mkdirSync(options.findingsDir, { recursive: true });
  const tty = options.out.isTTY === true;
  const paint = (code: number, text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
  const started = Date.now();
  const deadline = options.runs !== undefined ? Number.MAX_SAFE_INTEGER : started + options.seconds * 1000;
  const perWorker = (i: number) =>
    options.runs === undefined ? Number.MAX_SAFE_INTEGER : Math.floor(options.runs / options.workers) + (i < options.runs % options.workers ? 1 : 0);

  const progress = new Map<number, Extract<WorkerMessage, { kind: 'progress' }>>();
  const signatures = new Set<string>();
  const saved: SavedFinding[] = [];
  let lastLine = 0;

  const totals = () => {
    let runs = 0;
    let deliberate = 0;
    let codeOnly = 0;
    const findings: Record<string, number> = {};
    for (const p of progress.values()) {
      runs += p.runs;
      deliberate += p.deliberate;
      codeOnly += p.codeOnly;
      for (const [k, v] of Object.entries(p.findings)) findings[k] = (findings[k] ?? 0) + v;
    }
    return { runs, deliberate, codeOnly, findings };
  };
  const line = () => {
    const t = totals();
    const seconds = (Date.now() - started) / 1000;
    const found = options.oracles.map((o) => `${o} ${t.findings[o] ?? 0}`).join(' · ');
    return `[${seconds.toFixed(1)}s] ${t.runs.toLocaleString('en-US')} execs (${Math.round(t.runs / Math.max(seconds, 0.001)).toLocaleString('en-US')}/s) · findings: ${found} · ${signatures.size} outcome signatures`;
  };
  const showProgress = () => {
    if (tty) options.out.write(`\r\x1b[2K${line()}`);
    else if (Date.now() - lastLine >= 5000) {
      options.out.write(`${line()}\n`);
      lastLine = Date.now();
    }
  };

  const onMessage = (worker: number, message: WorkerMessage) => {
    if (message.kind === 'progress') {
      progress.set(worker, message);
      showProgress();
    } else if (message.kind === 'signature') {
      if (signatures.has(message.signature)) return;
      signatures.add(message.signature);
      if (options.corpusDir) {
        const name = `${message.signature.replace(/[^\w-]+/g, '_')}-${digest(message.input)}.http`;
        writeFileSync(join(options.corpusDir, name), message.input);
      }
    } else {
      saved.push(message.finding);
      if (options.findingsDir) saveFinding(options.findingsDir, message.finding, saved.length);
    }
  };

  lastLine = Date.now();
  await Promise.all(
    Array.from({ length: options.workers }, (_, i) => new Promise<void>((resolve, reject) => {
      const config: WorkerConfig = {
        oracles: options.oracles, seed: options.seed + i, runs: perWorker(i), deadline, maxLength: options.maxLength,
        lenient: options.lenient ?? 'random', wasm: options.wasm, seeds,
      };
      const worker = new Worker(workerScript, { workerData: { [WORKER_FLAG]: config } });
      worker.on('message', (m: WorkerMessage) => onMessage(i, m));
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`fuzz worker ${i} exited with code ${code}`))));
    })),
  );

  const t = totals();
  const seconds = (Date.now() - started) / 1000;
  if (tty) options.out.write('\r\x1b[2K');
  const out = (s = '') => options.out.write(`${s}\n`);
  out(line());
  out();
  out(`| oracle | findings | reported (minimized) |`);
  out(`|---|---:|---:|`);
  for (const oracle of ORACLE_ORDER.filter((o) => options.oracles.includes(o))) {
    const count = t.findings[oracle] ?? 0;
    out(`| ${oracle} | ${count ? paint(31, String(count)) : '0'} | ${saved.filter((f) => f.oracle === oracle).length} |`);
  }
  out();
  out(`executions: ${t.runs.toLocaleString('en-US')} in ${seconds.toFixed(1)} s on ${options.workers} worker(s): ${Math.round(t.runs / seconds).toLocaleString('en-US')}/s (${Math.round(t.runs / seconds / options.workers).toLocaleString('en-US')}/s per worker) · seed ${options.seed} · lenient ${describeChoice(options.lenient ?? 'random')}${options.wasm ? ` · wasm ${options.wasm}` : ''}`);
  if (options.oracles.includes('diff')) {
    out(`llhttp disagreements accounted for by the README's deliberate differences: ${t.deliberate.toLocaleString('en-US')}; same verdict, different error code: ${t.codeOnly.toLocaleString('en-US')}`);
  }
  out(`distinct outcome signatures: ${signatures.size}`);
  for (const f of saved.slice(0, 10)) {
    out(`${paint(31, `[${f.severity}] ${f.oracle}/${f.kind}`)} (${f.type}, lenient ${f.lenient}, ${f.input.length} bytes, minimized from ${f.originalLength}; found after ${f.foundAfter.runs.toLocaleString('en-US')} executions, ${f.foundAfter.seconds.toFixed(1)} s, seed ${f.seed}): ${f.detail}`);
    out(`  input: ${JSON.stringify(latin1(f.input))}`);
  }
  if (saved.length > 10) out(`… and ${saved.length - 10} more${options.findingsDir ? ` in ${options.findingsDir}` : ''}`);
  const found = Object.values(t.findings).some((n) => n > 0);
  return found ? 1 : 0;
}

function digest(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex').slice(0, 12);
}

function saveFinding(dir: string, f: SavedFinding, n: number): void {
  const base = join(dir, `${String(n).padStart(4, '0')}-${f.oracle}-${f.kind}-${digest(f.input)}`);
  writeFileSync(`${base}.http`, f.input);
  const { input: _input, ...note } = f;
  writeFileSync(`${base}.json`, JSON.stringify({ ...note, input: latin1(f.input), file: `${base}.http` }, null, 2));
}

const describeChoice = (choice: LenientChoice) => (typeof choice === 'string' ? choice : choice.join(','));

/** The flag sets a choice can draw (random: none, each flag alone, all). */
function flagSets(choice: LenientChoice): number[] {
  if (choice === 'none') return [0];
  if (choice === 'all') return [ALL_LENIENT];
  if (choice === 'random') return [0, ...Array.from({ length: Math.log2(ALL_LENIENT + 1) }, (_, i) => 1 << i), ALL_LENIENT];
  return [flagBits(choice)];
}

/** `--replay FILE`: one input through the selected oracles under every flag set the choice can draw; returns the findings. */
export function replay(bytes: Uint8Array, oracles: OracleName[], types: MessageType[], lenient: LenientChoice = 'random', wasm?: string): Finding[] {
  Error.stackTraceLimit = 0;
  if (wasm) useWasm(new Uint8Array(readFileSync(wasm)));
  const check = new Oracles(new Set(oracles), rng(1));
  const all: Finding[] = [];
  for (const type of types) {
    const cuts = Array.from({ length: Math.max(0, bytes.length - 1) }, (_, i) => i + 1);
    for (const bits of flagSets(lenient)) all.push(...check.check(type, bytes, cuts, bits).findings);
  }
  return all;
}
