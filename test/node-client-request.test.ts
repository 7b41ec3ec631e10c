// wirehttp/node's client against node:http's, side by side: the same request through each side's
// request() to the same server (node:http's, wirehttp's, or a raw socket), and the same events,
// response, body and Agent pool state afterwards.
import diagnostics from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import * as nodeHttp from 'node:http';
import { PerformanceObserver } from 'node:perf_hooks';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { both, cannedServer, clientErr, type Ctx, differs, clientRequest, echoServer, latin1, logClient, poolOf, type RawCase, type RawResult, rawCase, sides, sleep, WIRE_ESM } from './support/sides.js';

const wire = sides.find(([name]) => name === 'wirehttp/node')?.[1] ?? (await import(/* @vite-ignore */ WIRE_ESM));
const servers: [string, typeof nodeHttp][] = [['node:http server', nodeHttp], ['wirehttp server', wire]];

describe('exports and classes', () => {
  both(
    'request, get, ClientRequest, Agent, globalAgent: shapes and instanceof',
    async (c) => {
      const h = c.http as typeof nodeHttp & { default: typeof nodeHttp };
      const port = await echoServer(c, nodeHttp);
      const req = h.request({ port, host: '127.0.0.1' });
      req.on('error', () => {});
      const shapes = {
        request: typeof h.request,
        get: typeof h.get,
        defaults: [h.default.request === h.request, h.default.get === h.get, h.default.Agent === h.Agent, h.default.ClientRequest === h.ClientRequest, h.default.globalAgent === h.globalAgent],
        reqIsNodes: req instanceof nodeHttp.ClientRequest,
        reqIsOwn: req instanceof h.ClientRequest,
        reqIsOutgoing: req instanceof nodeHttp.OutgoingMessage,
        agentIsNodes: h.globalAgent instanceof nodeHttp.Agent,
        agentOptions: { keepAlive: h.globalAgent.keepAlive, maxSockets: h.globalAgent.maxSockets, maxFreeSockets: h.globalAgent.maxFreeSockets, scheduling: (h.globalAgent as any).scheduling, timeout: (h.globalAgent as any).options.timeout, keepAliveMsecs: h.globalAgent.keepAliveMsecs },
        agentWithoutNew: (h.Agent as unknown as (o?: object) => nodeHttp.Agent)() instanceof h.Agent,
        fields: { method: req.method, path: req.path, host: req.host, protocol: req.protocol, reusedSocket: req.reusedSocket, aborted: req.aborted, destroyed: req.destroyed, maxHeadersCount: req.maxHeadersCount, agentIsGlobal: req.agent === h.globalAgent },
      };
      req.destroy();
      return shapes;
    },
    (r) => expect(r.reqIsNodes && r.reqIsOwn && r.agentIsNodes).toBe(true),
  );

  both(
    'http.globalAgent = agent on the default export: later requests use it',
    async (c) => {
      const h = (c.http as typeof nodeHttp & { default: typeof nodeHttp }).default;
      const port = await echoServer(c, nodeHttp);
      const before = h.globalAgent;
      const mine = new h.Agent({ keepAlive: true });
      c.defer(() => mine.destroy());
      h.globalAgent = mine;
      try {
        const r = await clientRequest(c, port, { agent: undefined as unknown as nodeHttp.Agent, path: '/g' }).catch(() => null);
        return { assigned: h.globalAgent === mine, status: r, pool: poolOf(mine) };
      } finally {
        h.globalAgent = before;
      }
    },
  );
});

const byteByByte = (s: string) => [...s];
const OK_HELLO = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';
const CHUNKED_HELLO = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhe\r\n3;ext=1\r\nllo\r\n0\r\nX-Sum: 5\r\nX-Sum: 6\r\n\r\n';
const pooled = (r: RawResult) => expect(r.pool.freeSockets).toEqual({ '127.0.0.1:PORT:': 1 });
const closedPool = (r: RawResult) => expect(r.pool).toEqual({ sockets: {}, freeSockets: {}, requests: {}, total: 0 });
const ended = (body: string) => (r: RawResult) => {
  expect(r.body).toBe(body);
  expect(r.log).toContain('res end true');
};

describe('responses from a raw server: framing, 1xx, keep-alive', () => {
  const cases: RawCase[] = [
    { name: 'Content-Length body, kept alive', answer: OK_HELLO, sanity: (r) => (ended('hello')(r), pooled(r)) },
    { name: 'Content-Length body byte by byte', answer: byteByByte(OK_HELLO), sanity: (r) => (ended('hello')(r), pooled(r)) },
    { name: 'chunked body with extensions and trailers', answer: CHUNKED_HELLO, sanity: (r) => (ended('hello')(r), expect(r.trailers).toEqual({ 'x-sum': '5, 6' })) },
    { name: 'chunked body byte by byte', answer: byteByByte(CHUNKED_HELLO), sanity: ended('hello') },
    { name: 'body read until the connection closes', answer: 'HTTP/1.1 200 OK\r\nX: 1\r\n\r\nuntil close', close: true, sanity: (r) => (ended('until close')(r), closedPool(r)) },
    { name: 'Connection: close with a keep-alive agent', answer: 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok', close: true, sanity: closedPool },
    { name: 'HTTP/1.0 response with keep-alive', answer: 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok', sanity: pooled },
    { name: 'HTTP/1.0 response without keep-alive', answer: 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok', close: true, sanity: closedPool },
    { name: 'HEAD: no body read despite Content-Length', answer: 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n', request: { method: 'HEAD' }, sanity: (r) => (ended('')(r), pooled(r)) },
    { name: '204: no body', answer: 'HTTP/1.1 204 No Content\r\n\r\n', sanity: (r) => (ended('')(r), pooled(r)) },
    { name: '304 with a Content-Length: no body', answer: 'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\nETag: "x"\r\n\r\n', sanity: (r) => (ended('')(r), pooled(r)) },
    { name: 'empty reason phrase, unusual status', answer: 'HTTP/1.1 599 \r\nContent-Length: 0\r\n\r\n', sanity: (r) => expect(r.status).toBe(599) },
    { name: 'no reason phrase at all', answer: 'HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n', sanity: (r) => expect(r.status).toBe(200) },
    {
      name: "100 Continue, 103 Early Hints and 102 before the response: 'information' for each, 'continue' for the 100",
      answer: ['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n', OK_HELLO],
      sanity: (r) => expect(r.log.filter((l) => l.startsWith('information') || l === 'continue')).toHaveLength(4),
    },
    {
      name: 'duplicate fields: set-cookie as an array, others joined or first kept',
      answer: 'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Dup: 1\r\nx-dup: 2\r\nContent-Type: a\r\nContent-Type: b\r\nContent-Length: 0\r\n\r\n',
      sanity: (r) => expect(r.headers).toEqual({ 'set-cookie': ['a=1', 'b=2'], 'x-dup': '1, 2', 'content-type': 'a', 'content-length': '0' }),
    },
    {
      name: 'joinDuplicateHeaders joins what is otherwise dropped',
      answer: 'HTTP/1.1 200 OK\r\nContent-Type: a\r\nContent-Type: b\r\nContent-Length: 0\r\n\r\n',
      request: { joinDuplicateHeaders: true },
    },
    {
      name: 'maxHeadersCount keeps the first fields',
      answer: `HTTP/1.1 200 OK\r\n${Array.from({ length: 40 }, (_, i) => `X-${i}: ${i}\r\n`).join('')}Content-Length: 0\r\n\r\n`,
    },
    { name: 'obs-text in a header value and the reason phrase', answer: 'HTTP/1.1 200 \xe9t\xe9\r\nX: caf\xe9\r\nContent-Length: 0\r\n\r\n' },
  ];
  for (const k of cases) rawCase(k);
});

describe('requests to node:http and wirehttp servers', () => {
  for (const [serverName, impl] of servers) {
    both(
      `${serverName}: GET, then POST with a streamed (chunked) body, then PUT with Content-Length, on one kept-alive socket`,
      async (c) => {
        const port = await echoServer(c, impl);
        const agent = new c.http.Agent({ keepAlive: true, maxSockets: 1 });
        c.defer(() => agent.destroy());
        const get = await clientRequest(c, port, { agent, path: '/a?b=1' });
        const post = await clientRequest(c, port, { agent, method: 'POST', path: '/post', body: ['one,', 'two,', 'three'] });
        const put = await clientRequest(c, port, { agent, method: 'PUT', headers: { 'Content-Length': 5, 'X-Custom': ['a', 'b'] }, body: 'hello' });
        return { get, post, put, pool: poolOf(agent) };
      },
      (r) => {
        expect(JSON.parse(r.post.body).rawHeaders).toContain('chunked');
        expect(r.put.reusedSocket).toBe(true);
      },
    );
    both(
      `${serverName}: options that shape the request head (auth, setHost, raw header array, uniqueHeaders, method case, defaultPort)`,
      async (c) => {
        const port = await echoServer(c, impl);
        return [
          await clientRequest(c, port, { auth: 'user:pa ss', path: '/auth' }),
          await clientRequest(c, port, { setHost: false, path: '/nohost' }),
          await clientRequest(c, port, { headers: ['X-A', '1', 'x-a', '2', 'Host', 'raw'] as unknown as nodeHttp.OutgoingHttpHeaders }),
          await clientRequest(c, port, { method: 'patch', headers: { 'X-U': ['1', '2'] }, uniqueHeaders: ['x-u'], body: 'p' }),
          await clientRequest(c, port, { defaultPort: port, path: '/dp' }),
          await clientRequest(c, port, { hostname: '127.0.0.1', host: 'ignored.invalid', family: 4, path: '/family' }),
        ];
      },
    );
    both(
      `${serverName}: Expect: 100-continue waits for 'continue', then sends the body`,
      async (c) => {
        const port = await echoServer(c, impl);
        const agent = new c.http.Agent({ keepAlive: true });
        c.defer(() => agent.destroy());
        const result = { log: c.log, body: '' };
        const req = c.http.request({ host: '127.0.0.1', port, agent, method: 'POST', headers: { Expect: '100-continue', 'Content-Length': 4 } });
        logClient(c, req, result);
        req.on('continue', () => req.end('body'));
        await c.waitFor(() => c.log.some((l) => l.startsWith('res close')), 3000, 20);
        return { result, pool: poolOf(agent) };
      },
      (r) => expect(r.result.log).toContain('continue'),
    );
    both(
      `${serverName}: a subclass whose setHeader adds Expect by itself (no headers given): the head is made in the constructor, 'continue' comes`,
      async (c) => {
        const port = await echoServer(c, impl);
        const agent = new c.http.Agent({ keepAlive: true });
        c.defer(() => agent.destroy());
        // The constructor sets Host through setHeader; this one adds Expect with it, so the
        // constructor's Expect lookup must run although the options have no headers.
        class ExpectingRequest extends c.http.ClientRequest {
          setHeader(name: string, value: number | string | readonly string[]) {
            super.setHeader(name, value);
            if (name === 'Host') super.setHeader('Expect', '100-continue');
            return this;
          }
        }
        const result = { log: c.log, body: '' };
        const req = new ExpectingRequest({ host: '127.0.0.1', port, agent, method: 'PUT', path: '/expect' });
        const headAfterConstructor = typeof req._header === 'string' ? req._header.replace(/:\d+\r\n/, ':PORT\r\n') : req._header;
        logClient(c, req, result);
        req.on('continue', () => req.end('body'));
        await c.waitFor(() => c.log.some((l) => l.startsWith('res close')), 3000, 20);
        return { headAfterConstructor, result, pool: poolOf(agent) };
      },
      (r) => {
        expect(r.headAfterConstructor).toContain('Expect: 100-continue');
        expect(r.result.log).toContain('continue');
      },
    );
    both(
      `${serverName}: back-pressure — a paused 2 MiB response stops the socket; resumed, all bytes arrive`,
      async (c) => {
        const size = 2 * 1024 * 1024;
        const server = c.serverOf(impl, null, (req, res) => {
          res.setHeader('Content-Length', size);
          const chunk = Buffer.alloc(64 * 1024, 'x');
          let sent = 0;
          const pump = () => {
            while (sent < size) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          pump();
        });
        const port = await c.listen(server);
        const agent = new c.http.Agent({ keepAlive: true });
        c.defer(() => agent.destroy());
        const res = await new Promise<nodeHttp.IncomingMessage>((resolve, reject) => {
          const req = c.http.request({ host: '127.0.0.1', port, agent }, resolve);
          req.on('error', reject);
          req.end();
        });
        res.pause();
        await sleep(200);
        const buffered = res.readableLength;
        const socket = res.socket!;
        // Paused: the socket stopped reading (its bytes wait in the kernel), the response holds a bounded amount.
        const paused = { bufferedBelowSize: buffered < size, socketFlowing: socket.readableFlowing, socketBuffered: socket.readableLength < size };
        let received = 0;
        res.on('data', (d: Buffer) => (received += d.length));
        res.resume();
        await new Promise((r) => res.on('end', r));
        await sleep(20);
        return { paused, received, complete: res.complete, pool: poolOf(agent) };
      },
      (r) => expect(r.received).toBe(2 * 1024 * 1024),
    );
  }
});

describe('Upgrade and CONNECT', () => {
  both(
    "101 Switching Protocols: 'upgrade' with the response, the socket and the bytes after the head; the socket leaves the pool",
    async (c) => {
      const port = await c.rawServer((socket) => {
        socket.once('data', () => {
          socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nFIRST');
          socket.on('data', (d) => socket.write(`echo:${latin1(d)}`));
        });
      });
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const req = c.http.request({ host: '127.0.0.1', port, agent, headers: { Connection: 'Upgrade', Upgrade: 'echo' } });
      const result = { log: c.log, body: '' };
      logClient(c, req, result);
      const got: string[] = [];
      req.on('upgrade', (res, socket: net.Socket, head: Buffer) => {
        c.ev('upgrade', res.statusCode, res.headers, latin1(head), socket.readableFlowing);
        socket.on('data', (d: Buffer) => {
          got.push(latin1(d));
          if (got.join('').endsWith('echo:ping')) socket.end();
        });
        socket.write('ping');
      });
      req.end();
      await c.waitFor(() => got.join('').endsWith('echo:ping'), 3000, 20);
      return { log: c.log, got: got.join(''), pool: poolOf(agent) };
    },
    (r) => expect(r.got).toBe('echo:ping'),
  );
  both(
    "101 without an 'upgrade' listener: the socket is destroyed",
    async (c) => {
      const port = await cannedServer(c, 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const r = await clientRequest(c, port, { agent, headers: { Connection: 'Upgrade', Upgrade: 'echo' } });
      return { ...r, pool: poolOf(agent) };
    },
  );
  for (const status of ['200 Connection Established', '407 Proxy Authentication Required', '502 Bad Gateway']) {
    both(
      `CONNECT answered ${status}: 'connect' with the bytes after the head, whatever the status`,
      async (c) => {
        const port = await c.rawServer((socket) => {
          socket.once('data', () => socket.write(`HTTP/1.1 ${status}\r\nContent-Length: 5\r\n\r\nAFTER-THE-HEAD`));
        });
        const agent = new c.http.Agent({ keepAlive: true });
        c.defer(() => agent.destroy());
        const req = c.http.request({ host: '127.0.0.1', port, agent, method: 'CONNECT', path: 'example.test:443' });
        const result = { log: c.log, body: '' };
        logClient(c, req, result);
        req.on('connect', (res, socket: net.Socket, head: Buffer) => {
          c.ev('connect', res.statusCode, res.headers, latin1(head), (res as nodeHttp.IncomingMessage & { upgrade: boolean }).upgrade);
          socket.destroy();
        });
        req.end();
        await c.waitFor(() => c.log.some((l) => l.startsWith('close')), 3000, 20);
        return { log: c.log, pool: poolOf(agent) };
      },
      (r) => expect(r.log.some((l) => l.startsWith('connect'))).toBe(true),
    );
  }
});

describe('diagnostics', () => {
  both(
    'diagnostics channels: http.client.request.start, http.client.response.finish, http.client.request.error',
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const seen: string[] = [];
      const names = ['http.client.request.start', 'http.client.response.finish', 'http.client.request.error'];
      const handlers = names.map((name) => {
        const handler = (message: unknown) => {
          const m = message as { request?: nodeHttp.ClientRequest; response?: nodeHttp.IncomingMessage; error?: NodeJS.ErrnoException };
          seen.push(`${name} ${m.request?.path} ${m.response?.statusCode ?? ''} ${m.error?.code ?? ''}`);
        };
        diagnostics.subscribe(name, handler);
        return () => diagnostics.unsubscribe(name, handler);
      });
      try {
        await clientRequest(c, port, { path: '/ok' });
        await clientRequest(c, port, { path: '/refused', port: 1 });
      } finally {
        for (const off of handlers) off();
      }
      return seen;
    },
    (r) => expect(r).toHaveLength(4),
  );
  differs(
    "'http' performance entries: Node's client records one per request, ours none",
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const entries: string[] = [];
      const observer = new PerformanceObserver((list) => entries.push(...list.getEntries().map((e) => `${e.entryType} ${e.name}`)));
      observer.observe({ entryTypes: ['http'] });
      try {
        const r = await clientRequest(c, port, { path: '/perf' });
        await sleep(50);
        return { entries: entries.filter((e) => e.includes('HttpClient')), body: r.body };
      } finally {
        observer.disconnect();
      }
    },
    {
      readme: "No `'http'` performance entries for the client.",
      node: (r) => expect(r.entries).toEqual(['http HttpClient']),
      wirehttp: (r) => expect(r.entries).toEqual([]),
      same: (r) => r.body,
    },
  );
});

/**
 * A raw server that keeps every byte each connection sent (the port masked) and answers each
 * whole request (framed by Content-Length, chunked or neither) with a 2-byte body; a request
 * head with `Expect: 100-continue` gets a 100 first.
 */
async function recordingServer(c: Ctx, received: string[][]) {
  return c.rawServer((socket) => {
    const seen: string[] = [];
    received.push(seen);
    let pending = '';
    let continued = false;
    socket.on('data', (d: Buffer) => {
      seen.push(latin1(d).replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT'));
      pending += latin1(d);
      for (;;) {
        const headEnd = pending.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = pending.slice(0, headEnd).toLowerCase();
        if (/\r\nexpect: 100-continue/.test(head) && !continued) {
          continued = true;
          socket.write('HTTP/1.1 100 Continue\r\n\r\n');
        }
        let end = headEnd + 4;
        const length = /\r\ncontent-length: *(\d+)/.exec(head);
        if (length) end += Number(length[1]);
        else if (/\r\ntransfer-encoding: *chunked/.test(head)) {
          const last = pending.indexOf('0\r\n\r\n', headEnd + 4);
          if (last < 0) return;
          end = last + 5;
        }
        if (pending.length < end) return;
        pending = pending.slice(end);
        continued = false;
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      }
    });
  });
}

describe('the request on the wire (the head and its first write take shorter paths in wirehttp)', () => {
  both(
    "a head like the last one is the last one's text (wirehttp reuses it): each input changed in turn and back, the same bytes and flags",
    async (c) => {
      const received: string[][] = [];
      const port = await recordingServer(c, received);
      const keepAlive = new c.http.Agent({ keepAlive: true, maxSockets: 1 });
      const plain = new c.http.Agent();
      c.defer(() => (keepAlive.destroy(), plain.destroy()));
      const out: unknown[] = [];
      const one = (options: nodeHttp.RequestOptions, drive: (req: nodeHttp.ClientRequest) => void = (req) => req.end()) =>
        new Promise<void>((resolve) => {
          const req = c.http.request({ host: '127.0.0.1', port, agent: keepAlive, ...options }, (res) => {
            res.resume();
            res.on('end', () => setTimeout(resolve, 5));
          });
          req.on('error', (e) => (out.push(clientErr(e)), resolve()));
          drive(req);
          const r = req as nodeHttp.ClientRequest & Record<string, unknown>;
          out.push([String(r._header).replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT'), r._last, r.chunkedEncoding, r.shouldKeepAlive, r.useChunkedEncodingByDefault]);
        });
      await one({ path: '/a' });
      await one({ path: '/a' });
      await one({ path: '/b' });
      await one({ path: '/b', method: 'POST' }, (req) => req.end('x'));
      await one({ path: '/b', method: 'POST' }, (req) => req.end('x'));
      await one({ path: '/b', method: 'POST' }, (req) => req.end('xy'));
      const variants: [nodeHttp.RequestOptions, ((req: nodeHttp.ClientRequest) => void)?][] = [
        [{ agent: plain }],
        [{ agent: false as unknown as nodeHttp.Agent }],
        [{ agent: undefined, createConnection: net.createConnection } as nodeHttp.RequestOptions, (req) => ((req.shouldKeepAlive = true), req.end())],
        [{ headers: { Host: 'other.example' } }],
        [{ headers: { host: '127.0.0.1' } }],
        [{}, (req) => (req.setHeader('Host', 42), req.end())],
        [{}, (req) => ((req.useChunkedEncodingByDefault = true), req.end())],
        [{}, (req) => ((req.shouldKeepAlive = false), req.end())],
        [{}, (req) => (req.setHeader('Content-Length', 0), req.end())],
        [{}, (req) => (req.setHeader('Content-Length', 0), req.removeHeader('Content-Length'), req.end())],
        [{}, (req) => req.end('')],
      ];
      for (const [options, drive] of variants) {
        await one({ path: '/b' });
        await one({ path: '/b', ...options }, drive);
      }
      await one({ path: '/b' });
      return { out, received };
    },
    (r) => expect(r.out).toHaveLength(29),
  );
  both(
    'headers set in odd ways, bodies written before the socket, cork, flushHeaders, Expect, write after end: the same bytes and events',
    async (c) => {
      const received: string[][] = [];
      const port = await recordingServer(c, received);
      const agent = new c.http.Agent({ keepAlive: true, maxSockets: 1 });
      c.defer(() => agent.destroy());
      const out: unknown[] = [];
      /** One request: `drive` sets it up and ends it; resolves when it and its response have closed. */
      const one = (name: string, options: nodeHttp.RequestOptions, drive: (req: nodeHttp.ClientRequest) => void) =>
        new Promise<void>((resolve) => {
          const req = c.http.request({ host: '127.0.0.1', port, agent, ...options });
          const result = { log: c.log, body: '' };
          c.ev(`--- ${name}`);
          logClient(c, req, result);
          req.on('prefinish', () => c.ev('prefinish', req.writableFinished));
          let closed = 0;
          const done = () => ++closed === 2 && resolve();
          req.on('close', done);
          req.on('response', (res) => res.on('close', done));
          req.on('error', () => setTimeout(resolve, 50));
          try {
            drive(req);
          } catch (e) {
            c.ev('threw', clientErr(e));
          }
          const mask = (text: string | undefined | null) => text?.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
          const header = mask((req as nodeHttp.ClientRequest & { _header: string | null })._header);
          out.push({ name, header, headers: JSON.parse(mask(JSON.stringify(req.getHeaders()))!), names: req.getRawHeaderNames() });
        });
      await one('setHeader after the constructor: numbers, arrays, cookies, a Host of its own', { headers: { 'X-A': 1, 'x-a': 2 } }, (req) => {
        req.setHeader('X-Num', 42);
        req.setHeader('X-Arr', ['a', 'b']);
        req.setHeader('Cookie', ['a=1', 'b=2']);
        c.ev('has', req.hasHeader('x-num'), req.hasHeader('X-NONE'), req.getHeader('X-ARR'));
        req.removeHeader('host');
        req.setHeader('HOST', 'h.example');
        req.setHeader('Content-Disposition', 'attachment; filename="é.txt"');
        try {
          req.setHeader('bad name', 'x');
        } catch (e) {
          c.ev('threw', clientErr(e));
        }
        try {
          req.setHeader('X-Undef', undefined as unknown as string);
        } catch (e) {
          c.ev('threw', clientErr(e));
        }
        req.end(() => c.ev('end callback'));
      });
      await one('writes before the socket, then end() with data: chunked', { method: 'POST' }, (req) => {
        c.ev('write', req.write('one,', () => c.ev('write callback')));
        c.ev('write', req.write(Buffer.from('two,')));
        req.end('three');
      });
      await one('cork() and never uncork, Content-Length', { method: 'PUT', headers: { 'Content-Length': 6 } }, (req) => {
        req.cork();
        req.write('abc');
        req.end('def');
      });
      await one('flushHeaders() then a body', { method: 'POST' }, (req) => {
        req.flushHeaders();
        req.end('after flush');
      });
      await one('Expect: 100-continue', { method: 'POST', headers: { Expect: '100-continue', 'Content-Length': 4 } }, (req) => {
        req.on('continue', () => req.end('body'));
      });
      await one('end() with a Buffer, then write after end', { method: 'POST', headers: { 'Content-Length': 3 } }, (req) => {
        req.end(Buffer.from('buf'));
        c.ev('write after end', req.write('late', (e) => c.ev('write callback', clientErr(e))));
      });
      await one('the socket already corked by its holder', {}, (req) => {
        req.on('socket', (s) => {
          s.cork();
          setImmediate(() => s.uncork());
        });
        req.end();
      });
      await one('a GET with a body via end(string)', { headers: { 'x-empty': '', 'content-length': 8 } }, (req) => {
        req.end('get body');
      });
      await sleep(20);
      return { log: c.log, out, received, pool: poolOf(agent) };
    },
    (r) => (expect(r.received.flat().join('')).toContain('after flush'), expect(r.log).toContain('continue')),
  );
});

describe('arguments and options', () => {
  both(
    'request(url string | URL, [options], [callback]) and get() forms',
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const base = `http://127.0.0.1:${port}`;
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const fetchWith = (start: (cb: (res: nodeHttp.IncomingMessage) => void) => nodeHttp.ClientRequest, end = true) =>
        new Promise<string>((resolve, reject) => {
          const req = start((res) => {
            let body = '';
            res.setEncoding('latin1');
            res.on('data', (d: string) => (body += d));
            res.on('end', () => resolve(`${res.statusCode} ${JSON.parse(body).method} ${JSON.parse(body).url}`));
          });
          req.on('error', reject);
          if (end) req.end();
        });
      return [
        await fetchWith((cb) => c.http.request(`${base}/string`, { agent }, cb)),
        await fetchWith((cb) => c.http.request(new URL(`${base}/url?q=1`), { agent, method: 'DELETE' }, cb)),
        await fetchWith((cb) => c.http.request(`${base}/overridden`, { agent, path: '/by-options' }, cb)),
        await fetchWith((cb) => c.http.request({ host: '127.0.0.1', port, agent, path: '/options' }, cb)),
        await fetchWith((cb) => c.http.get(`${base}/get`, { agent }, cb), false),
        await fetchWith((cb) => c.http.get({ host: '127.0.0.1', port, agent, path: '/get-options' }, cb), false),
      ];
    },
    (r) => expect(r).toHaveLength(6),
  );
  both(
    "Node's errors for bad options, thrown by the constructor",
    async (c) => {
      const attempt = (options: unknown) => {
        try {
          const req = c.http.request(options as nodeHttp.RequestOptions);
          req.on('error', () => {});
          req.destroy();
          return 'no error';
        } catch (e) {
          return clientErr(e);
        }
      };
      return [
        attempt({ protocol: 'https:', host: '127.0.0.1' }),
        attempt({ path: '/a b', host: '127.0.0.1' }),
        attempt({ method: 'GE T', host: '127.0.0.1' }),
        attempt({ method: 42, host: '127.0.0.1' }),
        attempt({ agent: {}, host: '127.0.0.1' }),
        attempt({ maxHeaderSize: -1, host: '127.0.0.1' }),
        attempt({ insecureHTTPParser: 'yes', host: '127.0.0.1' }),
        attempt({ headers: { 'bad header': 'x' }, host: '127.0.0.1' }),
        attempt({ headers: { x: 'a\nb' }, host: '127.0.0.1' }),
        attempt({ host: 42 }),
      ];
    },
    (r) => expect(r.filter((x) => x === 'no error')).toHaveLength(0),
  );
  both(
    "plain options (wirehttp's constructor takes a shorter path): the request's fields in Node's order, getters read once, what an Agent's addRequest is handed, Host and pool names for alternating servers",
    async (c) => {
      const portA = await echoServer(c, nodeHttp);
      const portB = await echoServer(c, nodeHttp);
      const label = (text: string) => text.replaceAll(`:${portA}`, ':A').replaceAll(`:${portB}`, ':B');
      const handed: unknown[] = [];
      class Recording extends (c.http.Agent as typeof nodeHttp.Agent) {
        addRequest(req: nodeHttp.ClientRequest, options: Record<string, unknown>) {
          handed.push({ nullPrototype: Object.getPrototypeOf(options) === null, keys: Reflect.ownKeys(options).map(String), port: String(options.port) === String(portA) ? 'A' : String(options.port) === String(portB) ? 'B' : String(options.port), host: options.host });
          return (nodeHttp.Agent.prototype as unknown as { addRequest: Function }).addRequest.call(this, req, options);
        }
      }
      const recording = new Recording({ keepAlive: true });
      const agent = new c.http.Agent({ keepAlive: true, maxSockets: 1 });
      c.defer(() => (recording.destroy(), agent.destroy()));
      const fetch = (options: nodeHttp.RequestOptions) =>
        new Promise<{ fields: string[]; symbols: string[]; host: string; status: string; pool: unknown }>((resolve, reject) => {
          const req = c.http.request(options, (res) => {
            let body = '';
            res.setEncoding('latin1');
            res.on('data', (d: string) => (body += d));
            res.on('end', () => {
              const got = JSON.parse(body);
              const names = (set: NodeJS.ReadOnlyDict<unknown[]>) => Object.entries(set).map(([name, list]) => `${label(name)}=${list!.length}`);
              const a = options.agent as nodeHttp.Agent;
              setImmediate(() => resolve({ fields, symbols, host: label(String(req.getHeader('host'))), status: `${res.statusCode} ${got.method} ${got.url}`, pool: [names(a.sockets), names(a.freeSockets), names(a.requests)] }));
            });
          });
          const fields = Object.keys(req);
          const symbols = Object.getOwnPropertySymbols(req).map(String);
          req.on('error', reject);
          req.end();
        });
      let reads = 0;
      const counted = {
        host: '127.0.0.1',
        port: portA,
        agent,
        get path() {
          reads++;
          return `/read-${reads}`;
        },
      };
      const results = [];
      results.push(await fetch(counted));
      results.push(await fetch({ host: '127.0.0.1', port: portB, path: '/b', agent, headers: { 'X-One': '1' } }));
      results.push(await fetch({ host: '127.0.0.1', port: String(portA), path: '/a-string-port', agent }));
      results.push(await fetch({ hostname: '127.0.0.1', port: portB, path: '/b-again', agent, method: 'DELETE' }));
      results.push(await fetch({ host: '127.0.0.1', port: portA, path: '/recorded', agent: recording }));
      results.push(await fetch({ host: '127.0.0.1', port: portB, agent: recording }));
      return { results, reads, handed };
    },
    (r) => (expect(r.reads).toBe(1), expect(r.results.map((x) => x.host)).toEqual(['127.0.0.1:A', '127.0.0.1:B', '127.0.0.1:A', '127.0.0.1:B', '127.0.0.1:A', '127.0.0.1:B'])),
  );
  both(
    "the socket's listeners during a response, at its end and once the socket is pooled again, also when the response came before the request was sent",
    async (c) => {
      const EVENTS = ['data', 'readable', 'end', 'close', 'error', 'drain', 'timeout', 'free', 'agentRemove'];
      const counts = (socket: net.Socket) => EVENTS.map((e) => `${e}=${socket.listenerCount(e)}`).join(' ');
      const pooled = (agent: nodeHttp.Agent) => Object.values(agent.freeSockets).map((list) => list!.map((s) => counts(s as net.Socket)));
      const seen: unknown[] = [];
      const one = (agent: nodeHttp.Agent, port: number, send: (req: nodeHttp.ClientRequest) => void) =>
        new Promise<void>((resolve, reject) => {
          const req = c.http.request({ host: '127.0.0.1', port, agent, method: 'POST', headers: { 'Content-Length': 4 } }, (res) => {
            seen.push(`during: ${counts(res.socket as net.Socket)}`);
            res.resume();
            res.on('end', () => {
              seen.push(`end: ${counts(req.socket as net.Socket)}`);
              if (!req.writableEnded) req.end('cd');
              setTimeout(resolve, 20);
            });
          });
          req.on('error', reject);
          send(req);
        });
      const echo = await echoServer(c, nodeHttp);
      const early = await cannedServer(c, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      const agent = new c.http.Agent({ keepAlive: true, maxSockets: 1 });
      c.defer(() => agent.destroy());
      await one(agent, echo, (req) => req.end('abcd'));
      seen.push(pooled(agent));
      await one(agent, echo, (req) => req.end('abcd'));
      seen.push(pooled(agent));
      const agent2 = new c.http.Agent({ keepAlive: true, maxSockets: 1 });
      c.defer(() => agent2.destroy());
      await one(agent2, early, (req) => req.write('ab'));
      seen.push(pooled(agent2));
      return seen;
    },
    (r) => expect(r).toHaveLength(9),
  );
  both(
    'socketPath, lookup, localAddress, flushHeaders, setNoDelay and setSocketKeepAlive',
    async (c) => {
      const dir = mkdtempSync(join(tmpdir(), 'wirehttp-client-'));
      c.defer(() => rmSync(dir, { recursive: true, force: true }));
      const socketPath = join(dir, 'http.sock');
      const unix = c.serverOf(nodeHttp, null, (req, res) => res.end(`unix ${req.url}`));
      await new Promise<void>((r) => unix.listen(socketPath, r));
      const port = await echoServer(c, nodeHttp);
      const viaPipe = await clientRequest(c, 0, { socketPath, path: '/pipe' });
      const lookups: string[] = [];
      const viaLookup = await clientRequest(c, port, {
        host: 'wirehttp.invalid',
        lookup: ((hostname: string, options: unknown, cb: (e: Error | null, a: string | object[], f?: number) => void) => {
          lookups.push(hostname);
          if ((options as { all?: boolean }).all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
          else cb(null, '127.0.0.1', 4);
        }) as never,
        path: '/lookup',
      });
      const viaLocal = await clientRequest(c, port, { localAddress: '127.0.0.1', path: '/local' });
      // flushHeaders: the server sees the request before the body is written.
      const flushed = await new Promise<string>((resolve) => {
        const server = c.serverOf(nodeHttp, null, (req, res) => {
          resolve(`head arrived ${req.method} ${req.url}`);
          req.resume();
          req.on('end', () => res.end());
        });
        c.listen(server).then((p) => {
          const req = c.http.request({ host: '127.0.0.1', port: p, method: 'POST', path: '/flush', agent: false as unknown as nodeHttp.Agent });
          req.on('error', () => {});
          req.setNoDelay(true);
          req.setSocketKeepAlive(true, 1000);
          req.flushHeaders();
          c.defer(() => req.destroy());
        });
      });
      return { viaPipe, lookups, viaLookup, viaLocal, flushed };
    },
    (r) => (expect(r.viaPipe.body).toBe('unix /pipe'), expect(r.lookups).toEqual(['wirehttp.invalid'])),
  );
});
