// wirehttp/node against node:http, side by side: malformed input and clientError — the status
// sent, the error handed to a clientError listener, the connection closed, and other connections
// still served.
import net from 'node:net';
import { describe, expect } from 'vitest';
import { both, bytes, type Ctx, type Deliberate, differs, latin1, logLifecycle, maskDate, sleep, within } from './support/sides.js';

/** What a malformed-input scenario observes without a clientError listener. */
interface Malformed {
  log: string[];
  received: string;
  closed: boolean;
  other: number;
  after: number;
}

/** What it observes with a clientError listener that answers '400 Custom'. */
interface Caught {
  log: string[];
  received: string;
  other: number;
  /** After the server read from another connection, rawPacket still holds the error's own bytes. */
  rawPacketKept: boolean | 'no rawPacket';
}

interface Case {
  name: string;
  input: string;
  /** Node's bytesParsed is plainly the offset of the offending byte: compare it. */
  offset?: boolean;
  /** The input is small enough to arrive in one read: compare rawPacket exactly. */
  exact?: boolean;
  options?: import('node:http').ServerOptions;
  /** Where the sides deliberately differ (README.md): each side's expectations, per describe block. */
  deliberate?: { malformed?: Deliberate<Malformed>; clientError?: Deliberate<Caught> };
}

const big = (n: number) => 'a'.repeat(n);

const STRICTER = "The parser's stricter rules";
const ONE_PARSE = 'One parse per read.';
// What the bad connection receives (Date masked).
const OK_KEEP_ALIVE = 'HTTP/1.1 200 OK\r\nDate: <date>\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 2\r\n\r\nok';
const OK_CLOSE = 'HTTP/1.1 200 OK\r\nDate: <date>\r\nConnection: close\r\n\r\nok';
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';
const CUSTOM_400 = 'HTTP/1.1 400 Custom\r\nConnection: close\r\n\r\n';

/** The described clientError in a log, if any. */
const clientErrorOf = (r: Caught): Record<string, unknown> | undefined => {
  const line = r.log.find((l) => l.startsWith('clientError '));
  return line && JSON.parse(line.slice('clientError '.length));
};

/** No clientError listener: the handler's log (the bad request's line, if it got one) and the bytes received. */
const served = (request: string | null, received: string) => (r: Malformed) => {
  expect(r.log).toEqual([...(request ? [request] : []), 'request GET /bystander', 'request GET /after']);
  expect(r.received).toBe(received);
};

/** With a clientError listener: the log (a clientError shown by its code alone) and the bytes received. */
const caught = (log: string[], received: string) => (r: Caught) => {
  expect(r.log.map((l) => (l.startsWith('clientError ') ? `clientError ${clientErrorOf(r)?.code}` : l))).toEqual(log);
  expect(r.received).toBe(received);
};

const CASES: Case[] = [
  { name: 'TLS ClientHello bytes', input: '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03', offset: true, exact: true },
  { name: 'unknown method', input: 'FOO / HTTP/1.1\r\nHost: h\r\n\r\n', exact: true },
  { name: 'lower-case method', input: 'get / HTTP/1.1\r\nHost: h\r\n\r\n', exact: true },
  { name: 'space in a header name', input: 'GET / HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n', offset: true, exact: true },
  { name: 'space before the colon', input: 'GET / HTTP/1.1\r\nHost : h\r\n\r\n', offset: true, exact: true },
  { name: 'CTL in a header value', input: 'GET / HTTP/1.1\r\nHost: h\r\nX: a\x01b\r\n\r\n', offset: true, exact: true },
  { name: 'NUL in the target', input: 'GET /\0 HTTP/1.1\r\nHost: h\r\n\r\n', offset: true, exact: true },
  { name: 'space in the target', input: 'GET /a b HTTP/1.1\r\nHost: h\r\n\r\n', exact: true },
  { name: 'obs-fold', input: 'GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n', exact: true },
  { name: 'bare CR in the head', input: 'GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n', exact: true },
  { name: 'bare LF line ends', input: 'GET / HTTP/1.1\nHost: h\n\n', exact: true },
  { name: 'HTTP/1.2', input: 'GET / HTTP/1.2\r\nHost: h\r\n\r\n', exact: true },
  { name: 'smuggling: Content-Length then Transfer-Encoding', input: 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', exact: true },
  { name: 'smuggling: Transfer-Encoding then Content-Length', input: 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n', exact: true },
  { name: 'two Content-Length fields', input: 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx', exact: true },
  { name: 'Content-Length not a number', input: 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n', offset: true, exact: true },
  { name: 'Content-Length negative', input: 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n', offset: true, exact: true },
  {
    name: 'Transfer-Encoding gzip on a request',
    input: 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n',
    exact: true,
    // Node lets the handler answer, then finds the framing bad; we answer 400 before any 'request'.
    deliberate: {
      malformed: { readme: STRICTER, node: served('request POST /', OK_KEEP_ALIVE), wirehttp: served(null, BAD_REQUEST) },
      clientError: {
        readme: STRICTER,
        node: caught(['request POST /', 'clientError HPE_INVALID_TRANSFER_ENCODING', 'request GET /bystander'], OK_KEEP_ALIVE + CUSTOM_400),
        wirehttp: caught(['clientError HPE_INVALID_TRANSFER_ENCODING', 'request GET /bystander'], CUSTOM_400),
        same: clientErrorOf,
      },
    },
  },
  { name: 'bad chunk size', input: 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', exact: true },
  {
    name: 'chunk data not followed by CRLF',
    input: 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n0\r\n\r\n',
    exact: true,
    // The request is answered at once, in the same read as the bad chunk: Node writes its 400 after
    // the response, we close without one.
    deliberate: {
      malformed: { readme: ONE_PARSE, node: served('request POST /', OK_KEEP_ALIVE + BAD_REQUEST), wirehttp: served('request POST /', OK_KEEP_ALIVE) },
    },
  },
  { name: 'oversize head (default maxHeaderSize) -> 431', input: `GET / HTTP/1.1\r\nHost: h\r\nX: ${big(20000)}\r\n\r\n` },
  { name: 'oversize head (maxHeaderSize: 1024) -> 431', input: `GET / HTTP/1.1\r\nHost: h\r\nX: ${big(3000)}\r\n\r\n`, options: { maxHeaderSize: 1024 } },
  { name: 'many headers over maxHeaderSize -> 431', input: `GET / HTTP/1.1\r\nHost: h\r\n${Array.from({ length: 1000 }, (_, i) => `X-${i}: ${big(20)}\r\n`).join('')}\r\n` },
  { name: 'chunk extensions over 16 KiB -> 413', input: `POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;${big(20000)}\r\n` },
  {
    name: 'HTTP/2 connection preface (PRI)',
    input: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
    exact: true,
    // A 400 on both sides; only the code differs.
    deliberate: {
      clientError: {
        readme: STRICTER,
        node: caught(['clientError HPE_PAUSED_H2_UPGRADE', 'request GET /bystander'], CUSTOM_400),
        wirehttp: caught(['clientError HPE_INVALID_METHOD', 'request GET /bystander'], CUSTOM_400),
        same: (r) => ({ ...clientErrorOf(r), code: 'differs' }),
      },
    },
  },
  {
    name: 'HTTP/0.9 style request line',
    input: 'GET /\r\n\r\n',
    exact: true,
    // Node serves it, with no clientError, and closes; we refuse it with a 400.
    deliberate: {
      malformed: { readme: STRICTER, node: served('request GET /', OK_CLOSE), wirehttp: served(null, BAD_REQUEST) },
      clientError: {
        readme: STRICTER,
        node: caught(['request GET /', 'request GET /bystander'], OK_CLOSE),
        wirehttp: caught(['clientError HPE_INVALID_URL', 'request GET /bystander'], CUSTOM_400),
      },
    },
  },
];

/** A server whose handler answers 'ok' (or waits for the whole body first). */
async function serve(c: Ctx, options: import('node:http').ServerOptions = {}) {
  return c.start(options, (req, res) => {
    c.ev('request', req.method, req.url);
    req.on('error', (e: NodeJS.ErrnoException) => c.ev('req error', e.code));
    req.on('aborted', () => c.ev('req aborted'));
    req.resume();
    res.end('ok');
  });
}

/**
 * A POST whose body stops after 3 of its 10 bytes, to a server that logs what becomes of the
 * request and its response; with `fin` the client then half-closes. Waits for the server to close
 * the connection and for the request's 'close'.
 */
async function bodyCutShort(c: Ctx, options: import('node:http').ServerOptions, { fin = false } = {}) {
  const { port } = await c.start(options, (req, res) => logLifecycle(c, req, res));
  const conn = await c.connect(port);
  await conn.write('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc');
  if (fin) {
    await sleep(20);
    conn.end();
  }
  await conn.closedByServer();
  await c.waitForLog('req close');
  return { log: c.log, received: maskDate(conn.text) };
}

/** Another connection, its head half sent before the bad input arrives; finished afterwards. */
async function bystander(c: Ctx, port: number) {
  const other = await c.connect(port);
  await other.write('GET /bystander HTTP/1.1\r\nHost: h\r\n');
  return async () => {
    await other.write('\r\n');
    const [r] = await other.responses(1);
    return r.status;
  };
}

function describeClientError(err: NodeJS.ErrnoException & Record<string, unknown>, socket: net.Socket, kase: Case) {
  const raw = err.rawPacket as Buffer | undefined;
  return {
    code: err.code,
    name: err.name,
    isError: err instanceof Error,
    messageIsParseError: typeof err.message === 'string' && err.message.startsWith('Parse Error: '),
    reasonType: typeof err.reason,
    bytesParsedType: typeof err.bytesParsed,
    // Node's message is 'Parse Error: ' + llhttp's reason, and bytesParsed where llhttp stopped.
    ...((kase.offset || kase.exact) && !kase.deliberate ? { message: err.message, reason: err.reason, bytesParsed: err.bytesParsed } : kase.offset ? { bytesParsed: err.bytesParsed } : {}),
    rawPacketType: raw === undefined ? 'undefined' : Buffer.isBuffer(raw) ? 'Buffer' : typeof raw,
    ...(kase.exact
      ? { rawPacket: raw && latin1(raw) }
      : { rawPacketIsPartOfInput: !!raw && raw.length > 0 && kase.input.includes(latin1(raw)) }),
    socketIsNetSocket: socket instanceof net.Socket,
    socketWritable: socket.writable,
    socketDestroyed: socket.destroyed,
  };
}

/**
 * both(), or differs() where the case is a deliberate difference: `sanity` then holds on each
 * side, and `same` of the results (what the block expects equal whatever the case) is equal.
 */
function bothOrDiffers<T>(name: string, scenario: (c: Ctx) => Promise<T>, sanity: (r: T) => void, same: (r: T) => unknown, deliberate?: Deliberate<T>) {
  if (!deliberate) return both(name, scenario, sanity);
  differs(name, scenario, { ...deliberate, each: sanity, same: (r) => [same(r), deliberate.same?.(r)] });
}

describe('malformed requests, no clientError listener', () => {
  for (const kase of CASES) {
    bothOrDiffers<Malformed>(
      `malformed: ${kase.name} — status sent, connection closed, others served`,
      async (c) => {
        const { port } = await serve(c, kase.options);
        const finishOther = await bystander(c, port);
        const bad = await c.connect(port);
        await bad.write(bytes(kase.input));
        await bad.closedByServer();
        const other = await finishOther();
        const after = await c.connect(port);
        await after.write('GET /after HTTP/1.1\r\nHost: h\r\n\r\n');
        const [afterRes] = await after.responses(1);
        return { log: c.log, received: maskDate(bad.text), closed: bad.closed, other, after: afterRes.status };
      },
      (r) => {
        expect(r.other).toBe(200);
        expect(r.after).toBe(200);
      },
      (r) => ({ closed: r.closed, other: r.other, after: r.after }),
      kase.deliberate?.malformed,
    );
  }
});

describe('malformed requests, with a clientError listener', () => {
  for (const kase of CASES) {
    bothOrDiffers<Caught>(
      `clientError: ${kase.name} — the error's code, bytesParsed, rawPacket`,
      async (c) => {
        const { port, server } = await serve(c, kase.options);
        let held: { raw: Buffer; text: string } | undefined;
        server.on('clientError', (err: NodeJS.ErrnoException & Record<string, unknown>, socket: net.Socket) => {
          c.ev('clientError', describeClientError(err, socket, kase));
          if (Buffer.isBuffer(err.rawPacket)) held = { raw: err.rawPacket, text: latin1(err.rawPacket) };
          socket.end('HTTP/1.1 400 Custom\r\nConnection: close\r\n\r\n');
        });
        const finishOther = await bystander(c, port);
        const bad = await c.connect(port);
        await bad.write(bytes(kase.input));
        await bad.closedByServer();
        const other = await finishOther();
        // The server has read from another connection since: rawPacket must be the error's own bytes still.
        const rawPacketKept = held ? latin1(held.raw) === held.text : ('no rawPacket' as const);
        return { log: c.log, received: maskDate(bad.text), other, rawPacketKept };
      },
      (r) => {
        expect(r.other).toBe(200);
        expect(r.rawPacketKept).not.toBe(false);
      },
      (r) => r.other,
      kase.deliberate?.clientError,
    );
  }
});

describe('errors around valid requests', () => {
  both(
    'garbage after a served keep-alive request: 200, then 400, then close',
    async (c) => {
      const { port } = await serve(c);
      const conn = await c.connect(port);
      await conn.write('GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(1);
      await conn.write('XYZ / HTTP/1.1\r\n\r\n');
      await conn.closedByServer();
      return { log: c.log, received: maskDate(conn.text) };
    },
    (r) => expect(r.received).toMatch(/okHTTP\/1\.1 400 Bad Request\r\nConnection: close\r\n\r\n$/),
  );

  both(
    'garbage pipelined behind a request whose response is still pending',
    async (c) => {
      const { port, server } = await c.start(null, (req, res) => {
        logLifecycle(c, req, res);
        res.on('error', (e: NodeJS.ErrnoException) => c.ev('res error', e.code));
        setTimeout(() => {
          try {
            res.end('late');
            c.ev('late end ok');
          } catch (e) {
            c.ev('late end threw', (e as NodeJS.ErrnoException).code);
          }
        }, 30);
      });
      server.on('clientError', (err: NodeJS.ErrnoException, socket: net.Socket) => {
        c.ev('clientError', err.code, socket.writable);
        socket.destroy();
      });
      const conn = await c.connect(port);
      await conn.write('GET /slow HTTP/1.1\r\nHost: h\r\n\r\nBAD\r\n\r\n');
      await conn.closedByServer();
      await c.waitFor(() => c.log.some((l) => l.startsWith('late end')));
      return { log: c.log, received: maskDate(conn.text) };
    },
    (r) => expect(r.log).toContain('clientError HPE_INVALID_METHOD true'),
  );

  both(
    'garbage behind a pending response, no listener',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev('request', req.url);
        req.on('close', () => c.ev('req close'));
        res.on('close', () => c.ev('res close'));
        setTimeout(() => {
          res.end('late');
          c.ev('late end');
        }, 30);
      });
      const conn = await c.connect(port);
      await conn.write('GET /slow HTTP/1.1\r\nHost: h\r\n\r\nBAD\r\n\r\n');
      await conn.closedByServer();
      await c.waitForLog('late end');
      return { log: c.log, received: maskDate(conn.text) };
    },
    (r) => expect(r.log[0]).toBe('request /slow'),
  );

  both(
    'FIN in the middle of a head: HPE_INVALID_EOF_STATE',
    async (c) => {
      const { port, server } = await serve(c);
      server.on('clientError', (err: NodeJS.ErrnoException & Record<string, unknown>, socket: net.Socket) => {
        c.ev('clientError', {
          code: err.code,
          bytesParsedType: typeof err.bytesParsed,
          rawPacket: err.rawPacket === undefined ? 'undefined' : latin1(err.rawPacket as Buffer),
          writable: socket.writable,
        });
        socket.end('HTTP/1.1 400 Eof\r\n\r\n');
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\nX-Partial: y');
      conn.end();
      await conn.closedByServer();
      return { log: c.log, received: maskDate(conn.text) };
    },
    (r) => expect(r.log[0]).toMatch(/clientError/),
  );

  both(
    'FIN in the middle of a body, no listener: the request is aborted',
    (c) => bodyCutShort(c, {}, { fin: true }),
    (r) => expect(r.log).toContain('data abc'),
  );

  both(
    'a client reset mid-request reaches clientError as ECONNRESET',
    async (c) => {
      const { port, server } = await c.start(null, (req, res) => logLifecycle(c, req, res));
      const gotError = new Promise<void>((resolve) => {
        server.on('clientError', (err: NodeJS.ErrnoException, socket: net.Socket) => {
          c.ev('clientError', err.code, err.message, socket.destroyed);
          socket.destroy();
          resolve();
        });
      });
      const conn = await c.connect(port);
      await conn.write('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nab');
      await new Promise((r) => setTimeout(r, 30));
      conn.sock.resetAndDestroy();
      await gotError;
      await c.waitForLog('req close');
      return { log: c.log };
    },
    (r) => expect(r.log.some((l) => l.startsWith('clientError ECONNRESET'))).toBe(true),
  );

  both(
    'insecureHTTPParser: true accepts what the strict parser refuses',
    async (c) => {
      const seen: unknown[] = [];
      const { port } = await c.start({ insecureHTTPParser: true }, (req, res) => {
        seen.push({ url: req.url, headers: req.headers, raw: req.rawHeaders });
        req.resume();
        res.end('ok');
      });
      const out: string[] = [];
      for (const input of [
        'GET /fold HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n',
        'GET /ctl HTTP/1.1\r\nHost: h\r\nX: a\x01b\r\n\r\n',
        'POST /clte HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      ]) {
        const conn = await c.connect(port);
        await conn.write(bytes(input));
        try {
          await conn.responses(1);
        } catch {
          /* closed */
        }
        conn.sock.destroy();
        out.push(maskDate(conn.text));
      }
      return { seen: JSON.parse(JSON.stringify(seen)), out };
    },
    (r) => expect(r.out[0]).toMatch(/^HTTP\/1\.1 200 OK/),
  );
});

describe('timeouts', () => {
  const fast = { headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 };

  both(
    'headersTimeout closes a slowloris connection with 408; an idle connection too; others are served',
    async (c) => {
      const { port } = await serve(c, fast);
      const slow = await c.connect(port);
      await slow.write('GET /slow HTTP/1.1\r\nHost: h\r\n');
      const trickling = (async () => {
        for (let i = 0; i < 200 && !slow.ended && !slow.closed; i++) {
          await slow.write(`X-${i}: y\r\n`).catch(() => {});
          await sleep(40);
        }
      })();
      const idle = await c.connect(port);
      const ok = await c.connect(port);
      await ok.write('GET /ok HTTP/1.1\r\nHost: h\r\n\r\n');
      const [okRes] = await ok.responses(1);
      // Node closes both within headersTimeout + connectionsCheckingInterval; allow far more.
      const closedWithin = (conn: typeof slow) => within(3000, conn.closedByServer()).then(() => 'closed', () => 'still open after 3 s');
      const slowState = await closedWithin(slow);
      await trickling;
      const idleState = await closedWithin(idle);
      return { log: c.log, slow: maskDate(slow.text), slowState, idle: maskDate(idle.text), idleState, ok: okRes.status };
    },
    (r) => expect(r.slow).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n'),
  );

  both(
    'headersTimeout with a clientError listener: ERR_HTTP_REQUEST_TIMEOUT',
    async (c) => {
      const { port, server } = await serve(c, fast);
      server.on('clientError', (err: NodeJS.ErrnoException, socket: net.Socket) => {
        c.ev('clientError', err.code, err.message, err.name, socket.writable);
        socket.end('HTTP/1.1 408 Mine\r\n\r\n');
      });
      const slow = await c.connect(port);
      await slow.write('GET /slow HTTP/1.1\r\nHost: h\r\n');
      await slow.closedByServer();
      return { log: c.log, slow: slow.text };
    },
    (r) => expect(r.log[0]).toMatch(/^clientError ERR_HTTP_REQUEST_TIMEOUT/),
  );

  both(
    'timeouts set as properties after listen() apply',
    async (c) => {
      const { port, server } = await serve(c, { connectionsCheckingInterval: 50 });
      server.requestTimeout = 600;
      server.headersTimeout = 300;
      server.keepAliveTimeout = 100;
      const slow = await c.connect(port);
      await slow.write('GET /slow HTTP/1.1\r\nHost: h\r\n');
      const slowState = await within(3000, slow.closedByServer()).then(() => 'closed', () => 'still open after 3 s');
      const ka = await c.connect(port);
      await ka.write('GET /ka HTTP/1.1\r\nHost: h\r\n\r\n');
      const [kaRes] = await ka.responses(1);
      const kaState = await within(4000, ka.closedByServer()).then(() => 'closed', () => 'still open after 4 s');
      return { slow: slow.text, slowState, ka: kaRes.raw, kaState };
    },
    (r) => expect(r.slow).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n'),
  );

  both(
    'requestTimeout: a body that never completes gets 408; the request is aborted',
    (c) => bodyCutShort(c, { headersTimeout: 200, requestTimeout: 400, connectionsCheckingInterval: 50 }),
    (r) => expect(r.received).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n'),
  );

  both(
    'requestTimeout does not cut a complete request whose response is slow',
    async (c) => {
      const { port } = await c.start({ headersTimeout: 150, requestTimeout: 300, connectionsCheckingInterval: 50 }, (req, res) => {
        req.resume();
        req.on('end', () => setTimeout(() => res.end('slow but fine'), 700));
      });
      const conn = await c.connect(port);
      await conn.write('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi');
      const rs = await conn.responses(1).then((x) => x.map((r) => r.raw), () => [`closed: ${maskDate(conn.text)}`]);
      return rs;
    },
    (r) => expect(r[0]).toMatch(/slow but fine$/),
  );

  both(
    'a new request on a keep-alive socket lifts the keep-alive timeout',
    async (c) => {
      const { port } = await c.start({ keepAliveTimeout: 100 }, (req, res) => {
        c.ev('request', req.url);
        if (req.url === '/slow') setTimeout(() => res.end('slow'), 1500);
        else res.end('fast');
      });
      const conn = await c.connect(port);
      await conn.write('GET /fast HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(1);
      await sleep(50);
      await conn.write('GET /slow HTTP/1.1\r\nHost: h\r\n\r\n');
      const rs = await conn.responses(2).then((x) => x.map((r) => r.raw), () => [`closed: ${maskDate(conn.text)}`]);
      return { log: c.log, rs };
    },
    (r) => expect(r.rs[1]).toMatch(/slow$/),
  );

  both(
    'keepAliveTimeout closes an idle keep-alive socket',
    async (c) => {
      const { port } = await serve(c, { keepAliveTimeout: 100 });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      const [r] = await conn.responses(1);
      await conn.closedByServer();
      return { log: c.log, response: r.raw, ended: conn.ended, error: conn.error ?? null, all: maskDate(conn.text) };
    },
    (r) => expect(r.response).toContain('Keep-Alive: timeout=0\r\n'),
  );

  both(
    'server.setTimeout with a listener keeps the idle socket; without one it is destroyed',
    async (c) => {
      const kept = c.server(null, (req, res) => res.end('still here'));
      let accepted: net.Socket | undefined;
      kept.on('connection', (s: net.Socket) => (accepted = s));
      const fired = new Promise<void>((resolve) => {
        const ret = kept.setTimeout(150, ((socket: net.Socket) => {
          c.ev('timeout listener', socket === accepted, socket instanceof net.Socket);
          resolve();
        }) as () => void);
        c.ev('setTimeout returns server', ret === kept, kept.timeout);
      });
      const keptPort = await c.listen(kept);
      const a = await c.connect(keptPort);
      await fired;
      await a.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      const [aRes] = await a.responses(1);

      const dropped = c.server(null, (req, res) => res.end('x'));
      dropped.timeout = 150;
      const droppedPort = await c.listen(dropped);
      const b = await c.connect(droppedPort);
      await b.closedByServer();
      return { log: c.log, kept: aRes.raw, dropped: b.text, droppedEnded: b.ended };
    },
    (r) => expect(r.kept).toMatch(/still here$/),
  );

  both(
    'server.timeout with a request in progress and no listener destroys the socket',
    async (c) => {
      const s = c.server(null, (req, res) => {
        c.ev('request', req.url);
        req.on('timeout', () => c.ev('req timeout'));
        req.on('close', () => c.ev('req close'));
        res.on('close', () => c.ev('res close', res.writableEnded));
      });
      s.timeout = 150;
      const port = await c.listen(s);
      const conn = await c.connect(port);
      await conn.write('GET /hang HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.closedByServer();
      await c.waitForLog('req close');
      return { log: c.log, received: conn.text };
    },
    (r) => expect(r.log).toContain('request /hang'),
  );

  both(
    'res.setTimeout: the response times out, its listener answers',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        const ret = res.setTimeout(100, ((socket: net.Socket) => {
          c.ev('res timeout', socket === req.socket);
          res.end('after timeout');
        }) as () => void);
        c.ev('returns res', ret === res);
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      const [r] = await conn.responses(1);
      return { log: c.log, response: r.raw };
    },
    (r) => expect(r.response).toMatch(/after timeout$/),
  );

  both(
    'req.setTimeout on a slow body',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        req.setTimeout(100, () => {
          c.ev('req timeout', req.complete);
          res.end('req timed out');
        });
        req.on('data', (d: Buffer) => c.ev('data', latin1(d)));
      });
      const conn = await c.connect(port);
      await conn.write('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc');
      const [r] = await conn.responses(1);
      return { log: c.log, response: r.raw };
    },
    (r) => expect(r.response).toMatch(/req timed out$/),
  );
});

