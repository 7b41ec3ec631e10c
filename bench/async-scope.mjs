// What entering an async resource costs inside a socket's native read callback, under callgrind
// (user-space instructions): the parse scope wirehttp/node enters around each read (parsing.ts).
// A loopback ping-pong of one byte, counted at two lengths so start-up cancels out, in four
// modes: no scope; `runInAsyncScope` in the client's read callback; and both again after one
// executionAsyncResource() call, which makes Node run every native callback through its JS
// trampoline (what keepResourceStackInStep() does before the first parser is taken).
//
//   node bench/async-scope.mjs [--n1 5000] [--n2 15000]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AsyncResource, executionAsyncResource } from 'node:async_hooks';
import { ensureValgrind } from './callgrind.mjs';

const [mode, rounds] = process.argv.slice(2);
const MODES = ['none', 'scope', 'trampoline', 'trampoline+scope'];
if (MODES.includes(mode)) {
  // The child: `rounds` round trips, then exit.
  if (mode.startsWith('trampoline')) executionAsyncResource();
  const resource = new AsyncResource('SCOPE');
  const work = (x) => x + 1;
  const server = net.createServer((s) => s.on('data', (d) => s.write(d)));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = net.connect(server.address().port, '127.0.0.1');
  const byte = Buffer.from('x');
  let n = 0;
  await new Promise((resolve) => {
    client.on('data', () => {
      if (mode.endsWith('scope')) resource.runInAsyncScope(work, null, 1);
      if (++n === Number(rounds)) resolve();
      else client.write(byte);
    });
    client.write(byte);
  });
  client.destroy();
  server.close();
} else {
  const { values: args } = parseArgs({ options: { n1: { type: 'string' }, n2: { type: 'string' } } });
  const n1 = Number(args.n1 ?? 5000);
  const n2 = Number(args.n2 ?? 15000);
  ensureValgrind('bench/async-scope');
  const script = fileURLToPath(import.meta.url);
  const count = (m, n) =>
    new Promise((resolve, reject) => {
      const dir = mkdtempSync(join(tmpdir(), 'wirehttp-scope-'));
      const out = join(dir, 'callgrind.out');
      const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, '--single-threaded', script, m, String(n)], { stdio: 'ignore' });
      child.on('exit', (code) => {
        try {
          const total = readFileSync(out, 'latin1').match(/^(?:summary|totals): (\d+)/m);
          if (code !== 0 || !total) throw new Error(`bench/async-scope: ${m} ${n} failed (${code})`);
          resolve(Number(total[1]));
        } catch (error) {
          reject(error);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });
  const perRoundTrip = {};
  for (const m of MODES) perRoundTrip[m] = ((await count(m, n2)) - (await count(m, n1))) / (n2 - n1);
  console.log(`Instructions per round trip (two reads: the client's, the server's), N = ${n1} → ${n2}, Node ${process.version}\n`);
  console.log('| mode | per round trip | over no scope |');
  console.log('|---|---:|---:|');
  for (const [m, v] of Object.entries(perRoundTrip)) console.log(`| ${m} | ${Math.round(v).toLocaleString('en-US')} | ${m === 'none' ? '' : `+${Math.round(v - perRoundTrip.none).toLocaleString('en-US')}`} |`);
}
