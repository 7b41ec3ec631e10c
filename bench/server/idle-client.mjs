// Idle-connections client of bench/server.mjs: opens <count> keep-alive connections to
// 127.0.0.1:<port> (at most 256 connecting at once), sends one GET / on each, reads and checks the
// full response (200, body "Hello World", no Connection: close), then leaves the socket open and idle.
//
//   node bench/server/idle-client.mjs <port> <count>
//
// Under bench/server.mjs it sends { type: 'ready', ok, failed, closed, firstError, ms, nofile } over IPC
// once every connection has its response, answers 'status' with { type: 'status', ok, closed }
// (closed: connections the server closed since), and exits on 'stop' or when the parent goes away.
import { readFileSync } from 'node:fs';
import net from 'node:net';

const port = Number(process.argv[2]);
const count = Number(process.argv[3]);
if (!port || !count) {
  console.error('usage: node bench/server/idle-client.mjs <port> <count>');
  process.exit(2);
}

// Each connection is a file descriptor: stop early, with a clear reason, if the limit is too low.
let nofile = null;
try {
  nofile = Number(readFileSync('/proc/self/limits', 'latin1').split('\n').find((l) => l.startsWith('Max open files')).split(/\s+/)[3]);
} catch {}
if (nofile && nofile < count + 64) {
  const firstError = `the client may open only ${nofile} files (ulimit -n), too few for ${count} connections`;
  if (process.send) process.send({ type: 'ready', ok: 0, failed: count, closed: 0, firstError, ms: 0, nofile }, () => process.exit(1));
  else {
    console.error(firstError);
    process.exit(1);
  }
  await new Promise(() => {}); // until the message is out and process.exit runs
}

const REQUEST = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, 'latin1');
const EXPECT = 'Hello World';
const IN_FLIGHT = 256;

let ok = 0;
let failed = 0;
let closed = 0;
let firstError = '';
const sockets = [];
const fail = (message) => {
  failed++;
  if (!firstError) firstError = message;
};

// Parses one complete response from `text` (latin1); null while incomplete.
function parseResponse(text) {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine.split(' ')[1]);
  let rest = text.slice(end + 4);
  let body;
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    body = '';
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      if (lineEnd < 0) return null;
      const size = parseInt(rest.slice(0, lineEnd), 16);
      if (rest.length < lineEnd + 2 + size + 2) return null;
      if (size === 0) break; // no trailers expected
      body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
      rest = rest.slice(lineEnd + 2 + size + 2);
    }
  } else {
    const length = Number(headers['content-length'] ?? NaN);
    if (!(length >= 0)) return { status, headers, body: null };
    if (rest.length < length) return null;
    body = rest.slice(0, length);
  }
  return { status, headers, body };
}

function connect() {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let received = '';
    let answered = false;
    socket.on('connect', () => socket.write(REQUEST));
    socket.on('data', (data) => {
      if (answered) return fail('data after the response on an idle connection');
      received += data.latin1Slice();
      const response = parseResponse(received);
      if (!response) return;
      answered = true;
      if (response.status !== 200) fail(`status ${response.status}`);
      else if (response.body !== EXPECT) fail(`body ${JSON.stringify(response.body)}`);
      else if (response.headers.connection?.toLowerCase() === 'close') fail('Connection: close');
      else ok++;
      resolve();
    });
    socket.on('error', (error) => {
      if (!firstError) firstError = `${error.code ?? ''} ${error.message}`.trim();
    });
    socket.on('close', () => {
      if (answered) closed++;
      else {
        fail(firstError || 'closed before a response');
        resolve();
      }
    });
    sockets.push(socket);
  });
}

const t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(IN_FLIGHT, count) }, async () => {
    while (next < count) {
      next++;
      await connect();
    }
  }),
);
const ms = Math.round(performance.now() - t0);

if (!process.send) {
  console.log(`${ok} ok, ${failed} failed${firstError ? ` (first: ${firstError})` : ''} in ${ms} ms; holding them open, ^C to end`);
} else {
  process.send({ type: 'ready', ok, failed, closed, firstError, ms, nofile });
  process.on('message', (message) => {
    if (message?.type === 'stop') process.exit(0);
    if (message?.type === 'status') process.send({ type: 'status', ok, closed });
  });
  process.on('disconnect', () => process.exit(0));
}
