// wirehttp/node against node:http, side by side, on behaviours Node's own test suite
// (test/parallel/test-http-*.js) checks: a clientError listener that does not destroy, a request
// paused in its 'data' handler, a ServerResponse written to a plain Writable, a 'data' listener
// on req.socket, and the module's assignable properties.
import { createRequire } from 'node:module';
import net from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect } from 'vitest';
import { both, type Ctx, latin1, maskDate, WIRE_CJS } from './support/sides.js';

describe('a clientError listener that only logs', () => {
  // The socket is left to the server: when the client half-closes, node:http ends it too.
  const SINGLE = 'GET / HTTP/1.1\r\nDummy: Header\rContent-Length: 1\r\n\r\n';

  async function clientErrorThenEnd(c: Ctx, clients: number) {
    const { server, port } = await c.start({}, (req, res) => res.end('never'));
    const codes = new Map<string, number>();
    server.on('clientError', (err: NodeJS.ErrnoException) => codes.set(err.code!, (codes.get(err.code!) ?? 0) + 1));
    const sockets = await Promise.all(
      Array.from({ length: clients }, async () => {
        const socket = net.connect(port, '127.0.0.1');
        const seen = { ended: false, closed: false, received: '' };
        socket.on('data', (d) => (seen.received += latin1(d)));
        socket.on('end', () => (seen.ended = true));
        socket.on('close', () => (seen.closed = true));
        socket.on('error', () => {});
        c.defer(() => socket.destroy());
        await new Promise((resolve) => socket.once('connect', resolve));
        socket.end(SINGLE);
        return seen;
      }),
    );
    // Bounded wait: a hang shows as clients that never saw 'end' and connections still open.
    await c.waitFor(() => sockets.every((s) => s.closed), 3000);
    const open = await new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n)));
    return {
      clientErrors: Object.fromEntries(codes),
      clientsEnded: sockets.filter((s) => s.ended).length,
      clientsClosed: sockets.filter((s) => s.closed).length,
      received: [...new Set(sockets.map((s) => maskDate(s.received)))],
      serverConnectionsOpen: open,
    };
  }

  both('one malformed request, then end(): the server ends the connection', (c) => clientErrorThenEnd(c, 1), (r) =>
    expect(r).toMatchObject({ clientsEnded: 1, clientsClosed: 1, serverConnectionsOpen: 0, received: [''] }),
  );

  both('300 of them at once: every connection ends, none is left open', (c) => clientErrorThenEnd(c, 300), (r) =>
    expect(r).toMatchObject({ clientsEnded: 300, clientsClosed: 300, serverConnectionsOpen: 0 }),
  );
});

describe('requests and responses as Node builds them', () => {
  both('a request paused in its data handler is not dumped when its response finishes', async (c) => {
    const { port } = await c.start({}, (req, res) => {
      req.once('data', (chunk: Buffer) => {
        c.ev('data', chunk.length > 0);
        req.pause();
        res.writeHead(200);
        res.end();
        res.on('finish', () => c.ev('finish', 'dumped', (req as unknown as { _dumped: boolean })._dumped, 'paused', req.isPaused()));
      });
    });
    const status = await new Promise<number>((resolve, reject) => {
      const client = net.connect(port, '127.0.0.1', () =>
        client.end(Buffer.concat([Buffer.from('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1024\r\nConnection: close\r\n\r\n'), Buffer.alloc(1024, 'x')])),
      );
      let text = '';
      client.on('data', (d) => (text += latin1(d)));
      client.on('error', reject);
      client.on('close', () => resolve(Number(text.slice(9, 12))));
    });
    await c.waitForLog('finish');
    return { status, log: c.log };
  }, (r) => expect(r.log).toEqual(['data true', 'finish dumped false paused true']));
});

describe('a ServerResponse made by hand, on a plain Writable', () => {
  /** Every write() the Writable receives, as text (Date masked), and the response's events. */
  async function onWritable(c: Ctx, respond: (res: import('node:http').ServerResponse) => void) {
    const writes: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        writes.push(maskDate(latin1(chunk)));
        setImmediate(callback);
      },
    });
    const req = Object.assign(new c.http.IncomingMessage(new net.Socket()), { method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1 });
    const res = new c.http.ServerResponse(req);
    res.on('finish', () => c.ev('finish'));
    res.assignSocket(sink as unknown as net.Socket);
    let assignedTwice: unknown;
    try {
      res.assignSocket(sink as unknown as net.Socket);
    } catch (e) {
      assignedTwice = (e as NodeJS.ErrnoException).code;
    }
    respond(res);
    await c.waitForLog('finish');
    return { writes, assignedTwice, log: c.log };
  }

  both("end('hello world'): Node's two writes (head and body, then an empty one)", (c) => onWritable(c, (res) => res.end('hello world')), (r) => {
    expect(r.writes).toHaveLength(2);
    expect(r.writes[0]).toMatch(/hello world$/);
    expect(r.assignedTwice).toBe('ERR_HTTP_SOCKET_ASSIGNED');
  });

  both('chunked write() of strings, then end()', (c) =>
    onWritable(c, (res) => {
      res.write('one');
      res.write('two');
      res.end();
    }),
  (r) => expect(r.writes.join('')).toMatch(/3\r\none\r\n3\r\ntwo\r\n0\r\n\r\n$/));

  both('end(Buffer) with a Content-Length', (c) =>
    onWritable(c, (res) => {
      res.setHeader('Content-Length', 5);
      res.end(Buffer.from('hello'));
    }),
  (r) => expect(r.writes.join('')).toMatch(/Content-Length: 5\r\n[^]*\r\n\r\nhello$/));
});

describe('the module object, as node:http lets you change it', () => {
  const require = createRequire(import.meta.url);
  /** The module as import's default export and as require() gives it: one object on both sides. */
  const moduleOf = (c: Ctx) => {
    const imported = (c.http as unknown as { default: Record<string, any> }).default;
    const required = require(c.side === 'wirehttp/node' ? WIRE_CJS : 'node:http') as Record<string, any>;
    return { imported, required };
  };

  both('the same keys, each a data property, a getter or a getter and setter as in node:http', async (c) => {
    const { imported, required } = moduleOf(c);
    const shape = Object.keys(imported)
      .sort()
      .map((key) => {
        const d = Object.getOwnPropertyDescriptor(imported, key)!;
        return [key, d.get ? 'get' : 'value', d.set ? 'set' : '', d.writable ?? '', d.enumerable, d.configurable].join(' ');
      });
    return { importIsRequire: imported === required, shape };
  }, (r) => expect(r.importIsRequire).toBe(true));

  both('every writable property can be assigned (and read back), on the default export and the CommonJS module', async (c) => {
    const { imported, required } = moduleOf(c);
    const assigned: Record<string, unknown> = {};
    for (const key of Object.keys(imported)) {
      const d = Object.getOwnPropertyDescriptor(imported, key)!;
      if (!d.writable && !d.set) continue;
      const before = imported[key];
      const sentinel = key === 'globalAgent' ? new imported.Agent() : { replaced: key };
      imported[key] = sentinel;
      const seenByRequire = required[key] === sentinel;
      imported[key] = before;
      assigned[key] = seenByRequire && imported[key] === before;
    }
    let maxHeaderSize: string;
    try {
      imported.maxHeaderSize = 1;
      maxHeaderSize = `assigned ${imported.maxHeaderSize}`;
    } catch (e) {
      maxHeaderSize = `${(e as Error).name}: ${(e as Error).message}`;
    }
    return { assigned, maxHeaderSize };
  }, (r) => expect(Object.values(r.assigned)).not.toContain(false));

  both('http.globalAgent = agent: request() and get() without an agent use it', async (c) => {
    const { imported } = moduleOf(c);
    const { port } = await c.start({}, (req, res) => res.end(req.url));
    const agent = new imported.Agent({ keepAlive: false });
    const previous = imported.globalAgent;
    imported.globalAgent = agent;
    c.defer(() => {
      imported.globalAgent = previous;
      agent.destroy();
    });
    const got = await new Promise<[boolean, string]>((resolve, reject) => {
      const request = imported.get({ host: '127.0.0.1', port, path: '/via-agent' }, (res: import('node:http').IncomingMessage) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve([request.agent === agent, body]));
      });
      request.on('error', reject);
    });
    return { readBack: imported.globalAgent === agent, usedByGet: got[0], body: got[1] };
  }, (r) => expect(r).toEqual({ readBack: true, usedByGet: true, body: '/via-agent' }));
});

describe("a 'data' listener on req.socket", () => {
  both('added in a handler, it gets the bytes of what the client sends next', async (c) => {
    const { port } = await c.start({}, (req, res) => {
      c.ev('request', req.url);
      if (req.url === '/first') req.socket.on('data', (d: Buffer) => c.ev('socket data', latin1(d)));
      let body = '';
      req.on('data', (d: Buffer) => (body += latin1(d)));
      req.on('end', () => res.end(`${req.url} ${body}`));
    });
    const conn = await c.connect(port);
    await conn.write('GET /first HTTP/1.1\r\nHost: h\r\n\r\n');
    await conn.responses(1);
    await conn.write('POST /second HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello');
    await conn.responses(2);
    await conn.write('GET /third HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
    await conn.closedByServer();
    return { log: c.log, received: maskDate(conn.text) };
  }, (r) => expect(r.log).toEqual([
    // The parser's own 'data' listener came first, so each request is seen before its bytes.
    'request /first',
    'request /second',
    'socket data POST /second HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello',
    'request /third',
    'socket data GET /third HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n',
  ]));
});
