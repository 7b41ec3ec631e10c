// One client of bench/client.mjs under load: `connections` requests in flight at all times,
// each started as soon as one finishes, against the canned server.
//
//   node bench/client/load.mjs <node|wirehttp|undici|floor> <port> <small|64k> <connections>
//   IPC: {type:'run', ms} → {type:'result', requests, bytes, p50, p99, errors, cpuUs};
//        {type:'count', n} → {type:'result', …} after exactly n responses (for callgrind);
//        {type:'check'} → the body of one response, for the correctness pass.
import { createRequire } from 'node:module';
import net from 'node:net';

const [impl, portText, scenario, connectionsText] = process.argv.slice(2);
const port = Number(portText);
const connections = Number(connectionsText ?? 50);
const path = scenario === '64k' ? '/64k' : '/small';
const require = createRequire(import.meta.url);

/** Starts one request; calls done(bodyBytes) when its response has ended, or fail(error). */
let start;

if (impl === 'node' || impl === 'wirehttp') {
  const http = impl === 'node' ? require('node:http') : (await import('../../dist/node.js')).default;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const options = { host: '127.0.0.1', port, path, agent };
  start = (done, fail) => {
    const req = http.request(options, (res) => {
      let bytes = 0;
      res.on('data', (d) => (bytes += d.length));
      res.on('end', () => done(bytes));
    });
    req.on('error', fail);
    req.end();
  };
} else if (impl === 'undici') {
  const undici = require('undici');
  const dispatcher = new undici.Agent({ connections });
  const url = `http://127.0.0.1:${port}${path}`;
  start = (done, fail) => {
    undici.request(url, { dispatcher }).then(async ({ body }) => {
      let bytes = 0;
      for await (const chunk of body) bytes += chunk.length;
      done(bytes);
    }, fail);
  };
} else if (impl === 'floor') {
  // The floor: wirehttp's parser and canned request bytes on net.Socket (reading into one shared
  // buffer, as wirehttp's client does), no ClientRequest, IncomingMessage, Agent or events.
  const { HttpParser } = await import('../../dist/index.js');
  const REQUEST = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`, 'latin1');
  const shared = Buffer.allocUnsafe(64 * 1024);
  const idle = [];
  const waiting = [];
  const open = () => {
    const conn = { socket: null, parser: new HttpParser('response'), bytes: 0, done: null };
    conn.parser.onBody = (chunk) => (conn.bytes += chunk.length);
    conn.parser.onMessageComplete = () => {
      const done = conn.done;
      conn.done = null;
      const next = waiting.shift();
      if (next) send(conn, next);
      else idle.push(conn);
      done(conn.bytes);
    };
    conn.socket = net.connect({ host: '127.0.0.1', port, noDelay: true, onread: { buffer: shared, callback: (n, buf) => void conn.parser.execute(buf.subarray(0, n)) } });
    conn.socket.on('error', () => {});
    return conn;
  };
  const send = (conn, done) => {
    conn.bytes = 0;
    conn.done = done;
    conn.socket.write(REQUEST);
  };
  let opened = 0;
  start = (done) => {
    const conn = idle.pop() ?? (opened < connections ? (opened++, open()) : null);
    if (conn) send(conn, done);
    else waiting.push(done);
  };
} else {
  console.error(`bench/client/load: unknown client ${impl}`);
  process.exit(2);
}

/** Keeps `connections` requests in flight until `stop()` says so; resolves with the tallies. */
function drive(stop) {
  const cpuBefore = process.cpuUsage();
  return new Promise((resolve) => {
    const latencies = [];
    let requests = 0;
    let bytes = 0;
    let errors = 0;
    let inFlight = 0;
    const one = () => {
      const began = process.hrtime.bigint();
      inFlight++;
      start(
        (n) => {
          inFlight--;
          requests++;
          bytes += n;
          latencies.push(Number(process.hrtime.bigint() - began) / 1e6);
          next();
        },
        () => {
          inFlight--;
          errors++;
          next();
        },
      );
    };
    const next = () => {
      if (!stop(requests + inFlight)) one();
      else if (inFlight === 0) {
        latencies.sort((a, b) => a - b);
        const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
        // The process's CPU time (all threads, user and system) during the run.
        const cpu = process.cpuUsage(cpuBefore);
        resolve({ requests, bytes, errors, p50: at(0.5), p99: at(0.99), cpuUs: cpu.user + cpu.system });
      }
    };
    for (let i = 0; i < connections; i++) one();
  });
}

process.on('message', async (m) => {
  if (m?.type === 'run') {
    const until = Date.now() + m.ms;
    process.send({ type: 'result', ...(await drive(() => Date.now() >= until)) });
  } else if (m?.type === 'count') {
    process.send({ type: 'result', ...(await drive((started) => started >= m.n)) });
  } else if (m?.type === 'stop') {
    process.exit(0);
  }
});
process.send({ type: 'ready' });
