// workerd, the open-source Cloudflare Workers runtime (npm `workerd`): the scenario built as a
// Worker (see buildScenario 'workerd'), served on a loopback port and asked once with fetch().
// Like the Workers platform, workerd refuses to compile wasm from bytes: the Worker gets its wasm
// as modules in the config.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buildScenario, resultOf, ROOT, type Outcome } from './package.js';

export const WORKERD = join(ROOT, 'node_modules/.bin/workerd');

export interface WorkerdOptions {
  /** The Worker's compatibility date (YYYY-MM-DD); default: the newest this workerd supports. */
  compatibilityDate?: string;
  compatibilityFlags?: string[];
  /** Export conditions the Worker is built with; default wrangler's (workerd, worker, browser). */
  conditions?: string[];
  /** A guard against a hung runtime, not a timing assertion. Default 120 s. */
  timeoutMs?: number;
  /** Let connect() and fetch() reach loopback and private addresses (workerd's network service allows public only by default). */
  allowLocalNetwork?: boolean;
  /** Imports left to workerd (cloudflare:sockets). */
  external?: string[];
}

/** The newest compatibility date the installed workerd accepts (it refuses later ones). */
export function newestCompatibilityDate(): string {
  const { compatibilityDate } = createRequire(import.meta.url)('workerd') as { compatibilityDate: string };
  const today = new Date().toISOString().slice(0, 10);
  return today < compatibilityDate ? today : compatibilityDate;
}

function config(modules: string[], date: string, flags: string[], allowLocal: boolean): string {
  const lines = modules.map((m) => (m.endsWith('.wasm') ? `(name = "${m}", wasm = embed "${m}")` : `(name = "${m}", esModule = embed "${m}")`));
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)${allowLocal ? ', (name = "internet", network = (allow = ["public", "local"]))' : ''}],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${lines.join(', ')}],
  compatibilityDate = "${date}",
  compatibilityFlags = [${flags.map((f) => JSON.stringify(f)).join(', ')}],
);
`;
}

/** Runs the scenario in a fresh workerd process and returns its result. */
export async function runWorkerd(scenario: string, input?: unknown, options: WorkerdOptions = {}): Promise<unknown> {
  const built = await buildScenario(scenario, input, 'workerd', { conditions: options.conditions, external: options.external });
  const date = options.compatibilityDate ?? newestCompatibilityDate();
  writeFileSync(join(built.dir, 'config.capnp'), config(['worker.js', ...built.wasm.keys()], date, options.compatibilityFlags ?? [], options.allowLocalNetwork ?? false));
  const what = `workerd (compatibility date ${date})`;

  const child = spawn(WORKERD, ['serve', 'config.capnp', '--control-fd=3'], { cwd: built.dir, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const guard = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let control = '';
      (child.stdio[3] as Readable).on('data', (d: Buffer) => {
        control += d.toString();
        for (const line of control.split('\n')) {
          if (!line.trim()) continue;
          try {
            const event = JSON.parse(line) as { event?: string; socket?: string; port?: number };
            if (event.event === 'listen' && event.socket === 'http' && event.port) resolve(event.port);
          } catch {}
        }
      });
      void exited.then((code) => reject(new Error(`${what} exited (${code}) before listening:\n${output}`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}/`);
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${what} answered ${response.status}: ${text}\n${output}`);
    return resultOf(JSON.parse(text) as Outcome, what);
  } finally {
    clearTimeout(guard);
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
}
