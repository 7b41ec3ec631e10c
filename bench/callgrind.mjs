// Counting a Node process's instructions with valgrind's callgrind, for the instruction benchmarks
// (bench/server-instructions.mjs, bench/client.mjs --instructions). Counts are user-space only.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Installs valgrind with apt-get when it is missing (as root), or exits saying so. */
export function ensureValgrind(who) {
  if (spawnSync('valgrind', ['--version']).status === 0) return;
  console.error(`${who}: valgrind not found; installing it with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', 'valgrind'], { stdio: 'inherit', env });
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    console.error(`${who}: could not install valgrind`);
    process.exit(1);
  }
}

/**
 * Runs `node --single-threaded script ...args` under callgrind (no background compiler or GC
 * threads, whose work would land anywhere), waits for its {type:'ready'} IPC message, lets
 * `drive(child, ready)` do the work, sends {type:'stop'} and resolves to the instructions the
 * process executed from start to exit.
 */
export async function countInstructions(script, args, drive) {
  const dir = mkdtempSync(join(tmpdir(), 'wirehttp-callgrind-'));
  const out = join(dir, 'callgrind.out');
  const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, '--single-threaded', script, ...args], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  try {
    const ready = await new Promise((resolve, reject) => {
      child.on('message', (m) => m?.type === 'ready' && resolve(m));
      child.on('exit', (code) => reject(new Error(`${script} ${args.join(' ')} exited (${code}) before it was ready:\n${log}`)));
    });
    await drive(child, ready);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.send({ type: 'stop' });
    await exited;
    const total = readFileSync(out, 'latin1').match(/^(?:summary|totals): (\d+)/m);
    if (!total) throw new Error(`no instruction total in callgrind's output for ${script} ${args.join(' ')}`);
    return Number(total[1]);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
