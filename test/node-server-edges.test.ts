// wirehttp/node against node:http, side by side: valid but unusual input, backpressure from a
// client that does not read, connection-level response headers, and server lifecycle odds.
import net from 'node:net';
import { Duplex } from 'node:stream';
import { describe, expect } from 'vitest';
import { both, bytes, differs, maskDate, once, readBody, type Req, sleep } from './support/sides.js';

const json = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

const ODD_BUT_VALID: [string, string][] = [
  ['empty lines before the request line', '\r\n\r\nGET /lead HTTP/1.1\r\nHost: h\r\n\r\n'],
  ['Transfer-Encoding: gzip, chunked', 'POST /te HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'],
  ['Transfer-Encoding in two fields', 'POST /te2 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'],
  ['Transfer-Encoding: Chunked (case)', 'POST /tecase HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'],
  ['Content-Length with leading zeros', 'POST /cl0 HTTP/1.1\r\nHost: h\r\nContent-Length: 003\r\n\r\nabc'],
  ['Content-Length: 0 on GET', 'GET /cl HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n'],
  ['a GET with a body', 'GET /body HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody'],
  ['header value with inner and trailing whitespace', 'GET /ws HTTP/1.1\r\nHost: h \t \r\nX-A:  a  b  \r\n\r\n'],
  ['header names with every token character', "GET /tok HTTP/1.1\r\nHost: h\r\nX!#$%&'*+-.^_`|~09azAZ: v\r\n\r\n"],
  ['obs-text in a header value', 'GET /obs HTTP/1.1\r\nHost: h\r\nX-O: \x80\x9f\xa0\xff\r\n\r\n'],
  ['chunk extension with a quoted value', 'POST /ext HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;a="b;c"\r\nabc\r\n0\r\n\r\n'],
  ['HTTP/1.0 with a chunked request body', 'POST /old HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'],
  ['a request target with a query only', 'GET ?x=1 HTTP/1.1\r\nHost: h\r\n\r\n'],
];

/** The 200 a handler's res.end(url) writes on a keep-alive connection (Date masked). */
const answer = (url: string) =>
  `HTTP/1.1 200 OK\r\nDate: <date>\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: ${url.length}\r\n\r\n${url}`;

describe('valid but unusual requests', () => {
  for (const [name, input] of ODD_BUT_VALID) {
    both(
      `odd but valid: ${name}`,
      async (c) => {
        let seen: unknown;
        const { port } = await c.start(null, (req, res) => {
          readBody(req, (body) => {
            seen = json({ method: req.method, url: req.url, v: req.httpVersion, headers: req.headers, raw: req.rawHeaders, body, trailers: req.trailers });
            res.end('ok');
          });
        });
        const conn = await c.connect(port);
        await conn.write(bytes(input));
        const got = await conn.responses(1).then(
          (rs) => rs[0].raw,
          () => `closed: ${maskDate(conn.text)}`,
        );
        return { seen: seen ?? 'no request', got };
      },
    );
  }

  both('Proxy-Connection: close closes the connection after the response, as Connection: close', async (c) => {
    const { port } = await c.start(null, (req, res) => res.end(String(req.headers['proxy-connection'])));
    const conn = await c.connect(port);
    await conn.write('GET http://h/pc HTTP/1.1\r\nHost: h\r\nProxy-Connection: close\r\n\r\n');
    const [response] = await conn.responses(1);
    await conn.closedByServer();
    return { response: response.raw, closed: true };
  }, (r) => expect(r.response).toContain('Connection: close'));

  differs(
    'HTTP/1.0 keep-alive request with a chunked body, then another request',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        readBody(req, (body) => {
          c.ev('request', req.url, body);
          res.setHeader('Content-Length', body.length);
          res.end(body);
        });
      });
      const conn = await c.connect(port);
      await conn.write('POST /a HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
      const [first] = await conn.responses(1);
      let second = 'closed';
      if (!conn.ended && !conn.closed) {
        await conn.write('POST /b HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nde');
        second = await conn.responses(2).then((rs) => rs[1].raw, () => `closed: ${maskDate(conn.text)}`);
      }
      return { log: c.log, first: first.raw, second };
    },
    {
      // RFC 9112 §6.1: Transfer-Encoding on an HTTP/1.0 request means the connection closes after the response.
      readme: "The parser's stricter rules",
      node: (r) => {
        expect(r.log).toEqual(['request /a abc', 'request /b de']);
        expect(r.first).toBe('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nDate: <date>\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\nabc');
        expect(r.second).toBe('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nDate: <date>\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\nde');
      },
      wirehttp: (r) => {
        expect(r.log).toEqual(['request /a abc']);
        expect(r.first).toBe('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nDate: <date>\r\nConnection: close\r\n\r\nabc');
        // Closed after the first response (whether or not /b got written first): no second one.
        expect(r.second).toMatch(/^closed(: HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nabc)?$/);
      },
    },
  );

  differs(
    'a valid request and a malformed one in the same packet',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev('request', req.url);
        res.end(req.url);
      });
      const out: string[] = [];
      for (const first of ['GET /get HTTP/1.1\r\nHost: h\r\n\r\n', 'POST /post HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi']) {
        const conn = await c.connect(port);
        await conn.write(`${first}BAD / HTTP/1.1\r\n\r\n`);
        await conn.closedByServer();
        out.push(maskDate(conn.text));
      }
      return { log: c.log, out };
    },
    {
      // After a GET both close without a 400; after a POST whose body ends the same read, Node
      // writes its 400 behind the response and we close without it.
      readme: 'One parse per read.',
      node: (r) => expect(r.out[1]).toBe(`${answer('/post')}HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n`),
      wirehttp: (r) => expect(r.out[1]).toBe(answer('/post')),
      each: (r) => {
        expect(r.log).toEqual(['request /get', 'request /post']);
        expect(r.out[0]).toBe(answer('/get'));
      },
    },
  );
});

describe('limits', () => {
  both(
    'default maxHeadersCount (2000) with 2100 header fields',
    async (c) => {
      let seen: unknown;
      const { port } = await c.start({ maxHeaderSize: 65536 }, (req, res) => {
        seen = { rawLength: req.rawHeaders.length, keys: Object.keys(req.headers).length, last: req.rawHeaders.at(-1) };
        res.end();
      });
      const fields = Array.from({ length: 2100 }, (_, i) => `X-${i}: ${i}\r\n`).join('');
      const conn = await c.connect(port);
      await conn.write(`GET / HTTP/1.1\r\nHost: h\r\n${fields}\r\n`);
      const got = await conn.responses(1).then((rs) => rs[0].status, () => `closed: ${maskDate(conn.text)}`);
      return { seen, got };
    },
    (r) => expect(r.got).toBe(200),
  );
});

describe('backpressure', () => {
  both(
    'a client that pipelines and never reads is not served without bound; reading resumes it',
    async (c) => {
      const TOTAL = 2000;
      const payload = Buffer.alloc(16 * 1024, 0x62);
      const pad = 'p'.repeat(2000); // ~30 requests per read, so the server gets the chance to pause
      let handled = 0;
      const { port } = await c.start(null, (req, res) => {
        handled++;
        res.end(payload);
      });
      // A plain socket: RawConn keeps every byte, too slow for 32 MB of responses.
      const sock = net.connect(port, '127.0.0.1');
      c.defer(() => sock.destroy());
      sock.on('error', () => {});
      await once(sock, 'connect');
      const conn = { sock };
      conn.sock.pause(); // do not read the responses
      const reqs = Array.from({ length: TOTAL }, (_, i) => `GET /${i} HTTP/1.1\r\nHost: h\r\nX-Pad: ${pad}\r\n\r\n`).join('');
      conn.sock.write(reqs);
      // Wait until the server stops taking requests.
      let last = -1;
      let same = 0;
      for (let i = 0; i < 300 && same < 6; i++) {
        await sleep(20);
        same = handled === last ? same + 1 : 0;
        last = handled;
      }
      const stalledBelowTotal = handled < TOTAL;
      conn.sock.resume();
      let received = 0;
      await new Promise<void>((resolve) => {
        const marker = Buffer.from('HTTP/1.1 200 OK');
        let count = 0;
        let tail = Buffer.alloc(0);
        conn.sock.on('data', (d: Buffer) => {
          received += d.length;
          const buf = Buffer.concat([tail, d]);
          for (let at = buf.indexOf(marker); at >= 0; at = buf.indexOf(marker, at + 1)) count++;
          tail = buf.subarray(Math.max(0, buf.length - marker.length + 1));
          if (count >= TOTAL) resolve();
        });
        conn.sock.on('close', () => resolve());
      });
      return { stalledBelowTotal, handledAtEnd: handled, receivedAll: received >= TOTAL * payload.length };
    },
    (r) => expect(r).toEqual({ stalledBelowTotal: true, handledAtEnd: 2000, receivedAll: true }),
    { timeout: 20_000 },
  );
});

describe('connection headers set by the handler', () => {
  both(
    'Connection: close set by the handler closes; keepAliveTimeout 0 sends no Keep-Alive',
    async (c) => {
      const a = await c.start(null, (req, res) => {
        res.setHeader('Connection', 'close');
        res.end('bye');
      });
      const conn = await c.connect(a.port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.closedByServer();
      const b = await c.start({ keepAliveTimeout: 0 }, (req, res) => res.end('no timeout'));
      const conn2 = await c.connect(b.port);
      await conn2.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      const [r2] = await conn2.responses(1);
      const d = await c.start(null, (req, res) => {
        res.setHeader('Keep-Alive', 'timeout=99');
        res.setHeader('Connection', 'keep-alive');
        res.end('own');
      });
      const conn3 = await c.connect(d.port);
      await conn3.write('GET / HTTP/1.0\r\n\r\n');
      const r3 = await conn3.responses(1).then((rs) => rs[0].raw, () => `closed: ${maskDate(conn3.text)}`);
      return { closeByHandler: maskDate(conn.text), noKeepAlive: r2.raw, own: r3, ownStillOpen: !conn3.ended };
    },
    (r) => expect(r.closeByHandler).toMatch(/Connection: close\r\n/),
  );
});

describe('the keep-alive pause', () => {
  both(
    'it starts when the response finishes, not when its request was read: an end() 600 ms later keeps the socket 1,050 ms after it',
    async (c) => {
      const { port } = await c.start({ keepAliveTimeout: 50 }, (req, res) => {
        if (req.url === '/late') setTimeout(() => res.end('late'), 600);
        else res.end('now'); // a first pause begun in its read's turn
      });
      const conn = await c.connect(port);
      await conn.write('GET /now HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(1);
      await conn.write('GET /late HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(2);
      const answered = Date.now();
      await conn.closedByServer();
      return { closedAfterTheFullPause: Date.now() - answered >= 900 };
    },
    (r) => expect(r.closedAfterTheFullPause).toBe(true),
  );
});

describe('server lifecycle odds', () => {
  both(
    'close() twice, asyncDispose, and request listeners added after createServer',
    async (c) => {
      const s = c.server();
      s.on('request', (req: Req, res: import('node:http').ServerResponse) => res.end('late listener'));
      const port = await c.listen(s);
      const r = await fetch(`http://127.0.0.1:${port}/`).then((x) => x.text());
      const first = await new Promise<unknown>((resolve) => s.close((e?: Error) => resolve(e ? (e as NodeJS.ErrnoException).code : null)));
      const second = await new Promise<unknown>((resolve) => s.close((e?: Error) => resolve(e ? (e as NodeJS.ErrnoException).code : null)));
      const d = c.server(null, (req, res) => res.end());
      await c.listen(d);
      const dispose = (d as unknown as Record<symbol, () => Promise<void>>)[Symbol.asyncDispose];
      let disposed: unknown = typeof dispose;
      if (typeof dispose === 'function') {
        await dispose.call(d);
        disposed = d.listening;
      }
      return { r, first, second, disposed };
    },
    (r) => expect(r.r).toBe('late listener'),
  );
});

describe('connections that are not TCP sockets', () => {
  both(
    "a Duplex stream handed to 'connection' by hand is served like a socket (pipelined, with a body)",
    async (c) => {
      const server = c.server(null, (req, res) => {
        readBody(req, (body) => res.end(`${req.method} ${req.url} ${body}`));
      });
      const out: Buffer[] = [];
      const duplex = new Duplex({
        read() {},
        write(chunk: Buffer, _encoding, callback) {
          out.push(chunk);
          callback();
        },
      });
      Object.assign(duplex, { remoteAddress: '127.0.0.1', setTimeout: () => duplex, setNoDelay: () => duplex });
      server.emit('connection', duplex);
      duplex.push(bytes('POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nHost: h\r\n\r\n'));
      const text = () => maskDate(Buffer.concat(out).toString('latin1'));
      await c.waitFor(() => text().includes('GET /b '));
      duplex.destroy();
      return text();
    },
    (r) => expect(r).toBe(`${answer('POST /a abc')}${answer('GET /b ')}`),
  );
});
