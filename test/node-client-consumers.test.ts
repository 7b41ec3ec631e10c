// Real consumers of a request function: got (its `request` option) and axios (its `transport`
// option) fetch through each side's request() — node:http's and wirehttp/node's — from the same
// server, and must get the same results: JSON, uploads, redirects, gzip, errors, streams, keep-alive.
import * as nodeHttp from 'node:http';
import { gzipSync } from 'node:zlib';
import axios from 'axios';
import got from 'got';
import { describe, expect } from 'vitest';
import { both, type Ctx, poolOf } from './support/sides.js';

/** The server every consumer test talks to (node:http, the same for both sides). */
async function appServer(c: Ctx) {
  const server = c.serverOf(nodeHttp, null, (req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/json') {
        res.setHeader('Content-Type', 'application/json');
        return res.end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] ?? null }));
      }
      if (url.pathname === '/redirect') {
        res.statusCode = 302;
        res.setHeader('Location', '/json');
        return res.end();
      }
      if (url.pathname === '/gzip') {
        res.setHeader('Content-Encoding', 'gzip');
        res.setHeader('Content-Type', 'text/plain');
        return res.end(gzipSync('compressed '.repeat(1000)));
      }
      if (url.pathname === '/stream') {
        res.setHeader('Content-Type', 'text/plain');
        let n = 0;
        const tick = () => (n++ < 20 ? (res.write(`line ${n}\n`), setImmediate(tick)) : res.end());
        return tick();
      }
      if (url.pathname === '/broken') {
        res.setHeader('Content-Length', 100);
        res.write('not all of it');
        return setImmediate(() => req.socket.destroy());
      }
      res.statusCode = 404;
      res.end('no such thing');
    });
  });
  return `http://127.0.0.1:${await c.listen(server)}`;
}

const outcome = async <T>(p: Promise<T>) => {
  try {
    return { ok: await p };
  } catch (e) {
    const err = e as Error & { code?: string; response?: { status?: number; statusCode?: number } };
    return { error: { name: err.name, code: err.code, status: err.response?.status ?? err.response?.statusCode } };
  }
};

describe('got with request: the side’s request()', () => {
  both(
    'JSON, an upload, a redirect, gzip, a 404, a stream and a cut response, over one keep-alive Agent',
    async (c) => {
      const base = await appServer(c);
      const agent = new c.http.Agent({ keepAlive: true, maxSockets: 1 });
      c.defer(() => agent.destroy());
      let calls = 0;
      const request = (...args: unknown[]) => (calls++, (c.http.request as (...a: unknown[]) => nodeHttp.ClientRequest)(...args));
      const client = got.extend({ request: request as never, agent: { http: agent }, retry: { limit: 0 } });
      const pick = (r: { statusCode: number; body: unknown; headers: Record<string, unknown>; redirectUrls: URL[]; isFromCache: boolean }) => ({
        status: r.statusCode,
        body: r.body,
        type: r.headers['content-type'],
        redirects: r.redirectUrls.map((u) => u.pathname),
      });
      const results = {
        json: await outcome(client.get(`${base}/json`, { responseType: 'json' }).then(pick)),
        post: await outcome(client.post(`${base}/json`, { json: { a: 1 }, responseType: 'json' }).then(pick)),
        redirect: await outcome(client.get(`${base}/redirect`, { responseType: 'json' }).then(pick)),
        gzip: await outcome(client.get(`${base}/gzip`).then((r) => r.body.length)),
        missing: await outcome(client.get(`${base}/missing`)),
        stream: await outcome(new Promise((resolve, reject) => {
          let text = '';
          client.stream(`${base}/stream`).on('data', (d: Buffer) => (text += d)).on('end', () => resolve(text)).on('error', reject);
        })),
        broken: await outcome(client.get(`${base}/broken`)),
      };
      return { results, calls, pool: poolOf(agent) };
    },
    (r) => {
      expect(r.results.json.ok).toMatchObject({ status: 200, body: { method: 'GET' } });
      expect(r.results.redirect.ok).toMatchObject({ redirects: ['/json'] });
      expect(r.calls).toBe(8);
      expect(r.results.missing.error?.status).toBe(404);
    },
  );
});

describe('axios with transport: the side’s http module', () => {
  both(
    'JSON, an upload, gzip, a 404, a stream and a cut response',
    async (c) => {
      const base = await appServer(c);
      const agent = new c.http.Agent({ keepAlive: true, maxSockets: 1 });
      c.defer(() => agent.destroy());
      let calls = 0;
      const transport = { request: (...args: unknown[]) => (calls++, (c.http.request as (...a: unknown[]) => nodeHttp.ClientRequest)(...args)) };
      const client = axios.create({ transport, httpAgent: agent, maxRedirects: 0, validateStatus: (s) => s < 400, proxy: false });
      const pick = (r: { status: number; data: unknown; headers: Record<string, unknown> }) => ({ status: r.status, data: r.data, type: r.headers['content-type'] });
      const results = {
        json: await outcome(client.get(`${base}/json`).then(pick)),
        post: await outcome(client.post(`${base}/json`, { a: 1 }).then(pick)),
        redirect: await outcome(client.get(`${base}/redirect`).then(pick)),
        gzip: await outcome(client.get(`${base}/gzip`).then((r) => (r.data as string).length)),
        missing: await outcome(client.get(`${base}/missing`)),
        stream: await outcome(client.get(`${base}/stream`, { responseType: 'stream' }).then((r) => new Promise((resolve) => {
          let text = '';
          r.data.on('data', (d: Buffer) => (text += d)).on('end', () => resolve(text));
        }))),
        broken: await outcome(client.get(`${base}/broken`)),
      };
      return { results, calls, pool: poolOf(agent) };
    },
    (r) => {
      expect(r.results.post.ok).toMatchObject({ status: 200, data: { method: 'POST', body: '{"a":1}' } });
      expect(r.results.gzip.ok).toBe('compressed '.length * 1000);
      expect(r.calls).toBe(7);
      expect(r.results.missing.error?.status).toBe(404);
    },
  );
});
