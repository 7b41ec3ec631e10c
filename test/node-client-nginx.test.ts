// wirehttp/node's client against node:http's, side by side, with a real nginx as the server:
// keep-alive reuse, Content-Length and chunked bodies, HEAD, 304, 100-continue, and large
// downloads and uploads with back-pressure (PUT through nginx's DAV module, read back).
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as nodeHttp from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { both, clientRequest, type Ctx, logClient, poolOf, sleep } from './support/sides.js';
import { type Nginx, startNginx } from './support/nginx.js';

let nginx: Nginx;
let upstream: nodeHttp.Server;
const BIG = randomBytes(8 * 1024 * 1024);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  // What /proxy/ reaches: a body written in pieces with no length, which nginx passes on chunked.
  upstream = nodeHttp.createServer((req, res) => {
    req.resume();
    res.setHeader('X-Upstream', '1');
    res.write('chunk one, ');
    setImmediate(() => {
      res.write('chunk two, ');
      res.end('last');
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  nginx = await startNginx((upstream.address() as import('node:net').AddressInfo).port);
  writeFileSync(join(nginx.root, 'hello.txt'), 'hello from nginx\n');
  writeFileSync(join(nginx.root, 'big.bin'), BIG);
}, 30_000);

afterAll(async () => {
  await nginx?.stop();
  await new Promise<void>((r) => (upstream ? upstream.close(() => r()) : r()));
});

/** Headers nginx varies per run or per second. */
const stable = (raw: string[] | undefined) =>
  (raw ?? []).map((v, i) => (i % 2 === 1 && /^(date|server|last-modified|etag)$/i.test(raw![i - 1]) ? '<varies>' : v));

function summary(r: Awaited<ReturnType<typeof clientRequest>>) {
  return { log: r.log, status: r.status, rawHeaders: stable(r.rawHeaders), body: r.body.length > 200 ? sha(Buffer.from(r.body, 'latin1')) : r.body, reusedSocket: r.reusedSocket };
}

async function withAgent(c: Ctx) {
  const agent = new c.http.Agent({ keepAlive: true, maxSockets: 1 });
  c.defer(() => agent.destroy());
  return agent;
}

describe('nginx', () => {
  both(
    'keep-alive: a Content-Length file, a chunked proxied body, HEAD and a 404 on one socket',
    async (c) => {
      const agent = await withAgent(c);
      const out = [];
      for (const options of [{ path: '/hello.txt' }, { path: '/proxy/x' }, { path: '/hello.txt', method: 'HEAD' }, { path: '/missing' }]) {
        c.log.length = 0;
        out.push(summary(await clientRequest(c, nginx.port, { agent, ...options })));
      }
      return { out, pool: poolOf(agent) };
    },
    (r) => {
      expect(r.out[0].body).toBe('hello from nginx\n');
      expect(r.out[1].rawHeaders).toContain('chunked');
      expect(r.out[1].body).toBe('chunk one, chunk two, last');
      expect(r.out.slice(1).every((x) => x.reusedSocket)).toBe(true);
    },
  );
  both(
    '304 Not Modified for a matching If-None-Match',
    async (c) => {
      const agent = await withAgent(c);
      const first = await clientRequest(c, nginx.port, { agent, path: '/hello.txt' });
      const etag = first.rawHeaders![first.rawHeaders!.findIndex((v, i) => i % 2 === 0 && v.toLowerCase() === 'etag') + 1];
      c.log.length = 0;
      const second = await clientRequest(c, nginx.port, { agent, path: '/hello.txt', headers: { 'If-None-Match': etag } });
      return { second: summary(second), pool: poolOf(agent) };
    },
    (r) => expect(r.second.status).toBe(304),
  );
  both(
    'Expect: 100-continue on an upload: continue, then the body, then 201',
    async (c) => {
      const agent = await withAgent(c);
      const result = { log: c.log, body: '' };
      const req = c.http.request({ host: '127.0.0.1', port: nginx.port, agent, method: 'PUT', path: `/dav/continue-${c.side.replace(/\W/g, '')}.txt`, headers: { Expect: '100-continue', 'Content-Length': 5 } });
      logClient(c, req, result);
      req.on('continue', () => req.end('hello'));
      await c.waitFor(() => c.log.some((l) => l.startsWith('res close')), 5000, 20);
      return { log: c.log, pool: poolOf(agent) };
    },
    (r) => expect(r.log).toContain('continue'),
  );
  both(
    'an 8 MiB download read slowly: the paused response holds a bounded amount; every byte arrives',
    async (c) => {
      const agent = await withAgent(c);
      const res = await new Promise<nodeHttp.IncomingMessage>((resolve, reject) => {
        const req = c.http.request({ host: '127.0.0.1', port: nginx.port, agent, path: '/big.bin' }, resolve);
        req.on('error', reject);
        req.end();
      });
      res.pause();
      await sleep(200);
      const heldWhilePaused = res.readableLength < BIG.length / 2;
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.resume();
      await new Promise((r) => res.on('end', r));
      await sleep(20);
      return { heldWhilePaused, length: Buffer.concat(chunks).length, same: sha(Buffer.concat(chunks)) === sha(BIG), pool: poolOf(agent) };
    },
    (r) => expect(r.same).toBe(true),
  );
  both(
    'an 8 MiB upload streamed with write()/drain, chunked and with Content-Length, then read back',
    async (c) => {
      const agent = await withAgent(c);
      const results = [];
      for (const chunked of [true, false]) {
        const path = `/dav/up-${c.side.replace(/\W/g, '')}-${chunked}.bin`;
        const status = await new Promise<number>((resolve, reject) => {
          const req = c.http.request({ host: '127.0.0.1', port: nginx.port, agent, method: 'PUT', path, headers: chunked ? {} : { 'Content-Length': BIG.length } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          });
          req.on('error', reject);
          let at = 0;
          const pump = () => {
            while (at < BIG.length) {
              const piece = BIG.subarray(at, at + 256 * 1024);
              at += piece.length;
              if (!req.write(piece)) return void req.once('drain', pump);
            }
            req.end();
          };
          pump();
        });
        const back = await clientRequest(c, nginx.port, { agent, path });
        results.push({ status, backStatus: back.status, same: sha(Buffer.from(back.body, 'latin1')) === sha(BIG) });
      }
      return { results, pool: poolOf(agent) };
    },
    (r) => expect(r.results.every((x) => x.same)).toBe(true),
    { timeout: 30_000 },
  );
});
