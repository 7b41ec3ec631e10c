// node bench/server-instructions.mjs — CPU instructions per keep-alive GET, counted by valgrind
// (callgrind), for node:http, wirehttp/node and the floor server (bench/server/floor.mjs).
//
// Wall-clock req/s on a shared VM moves by ±30% between runs; instruction counts do not. Each
// server (bench/server/serve.mjs) runs under callgrind with V8 in --single-threaded mode (no
// background compiler or GC threads, whose work would land on random requests) and serves N1,
// then, in a second run, N2 requests from a plain client (50 keep-alive connections, one request
// in flight on each). Instructions per request = (I(N2) − I(N1)) / (N2 − N1): start-up and most
// of the JIT warm-up cancel out. Counts are user-space only: the kernel's share (the read and write
// system calls, the same for every server) is not in them.
//
//   node bench/server-instructions.mjs [--n1 3000] [--n2 9000] [--only node,wirehttp,floor]
//
// valgrind is installed with apt-get when missing. A run takes a few minutes (valgrind runs
// Node ~50× slower).
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countInstructions, ensureValgrind } from './callgrind.mjs';

const { values: args } = parseArgs({ options: { n1: { type: 'string' }, n2: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (args.help) {
  console.log('usage: node bench/server-instructions.mjs [--n1 3000] [--n2 9000] [--only node,wirehttp,floor]');
  process.exit(0);
}
const n1 = Number(args.n1 ?? 3000);
const n2 = Number(args.n2 ?? 9000);
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

/** Sends n keep-alive GETs over 50 connections, one in flight on each; resolves when all are answered. */
function load(port, n) {
  const REQUEST = 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n';
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
        for (let at; (at = text.indexOf('Hello World')) >= 0; ) {
          text = text.slice(at + 11);
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
console.log(`Instructions per keep-alive GET (user space, callgrind, V8 --single-threaded, N = ${n1} → ${n2}), ${new Date().toISOString().slice(0, 10)}, Node ${process.version}\n`);
console.log('| server | instructions / request | node:http ÷ this |');
console.log('|---|---:|---:|');
for (const r of rows) console.log(`| ${label[r.impl] ?? r.impl} | ${Math.round(r.perRequest).toLocaleString('en-US')} | ${node ? `${(node.perRequest / r.perRequest).toFixed(2)}×` : ''} |`);
