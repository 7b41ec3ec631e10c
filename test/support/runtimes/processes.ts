// Node, Deno and Bun: a scenario run as a program in the consumer project, importing the package
// by name, its result read from stdout. Deno and Bun are the npm packages `deno` and `bun`
// (devDependencies): their binaries come with them, nothing is fetched.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { buildScenario, outcomeFromStdout, resultOf, ROOT, tempDir } from './package.js';

export interface ProcessOptions {
  /** Extra runtime flags before the entry (Deno permissions such as `--allow-net=127.0.0.1`). */
  flags?: string[];
  /** A guard against a hung runtime, not a timing assertion. Default 120 s. */
  timeoutMs?: number;
  /** Imports the runtime provides (node:net), left as imports. */
  external?: string[];
}

export const DENO = join(ROOT, 'node_modules/.bin/deno');
export const BUN = join(ROOT, 'node_modules/.bin/bun');

let denoDir: string | undefined;

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\nstderr:\n${stderr.slice(-4000)}\nstdout:\n${stdout.slice(-2000)}`));
      else resolve(stdout);
    });
  });
}

async function runProgram(what: string, scenario: string, input: unknown, command: (entry: string) => [string, string[], NodeJS.ProcessEnv], options: ProcessOptions): Promise<unknown> {
  const { timeoutMs = 120_000, external } = options;
  const built = await buildScenario(scenario, input, 'process', { external });
  const [bin, args, env] = command(built.entry);
  const stdout = await run(bin, args, { ...process.env, NO_COLOR: '1', ...env }, built.dir, timeoutMs);
  return resultOf(outcomeFromStdout(stdout, what), what);
}

/** The scenario in a Node child process (this Node), importing the packed package by name. */
export function runNode(scenario: string, input?: unknown, options: ProcessOptions = {}): Promise<unknown> {
  return runProgram('node', scenario, input, (entry) => [process.execPath, [...(options.flags ?? []), entry], {}], options);
}

/** The scenario in Deno (`deno run --no-prompt`, no permissions unless `flags` grant them). */
export function runDeno(scenario: string, input?: unknown, options: ProcessOptions = {}): Promise<unknown> {
  denoDir ??= tempDir('deno-dir');
  return runProgram(
    'deno',
    scenario,
    input,
    (entry) => [DENO, ['run', '--no-prompt', '--cached-only', ...(options.flags ?? []), entry], { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1' }],
    options,
  );
}

/** The scenario in Bun (`bun --no-install`: modules come from the consumer project's node_modules only). */
export function runBun(scenario: string, input?: unknown, options: ProcessOptions = {}): Promise<unknown> {
  return runProgram('bun', scenario, input, (entry) => [BUN, ['--no-install', ...(options.flags ?? []), entry], {}], options);
}

/** `deno --version` / `bun --version`, for test names and reports. */
export async function runtimeVersion(bin: string): Promise<string> {
  return (await run(bin, ['--version'], process.env, ROOT, 30_000)).split('\n')[0].trim();
}
