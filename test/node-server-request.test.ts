// wirehttp/node against node:http, side by side: what the server makes of requests — request
// line and headers, bodies, keep-alive, pipelining, HTTP/1.0, Expect, Host — over raw sockets.
import net from 'node:net';
import { describe, expect } from 'vitest';
import { both, type Ctx, differs, maskDate, nodeRequest, once, readBody, type Req, sleep } from './support/sides.js';

const json = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** What a request exposes, as plain data. */
function describeReq(c: Ctx, req: Req) {
  return json({
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    headers: req.headers,
    headersDistinct: req.headersDistinct,
    rawHeaders: req.rawHeaders,
    trailers: req.trailers,
    rawTrailers: req.rawTrailers,
    complete: req.complete,
    upgrade: (req as Req & { upgrade: boolean }).upgrade,
    aborted: req.aborted,
    statusCode: req.statusCode ?? 'absent',
    statusMessage: req.statusMessage ?? 'absent',
    isIncomingMessage: req instanceof c.http.IncomingMessage,
    headersPrototype: Object.getPrototypeOf(req.headers) === Object.prototype ? 'Object' : String(Object.getPrototypeOf(req.headers)),
    connectionIsSocket: req.connection === req.socket,
    readable: req.readable,
    readableEnded: req.readableEnded,
  });
}

/** Serves one request, answering 'ok'; sends `head` (written at once, or trickled); describeReq of what the handler saw, and the response. */
async function describeOne(c: Ctx, head: string, how: { options?: import('node:http').ServerOptions; trickle?: boolean } = {}) {
  let seen: unknown;
  const { port, server } = await c.start(how.options ?? null, (req, res) => {
    seen = describeReq(c, req);
    res.end('ok');
  });
  const conn = await c.connect(port);
  await (how.trickle ? conn.trickle(head) : conn.write(head));
  const [r] = await conn.responses(1);
  return { server, seen, response: r.raw };
}

const HEADERS =
  'Host: example.com\r\n' +
  'host: second.example\r\n' +
  'X-Custom: one\r\n' +
  'x-custom: two\r\n' +
  'X-CUSTOM: three\r\n' +
  'Set-Cookie: a=1\r\n' +
  'set-cookie: b=2\r\n' +
  'Cookie: c=3\r\n' +
  'cookie: d=4\r\n' +
  'Content-Type: text/plain\r\n' +
  'content-type: text/html\r\n' +
  'User-Agent: ua/1\r\n' +
  'User-Agent: ua/2\r\n' +
  'Accept: a/b\r\n' +
  'accept: c/d\r\n' +
  'Authorization: one\r\n' +
  'Authorization: two\r\n' +
  'Proxy-Authorization: p1\r\n' +
  'Proxy-Authorization: p2\r\n' +
  'Referer: r1\r\n' +
  'Referer: r2\r\n' +
  'If-Modified-Since: m1\r\n' +
  'If-Modified-Since: m2\r\n' +
  'If-Unmodified-Since: u1\r\n' +
  'If-Unmodified-Since: u2\r\n' +
  'From: f1\r\n' +
  'From: f2\r\n' +
  'Location: l1\r\n' +
  'Location: l2\r\n' +
  'Max-Forwards: 1\r\n' +
  'Max-Forwards: 2\r\n' +
  'Retry-After: 1\r\n' +
  'Retry-After: 2\r\n' +
  'ETag: e1\r\n' +
  'ETag: e2\r\n' +
  'Last-Modified: x1\r\n' +
  'Last-Modified: x2\r\n' +
  'Server: s1\r\n' +
  'Server: s2\r\n' +
  'Age: 1\r\n' +
  'Age: 2\r\n' +
  'Expires: e1\r\n' +
  'Expires: e2\r\n' +
  'Accept-Encoding: gzip\r\n' +
  'accept-encoding: br\r\n' +
  'WWW-Authenticate: w1\r\n' +
  'WWW-Authenticate: w2\r\n' +
  'X-Empty:\r\n' +
  'X-Spaces:    padded   value   \r\n' +
  'X-Tab:\tvalue\t\r\n' +
  'X-Latin1: caf\xe9 \x80\xff\r\n' +
  'X-Quote: "a, b"; q=1\r\n' +
  'Connection: keep-alive, X-Custom\r\n';

describe('request line and headers', () => {
  both(
    'method, url, version, headers, headersDistinct and rawHeaders with Node\'s duplicate rules',
    async (c) => {
      const { seen, response } = await describeOne(c, `GET /path/to%20x?q=1&r=%C3%A9&s=a+b HTTP/1.1\r\n${HEADERS}\r\n`);
      return { seen, response };
    },
    (r) => expect(r.response).toMatch(/^HTTP\/1\.1 200 OK\r\n/),
  );

  both(
    'the same head trickled one byte at a time',
    async (c) => {
      const { seen, response } = await describeOne(c, `GET /slow/path?x=1 HTTP/1.1\r\n${HEADERS}\r\n`, { trickle: true });
      return { seen, response };
    },
    (r) => expect(r.response).toMatch(/^HTTP\/1\.1 200 OK\r\n/),
  );

  both(
    'joinDuplicateHeaders: true joins every duplicate',
    async (c) => {
      const { server, seen, response } = await describeOne(c, `GET / HTTP/1.1\r\n${HEADERS}\r\n`, { options: { joinDuplicateHeaders: true } });
      return { seen, response, option: (server as unknown as { joinDuplicateHeaders: unknown }).joinDuplicateHeaders };
    },
    (r) => expect((r.seen as { headers: Record<string, string> }).headers['x-custom']).toBe('one, two, three'),
  );

  both(
    'every method in METHODS (but CONNECT), pipelined on one connection',
    async (c) => {
      const seen: string[] = [];
      const { port } = await c.start(null, (req, res) => {
        seen.push(`${req.method} ${req.url}`);
        res.end(req.method);
      });
      const methods = c.http.METHODS.filter((m) => m !== 'CONNECT');
      const conn = await c.connect(port);
      await conn.write(methods.map((m) => `${m} /${m.toLowerCase()} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`).join(''));
      const rs = await conn.responses(methods.length, methods);
      return { seen, responses: rs.map((r) => r.raw) };
    },
    (r) => expect(r.seen.length).toBeGreaterThan(30),
  );

  both(
    'request-target forms: origin, absolute, asterisk, long, odd but legal bytes',
    async (c) => {
      const seen: unknown[] = [];
      const { port } = await c.start(null, (req, res) => {
        seen.push([req.method, req.url, req.headers.host]);
        res.end();
      });
      const targets = [
        ['GET', '/'],
        ['OPTIONS', '*'],
        ['GET', 'http://example.com:8080/abs?x=1'],
        ['GET', `/${'a'.repeat(8000)}`],
        ['GET', "/!$&'()*+,;=:@-._~%20?/?query"],
        ['GET', '/%zz%'],
      ];
      const conn = await c.connect(port);
      await conn.write(targets.map(([m, t]) => `${m} ${t} HTTP/1.1\r\nHost: h\r\n\r\n`).join(''));
      const rs = await conn.responses(targets.length);
      return { seen, responses: rs.map((r) => r.raw) };
    },
    (r) => expect(r.seen).toHaveLength(6),
  );

  both(
    'maxHeadersCount: a few headers, more than 32, and 0 for no limit',
    async (c) => {
      const out: unknown[] = [];
      for (const [limit, count] of [
        [3, 10],
        [3, 40],
        [0, 40],
        [null, 40],
      ] as const) {
        let seen: unknown;
        const { port, server } = await c.start(null, (req, res) => {
          seen = { headers: req.headers, rawHeadersLength: req.rawHeaders.length, rawLast: req.rawHeaders.at(-1) };
          res.end();
        });
        server.maxHeadersCount = limit as number;
        const fields = Array.from({ length: count }, (_, i) => `X-H${i}: v${i}\r\n`).join('');
        const conn = await c.connect(port);
        await conn.write(`GET / HTTP/1.1\r\nHost: h\r\n${fields}\r\n`);
        const [r] = await conn.responses(1);
        out.push({ limit, count, seen: json(seen), status: r.status });
      }
      return out;
    },
    (r) => expect(r).toHaveLength(4),
  );

  both(
    'header names that are JavaScript property names',
    async (c) => {
      let seen: unknown;
      const { port } = await c.start(null, (req, res) => {
        const h = req.headers as Record<string, unknown>;
        seen = {
          keys: Object.keys(h),
          proto: Object.prototype.hasOwnProperty.call(h, '__proto__') ? h.__proto__ : 'not own',
          constructor: Object.prototype.hasOwnProperty.call(h, 'constructor') ? h.constructor : 'not own',
          toString: Object.prototype.hasOwnProperty.call(h, 'tostring') ? h.tostring : 'not own',
          raw: req.rawHeaders,
        };
        res.end();
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n__proto__: p\r\nconstructor: k\r\ntoString: t\r\nhasOwnProperty: o\r\n\r\n');
      const [r] = await conn.responses(1);
      return { seen, status: r.status };
    },
    (r) => expect(r.status).toBe(200),
  );
});

describe('request bodies', () => {
  both(
    'three connections sending heads and bodies in interleaved pieces; each body kept whole until the end',
    async (c) => {
      const bodies: Record<string, string> = {};
      const { port } = await c.start(null, (req, res) => {
        const kept: Buffer[] = []; // held across reads: a reused read buffer would show here
        req.on('data', (d: Buffer) => kept.push(d));
        req.on('end', () => {
          bodies[req.url!] = Buffer.concat(kept).toString('latin1');
          res.end(`${req.url} ${bodies[req.url!].length}`);
        });
      });
      const conns = await Promise.all([0, 1, 2].map(() => c.connect(port)));
      const requests = conns.map((_, i) => {
        const body = String.fromCharCode(97 + i).repeat(3000 + i) + `<end ${i}>`;
        return `POST /c${i} HTTP/1.1\r\nHost: h\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      });
      // Pieces of 700 bytes, round robin, with a pause after each so the server reads them one by
      // one: a body spans several reads of several connections.
      for (let at = 0; requests.some((r) => at < r.length); at += 700) {
        for (let i = 0; i < conns.length; i++) {
          if (at >= requests[i].length) continue;
          await conns[i].write(requests[i].slice(at, at + 700));
          await sleep(2);
        }
      }
      const responses = await Promise.all(conns.map((conn) => conn.responses(1)));
      return { bodies: Object.fromEntries(Object.entries(bodies).sort()), answers: responses.map((r) => r[0].body) };
    },
    (r) => {
      expect(r.answers).toEqual(['/c0 3007', '/c1 3008', '/c2 3009']);
      expect(r.bodies['/c1']).toBe(`${'b'.repeat(3001)}<end 1>`);
    },
  );

  both(
    'Content-Length body: data, end, close, complete',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev('request', req.complete, req.readableLength);
        const chunks: Buffer[] = [];
        req.on('data', (d: Buffer) => chunks.push(d));
        req.on('end', () => {
          c.ev('end', req.complete, Buffer.concat(chunks).toString('latin1'));
          res.end(`got ${Buffer.concat(chunks).length}`);
        });
        req.on('close', () => c.ev('req close', req.complete, req.aborted));
        res.on('finish', () => c.ev('res finish'));
        res.on('close', () => c.ev('res close'));
      });
      const conn = await c.connect(port);
      await conn.write('POST /submit HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world');
      const [r] = await conn.responses(1);
      await c.waitForLog('req close');
      return { log: c.log, response: r.raw };
    },
    (r) => expect(r.response).toMatch(/got 11$/),
  );

  both(
    'chunked body with extensions and trailers: trailers, trailersDistinct, rawTrailers',
    async (c) => {
      let before: unknown;
      let after: unknown;
      const { port } = await c.start(null, (req, res) => {
        before = json({ trailers: req.trailers, rawTrailers: req.rawTrailers, headers: req.headers });
        readBody(req, (body) => {
          after = json({ body, trailers: req.trailers, trailersDistinct: req.trailersDistinct, rawTrailers: req.rawTrailers, complete: req.complete });
          res.end('done');
        });
      });
      const conn = await c.connect(port);
      await conn.write(
        'POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum, X-Other\r\n\r\n' +
          '5\r\nhello\r\n6;name=value;flag\r\n world\r\nA\r\n0123456789\r\n0\r\n' +
          'X-Sum: 1\r\nx-sum: 2\r\nX-Other: o\r\nSet-Cookie: t=1\r\nset-cookie: t=2\r\nUser-Agent: a\r\nuser-agent: b\r\n\r\n',
      );
      const [r] = await conn.responses(1);
      return { before, after, response: r.raw };
    },
    (r) => expect((r.after as { body: string }).body).toBe('hello world0123456789'),
  );

  both(
    'chunked body without trailers, with upper-case hex and leading zeros',
    async (c) => {
      let after: unknown;
      const { port } = await c.start(null, (req, res) => {
        readBody(req, (body) => {
          after = json({ body, trailers: req.trailers, rawTrailers: req.rawTrailers });
          res.end();
        });
      });
      const conn = await c.connect(port);
      await conn.write(`PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n000B\r\n${'x'.repeat(11)}\r\n1f\r\n${'y'.repeat(31)}\r\n0000\r\n\r\n`);
      const [r] = await conn.responses(1);
      return { after, response: r.raw };
    },
    (r) => expect((r.after as { body: string }).body).toHaveLength(42),
  );

  both(
    'setEncoding(utf8) with multi-byte characters split across packets',
    async (c) => {
      let after: unknown;
      const text = 'héllo wörld € 😀 ✓';
      const body = Buffer.from(text, 'utf8');
      const { port } = await c.start(null, (req, res) => {
        req.setEncoding('utf8');
        let s = '';
        const types = new Set<string>();
        req.on('data', (d: unknown) => {
          types.add(typeof d);
          s += d as string;
        });
        req.on('end', () => {
          after = { s, types: [...types] };
          res.end();
        });
      });
      const conn = await c.connect(port);
      await conn.write(`POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ${body.length}\r\n\r\n`);
      await conn.trickle(body);
      const [r] = await conn.responses(1);
      return { after, status: r.status };
    },
    (r) => expect(r.after).toEqual({ s: 'héllo wörld € 😀 ✓', types: ['string'] }),
  );

  both(
    'two pipelined bodies (Content-Length, then chunked) sent one byte at a time',
    async (c) => {
      const seen: unknown[] = [];
      const { port } = await c.start(null, (req, res) => {
        readBody(req, (body) => {
          seen.push({ url: req.url, headers: req.headers, body, trailers: req.trailers });
          res.end(body.toUpperCase());
        });
      });
      const conn = await c.connect(port);
      await conn.trickle(
        'POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nabcde' +
          'POST /two HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nfgh\r\n2;x=y\r\nij\r\n0\r\nX-T: z\r\n\r\n',
      );
      const rs = await conn.responses(2);
      return { seen: json(seen), responses: rs.map((r) => r.raw) };
    },
    (r) => expect(r.responses).toHaveLength(2),
  );

  both(
    'an unread body is dumped and the next pipelined request is served',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev('request', req.url);
        res.end(req.url); // never reads the body
      });
      const conn = await c.connect(port);
      await conn.write(
        `POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n${'z'.repeat(100000)}` +
          'POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nzzzz\r\n0\r\n\r\n' +
          'GET /c HTTP/1.1\r\nHost: h\r\n\r\n',
      );
      const rs = await conn.responses(3);
      return { log: c.log, responses: rs.map((r) => r.raw) };
    },
    (r) => expect(r.log).toEqual(['request /a', 'request /b', 'request /c']),
  );

  both(
    'a large body left unread after the response is discarded and the connection goes on',
    async (c) => {
      const SIZE = 5 << 20;
      const { port } = await c.start(null, (req, res) => {
        c.ev('request', req.url, req.headers['content-length']);
        res.end(`answered ${req.url}`);
      });
      const conn = await c.connect(port);
      await conn.write(`POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: ${SIZE}\r\n\r\n`);
      await conn.responses(1);
      const block = Buffer.alloc(64 * 1024, 0x7a);
      for (let sent = 0; sent < SIZE; sent += block.length) await conn.write(block);
      await conn.write('GET /next HTTP/1.1\r\nHost: h\r\n\r\n');
      const rs = await conn.responses(2);
      return { log: c.log, rs: rs.map((r) => r.raw) };
    },
    (r) => expect(r.rs[1]).toMatch(/answered \/next$/),
  );

  both(
    'a 32 MiB upload streams through; while req is paused the socket is not read',
    async (c) => {
      const SIZE = 32 << 20;
      const result: Record<string, unknown> & { settled?: boolean; readWhilePausedUnder4MiB?: boolean; firstBadByte?: number } = {};
      const { port } = await c.start(null, async (req, res) => {
        const sock = req.socket;
        // Nothing consumes req yet: wait until the socket stops delivering bytes.
        let last = -1;
        let same = 0;
        for (let i = 0; i < 400 && same < 6; i++) {
          await sleep(20);
          same = sock.bytesRead === last ? same + 1 : 0;
          last = sock.bytesRead;
        }
        result.settled = same >= 6;
        result.readWhilePausedUnder4MiB = sock.bytesRead < 4 << 20;
        result.isPaused = req.isPaused();
        let received = 0;
        const kept: Buffer[] = [];
        req.on('data', (d: Buffer) => {
          received += d.length;
          kept.push(d); // held to the end: a chunk reused under us would show
        });
        req.on('end', () => {
          result.received = received;
          result.manyChunks = kept.length > 16;
          let at = 0;
          let bad = -1;
          for (const k of kept) {
            for (let i = 0; i < k.length && bad < 0; i++) if (k[i] !== (at + i) % 251) bad = at + i;
            at += k.length;
          }
          result.firstBadByte = bad;
          result.bytesReadAtEnd = sock.bytesRead >= SIZE;
          res.end(String(received));
        });
      });
      const conn = await c.connect(port);
      conn.sock.write(`POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: ${SIZE}\r\n\r\n`);
      // 64 KiB blocks of the pattern byte(i) = i % 251 (65536 % 251 != 0, so blocks differ).
      const BLOCK = 64 * 1024;
      const source = Buffer.alloc(BLOCK + 251);
      for (let i = 0; i < source.length; i++) source[i] = i % 251;
      void (async () => {
        for (let sent = 0; sent < SIZE && !conn.sock.destroyed; sent += BLOCK) {
          const from = sent % 251;
          if (!conn.sock.write(source.subarray(from, from + BLOCK))) await once(conn.sock, 'drain');
        }
      })();
      const [r] = await conn.responses(1);
      return { ...result, status: r.status, body: r.body };
    },
    (r) => {
      expect(r.body).toBe(String(32 << 20));
      expect(r.firstBadByte).toBe(-1);
      expect(r.settled).toBe(true);
      expect(r.readWhilePausedUnder4MiB).toBe(true);
    },
    { timeout: 30_000 },
  );
});

// The order of a handler's callbacks for two pipelined requests /1 and /2.
const TICKS_BETWEEN = ['request /1', 'nextTick /1', 'microtask /1', 'request /2', 'nextTick /2', 'microtask /2', 'immediate /1', 'immediate /2'];
const TICKS_AFTER_BOTH = ['request /1', 'request /2', 'nextTick /1', 'nextTick /2', 'microtask /1', 'microtask /2', 'immediate /1', 'immediate /2'];

describe('keep-alive and pipelining', () => {
  both(
    'twenty sequential requests on one connection',
    async (c) => {
      const sockets = new Set<unknown>();
      const { port } = await c.start(null, (req, res) => {
        sockets.add(req.socket);
        res.setHeader('X-N', req.url!.slice(1));
        res.end(`n=${req.url}`);
      });
      const conn = await c.connect(port);
      const raw: string[] = [];
      for (let i = 0; i < 20; i++) {
        await conn.write(`GET /${i} HTTP/1.1\r\nHost: h\r\n\r\n`);
        const rs = await conn.responses(i + 1);
        raw.push(rs[i].raw);
      }
      return { sockets: sockets.size, raw, closed: conn.closed };
    },
    (r) => expect(r.raw).toHaveLength(20),
  );

  both(
    'node:http client with a keep-alive agent reuses one connection',
    async (c) => {
      const nodeHttp = await import('node:http');
      const agent = new nodeHttp.Agent({ keepAlive: true, maxSockets: 1 });
      c.defer(() => agent.destroy());
      const sockets = new Set<unknown>();
      const { port } = await c.start(null, (req, res) => {
        sockets.add(req.socket);
        req.resume();
        req.on('end', () => res.end(`${req.method} ${req.url}`));
      });
      const out = [];
      for (let i = 0; i < 10; i++) {
        const r = await nodeRequest(port, { agent, path: `/${i}`, method: i % 2 ? 'POST' : 'GET', body: i % 2 ? 'x'.repeat(i) : undefined });
        out.push(r);
      }
      return { sockets: sockets.size, out };
    },
    (r) => expect(r.sockets).toBe(1),
  );

  both(
    'pipelined responses leave in request order though handlers finish out of order',
    async (c) => {
      const delays = [80, 10, 50, 0, 30, 20];
      const { port } = await c.start(null, (req, res) => {
        const i = Number(req.url!.slice(1));
        c.ev('request', i);
        res.on('finish', () => c.ev('finish', i));
        setTimeout(() => {
          c.ev('end', i);
          res.end(`response ${i}`);
        }, delays[i]);
      });
      const conn = await c.connect(port);
      await conn.write(delays.map((_, i) => `GET /${i} HTTP/1.1\r\nHost: h\r\n\r\n`).join(''));
      const rs = await conn.responses(delays.length);
      return { log: c.log, wire: rs.map((r) => r.raw) };
    },
    (r) => {
      expect(r.wire.map((w) => w.split('\r\n\r\n')[1])).toEqual([0, 1, 2, 3, 4, 5].map((i) => `response ${i}`));
      expect(r.log.filter((l) => l.startsWith('end'))).toEqual(['end 3', 'end 1', 'end 5', 'end 4', 'end 2', 'end 0']);
    },
  );

  differs(
    'process.nextTick and microtasks from a handler run before the next pipelined request (after a body)',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev('request', req.url);
        process.nextTick(() => c.ev('nextTick', req.url));
        void Promise.resolve().then(() => c.ev('microtask', req.url));
        setImmediate(() => c.ev('immediate', req.url));
        req.resume();
        res.end(req.url);
      });
      const log: Record<string, string[]> = {};
      const status: Record<string, number[]> = {};
      for (const [name, first] of [
        ['no body', 'GET /1 HTTP/1.1\r\nHost: h\r\n\r\n'],
        ['Content-Length body', 'POST /1 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi'],
        ['chunked body', 'POST /1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n'],
      ]) {
        c.log.length = 0;
        const conn = await c.connect(port);
        await conn.write(`${first}GET /2 HTTP/1.1\r\nHost: h\r\n\r\n`);
        status[name] = (await conn.responses(2)).map((r) => r.status);
        await c.waitForLog('immediate /2');
        log[name] = [...c.log];
      }
      return { log, status };
    },
    {
      // Node drains its tick queue between messages only when a body ended the first one; we
      // never do within one read.
      readme: 'One parse per read.',
      node: (r) =>
        expect(r.log).toEqual({ 'no body': TICKS_AFTER_BOTH, 'Content-Length body': TICKS_BETWEEN, 'chunked body': TICKS_BETWEEN }),
      wirehttp: (r) =>
        expect(r.log).toEqual({ 'no body': TICKS_AFTER_BOTH, 'Content-Length body': TICKS_AFTER_BOTH, 'chunked body': TICKS_AFTER_BOTH }),
      each: (r) => expect(r.status).toEqual({ 'no body': [200, 200], 'Content-Length body': [200, 200], 'chunked body': [200, 200] }),
    },
  );

  differs(
    "a pipelined batch answered at once: when the next response gets its 'socket'",
    async (c) => {
      const N = 10;
      let seq = 0;
      const events: { socket?: number; finish?: number }[] = Array.from({ length: N }, () => ({}));
      const { port } = await c.start(null, (req, res) => {
        const at = events[Number(req.url!.slice(1))];
        res.on('socket', () => (at.socket = seq++));
        // When 'finish' is emitted: node:http's own 'finish' listener, which hands the socket to the
        // next response, runs before any listener the handler adds with on().
        res.prependListener('finish', () => (at.finish = seq++));
        res.end(req.url);
      });
      const conn = await c.connect(port);
      await conn.write(Array.from({ length: N }, (_, i) => `GET /${i} HTTP/1.1\r\nHost: h\r\n\r\n`).join(''));
      const rs = await conn.responses(N);
      await c.waitFor(() => events.every((e) => e.finish !== undefined));
      return { responses: rs.map((r) => `${r.status} ${r.body}`), events };
    },
    {
      readme: 'A pipelined batch leaves in two writes.',
      node: (r) => {
        // Each response gets the socket when the previous one's 'finish' is emitted.
        for (let i = 1; i < r.events.length; i++) expect(r.events[i].socket, `response ${i}`).toBeGreaterThan(r.events[i - 1].finish!);
      },
      wirehttp: (r) => {
        // Each response gets the socket as soon as the previous one has ended: the 2nd response's
        // 'socket' comes before the 1st response's 'finish', and so on down the batch.
        for (let i = 1; i < r.events.length; i++) expect(r.events[i].socket, `response ${i}`).toBeLessThan(r.events[i - 1].finish!);
      },
      each: (r) => {
        expect(r.responses).toEqual(Array.from({ length: 10 }, (_, i) => `200 /${i}`));
        expect(r.events[0].socket, "the first response has its socket before the handler: no 'socket' event").toBeUndefined();
        for (const [i, e] of r.events.entries()) {
          if (i > 0) expect(e.socket, `response ${i}`).toBeTypeOf('number');
          expect(e.finish, `response ${i}`).toBeTypeOf('number');
        }
      },
    },
  );

  both(
    'pipelined requests with bodies read asynchronously',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        setTimeout(() => {
          readBody(req, (body) => res.end(`${req.url}:${body}`));
        }, 10);
      });
      const conn = await c.connect(port);
      await conn.write(
        'POST /1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc' +
          'POST /2 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n' +
          'GET /3 HTTP/1.1\r\nHost: h\r\n\r\n' +
          'POST /4 HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n',
      );
      const rs = await conn.responses(4);
      return rs.map((r) => r.raw);
    },
    (r) => expect(r.map((x) => x.split('\r\n\r\n')[1])).toEqual(['/1:abc', '/2:de', '/3:', '/4:']),
  );

  both(
    'maxRequestsPerSocket: Keep-Alive max, then Connection: close, then 503 and dropRequest',
    async (c) => {
      const { port, server } = await c.start(null, (req, res) => {
        c.ev('request', req.url);
        res.end(req.url);
      });
      server.maxRequestsPerSocket = 2;
      server.on('dropRequest', (req: Req, socket: unknown) => c.ev('dropRequest', req.url, socket === req.socket));
      const conn = await c.connect(port);
      await conn.write('GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\nHost: h\r\n\r\n');
      const pipelined = (await conn.responses(3)).map((r) => r.raw);
      let fourth: string | undefined;
      if (!conn.ended && !conn.closed) {
        await conn.write('GET /4 HTTP/1.1\r\nHost: h\r\n\r\n');
        fourth = (await conn.responses(4).catch(() => []))[3]?.raw ?? `closed: ${conn.text.length}`;
      }
      const seq = await c.connect(port);
      const sequential: string[] = [];
      for (let i = 1; i <= 3; i++) {
        await seq.write(`GET /s${i} HTTP/1.1\r\nHost: h\r\n\r\n`);
        sequential.push((await seq.responses(i))[i - 1].raw);
      }
      return { log: c.log, pipelined, fourth, sequential };
    },
    (r) => {
      expect(r.pipelined[2]).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      expect(r.log).toContain('dropRequest /3 true');
    },
  );
});

describe('Connection: close and the socket', () => {
  both(
    'HTTP/1.1 with Connection: close: the response says close, the server closes, pipelined bytes after it are refused',
    async (c) => {
      const { port, server } = await c.start(null, (req, res) => {
        c.ev('request', req.url, req.headers.connection);
        if (req.url === '/stream') {
          res.write('a');
          res.end('b');
        } else res.end(req.url);
      });
      server.on('clientError', (err: NodeJS.ErrnoException, socket: import('node:net').Socket) => {
        c.ev('clientError', err.code);
        socket.destroy();
      });
      const a = await c.connect(port);
      await a.write('GET /close HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
      await a.closedByServer();
      const b = await c.connect(port);
      await b.write('GET /stream HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
      await b.closedByServer();
      const d = await c.connect(port);
      await d.write('GET /first HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\nGET /second HTTP/1.1\r\nHost: h\r\n\r\n');
      await d.closedByServer();
      await sleep(20);
      const mask = (s: string) => s.replace(/Date: [^\r]+/g, 'Date: <date>');
      return { log: c.log, a: mask(a.text), b: mask(b.text), d: mask(d.text) };
    },
    (r) => expect(r.a).toMatch(/Connection: close\r\n/),
  );

  both(
    'the request socket: setEncoding is refused, addresses are numbers, one socket per connection',
    async (c) => {
      const seen: unknown[] = [];
      let connections = 0;
      const { port, server } = await c.start(null, (req, res) => {
        let setEncoding: unknown = 'no error';
        try {
          req.socket.setEncoding('utf8');
        } catch (e) {
          setEncoding = { code: (e as NodeJS.ErrnoException).code, message: (e as Error).message };
        }
        seen.push({
          setEncoding,
          remoteAddress: req.socket.remoteAddress,
          remoteFamily: req.socket.remoteFamily,
          remotePort: typeof req.socket.remotePort,
          localAddress: req.socket.localAddress,
          localPortIsServer: req.socket.localPort === port,
          isNetSocket: req.socket instanceof net.Socket,
          serverIsServer: (req.socket as unknown as { server: unknown }).server === server,
        });
        res.end();
      });
      server.on('connection', () => connections++);
      await nodeRequest(port);
      await nodeRequest(port);
      return { seen, connections };
    },
    (r) => expect(r.connections).toBe(2),
  );

  both(
    'fifty concurrent clients',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        let n = 0;
        req.on('data', (d: Buffer) => (n += d.length));
        req.on('end', () => setTimeout(() => res.end(`${req.url} ${n}`), Number(req.url!.slice(1)) % 7));
      });
      const all = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          nodeRequest(port, { path: `/${i}`, method: i % 2 ? 'POST' : 'GET', body: i % 2 ? 'x'.repeat(i * 100) : undefined }),
        ),
      );
      return all.map((r) => [r.status, r.body]);
    },
    (r) => expect(r.every(([s]) => s === 200)).toBe(true),
  );
});

describe('responses without a body', () => {
  both(
    'HEAD, 204 and 304 send no body; the connection stays usable',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        const r = res as unknown as { _hasBody: boolean };
        c.ev(req.method, req.url, r._hasBody);
        if (req.url === '/204') {
          res.writeHead(204);
          c.ev('write 204', res.write('x'));
          res.end();
        } else if (req.url === '/304') {
          res.statusCode = 304;
          res.end('y');
        } else if (req.url === '/chunked') {
          res.write('a');
          res.end('b');
        } else res.end('body');
      });
      const heads = ['HEAD', 'GET', 'GET', 'HEAD', 'GET', 'HEAD'];
      const urls = ['/', '/204', '/304', '/chunked', '/last', '/chunked'];
      const conn = await c.connect(port);
      await conn.write(heads.map((m, i) => `${m} ${urls[i]} HTTP/1.1\r\nHost: h\r\n\r\n`).join(''));
      const rs = await conn.responses(heads.length, heads);
      await sleep(20);
      return { log: c.log, responses: rs.map((r) => r.raw), extra: conn.text.length - rs.reduce((n, r) => n + r.raw.length, 0) };
    },
    (r) => expect(r.responses).toHaveLength(6),
  );
});

describe('framing of responses', () => {
  both(
    'implicit chunked vs Content-Length',
    async (c) => {
      const cases: Record<string, (res: import('node:http').ServerResponse) => void> = {
        '/end-string': (res) => res.end('abc'),
        '/end-buffer': (res) => res.end(Buffer.from('xyz')),
        '/end-utf8': (res) => res.end('é€'),
        '/end-latin1': (res) => res.end('é', 'latin1'),
        '/write-end': (res) => {
          res.write('a');
          res.end('b');
        },
        '/write-hex': (res) => {
          res.write('6869', 'hex');
          res.end();
        },
        '/cl-write': (res) => {
          res.setHeader('Content-Length', 2);
          res.write('a');
          res.end('b');
        },
        '/te-explicit': (res) => {
          res.setHeader('Transfer-Encoding', 'chunked');
          res.end('x');
        },
        '/empty': (res) => res.end(),
        '/write-empty': (res) => {
          res.write('');
          res.end();
        },
        '/uint8array': (res) => res.end(new Uint8Array([0x41, 0x42])),
      };
      const { port } = await c.start(null, (req, res) => cases[req.url!](res));
      const conn = await c.connect(port);
      const urls = Object.keys(cases);
      await conn.write(urls.map((u) => `GET ${u} HTTP/1.1\r\nHost: h\r\n\r\n`).join(''));
      const rs = await conn.responses(urls.length);
      return rs.map((r) => r.raw);
    },
    (r) => expect(r).toHaveLength(11),
  );
});

describe('HTTP/1.0', () => {
  both(
    'HTTP/1.0 without keep-alive: Connection: close, body until close',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev(req.httpVersion, JSON.stringify(req.headers));
        if (req.url === '/stream') {
          res.write('a');
          res.end('b');
        } else res.end('hi');
      });
      const a = await c.connect(port);
      await a.write('GET / HTTP/1.0\r\n\r\n');
      await a.closedByServer();
      const b = await c.connect(port);
      await b.write('GET /stream HTTP/1.0\r\nHost: h\r\n\r\n');
      await b.closedByServer();
      return { log: c.log, a: a.text.replace(/Date: [^\r]+/, 'Date: <date>'), b: b.text.replace(/Date: [^\r]+/, 'Date: <date>') };
    },
    (r) => expect(r.a).toMatch(/^HTTP\/1\.1 200 OK\r\n/),
  );

  both(
    'HTTP/1.0 with Connection: keep-alive stays open only while the length is known',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev(req.url, req.headers.connection);
        if (req.url === '/known') {
          res.setHeader('Content-Length', 5);
          res.end('known');
        } else if (req.url === '/stream') {
          res.write('a');
          res.end('b');
        } else res.end('implicit');
      });
      const conn = await c.connect(port);
      await conn.write('GET /known HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
      const [first] = await conn.responses(1);
      await conn.write('GET /implicit HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
      await conn.closedByServer();
      const te = await c.connect(port);
      await te.write('GET /stream HTTP/1.0\r\nConnection: keep-alive\r\nTE: chunked\r\n\r\n');
      const teRs = await te.responses(1);
      let second = 'closed';
      if (!te.ended) {
        await te.write('GET /known HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
        second = (await te.responses(2))[1].raw;
      }
      const mask = (s: string) => s.replace(/Date: [^\r]+/g, 'Date: <date>');
      return { log: c.log, first: first.raw, all: mask(conn.text), te: teRs[0].raw, second };
    },
    (r) => expect(r.first).toMatch(/Connection: keep-alive\r\n.*known$/s),
  );

  both(
    'pipelined HTTP/1.0 requests without keep-alive',
    async (c) => {
      const { port, server } = await c.start(null, (req, res) => {
        c.ev('request', req.url);
        res.end(req.url);
      });
      server.on('clientError', (err: NodeJS.ErrnoException, socket: import('node:net').Socket) => {
        c.ev('clientError', err.code);
        socket.destroy();
      });
      const conn = await c.connect(port);
      await conn.write('GET /1 HTTP/1.0\r\n\r\nGET /2 HTTP/1.0\r\n\r\n');
      await conn.closedByServer();
      await sleep(20);
      return { log: c.log, data: conn.text.replace(/Date: [^\r]+/g, 'Date: <date>') };
    },
    (r) => expect(r.log[0]).toBe('request /1'),
  );
});

describe('Expect', () => {
  both(
    'Expect: 100-continue without a checkContinue listener: automatic 100, then the request',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev('request', req.headers.expect);
        readBody(req, (body) => res.end(`body=${body}`));
      });
      const conn = await c.connect(port);
      await conn.write('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
      await conn.until(() => conn.text.includes('\r\n\r\n'), 'the 100');
      const interim = conn.text;
      await conn.write('hello');
      const rs = await conn.responses(1);
      return { log: c.log, interim, responses: rs.map((r) => r.raw) };
    },
    (r) => expect(r.interim).toBe('HTTP/1.1 100 Continue\r\n\r\n'),
  );

  both(
    'checkContinue listener: accept with writeContinue, refuse with 417',
    async (c) => {
      const { port, server } = await c.start(null, (req) => c.ev('request (must not run)', req.url));
      server.on('checkContinue', (req: Req, res: import('node:http').ServerResponse) => {
        c.ev('checkContinue', req.url, req.headers.expect);
        if (req.url === '/yes') {
          res.writeContinue();
          readBody(req, (body) => res.end(`ok ${body}`));
        } else {
          res.writeHead(417, { 'Content-Type': 'text/plain' });
          res.end('no');
        }
      });
      const yes = await c.connect(port);
      await yes.write('PUT /yes HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-Continue\r\n\r\n');
      await yes.until(() => yes.text.includes('\r\n\r\n'), 'the 100');
      await yes.write('abc');
      const yesRs = await yes.responses(1);
      const no = await c.connect(port);
      await no.write('PUT /no HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n');
      await no.closedByServer();
      return { log: c.log, yes: yesRs.map((r) => r.raw), no: no.text.replace(/Date: [^\r]+/g, 'Date: <date>') };
    },
    (r) => expect(r.yes[0]).toBe('HTTP/1.1 100 Continue\r\n\r\n'),
  );

  both(
    'node:http client with Expect: 100-continue gets its continue event',
    async (c) => {
      const nodeHttp = await import('node:http');
      const { port } = await c.start(null, (req, res) => {
        readBody(req, (body) => res.end(`got ${body}`));
      });
      return await new Promise((resolve, reject) => {
        const events: string[] = [];
        const req = nodeHttp.request(
          { port, host: '127.0.0.1', method: 'POST', agent: false, headers: { Expect: '100-continue', 'Content-Length': 4 } },
          (res) => {
            let body = '';
            res.setEncoding('latin1');
            res.on('data', (d: string) => (body += d));
            res.on('end', () => resolve({ events, status: res.statusCode, body }));
          },
        );
        req.on('information', (info) => events.push(`information ${info.statusCode}`));
        req.on('continue', () => {
          events.push('continue');
          req.end('data');
        });
        req.on('error', reject);
      });
    },
    (r) => expect(r).toEqual({ events: ['continue', 'information 100'], status: 200, body: 'got data' }),
  );

  both(
    'another Expect: 417 without a listener, checkExpectation with one; ignored on HTTP/1.0',
    async (c) => {
      const plain = await c.start(null, (req, res) => {
        c.ev('plain request', req.url);
        res.end('served');
      });
      const a = await c.connect(plain.port);
      await a.write('GET /a HTTP/1.1\r\nHost: h\r\nExpect: something-else\r\n\r\n');
      const aRs = await a.responses(1);
      await a.write('GET /b HTTP/1.1\r\nHost: h\r\n\r\n');
      const aRs2 = await a.responses(2);
      const old = await c.connect(plain.port);
      await old.write('GET /old HTTP/1.0\r\nExpect: something-else\r\n\r\n');
      await old.closedByServer();
      const listening = await c.start(null, (req) => c.ev('request (must not run)', req.url));
      listening.server.on('checkExpectation', (req: Req, res: import('node:http').ServerResponse) => {
        c.ev('checkExpectation', req.headers.expect);
        res.end('handled');
      });
      const b = await c.connect(listening.port);
      await b.write('GET / HTTP/1.1\r\nHost: h\r\nExpect: x-custom\r\n\r\n');
      const bRs = await b.responses(1);
      return { log: c.log, a: aRs2.map((r) => r.raw), first: aRs[0].status, old: old.text.replace(/Date: [^\r]+/g, 'Date: <date>'), b: bRs[0].raw };
    },
    (r) => expect(r.first).toBe(417),
  );
});

describe('Host', () => {
  both(
    'HTTP/1.1 without Host: 400 and close; requireHostHeader: false; HTTP/1.0; empty Host',
    async (c) => {
      const strict = await c.start(null, (req, res) => {
        c.ev('strict request', req.url);
        res.end('ok');
      });
      const a = await c.connect(strict.port);
      await a.write('GET /nohost HTTP/1.1\r\n\r\n');
      await a.closedByServer();
      const b = await c.connect(strict.port);
      await b.write('GET /old HTTP/1.0\r\n\r\n');
      await b.closedByServer();
      const e = await c.connect(strict.port);
      await e.write('GET /empty HTTP/1.1\r\nHost:\r\n\r\n');
      const eRs = await e.responses(1);
      const relaxed = await c.start({ requireHostHeader: false }, (req, res) => {
        c.ev('relaxed request', req.url);
        res.end('ok');
      });
      const d = await c.connect(relaxed.port);
      await d.write('GET /nohost HTTP/1.1\r\n\r\n');
      const dRs = await d.responses(1);
      const mask = (s: string) => s.replace(/Date: [^\r]+/g, 'Date: <date>');
      return { log: c.log, missing: mask(a.text), old: mask(b.text), empty: eRs[0].raw, relaxed: dRs[0].raw };
    },
    (r) => expect(r.missing).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/),
  );

  both(
    'Host and Expect count only within maxHeadersCount (req.headers holds no more)',
    async (c) => {
      const { server, port } = await c.start(null, (req, res) => {
        c.ev('request', req.url, JSON.stringify(req.headers));
        res.end('ok');
      });
      server.maxHeadersCount = 2;
      server.on('checkContinue', (req: Req) => c.ev('checkContinue', req.url));
      const late = await c.connect(port);
      await late.write('GET /late-host HTTP/1.1\r\nA: 1\r\nB: 2\r\nHost: h\r\n\r\n');
      await late.closedByServer();
      const expect100 = await c.connect(port);
      await expect100.write('GET /late-expect HTTP/1.1\r\nHost: h\r\nB: 2\r\nExpect: 100-continue\r\n\r\n');
      const [answer] = await expect100.responses(1);
      return { log: c.log, late: maskDate(late.text), expect: answer.raw };
    },
    (r) => {
      expect(r.late).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(r.log).toEqual(['request /late-expect {"host":"h","b":"2"}']);
    },
  );
});

describe('half-closed input', () => {
  both(
    'a request then FIN: the response is written, then the server closes',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev('request', req.url);
        req.on('end', () => c.ev('req end'));
        req.on('close', () => c.ev('req close'));
        res.on('finish', () => c.ev('res finish'));
        res.on('close', () => c.ev('res close'));
        if (req.url === '/sync') res.end('sync');
        else {
          // Answer once the server has seen the client's FIN (no race with it).
          const late = () => setImmediate(() => res.end('late'));
          if (req.socket.readableEnded) late();
          else req.socket.once('end', late);
        }
      });
      const a = await c.connect(port);
      await a.write('GET /sync HTTP/1.1\r\nHost: h\r\n\r\n');
      a.end();
      await a.closedByServer();
      const b = await c.connect(port);
      await b.write('GET /late HTTP/1.1\r\nHost: h\r\n\r\n');
      b.end();
      await b.closedByServer();
      await c.waitFor(() => c.log.filter((l) => l === 'req close').length === 2, 3000, 30);
      const mask = (s: string) => s.replace(/Date: [^\r]+/g, 'Date: <date>');
      return { log: c.log, sync: mask(a.text), late: mask(b.text) };
    },
    (r) => expect(r.sync).toMatch(/sync$/),
  );

  both(
    'two pipelined requests then FIN',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev('request', req.url);
        res.end(req.url);
      });
      const a = await c.connect(port);
      await a.write('GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n');
      a.end();
      await a.closedByServer();
      return { log: c.log, data: a.text.replace(/Date: [^\r]+/g, 'Date: <date>') };
    },
    (r) => expect(r.log).toContain('request /1'),
  );
});

// wirehttp makes Node's IncomingMessage without the socket (see newIncomingMessage in
// bindings/node/parsing.ts) and sets the socket and its high-water mark after.
describe('the request object', () => {
  both(
    'its own fields and its stream state, by default and with the highWaterMark option',
    async (c) => {
      const seen: unknown[] = [];
      for (const options of [null, { highWaterMark: 1024 }, { highWaterMark: 16384 }]) {
        const { port } = await c.start(options as import('node:http').ServerOptions | null, (req, res) => {
          const state = (req as Req & { _readableState: Record<string | symbol, unknown> })._readableState;
          // kHeaders aside: Node's server reads req.headers (building it) where wirehttp looks at rawHeaders.
          const show = (object: Record<string | symbol, unknown>) =>
            Reflect.ownKeys(object).filter((key) => String(key) !== 'Symbol(kHeaders)').map((key) => `${String(key)}=${object[key] === null || typeof object[key] !== 'object' ? String(object[key]) : typeof object[key]}`);
          seen.push({
            request: show(req as unknown as Record<string | symbol, unknown>),
            state: show(state),
            readableHighWaterMark: req.readableHighWaterMark,
            clientIsSocket: (req as Req & { client: unknown }).client === req.socket,
            socketIsResponses: req.socket === res.socket,
            objectMode: req.readableObjectMode,
            encoding: req.readableEncoding,
          });
          res.end();
        });
        const conn = await c.connect(port);
        await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
        await conn.responses(1);
      }
      return seen;
    },
    (r) => expect((r as Array<{ readableHighWaterMark: number }>).map((s) => s.readableHighWaterMark)).toEqual([16384, 1024, 16384]),
  );
});

describe('the end of a request nobody reads', () => {
  /** Everything a handler can see of a request's stream state, the ReadableState's flag bits included. */
  function streamState(req: Req) {
    const state = (req as Req & { _readableState: Record<symbol, unknown> })._readableState;
    const kState = Object.getOwnPropertySymbols(state).find((s) => s.description === 'kState');
    const r = req as Req & Record<string, unknown>;
    return {
      complete: req.complete, _dumped: r._dumped, aborted: req.aborted, readable: req.readable, readableFlowing: req.readableFlowing,
      readableEnded: req.readableEnded, destroyed: req.destroyed, closed: req.closed, errored: req.errored,
      flags: kState ? state[kState] : 'no kState', ownKeys: Reflect.ownKeys(req).map(String), eventNames: req.eventNames().map(String),
    };
  }

  /** One request per case on a keep-alive connection; each handler logs the request's state a macrotask after its response. */
  async function cases(c: Ctx, handlers: Record<string, (req: Req, res: import('node:http').ServerResponse) => void>) {
    const { port } = await c.start(null, (req, res) => {
      res.on('close', () => setTimeout(() => {
        const state = streamState(req);
        // A body left unread takes Node's own path on both sides; the parser hands it over in other
        // steps than Node's, which leaves two internal flags (sync, readingMore) apart.
        if (req.url!.startsWith('/post')) delete (state as Partial<typeof state>).flags;
        c.ev('after', req.url, state);
      }, 5));
      handlers[req.url!](req, res);
    });
    const conn = await c.connect(port);
    const urls = Object.keys(handlers);
    for (const [i, url] of urls.entries()) {
      await conn.write(`${url.startsWith('/post') ? 'POST' : 'GET'} ${url} HTTP/1.1\r\nHost: h\r\n${url.startsWith('/post') ? 'Content-Length: 3\r\n\r\nabc' : '\r\n'}`);
      await conn.responses(i + 1);
      await c.waitForLog(`after ${url}`);
    }
    return { log: c.log, text: maskDate(conn.text) };
  }

  both(
    'the state it ends in, and the events listeners added afterwards get, are node:http\'s',
    (c) =>
      cases(c, {
        '/sync': (req, res) => res.end('a'),
        '/async': (req, res) => setTimeout(() => res.end('b'), 5),
        '/empty-end': (req, res) => res.end(),
        '/post-unread': (req, res) => res.end('c'),
        '/listener-at-finish': (req, res) => {
          res.on('finish', () => {
            for (const event of ['end', 'close']) req.on(event, () => c.ev(`${req.url} ${event}`, streamState(req)));
          });
          res.end('d');
        },
        '/listener-at-close': (req, res) => {
          res.on('close', () => req.on('close', () => c.ev(`${req.url} close`, streamState(req))));
          res.end('e');
        },
        '/read': (req, res) => {
          req.on('end', () => c.ev(`${req.url} end`));
          req.resume();
          res.end('f');
        },
        '/later-listeners': (req, res) => {
          res.end('g');
          res.on('close', () => setTimeout(() => {
            req.on('end', () => c.ev('late end'));
            req.on('close', () => c.ev('late close'));
            req.on('data', () => c.ev('late data'));
            c.ev('late listeners', streamState(req));
          }, 1));
        },
      }),
    (r) => expect(r.log.filter((line) => line.startsWith('after ') && line.includes('"destroyed":true'))).toHaveLength(8),
  );

  differs(
    "just after the response's 'finish', a request nobody reads already shows its final state",
    async (c) => {
      const seen: [string, Record<string, boolean | null>][] = [];
      const { port } = await c.start(null, (req, res) => {
        const look = (when: string) => seen.push([when, { flowing: req.readableFlowing, ended: req.readableEnded, destroyed: req.destroyed, closed: req.closed, _dumped: (req as Req & { _dumped: boolean })._dumped }]);
        res.on('finish', () => {
          look('finish');
          process.nextTick(() => look('finish + tick'));
        });
        res.on('close', () => look('response close'));
        setTimeout(() => look('later'), 20);
        res.end('ok');
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(1);
      await c.waitFor(() => seen.some(([when]) => when === 'later'));
      return seen;
    },
    {
      readme: 'A request nobody reads ends in one step.',
      node: (log) => {
        expect(log[0]).toEqual(['finish', { flowing: true, ended: false, destroyed: false, closed: false, _dumped: true }]);
        expect(log[2]).toEqual(['finish + tick', { flowing: true, ended: false, destroyed: false, closed: false, _dumped: true }]);
      },
      wirehttp: (log) => {
        expect(log[0]).toEqual(['finish', { flowing: null, ended: false, destroyed: false, closed: false, _dumped: true }]);
        expect(log[2]).toEqual(['finish + tick', { flowing: true, ended: true, destroyed: true, closed: true, _dumped: true }]);
      },
      same: (log) => log.filter(([when]) => when === 'later'),
    },
  );
});
