// `wirehttp bench [name]`: runs bench/<name>.mjs and prints its table.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function benchNames(benchDir: URL): string[] {
  if (!existsSync(benchDir)) return [];
  return readdirSync(benchDir).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4)).sort();
}

/** Runs one benchmark script in a child process with this Node; returns its exit code. */
export function runBench(benchDir: URL, name: string, args: string[]): number {
  const script = fileURLToPath(new URL(`${name}.mjs`, benchDir));
  const result = spawnSync(process.execPath, [script, ...args], { stdio: 'inherit' });
  return result.status ?? 1;
}
