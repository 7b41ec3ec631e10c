// Cluster check for the side-by-side suite: `node cluster-worker.cjs <module id>`.
// The primary forks two workers; each runs createServer from <module id> ('node:http' or
// 'wirehttp/node', the CommonJS build) and listens on port 0 — in a cluster every worker gets the
// same port. The primary then makes 20 requests, one connection each, and prints one JSON line:
// the statuses, the ports the workers reported and the set of worker pids that answered.
'use strict';
const cluster = require('node:cluster');
const nodeHttp = require('node:http');

const id = process.argv[2];
const WORKERS = 2;
const REQUESTS = 20;

if (cluster.isPrimary) {
  const ports = [];
  const workerPids = [];
  const fail = (why) => {
    console.log(JSON.stringify({ error: String(why) }));
    for (const w of Object.values(cluster.workers)) w.kill();
    process.exitCode = 1;
  };
  const timer = setTimeout(() => fail('timed out'), 15000);
  cluster.setupPrimary({ args: [id], silent: false });
  cluster.on('listening', (worker, address) => {
    ports.push(address.port);
    if (ports.length === WORKERS) void run();
  });
  cluster.on('exit', (worker, code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM' && !worker.exitedAfterDisconnect) fail(`worker exited ${code} ${signal}`);
  });
  for (let i = 0; i < WORKERS; i++) workerPids.push(cluster.fork().process.pid);

  const get = (port) =>
    new Promise((resolve, reject) => {
      const req = nodeHttp.get({ host: '127.0.0.1', port, path: '/pid', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('error', reject);
    });

  async function run() {
    try {
      const results = [];
      for (let i = 0; i < REQUESTS; i++) results.push(await get(ports[0]));
      const pids = [...new Set(results.map((r) => Number(r.body)))];
      console.log(
        JSON.stringify({
          statuses: [...new Set(results.map((r) => r.status))],
          count: results.length,
          samePort: ports.every((p) => p === ports[0]),
          pids,
          pidsAreWorkers: pids.every((p) => workerPids.includes(p)),
        }),
      );
    } catch (e) {
      fail(e && e.message);
    } finally {
      clearTimeout(timer);
      cluster.disconnect();
    }
  }
} else {
  const http = require(id);
  const server = http.createServer((req, res) => res.end(String(process.pid)));
  server.listen(0, '127.0.0.1');
  process.on('disconnect', () => server.close());
}
