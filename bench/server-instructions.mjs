// node bench/server-instructions.mjs — CPU instructions per keep-alive request, counted by valgrind
// (callgrind), for node:http, wirehttp/node and the floor server (bench/server/floor.mjs): a GET
// answered with res.end() (the default), a 4 KiB POST read whole, or a GET answered with four
// res.write() calls (chunked) — bench/server/serve.mjs's handler.
//
// Wall-clock req/s on a shared VM moves by ±30% between runs; instruction counts do not. Each
// server (bench/server/serve.mjs) runs under callgrind with V8 in --single-threaded mode (no
// background compiler or GC threads, whose work would land on random requests) and serves N1,
// then, in a second run, N2 requests from a plain client (50 keep-alive connections, one request
// in flight on each). Instructions per request = (I(N2) − I(N1)) / (N2 − N1): start-up and the
// JIT warm-up cancel out. They cancel only once both runs are past the warm-up: at N = 3000 → 9000
// V8 was still optimising in the difference (about +10,000 instructions per request for both
// servers, and ±1,500 between runs); from 6000 → 18000 on, runs agree within ~1,000. Counts are
// user-space only: the kernel's share (the read and write system calls, the same for every
// server) is not in them.
//
//   node bench/server-instructions.mjs [--scenario get|post|chunked] [--n1 6000] [--n2 18000] [--only node,wirehttp,floor]
//
// valgrind is installed with apt-get when missing. A run takes a few minutes (valgrind runs
// Node ~50× slower).
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countInstructions, ensureValgrind } from './callgrind.mjs';

const { values: args } = parseArgs({
  options: { scenario: { type: 'string' }, n1: { type: 'string' }, n2: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
const USAGE = 'usage: node bench/server-instructions.mjs [--scenario get|post|chunked] [--n1 6000] [--n2 18000] [--only node,wirehttp,floor]';
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
/** What each scenario sends, and the text that ends each of its answers. */
const SCENARIOS = {
  get: { request: 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n', answerEnd: 'Hello World', title: 'keep-alive GET' },
  post: {
    request: `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4096\r\n\r\n${'x'.repeat(4096)}`,
    answerEnd: '4096 bytes',
    title: 'keep-alive 4 KiB POST',
  },
  chunked: { request: 'GET /chunked HTTP/1.1\r\nHost: localhost\r\n\r\n', answerEnd: '0\r\n\r\n', title: 'keep-alive GET answered chunked' },
};
const scenario = SCENARIOS[args.scenario ?? 'get'];
if (!scenario) {
  console.error(USAGE);
  process.exit(2);
}
const n1 = Number(args.n1 ?? 6000);
const n2 = Number(args.n2 ?? 18000);
if (!(Number.isInteger(n1) && Number.isInteger(n2) && n1 > 0 && n2 > n1)) {
  console.error('bench/server-instructions: --n1 and --n2 must be whole numbers with 0 < n1 < n2');
  process.exit(2);
}
const impls = (args.only ?? 'node,wirehttp,floor').split(',');
const SERVE = fileURLToPath(new URL('server/serve.mjs', import.meta.url));
if (impls.some((i) => i !== 'node') && !existsSync(new URL('../dist/node.js', import.meta.url))) {
  console.error('bench/server-instructions: dist/ not found — run npm run build first');
  process.exit(1);
}

/** Sends n keep-alive requests over 50 connections, one in flight on each; resolves when all are answered. */
function load(port, n) {
  const { request: REQUEST, answerEnd } = scenario;
  let sent = 0;
  let answered = 0;
  return new Promise((resolve, reject) => {
    for (let i = 0; i < 50; i++) {
      const socket = net.connect(port, '127.0.0.1');
      let text = '';
      const next = () => {
        if (sent < n) {
          sent++;
          socket.write(REQUEST);
        } else socket.end();
      };
      socket.setEncoding('latin1');
      socket.on('connect', next);
      socket.on('data', (d) => {
        text += d;
        for (let at; (at = text.indexOf(answerEnd)) >= 0; ) {
          text = text.slice(at + answerEnd.length);
          if (++answered === n) resolve();
          next();
        }
      });
      socket.on('error', reject);
    }
  });
}

/** Instructions the server executes to start, serve n requests and stop. */
function count(impl, n) {
  return countInstructions(SERVE, [impl, '0'], (_child, ready) => load(ready.port, n));
}

ensureValgrind('bench/server-instructions');
const rows = [];
for (const impl of impls) {
  const a = await count(impl, n1);
  const b = await count(impl, n2);
  const perRequest = (b - a) / (n2 - n1);
  rows.push({ impl, perRequest });
  console.error(`${impl}: ${Math.round(perRequest).toLocaleString('en-US')} instructions per request`);
}
const node = rows.find((r) => r.impl === 'node');
const label = { node: 'node:http', wirehttp: 'wirehttp/node', floor: 'floor (parser on net.Socket, no node:http semantics)' };
console.log(`Instructions per ${scenario.title} (user space, callgrind, V8 --single-threaded, N = ${n1} → ${n2}), ${new Date().toISOString().slice(0, 10)}, Node ${process.version}\n`);
console.log('| server | instructions / request | node:http ÷ this |');
console.log('|---|---:|---:|');
for (const r of rows) console.log(`| ${label[r.impl] ?? r.impl} | ${Math.round(r.perRequest).toLocaleString('en-US')} | ${node ? `${(node.perRequest / r.perRequest).toFixed(2)}×` : ''} |`);
