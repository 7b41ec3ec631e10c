// Server child of bench/server.mjs: the one hello-world handler on node:http or on wirehttp/node.
//
//   node --expose-gc bench/server/serve.mjs <node|wirehttp|floor> <port> [--idle]
//
// Port 0 picks a free port. Under bench/server.mjs it talks over IPC: it sends
// { type: 'ready', port, pid, nofile } once listening, answers 'stats' with
// { type: 'stats', accepted, open, cpuMicros, rss, ... } (after gc() when asked to settle), and exits on
// 'stop' or when the parent goes away. --idle raises keepAliveTimeout to 10 minutes so idle
// keep-alive connections stay open. Run by hand, it prints the port and serves until killed.
import { existsSync, readFileSync } from 'node:fs';

const [impl, portArg = '0', ...flags] = process.argv.slice(2);
let http;
if (impl === 'node') http = await import('node:http');
else if (impl === 'wirehttp') {
  const dist = new URL('../../dist/node.js', import.meta.url);
  if (!existsSync(dist)) {
    console.error('bench/server: dist/node.js (wirehttp/node) not found — run npm run build first');
    process.exit(2);
  }
  http = await import(dist.href);
} else if (impl === 'floor') {
  http = await import('./floor.mjs'); // no node:http semantics: the floor for a net.Socket server
} else {
  console.error('usage: node --expose-gc bench/server/serve.mjs <node|wirehttp|floor> <port> [--idle]');
  process.exit(2);
}

// The handler every scenario runs, identical on both servers:
//   GET /chunked  → 200 text/plain, CHUNKS as four res.write() calls then end(): no
//                   Content-Length, so the response is Transfer-Encoding: chunked
//   POST (any)    → reads the whole body ('data' … 'end'), then 200 text/plain
//                   "Hello World, <bytes> bytes" (the count proves the body was consumed)
//   anything else → 200 text/plain "Hello World" via res.end() (Content-Length framing)
const CHUNKS = ['Hello World, ', 'sent as ', 'four res.write() ', 'chunks'];

function handler(req, res) {
  res.setHeader('Content-Type', 'text/plain');
  if (req.method === 'POST') {
    let bytes = 0;
    req.on('data', (chunk) => {
      bytes += chunk.length;
    });
    req.on('end', () => res.end(`Hello World, ${bytes} bytes`));
  } else if (req.url === '/chunked') {
    for (const chunk of CHUNKS) res.write(chunk);
    res.end();
  } else {
    res.end('Hello World');
  }
}

const server = http.createServer(handler); // floor.mjs answers the same without the handler
if (flags.includes('--idle')) server.keepAliveTimeout = 600_000;

let accepted = 0;
let open = 0;
server.on('connection', (socket) => {
  accepted++;
  open++;
  socket.on('close', () => open--);
});

// The soft RLIMIT_NOFILE this process runs with (Linux); Node raises it to the hard limit itself.
function nofile() {
  try {
    const line = readFileSync('/proc/self/limits', 'latin1').split('\n').find((l) => l.startsWith('Max open files'));
    return Number(line.split(/\s+/)[3]) || null;
  } catch {
    return null;
  }
}

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

server.listen(Number(portArg), '127.0.0.1', () => {
  const { port } = server.address();
  if (!process.send) {
    console.log(`${impl} listening on http://127.0.0.1:${port}/`);
    return;
  }
  process.send({ type: 'ready', impl, port, pid: process.pid, nofile: nofile(), keepAliveTimeout: server.keepAliveTimeout });
  process.on('message', async (message) => {
    if (message?.type === 'stop') process.exit(0);
    if (message?.type === 'stats') {
      if (message.settle) await settle();
      const memory = process.memoryUsage();
      const cpu = process.cpuUsage(); // all threads of this process, µs
      process.send({ type: 'stats', accepted, open, cpuMicros: cpu.user + cpu.system, gc: typeof globalThis.gc === 'function', ...memory });
    }
  });
  process.on('disconnect', () => process.exit(0));
});
