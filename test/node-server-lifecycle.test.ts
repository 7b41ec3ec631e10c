// wirehttp/node against node:http, side by side: upgrade and CONNECT, closing, listening,
// defaults and option validation, clients going away, real clients (node:http, fetch, curl),
// the CommonJS build, custom request/response classes, cluster and diagnostics channels.
import { randomBytes } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { rmSync } from 'node:fs';
import * as nodeHttp from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  both, differs, errFields, latin1, logLifecycle, maskDate, moduleIdOf, nodeRequest, parseResponses, type Req, type Res, ROOT, run, sides, sleep,
} from './support/sides.js';

const json = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

describe('exports', () => {
  const NAMES = [
    'createServer', 'Server', 'IncomingMessage', 'ServerResponse', 'OutgoingMessage', 'METHODS', 'STATUS_CODES',
    'validateHeaderName', 'validateHeaderValue', 'maxHeaderSize',
  ];
  both(
    'the server-side names, as named and default exports',
    async (c) => {
      const mod = c.http as unknown as Record<string, unknown> & { default: Record<string, unknown> };
      return {
        names: NAMES.map((n) => [n, typeof mod[n], typeof mod.default?.[n], mod.default?.[n] === mod[n]]),
        METHODS: mod.METHODS,
        STATUS_CODES: mod.STATUS_CODES,
        maxHeaderSize: mod.maxHeaderSize,
        serverIsNetServer: (mod.Server as { prototype: object }).prototype instanceof net.Server,
        responseIsOutgoing: (mod.ServerResponse as { prototype: object }).prototype instanceof (mod.OutgoingMessage as typeof nodeHttp.OutgoingMessage),
      };
    },
    (r) => expect(r.names.every(([, t]) => t !== 'undefined')).toBe(true),
  );
});

describe('upgrade and CONNECT', () => {
  both(
    "Upgrade with an 'upgrade' listener: req, socket and head bytes; then raw bytes both ways",
    async (c) => {
      const { port, server } = await c.start(null, (req) => c.ev('request (must not run)', req.url));
      server.on('upgrade', (req: Req, socket: net.Socket, head: Buffer) => {
        c.ev('upgrade', json({
          method: req.method, url: req.url, headers: req.headers, upgrade: (req as Req & { upgrade: boolean }).upgrade, httpVersion: req.httpVersion,
          complete: req.complete,
        }), latin1(head), Buffer.isBuffer(head), socket instanceof net.Socket, socket === req.socket);
        const kept: Buffer[] = [];
        socket.on('data', (d: Buffer) => {
          kept.push(d);
          c.ev('socket data', latin1(d));
          socket.write(`echo:${latin1(d)}`);
        });
        socket.on('end', () => {
          // Held across later reads: head and data must be the connection's own bytes still.
          c.ev('socket end', latin1(head), latin1(Buffer.concat(kept)));
          socket.end();
        });
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
        socket.write(`head:${latin1(head)}`);
      });
      const conn = await c.connect(port);
      await conn.write('GET /chat HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nHELLO');
      await conn.until(() => conn.text.endsWith('head:HELLO'), 'the 101 and the head');
      // Longer than the request head, so a read of it covers where the head bytes were read.
      const more = `MORE${'.'.repeat(300)}`;
      await conn.write(more);
      await conn.until(() => conn.text.endsWith(`echo:${more}`), 'the echo');
      await conn.write('AGAIN');
      await conn.until(() => conn.text.endsWith('echo:AGAIN'), 'the second echo');
      conn.end();
      await conn.closedByServer();
      return { log: c.log, received: conn.text };
    },
    (r) => {
      expect(r.received).toContain('101 Switching Protocols');
      expect(r.log).toContain(`socket end HELLO MORE${'.'.repeat(300)}AGAIN`);
    },
  );

  differs(
    "Upgrade without an 'upgrade' listener is a normal request; the connection goes on",
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev('request', req.url, (req as Req & { upgrade: boolean }).upgrade, req.headers.upgrade, req.headers.connection);
        res.end(`plain ${req.url}`);
      });
      const conn = await c.connect(port);
      // A request pipelined behind the Upgrade request in the same packet; what comes later on the
      // connection is parsed as HTTP again in both.
      await conn.write('GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nGET /pipelined HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(1);
      await conn.write('GET /later HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.until(() => conn.text.endsWith('plain /later'), 'the response to /later');
      const rs = parseResponses(conn.text);
      return { log: c.log, bodies: rs.map((r) => r.body), responses: rs.map((r) => r.raw) };
    },
    {
      readme: 'Bytes after a declined Upgrade are parsed.',
      node: (r) => {
        expect(r.log.slice(1)).toEqual(['request /later false  ']);
        expect(r.bodies).toEqual(['plain /ws', 'plain /later']);
      },
      wirehttp: (r) => {
        expect(r.log.slice(1)).toEqual(['request /pipelined false  ', 'request /later false  ']);
        expect(r.bodies).toEqual(['plain /ws', 'plain /pipelined', 'plain /later']);
      },
      each: (r) => expect(r.log[0]).toBe('request /ws false websocket Upgrade'),
      same: (r) => [r.responses[0], r.responses.at(-1)], // /ws and /later, answered alike
    },
  );

  both(
    "CONNECT with a 'connect' listener: req, socket and head; a tunnel",
    async (c) => {
      const { port, server } = await c.start(null, (req) => c.ev('request (must not run)', req.url));
      server.on('connect', (req: Req, socket: net.Socket, head: Buffer) => {
        c.ev('connect', req.method, req.url, json(req.headers), (req as Req & { upgrade: boolean }).upgrade, latin1(head));
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        socket.on('data', (d: Buffer) => socket.write(`tunnel:${latin1(d)}`));
        socket.on('end', () => socket.end());
      });
      const conn = await c.connect(port);
      await conn.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nFIRST');
      await conn.until(() => conn.text.includes('\r\n\r\n'), 'the 200');
      await conn.write('NEXT');
      await conn.until(() => conn.text.endsWith('tunnel:NEXT'), 'the tunnel');
      conn.end();
      await conn.closedByServer();
      return { log: c.log, received: conn.text };
    },
    (r) => expect(r.log[0]).toMatch(/^connect CONNECT example\.com:443/),
  );

  both(
    "CONNECT without a 'connect' listener: the socket is closed, nothing sent",
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev('request', req.method, req.url);
        res.end('x');
      });
      const conn = await c.connect(port);
      await conn.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
      await conn.closedByServer();
      const other = await nodeRequest(port, { path: '/still' });
      return { log: c.log, received: conn.text, other: other.status };
    },
    (r) => expect(r.other).toBe(200),
  );
});

describe('closing', () => {
  /** One idle keep-alive connection, one fresh, one with half a head, one waiting for its response. */
  async function fourConnections(c: import('./support/sides.js').Ctx, options = {}) {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const { port, server } = await c.start({ keepAliveTimeout: 60_000, ...options }, (req, res) => {
      c.ev('request', req.url);
      req.on('close', () => c.ev('req close', req.url));
      res.on('close', () => c.ev('res close', req.url, res.writableFinished));
      if (req.url === '/slow') void released.then(() => !res.destroyed && res.end('slow'));
      else res.end('ok');
    });
    const idle = await c.connect(port);
    await idle.write('GET /idle HTTP/1.1\r\nHost: h\r\n\r\n');
    await idle.responses(1);
    const fresh = await c.connect(port);
    const partial = await c.connect(port);
    await partial.write('GET /partial HTTP/1.1\r\n');
    const busy = await c.connect(port);
    await busy.write('GET /slow HTTP/1.1\r\nHost: h\r\n\r\n');
    while (!c.log.includes('request /slow')) await sleep(5);
    return { port, server, idle, fresh, partial, busy, release };
  }

  both(
    'closeIdleConnections closes only the idle keep-alive connection',
    async (c) => {
      const { server, idle, fresh, partial, busy, release } = await fourConnections(c);
      server.closeIdleConnections();
      await idle.closedByServer();
      release();
      const [busyRes] = await busy.responses(1);
      const ask = async (conn: typeof fresh, bytes: string) => {
        if (conn.ended || conn.closed) return `closed by closeIdleConnections: ${JSON.stringify(conn.text)}`;
        await conn.write(bytes).catch(() => {});
        return conn.responses(1).then((r) => r[0].raw, () => `closed: ${JSON.stringify(conn.text)}`);
      };
      const freshRes = await ask(fresh, 'GET /fresh HTTP/1.1\r\nHost: h\r\n\r\n');
      const partialRes = await ask(partial, 'Host: h\r\n\r\n');
      return { log: c.log, idle: maskDate(idle.text), busy: busyRes.raw, fresh: freshRes, partial: partialRes };
    },
    (r) => expect(r.busy).toMatch(/slow$/),
  );

  both(
    'closeAllConnections destroys every connection, a request in flight included',
    async (c) => {
      const { server, idle, fresh, partial, busy } = await fourConnections(c);
      server.closeAllConnections();
      for (const conn of [idle, fresh, partial, busy]) await conn.closedByServer();
      await c.waitForLog('req close /slow');
      return {
        log: c.log,
        texts: [idle, fresh, partial, busy].map((x) => maskDate(x.text)),
        listening: server.listening,
      };
    },
    (r) => expect(r.log).toContain('res close /slow false'),
  );

  both(
    'server.close: idle connections go, the request in flight completes, then the callback',
    async (c) => {
      const { port, server, idle, fresh, partial, busy, release } = await fourConnections(c, { keepAliveTimeout: 200 });
      const closed = new Promise<void>((resolve) => server.close((err?: Error) => {
        c.ev('close callback', err?.message ?? null);
        resolve();
      }));
      server.on('close', () => c.ev('close event'));
      c.ev('listening after close()', server.listening);
      await idle.closedByServer();
      const refused = await new Promise<string>((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.on('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      });
      release();
      const [busyRes] = await busy.responses(1);
      await busy.closedByServer();
      fresh.sock.destroy();
      partial.sock.destroy();
      await closed;
      return { log: c.log, idle: maskDate(idle.text), busy: busyRes.raw, busyAll: maskDate(busy.text), refused };
    },
    (r) => expect(r.refused).toBe('ECONNREFUSED'),
  );
});

describe('the keep-alive timeout', () => {
  /** A server whose handler logs the socket's timeout; `finish` runs in each response's 'finish' (after the server's own). */
  async function pausing(c: import('./support/sides.js').Ctx, options: nodeHttp.ServerOptions, finish?: (req: Req, res: Res) => void) {
    const { port, server } = await c.start(options, (req, res) => {
      c.ev('request', req.url, req.socket.timeout ?? null);
      if (finish) res.on('finish', () => finish(req, res));
      res.end('ok');
    });
    server.on('connection', (socket: net.Socket) => {
      socket.on('timeout', () => c.ev('socket timeout', socket.timeout));
      socket.on('close', () => c.ev('socket close'));
    });
    return { port, server };
  }

  both(
    'an idle keep-alive connection closes after keepAliveTimeout + 1 s; socket.timeout shows it, and 0 again at the next request',
    async (c) => {
      const { port } = await pausing(c, { keepAliveTimeout: 50 }, (req) => setImmediate(() => c.ev('after finish', req.socket.timeout)));
      const conn = await c.connect(port);
      await conn.write('GET /1 HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(1);
      await c.waitForLog('after finish');
      await conn.write('GET /2 HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(2);
      await conn.closedByServer();
      await c.waitForLog('socket close');
      return { log: c.log, text: maskDate(conn.text) };
    },
    (r) => expect(r.log).toContain('socket timeout 1050'),
  );

  both(
    "a server 'timeout' listener keeps the connection, which still serves requests",
    async (c) => {
      const { port, server } = await pausing(c, { keepAliveTimeout: 50 });
      server.on('timeout', (socket: net.Socket) => c.ev('server timeout', socket.timeout, socket.destroyed));
      const conn = await c.connect(port);
      await conn.write('GET /1 HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(1);
      await c.waitForLog('server timeout 1050 false');
      await conn.write('GET /2 HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(2);
      return { log: [...c.log], text: maskDate(conn.text), open: !conn.closed }; // a copy: closing at clean-up logs more
    },
    (r) => expect(r.open).toBe(true),
  );

  both(
    "socket.setTimeout(0) after the response clears the keep-alive timeout; socket.setTimeout(n) replaces it",
    async (c) => {
      const { port } = await pausing(c, { keepAliveTimeout: 50 }, (req) => {
        if (req.url === '/keep') req.socket.setTimeout(0);
        if (req.url === '/short') req.socket.setTimeout(100);
      });
      const kept = await c.connect(port);
      await kept.write('GET /keep HTTP/1.1\r\nHost: h\r\n\r\n');
      await kept.responses(1);
      const short = await c.connect(port);
      await short.write('GET /short HTTP/1.1\r\nHost: h\r\n\r\n');
      await short.responses(1);
      await short.closedByServer();
      await sleep(1300); // past the keep-alive timeout the first connection no longer has
      await kept.write('GET /again HTTP/1.1\r\nHost: h\r\n\r\n');
      await kept.responses(2);
      return { log: [...c.log], kept: maskDate(kept.text), keptOpen: !kept.closed };
    },
    (r) => expect(r.log).toContain('socket timeout 100'),
  );

  both(
    "a socket timeout set in the handler is replaced by the keep-alive one after the response",
    async (c) => {
      const { port } = await c.start({ keepAliveTimeout: 50 }, (req, res) => {
        req.socket.setTimeout(60_000);
        res.on('finish', () => setImmediate(() => c.ev('after finish', req.socket.timeout)));
        res.end('ok');
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(1);
      await conn.closedByServer();
      return { log: c.log };
    },
    (r) => expect(r.log).toContain('after finish 1050'),
  );
});

describe('listening', () => {
  both(
    "listen forms: (port, host, cb), ({ port, host }), 'listening', address(), listening",
    async (c) => {
      const out: unknown[] = [];
      const a = c.server(null, (req, res) => res.end('a'));
      out.push(['before', a.listening, a.address()]);
      await new Promise<void>((resolve) => {
        a.on('listening', () => out.push(['listening event', a.listening]));
        const ret = a.listen(0, '127.0.0.1', () => {
          out.push(['callback', a.listening, (a.address() as net.AddressInfo).address, (a.address() as net.AddressInfo).family]);
          resolve();
        });
        out.push(['listen returns server', ret === a]);
      });
      const b = c.server(null, (req, res) => res.end('b'));
      await new Promise<void>((resolve) => b.listen({ port: 0, host: '127.0.0.1' }, resolve));
      const ra = await nodeRequest((a.address() as net.AddressInfo).port);
      const rb = await nodeRequest((b.address() as net.AddressInfo).port);
      return { out, a: ra.body, b: rb.body };
    },
    (r) => expect(r.b).toBe('b'),
  );

  both(
    'listening on a UNIX socket path',
    async (c) => {
      const path = join(tmpdir(), `wirehttp-${process.pid}-${randomBytes(4).toString('hex')}.sock`);
      c.defer(() => rmSync(path, { force: true }));
      const s = c.server(null, (req, res) => {
        c.ev('request', req.url, req.socket.remoteAddress ?? 'none');
        res.end('over unix');
      });
      await new Promise<void>((resolve) => s.listen(path, resolve));
      const addressIsPath = s.address() === path;
      const r = await nodeRequest(0, { socketPath: path, path: '/unix' });
      const raw = await new Promise<string>((resolve) => {
        const sock = net.connect(path);
        let d = '';
        sock.on('data', (x) => (d += latin1(x)));
        sock.on('close', () => resolve(d));
        sock.end('GET /raw HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
      });
      return { log: c.log, addressIsPath, r, raw: maskDate(raw) };
    },
    (r) => expect(r.r.body).toBe('over unix'),
  );

  both(
    "listening on another server's handle",
    async (c) => {
      const holder = net.createServer();
      await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
      const port = (holder.address() as net.AddressInfo).port;
      const s = c.server(null, (req, res) => res.end('via handle'));
      await new Promise<void>((resolve) => s.listen((holder as unknown as { _handle: object })._handle, resolve));
      const r = await nodeRequest(port);
      return { body: r.body, status: r.status };
    },
    (r) => expect(r.body).toBe('via handle'),
  );

  both(
    'EADDRINUSE and ERR_SERVER_ALREADY_LISTEN',
    async (c) => {
      const { port, server } = await c.start(null, (req, res) => res.end());
      const second = c.server(null, (req, res) => res.end());
      const inUse = await new Promise<unknown>((resolve) => {
        second.once('error', (e) => resolve(JSON.parse(JSON.stringify(errFields(e)).replaceAll(String(port), '<port>'))));
        second.listen(port, '127.0.0.1');
      });
      let again: unknown = 'no error';
      try {
        server.listen(0, '127.0.0.1');
      } catch (e) {
        again = errFields(e);
      }
      return { inUse, again };
    },
    (r) => expect((r.inUse as { code: string }).code).toBe('EADDRINUSE'),
  );
});

describe('construction', () => {
  const props = (s: nodeHttp.Server) =>
    json({
      timeout: s.timeout,
      keepAliveTimeout: s.keepAliveTimeout,
      headersTimeout: s.headersTimeout,
      requestTimeout: s.requestTimeout,
      maxHeadersCount: s.maxHeadersCount,
      maxRequestsPerSocket: s.maxRequestsPerSocket,
      maxHeaderSize: (s as unknown as Record<string, unknown>).maxHeaderSize ?? 'undefined',
      insecureHTTPParser: (s as unknown as Record<string, unknown>).insecureHTTPParser ?? 'undefined',
      requireHostHeader: (s as unknown as Record<string, unknown>).requireHostHeader,
      joinDuplicateHeaders: (s as unknown as Record<string, unknown>).joinDuplicateHeaders ?? 'undefined',
      rejectNonStandardBodyWrites: (s as unknown as Record<string, unknown>).rejectNonStandardBodyWrites,
      connectionsCheckingInterval: (s as unknown as Record<string, unknown>).connectionsCheckingInterval,
      httpAllowHalfOpen: (s as unknown as Record<string, unknown>).httpAllowHalfOpen,
      listening: s.listening,
      requestListeners: s.listenerCount('request'),
      isNetServer: s instanceof net.Server,
      methods: ['close', 'closeAllConnections', 'closeIdleConnections', 'setTimeout', 'listen', 'address'].map(
        (m) => typeof (s as unknown as Record<string, unknown>)[m],
      ),
    });

  both(
    'default property values and the ways to construct a server',
    async (c) => {
      const h = c.http;
      const handler = () => {};
      const S = h.Server as unknown as (...a: unknown[]) => nodeHttp.Server;
      const made = {
        createServer: h.createServer(),
        createServerHandler: h.createServer(handler),
        createServerNull: h.createServer(null as unknown as object, handler),
        newServer: new h.Server(),
        newServerHandler: new h.Server(handler),
        callServer: S({}, handler),
        withOptions: h.createServer({
          requestTimeout: 1000, keepAliveTimeout: 7, maxHeaderSize: 4096, insecureHTTPParser: false,
          requireHostHeader: false, joinDuplicateHeaders: true, connectionsCheckingInterval: 10, rejectNonStandardBodyWrites: true,
        }),
        requestTimeoutZero: h.createServer({ requestTimeout: 0 }),
        headersOnly: h.createServer({ headersTimeout: 10 }),
      };
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(made)) out[k] = { ...props(s), instance: s instanceof h.Server };
      return out;
    },
    (r) =>
      expect(r.createServer).toMatchObject({
        timeout: 0, keepAliveTimeout: 5000, headersTimeout: 60000, requestTimeout: 300000, maxHeadersCount: null, maxRequestsPerSocket: 0,
      }),
  );

  both(
    'option validation errors',
    async (c) => {
      const bad: [string, unknown][] = [
        ['requestTimeout string', { requestTimeout: 'x' }],
        ['requestTimeout negative', { requestTimeout: -1 }],
        ['headersTimeout float', { headersTimeout: 1.5 }],
        ['headersTimeout above requestTimeout', { headersTimeout: 1000, requestTimeout: 500 }],
        ['keepAliveTimeout string', { keepAliveTimeout: '1' }],
        ['connectionsCheckingInterval', { connectionsCheckingInterval: 'x' }],
        ['maxHeaderSize string', { maxHeaderSize: 'a' }],
        ['maxHeaderSize negative', { maxHeaderSize: -1 }],
        ['insecureHTTPParser number', { insecureHTTPParser: 1 }],
        ['requireHostHeader string', { requireHostHeader: 'y' }],
        ['joinDuplicateHeaders number', { joinDuplicateHeaders: 1 }],
        ['rejectNonStandardBodyWrites string', { rejectNonStandardBodyWrites: 'x' }],
        ['uniqueHeaders string', { uniqueHeaders: 'x' }],
        ['options a number', 5],
        ['options a string', 'x'],
      ];
      const out: Record<string, unknown> = {};
      for (const [name, options] of bad) {
        try {
          c.http.createServer(options as nodeHttp.ServerOptions);
          out[name] = 'no error';
        } catch (e) {
          out[name] = errFields(e);
        }
      }
      return out;
    },
    (r) => expect((r['requestTimeout string'] as { code: string }).code).toBe('ERR_INVALID_ARG_TYPE'),
  );

  both(
    'custom IncomingMessage and ServerResponse classes',
    async (c) => {
      class MyReq extends c.http.IncomingMessage {
        mine() {
          return `mine:${this.url}`;
        }
      }
      class MyRes extends c.http.ServerResponse<MyReq> {
        sendJson(v: unknown) {
          this.setHeader('Content-Type', 'application/json');
          this.end(JSON.stringify(v));
        }
      }
      const { port } = await c.start({ IncomingMessage: MyReq, ServerResponse: MyRes } as unknown as nodeHttp.ServerOptions, (req, res) => {
        const r = req as MyReq;
        (res as unknown as MyRes).sendJson({
          reqClass: r.constructor.name,
          resClass: res.constructor.name,
          isMyReq: req instanceof MyReq,
          isMyRes: res instanceof MyRes,
          isIncoming: req instanceof c.http.IncomingMessage,
          mine: r.mine(),
        });
      });
      const r = await nodeRequest(port, { path: '/custom' });
      return { body: JSON.parse(r.body), status: r.status };
    },
    (r) => expect(r.body.isMyReq && r.body.isMyRes).toBe(true),
  );
});

describe('the client goes away', () => {
  both(
    "mid-body: req 'aborted', 'error' (ECONNRESET), 'close'; res 'close' without 'finish'",
    async (c) => {
      let done!: () => void;
      const closed = new Promise<void>((r) => (done = r));
      const { port } = await c.start(null, (req, res) => {
        logLifecycle(c, req, res);
        req.on('close', done);
      });
      const conn = await c.connect(port);
      await conn.write('POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nfirst');
      while (!c.log.includes('data first')) await sleep(5);
      conn.sock.destroy();
      await closed;
      await sleep(20);
      return c.log;
    },
    (r) => expect(r).toContain('data first'),
  );

  both(
    "after the request, before the response: res 'close' without 'finish'; a later end() is harmless",
    async (c) => {
      let done!: () => void;
      const closed = new Promise<void>((r) => (done = r));
      const { port } = await c.start(null, (req, res) => {
        c.ev('request', req.url, req.complete);
        req.on('end', () => c.ev('req end'));
        req.on('aborted', () => c.ev('req aborted'));
        req.on('close', () => c.ev('req close'));
        res.on('finish', () => c.ev('res finish'));
        res.on('error', (e: NodeJS.ErrnoException) => c.ev('res error', e.code));
        res.on('close', () => {
          c.ev('res close', res.writableEnded);
          setTimeout(() => {
            const ret = res.end('too late');
            c.ev('late end returned', ret === res, res.writableEnded);
            setTimeout(done, 20);
          }, 10);
        });
        req.resume();
      });
      const conn = await c.connect(port);
      await conn.write('GET /wait HTTP/1.1\r\nHost: h\r\n\r\n');
      while (!c.log.some((l) => l.startsWith('request'))) await sleep(5);
      conn.sock.destroy();
      await closed;
      return c.log;
    },
    (r) => expect(r[0]).toBe('request /wait false'),
  );
});

describe('real clients', () => {
  const echo = (c: import('./support/sides.js').Ctx) =>
    c.start(null, (req: Req, res: Res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        c.ev(req.method, req.url, req.httpVersion, json(req.headers), body.length);
        if (req.url === '/chunked') {
          res.setHeader('Content-Type', 'text/plain');
          res.write('part one, ');
          setTimeout(() => {
            res.write('part two, ');
            res.end('the end');
          }, 5);
        } else {
          res.setHeader('X-Method', req.method!);
          res.end(`${req.method} ${req.url} ${body.length} ${latin1(body).slice(0, 20)}`);
        }
      });
    });

  const fetchResult = async (r: Response) => ({
    status: r.status,
    statusText: r.statusText,
    headers: [...r.headers.entries()].map(([k, v]) => [k, k === 'date' ? '<date>' : v]),
    body: await r.text(),
  });

  both(
    'fetch: GET, POST with a body, a chunked response',
    async (c) => {
      const { port } = await echo(c);
      const base = `http://127.0.0.1:${port}`;
      const get = await fetchResult(await fetch(`${base}/get?x=1`));
      const post = await fetchResult(await fetch(`${base}/post`, { method: 'POST', body: 'hello fetch', headers: { 'Content-Type': 'text/plain' } }));
      const stream = await fetchResult(
        await fetch(`${base}/stream`, {
          method: 'PUT',
          body: new ReadableStream({
            start(ctl) {
              ctl.enqueue(new TextEncoder().encode('streamed '));
              ctl.enqueue(new TextEncoder().encode('body'));
              ctl.close();
            },
          }),
          duplex: 'half',
        } as RequestInit),
      );
      const chunked = await fetchResult(await fetch(`${base}/chunked`));
      const log = c.log.map((l) => l.replace(/"user-agent":"[^"]*"/, '"user-agent":"<ua>"').replaceAll(String(port), '<port>'));
      return { get, post, stream, chunked, log };
    },
    (r) => expect(r.chunked.body).toBe('part one, part two, the end'),
  );

  both(
    'curl: GET -i, POST --data-binary, chunked --raw, HEAD, HTTP/1.0, Expect: 100-continue',
    async (c) => {
      const { port } = await echo(c);
      const base = `http://127.0.0.1:${port}`;
      const curl = async (...args: string[]) => {
        const r = await run('/usr/bin/curl', ['--silent', '--show-error', '-i', ...args]);
        return { code: r.code, stdout: maskDate(r.stdout), stderr: r.stderr };
      };
      return {
        get: await curl(`${base}/get`),
        post: await curl('--data-binary', 'hello curl', `${base}/post`),
        chunked: await curl('--raw', `${base}/chunked`),
        head: await curl('-I', `${base}/get`),
        http10: await curl('--http1.0', `${base}/old`),
        expect: await curl('-H', 'Expect: 100-continue', '--data-binary', 'x'.repeat(2000), `${base}/expect`),
        log: c.log.map((l) => l.replace(/"user-agent":"[^"]*"/, '"user-agent":"<ua>"').replaceAll(String(port), '<port>')),
      };
    },
    (r) => expect(r.get.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/),
  );

  both(
    'node:http client: GET, POST, chunked response with trailers',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        req.resume();
        req.on('end', () => {
          if (req.url === '/trailers') {
            res.setHeader('Trailer', 'X-Checksum');
            res.write('abc');
            res.addTrailers({ 'X-Checksum': 'c0ffee' });
            res.end();
          } else res.end(`${req.method} ${req.headers['content-length'] ?? '-'} ${req.headers['transfer-encoding'] ?? '-'}`);
        });
      });
      return {
        get: await nodeRequest(port, { path: '/' }),
        post: await nodeRequest(port, { path: '/p', method: 'POST', body: 'data' }),
        trailers: await nodeRequest(port, { path: '/trailers' }),
      };
    },
    (r) => expect(r.trailers.trailers).toEqual({ 'x-checksum': 'c0ffee' }),
  );
});

describe('packaging', () => {
  const script = `
    const id = process.argv[1];
    const h = require(id);
    const names = ['createServer', 'Server', 'IncomingMessage', 'ServerResponse', 'OutgoingMessage', 'METHODS', 'STATUS_CODES', 'validateHeaderName', 'validateHeaderValue', 'maxHeaderSize'];
    const s = h.createServer((req, res) => res.end(req.method + ' ' + req.url));
    s.listen(0, '127.0.0.1', () => {
      require('node:http').get({ host: '127.0.0.1', port: s.address().port, path: '/cjs', agent: false }, (r) => {
        let b = '';
        r.on('data', (d) => (b += d));
        r.on('end', () => {
          console.log(JSON.stringify({ status: r.statusCode, body: b, types: names.map((n) => typeof h[n]), isServer: s instanceof h.Server }));
          s.close();
        });
      });
    });`;

  both(
    "require() of the CommonJS build in a child process (node -e, cwd = the package)",
    async (c) => {
      const r = await run(process.execPath, ['-e', script, moduleIdOf(c.side)]);
      return { code: r.code, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
    },
    (r) => expect(JSON.parse(r.stdout).body).toBe('GET /cjs'),
  );

  both(
    'import() of the ESM build in a child process',
    async (c) => {
      const code = `
        const m = await import(process.argv[1]);
        const s = m.createServer((req, res) => res.end('esm ' + req.url));
        s.listen(0, '127.0.0.1', async () => {
          const r = await fetch('http://127.0.0.1:' + s.address().port + '/x');
          console.log(JSON.stringify({ status: r.status, body: await r.text(), defaultSame: m.default.createServer === m.createServer }));
          s.close();
        });`;
      const r = await run(process.execPath, ['--input-type=module', '-e', code, moduleIdOf(c.side)]);
      return { code: r.code, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
    },
    (r) => expect(JSON.parse(r.stdout).body).toBe('esm /x'),
  );

  both(
    'process flags: --max-http-header-size and --insecure-http-parser',
    async (c) => {
      const code = `
        const h = require(process.argv[1]);
        const net = require('node:net');
        const s = h.createServer((req, res) => res.end('ok ' + JSON.stringify(req.headers)));
        const ask = (port, data) => new Promise((resolve) => {
          const c = net.connect(port, '127.0.0.1');
          let d = '';
          c.on('data', (x) => (d += x.toString('latin1')));
          c.on('close', () => resolve(d.replace(/Date: [^\\r]+/, 'Date: <date>')));
          c.end(data);
        });
        s.listen(0, '127.0.0.1', async () => {
          const port = s.address().port;
          const out = {
            maxHeaderSize: h.maxHeaderSize,
            big: await ask(port, 'GET / HTTP/1.1\\r\\nHost: h\\r\\nConnection: close\\r\\nX: ' + 'a'.repeat(1500) + '\\r\\n\\r\\n'),
            fold: await ask(port, 'GET / HTTP/1.1\\r\\nHost: h\\r\\nConnection: close\\r\\nX: a\\r\\n b\\r\\n\\r\\n'),
          };
          console.log(JSON.stringify(out));
          s.close();
        });`;
      const r = await run(process.execPath, ['--max-http-header-size=1024', '--insecure-http-parser', '-e', code, moduleIdOf(c.side)]);
      return { code: r.code, stdout: r.stdout.trim(), stderr: r.stderr.replace(/\(node:\d+\)/g, '(node:<pid>)').trim() };
    },
    (r) => expect(JSON.parse(r.stdout).maxHeaderSize).toBe(1024),
  );

  both(
    'cluster: two workers share one port; every response is 200',
    async (c) => {
      const r = await run(process.execPath, [`${ROOT}test/support/cluster-worker.cjs`, moduleIdOf(c.side)], { timeout: 30_000 });
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1) || '{}');
      return {
        code: r.code,
        statuses: out.statuses,
        count: out.count,
        samePort: out.samePort,
        somePid: Array.isArray(out.pids) && out.pids.length >= 1,
        pidsAreWorkers: out.pidsAreWorkers,
        error: out.error ?? null,
      };
    },
    (r) => expect(r).toEqual({ code: 0, statuses: [200], count: 20, samePort: true, somePid: true, pidsAreWorkers: true, error: null }),
    { timeout: 30_000 },
  );
});

it('runs against both sides', () => {
  // The final suite always compares both; WIREHTTP_SIDES exists only to develop scenarios.
  if (!process.env.WIREHTTP_SIDES) expect(sides.map(([n]) => n)).toEqual(['node:http', 'wirehttp/node']);
});

describe('diagnostics channels', () => {
  both(
    "'http.server.request.start' and 'http.server.response.finish' carry the request, response, socket and server",
    async (c) => {
      const seen: { req?: Req; res?: Res } = {};
      const { server, port } = await c.start(null, (req, res) => {
        seen.req = req;
        seen.res = res;
        c.ev('request', req.url);
        res.end('ok');
      });
      const onMessage = (channel: string) => (message: unknown) => {
        const m = message as { request: Req; response: Res; socket: net.Socket; server: unknown };
        c.ev(channel, m.request.url, m.response.req === m.request, m.socket === m.request.socket, m.server === server);
      };
      for (const name of ['http.server.request.start', 'http.server.response.finish']) {
        const listener = onMessage(name);
        diagnostics.subscribe(name, listener);
        c.defer(() => diagnostics.unsubscribe(name, listener));
      }
      const conn = await c.connect(port);
      await conn.write('GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(2);
      await c.waitForLog('http.server.response.finish /b');
      return c.log;
    },
    (log) => expect(log).toContain('http.server.response.finish /b true true true'),
  );

  // The server's own listeners: a response's 'finish' one and the request's 'end' one (Node's
  // clearIncoming), whoever looks, and whether 'newListener' listeners see them added.
  both(
    "the server's 'finish' and 'end' listeners: counts, order, and 'newListener'",
    async (c) => {
      const counts = (label: string, req: Req, res: Res) =>
        c.ev(label, req.url, req.listenerCount('end'), res.listenerCount('finish'), req.listeners('end').length, typeof res.listeners('finish')[0]);
      const { port } = await c.start(null, (req, res) => {
        counts('handler', req, res);
        if (req.url === '/own-end') req.on('end', () => c.ev('own end', req.url));
        if (req.url === '/own-finish-first') res.on('finish', () => c.ev('own finish', req.url));
        res.on('close', () => {
          counts('close', req, res);
          setImmediate(() => counts('later', req, res));
        });
        res.end('ok');
      });
      const start = (message: unknown) => {
        const { request, response } = message as { request: Req; response: Res };
        if (request.url === '/new-listener') {
          request.on('newListener', (event) => c.ev('request newListener', String(event)));
          response.on('newListener', (event) => c.ev('response newListener', String(event)));
        }
        if (request.url === '/finish-before') response.on('finish', () => c.ev('subscriber finish', request.url));
      };
      diagnostics.subscribe('http.server.request.start', start);
      c.defer(() => diagnostics.unsubscribe('http.server.request.start', start));
      for (const url of ['/plain', '/own-end', '/own-finish-first', '/new-listener', '/finish-before']) {
        const conn = await c.connect(port);
        await conn.write(`GET ${url} HTTP/1.1\r\nHost: h\r\n\r\n`);
        await conn.responses(1);
        await c.waitForLog(`later ${url}`);
        conn.sock.destroy();
      }
      return c.log;
    },
    (log) => {
      expect(log).toContain('response newListener finish');
      expect(log).toContain('request newListener end');
    },
  );
});
