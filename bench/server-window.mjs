// node bench/server-window.mjs [--root DIR] [--impl wirehttp] [--scenario get|post|chunked] [--warm 30000] [--count 20000]
//
// User-space instructions per keep-alive request in a window of a warm server, for comparing two
// builds run one after the other (bench/server-instructions.mjs's start-up-cancelling difference
// moves by ±1,000–2,000 under load). The server (DIR/bench/server/serve.mjs, default this
// checkout) runs under callgrind with V8 --single-threaded and the semi-space fixed at 8 MB (V8
// otherwise sizes the young generation from the allocation rate, which moves with the machine's
// load); callgrind's counters are zeroed after --warm requests and dumped after --count more.
// Prints the total, the scavenges and compiles in the window (callgrind_annotate, inclusive), and
// the rest, each per request: compare the rest. Under valgrind the 50 connections' keep-alive
// timers fire too (~600 a request), the same for every build.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureValgrind } from './callgrind.mjs';

const { values: args } = parseArgs({
  options: { root: { type: 'string' }, impl: { type: 'string' }, scenario: { type: 'string' }, warm: { type: 'string' }, count: { type: 'string' } },
});
const root = resolve(args.root ?? fileURLToPath(new URL('..', import.meta.url)));
const warm = Number(args.warm ?? 30000);
const count = Number(args.count ?? 20000);
const [request, answerEnd] = {
  get: ['GET / HTTP/1.1\r\nHost: localhost\r\n\r\n', 'Hello World'],
  post: [`POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4096\r\n\r\n${'x'.repeat(4096)}`, '4096 bytes'],
  chunked: ['GET /chunked HTTP/1.1\r\nHost: localhost\r\n\r\n', '0\r\n\r\n'],
}[args.scenario ?? 'get'];

ensureValgrind('bench/server-window');
const dir = mkdtempSync(join(tmpdir(), 'wirehttp-window-'));
const out = join(dir, 'callgrind.out');
const node = [process.execPath, '--single-threaded', '--min-semi-space-size=8', '--max-semi-space-size=8'];
const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, ...node, join(root, 'bench/server/serve.mjs'), args.impl ?? 'wirehttp', '0'], {
  stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
});
const control = (flag) => new Promise((done) => spawn('callgrind_control', [flag, String(child.pid)], { stdio: 'ignore' }).on('exit', done));
const ready = await new Promise((done) => child.on('message', (m) => m?.type === 'ready' && done(m)));

// 50 connections, one request in flight on each, until the window is read; the window counts the
// requests answered between the zeroing and the dump (each control call takes a while).
let answered = 0;
let zeroedAt = 0;
let dumpedAt = 0;
await new Promise((done) => {
  let stopping = false;
  for (let i = 0; i < 50; i++) {
    const socket = net.connect(ready.port, '127.0.0.1');
    let text = '';
    const next = () => (stopping ? socket.destroy() : socket.write(request));
    socket.setEncoding('latin1');
    socket.on('connect', next);
    socket.on('error', () => {});
    socket.on('data', (d) => {
      text += d;
      for (let at; (at = text.indexOf(answerEnd)) >= 0; ) {
        text = text.slice(at + answerEnd.length);
        answered++;
        if (answered === warm) control('-z').then(() => (zeroedAt = answered));
        if (answered === warm + count) control('-d').then(() => ((dumpedAt = answered), (stopping = true), done()));
        next();
      }
    });
  }
});
child.send({ type: 'stop' });
await new Promise((done) => child.on('exit', done));
const file = `${out}.1`;
const requests = dumpedAt - zeroedAt;
const text = execFileSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', file], { encoding: 'latin1', maxBuffer: 1 << 28 });
const most = (pattern) => Math.max(0, ...[...text.matchAll(new RegExp(`^\\s*([\\d,]+) .*${pattern}`, 'gm'))].map((m) => Number(m[1].replaceAll(',', ''))));
const total = Number(readFileSync(file, 'latin1').match(/^summary: (\d+)/m)[1]);
const gc = most('Heap::CollectGarbage\\(');
const compiles = most('Runtime_CompileOptimized') + most('Runtime_CompileLazy');
rmSync(dir, { recursive: true, force: true });
const per = (n) => Math.round(n / requests).toLocaleString('en-US');
console.log(`${root}: ${requests} requests, per request: total ${per(total)}, gc ${per(gc)}, compiles ${per(compiles)}, rest ${per(total - gc - compiles)}`);
