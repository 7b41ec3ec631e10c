// wirehttp/node against node:http, side by side: the ServerResponse API and the bytes it puts on
// the wire (Date masked).
import * as nodeHttp from 'node:http';
import { PassThrough, Readable, pipeline } from 'node:stream';
import { describe, expect } from 'vitest';
import { both, type Ctx, differs, errFields, maskDate, nodeRequest, type Req, type Res, sleep } from './support/sides.js';

const json = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/**
 * Requests each url on its own connection, in order (GET over HTTP/1.1 unless `request` says
 * otherwise), waits for one response and then for `settled(url)`; returns what each received.
 */
async function requestEach(
  c: Ctx,
  port: number,
  urls: string[],
  opts: { request?: (url: string) => { method: string; version: string }; settled?: (url: string) => boolean } = {},
) {
  const out: Record<string, string> = {};
  for (const url of urls) {
    const { method, version } = opts.request?.(url) ?? { method: 'GET', version: '1.1' };
    const conn = await c.connect(port);
    await conn.write(`${method} ${url} HTTP/${version}\r\nHost: h\r\n\r\n`);
    // Closed without a full response: what arrived is the observable.
    await conn.responses(1, [method]).catch(() => {});
    if (opts.settled) await c.waitFor(() => opts.settled!(url), 1000);
    conn.sock.destroy();
    out[url] = maskDate(conn.text);
  }
  return out;
}

/** Serves `handlers` (url → handler) and requests each url on its own connection, in order. */
async function eachOnItsOwn(c: Ctx, handlers: Record<string, (req: Req, res: Res) => void>, opts = {}) {
  const { port } = await c.start(opts, (req, res) => handlers[req.url!](req, res));
  return requestEach(c, port, Object.keys(handlers));
}

/** The response state flags, as plain data. */
function state(req: Req, res: Res) {
  return {
    headersSent: res.headersSent,
    finished: res.finished,
    writable: res.writable,
    writableEnded: res.writableEnded,
    writableFinished: res.writableFinished,
    writableCorked: res.writableCorked,
    destroyed: res.destroyed,
    statusCode: res.statusCode,
    statusMessage: res.statusMessage ?? 'absent',
    sendDate: res.sendDate,
    chunkedEncoding: res.chunkedEncoding,
    socketIsReqSocket: res.socket === req.socket,
    socketIsNull: res.socket === null,
    connectionIsSocket: res.connection === res.socket,
    resReqIsReq: res.req === req,
  };
}

/** A log line's event, without the state() it carries. */
const eventOf = (line: string) => line.replace(/ \{.*\}$/, '');

/** The states logged at each handler's 'start'. */
const startStates = (log: string[]) => log.filter((l) => eventOf(l) === 'start').map((l) => JSON.parse(l.slice('start '.length)));

describe('writeHead', () => {
  both(
    'writeHead with a reason, an object, a raw array, merged with setHeader',
    async (c) =>
      eachOnItsOwn(c, {
        '/obj': (_, res) => {
          res.setHeader('X-Pre', 'p');
          res.writeHead(201, 'Made It', { 'X-A': '1', 'x-b': ['2', '3'], 'Content-Type': 'text/plain', 'X-Pre': 'overridden' });
          res.end('o');
        },
        '/obj-only': (_, res) => {
          res.writeHead(200, { 'X-A': '1', 'x-b': ['2', '3'], 'Content-Length': '2' });
          res.end('ok');
        },
        '/array': (_, res) => {
          res.writeHead(200, ['X-A', '1', 'X-A', '2', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2']);
          res.end('arr');
        },
        '/array-with-pre': (_, res) => {
          res.setHeader('X-Pre', 'p');
          res.writeHead(200, ['X-A', '1', 'X-A', '2']);
          res.end('arr');
        },
        '/status-only': (_, res) => {
          res.writeHead(404);
          res.end();
        },
        '/unknown-status': (_, res) => {
          res.writeHead(599);
          res.end();
        },
        '/status-message': (_, res) => {
          res.statusMessage = 'Custom Reason';
          res.statusCode = 202;
          res.end('c');
        },
        '/chain': (_, res) => {
          res.writeHead(200, { 'X-Chained': 'yes' }).end('chained');
        },
        '/latin1-value': (_, res) => {
          res.setHeader('X-Latin1', 'café');
          res.end();
        },
      }),
    (r) => expect(r['/obj']).toMatch(/^HTTP\/1\.1 201 Made It\r\n/),
  );
});

describe('headers', () => {
  both(
    'setHeader arrays, setHeaders, appendHeader, getHeader(s), getHeaderNames, getRawHeaderNames, hasHeader, removeHeader',
    async (c) => {
      let seen: unknown;
      const { port } = await c.start(null, (_, res) => {
        const steps: unknown[] = [];
        res.setHeader('X-Arr', ['a', 'b']);
        res.setHeader('Content-Type', 'text/x');
        res.setHeader('X-Num', 42);
        res.appendHeader('X-Arr', 'c');
        res.appendHeader('X-New', ['d', 'e']);
        res.appendHeader('x-single', 'one');
        res.appendHeader('X-Single', 'two');
        res.setHeaders(new Headers({ 'X-From-Headers': 'h', 'x-arr2': 'z' }));
        res.setHeaders(new Map<string, string | string[]>([['X-From-Map', 'm'], ['X-Map-Arr', ['1', '2']]]));
        steps.push({
          getHeader: res.getHeader('x-arr'),
          getHeaderUpper: res.getHeader('X-ARR'),
          num: res.getHeader('x-num'),
          missing: res.getHeader('nope') ?? 'undefined',
          headers: json(res.getHeaders()),
          headersProto: Object.getPrototypeOf(res.getHeaders()),
          names: res.getHeaderNames(),
          rawNames: (res as unknown as { getRawHeaderNames(): string[] }).getRawHeaderNames(),
          has: [res.hasHeader('X-ARR'), res.hasHeader('nope')],
        });
        res.removeHeader('content-type');
        res.removeHeader('not-there');
        steps.push({ names: res.getHeaderNames(), has: res.hasHeader('content-type') });
        res.setHeader('Set-Cookie', ['s=1', 's=2']);
        res.end('body');
        steps.push({ headersSent: res.headersSent, names: res.getHeaderNames() });
        seen = steps;
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      const [r] = await conn.responses(1);
      return { seen, wire: r.raw };
    },
    (r) => expect(r.wire).toContain('X-Arr: a\r\nX-Arr: b\r\nX-Arr: c\r\n'),
  );

  // The header map inherits no keys (Node's has a null prototype; ./outgoing.ts's an empty one).
  both(
    'header names that are Object.prototype members',
    async (c) => {
      let seen: unknown;
      const { port } = await c.start(null, (_, res) => {
        const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
        const before = names.map((name) => [res.hasHeader(name), res.getHeader(name) ?? 'undefined']);
        for (const name of names.slice(0, 3)) res.setHeader(name, `v-${name}`);
        seen = {
          before,
          after: names.map((name) => [res.hasHeader(name), res.getHeader(name) ?? 'undefined']),
          names: res.getHeaderNames(),
          headers: Object.entries(res.getHeaders()),
        };
        res.end('ok');
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      const [r] = await conn.responses(1);
      return { seen, wire: maskDate(r.raw) };
    },
    (r) => expect(r.wire).toContain('__proto__: v-__proto__\r\n'),
  );

  both(
    'uniqueHeaders option and Set-Cookie lines',
    async (c) => {
      const out = await eachOnItsOwn(
        c,
        {
          '/u': (_, res) => {
            res.setHeader('X-U', ['a', 'b']);
            res.setHeader('X-Multi', ['a', 'b']);
            res.setHeader('Set-Cookie', ['c=1', 'd=2']);
            res.end();
          },
        },
        { uniqueHeaders: ['x-u'] },
      );
      return out;
    },
    (r) => expect(r['/u']).toContain('X-U: a; b\r\n'),
  );

  // A head made of the same pieces as the last one is the last one's string (./outgoing.ts), and
  // so is a head written with the same body: each response here differs from the one before by
  // one piece, on one connection, and one head is made while another is being made.
  both(
    'heads one piece apart from the last, and a head made while another is',
    async (c) => {
      let inner = '';
      const handlers: Record<string, (req: Req, res: Res) => void> = {
        '/a': (_, res) => {
          res.setHeader('Content-Type', 'text/plain');
          res.end('same body');
        },
        '/a-again': (_, res) => {
          res.setHeader('Content-Type', 'text/plain');
          res.end('same body');
        },
        '/other-value': (_, res) => {
          res.setHeader('Content-Type', 'text/html');
          res.end('same body');
        },
        '/number-value': (_, res) => {
          res.setHeader('X-N', 11);
          res.end('same body');
        },
        '/string-value': (_, res) => {
          res.setHeader('X-N', '11');
          res.end('same body');
        },
        '/other-name': (_, res) => {
          res.setHeader('X-M', '11');
          res.end('same body');
        },
        '/one-more': (_, res) => {
          res.setHeader('X-M', '11');
          res.setHeader('X-N', '11');
          res.end('same body');
        },
        '/swapped': (_, res) => {
          res.setHeader('X-N', '11');
          res.setHeader('X-M', '11');
          res.end('same body');
        },
        '/other-body': (_, res) => {
          res.setHeader('X-N', '11');
          res.setHeader('X-M', '11');
          res.end('other body');
        },
        '/status': (_, res) => {
          res.statusCode = 202;
          res.setHeader('X-N', '11');
          res.setHeader('X-M', '11');
          res.end('other body');
        },
        '/no-date': (_, res) => {
          res.sendDate = false;
          res.statusCode = 202;
          res.setHeader('X-N', '11');
          res.setHeader('X-M', '11');
          res.end('other body');
        },
        '/close': (_, res) => {
          res.setHeader('X-N', '11');
          res.setHeader('Connection', 'close');
          res.end('same body');
        },
      };
      const { port } = await c.start(null, (req, res) => {
        if (req.url === '/getter') {
          const made = new c.http.ServerResponse(req);
          res.writeHead(200, {
            'X-Outer': 'o',
            get 'X-Getter'() {
              made.writeHead(203, { 'X-Inner': 'i', 'Content-Length': 0 });
              inner = maskDate((made as unknown as { _header: string })._header);
              return 'g';
            },
            'X-Last': 'l',
          });
          res.end('same body');
          return;
        }
        handlers[req.url!](req, res);
      });
      const urls = [...Object.keys(handlers).slice(0, -1), '/getter', '/a', '/close'];
      const conn = await c.connect(port);
      const wire: string[] = [];
      for (const url of urls) {
        await conn.write(`GET ${url} HTTP/1.1\r\nHost: h\r\n\r\n`);
        const responses = await conn.responses(wire.length + 1);
        wire.push(maskDate(responses[wire.length].raw));
      }
      return { wire, inner };
    },
    (r) => {
      expect(r.wire[1]).toBe(r.wire[0]);
      expect(r.wire[2]).toContain('text/html');
      expect(r.inner).toContain('X-Inner: i\r\n');
      expect(r.wire.at(-1)).toContain('Connection: close\r\n');
    },
  );

  both(
    'sendDate false, and a Date set by hand',
    async (c) =>
      eachOnItsOwn(c, {
        '/no-date': (_, res) => {
          res.sendDate = false;
          res.end('x');
        },
        '/own-date': (_, res) => {
          res.setHeader('Date', 'whenever');
          res.end('y');
        },
      }),
    (r) => expect(r['/no-date']).not.toMatch(/date/i),
  );
});

describe('writing', () => {
  both(
    'write returns false past the high-water mark and exactly one drain follows',
    async (c) => {
      const seen: Record<string, unknown> & { first?: boolean; drains?: number } = {};
      let resClosed!: () => void;
      const closed = new Promise<void>((r) => (resClosed = r));
      const { port } = await c.start(null, (req, res) => {
        let drains = 0;
        seen.first = res.write(Buffer.alloc(1 << 20, 0x61));
        seen.needDrain = res.writableNeedDrain;
        seen.hwm = res.writableHighWaterMark;
        res.on('drain', () => {
          seen.drains = ++drains;
          if (drains === 1) {
            seen.needDrainAfter = res.writableNeedDrain;
            seen.secondWrite = res.write('tail');
            res.end();
          }
        });
        res.on('close', resClosed);
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      const [r] = await conn.responses(1);
      await closed;
      await sleep(30); // a second 'drain' would show up here
      return { ...seen, bodyLength: r.body.length, head: r.head };
    },
    (r) => {
      expect(r.first).toBe(false);
      expect(r.drains).toBe(1);
    },
  );

  both(
    'the highWaterMark server option sets the response high-water mark',
    async (c) => {
      let seen: unknown;
      const { port } = await c.start({ highWaterMark: 1024 } as import('node:http').ServerOptions, (req, res) => {
        const first = res.write(Buffer.alloc(2048, 0x61));
        seen = { hwm: res.writableHighWaterMark, socketHwm: req.socket.writableHighWaterMark, first, readableHwm: req.readableHighWaterMark };
        res.end();
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.responses(1);
      return seen;
    },
    (r) => expect(r).toMatchObject({ hwm: 1024, first: false }),
  );

  both(
    'every form of write(): chunk framing, encodings, callbacks, return values, the head it sends',
    async (c) => {
      const forms: Record<string, (res: Res) => unknown[]> = {
        '/strings': (res) => [res.write('a'), res.write('bc'), res.write('caf\u00e9 \u2603')],
        '/latin1': (res) => [res.write('caf\u00e9', 'latin1'), res.write('\u00ff', 'latin1')],
        '/latin1-head-utf8-body': (res) => (res.setHeader('X-Name', 'caf\u00e9'), [res.write('\u2603'), res.write('b')]),
        '/latin1-head-latin1-body': (res) => (res.setHeader('X-Name', 'caf\u00e9'), [res.write('\u00e9', 'latin1')]),
        '/other-encodings': (res) => [res.write('aGk=', 'base64'), res.write('6869', 'hex'), res.write('x', 'utf-8')],
        '/buffers': (res) => [res.write(Buffer.from('buf')), res.write(new Uint8Array([104, 105])), res.write('str')],
        '/empty': (res) => [res.write(''), res.write(Buffer.alloc(0)), res.write('x')],
        '/callbacks': (res) => [res.write('a', () => c.ev('cb a')), res.write('b', 'latin1', () => c.ev('cb b'))],
        '/after-flushHeaders': (res) => (res.flushHeaders(), [res.write('late')]),
        '/length-set': (res) => (res.setHeader('Content-Length', '4'), [res.write('ab'), res.write('cd')]),
        '/http10': (res) => [res.write('ten')],
        '/head-request': (res) => [res.write('dropped')],
        '/204': (res) => ((res.statusCode = 204), [res.write('dropped')]),
        '/corked': (res) => (res.cork(), [res.write('a'), res.write('b'), (res.uncork(), 'uncorked')]),
        '/big': (res) => [res.write('x'.repeat(100_000)), res.write('y')],
        '/number': (res) => [res.write(7 as unknown as string)],
        '/after-end': (res) => (res.end('done'), [res.write('late', (err?: NodeJS.ErrnoException) => c.ev('cb late', err?.code))]),
      };
      const { port } = await c.start(null, (req, res) => {
        const url = req.url!;
        res.on('finish', () => c.ev('finish', url));
        res.on('error', (e: NodeJS.ErrnoException) => c.ev('res error', url, e.code));
        try {
          c.ev('returned', url, forms[url](res));
        } catch (e) {
          c.ev('threw', url, errFields(e).code);
        }
        if (!res.writableEnded) res.end();
      });
      const wire = await requestEach(c, port, Object.keys(forms), {
        request: (url) => ({ method: url === '/head-request' ? 'HEAD' : 'GET', version: url === '/http10' ? '1.0' : '1.1' }),
        settled: (url) => c.log.includes(`finish ${url}`),
      });
      return { log: c.log, wire };
    },
    (r) => {
      expect(r.wire['/strings']).toMatch(/Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n2\r\nbc\r\n/);
      expect(r.log).toContain('cb b');
    },
  );

  both(
    'every form of end(): head and body bytes, prefinish / finish / callback order, errors',
    async (c) => {
      const forms: Record<string, (res: Res) => unknown> = {
        '/none': (res) => res.end(),
        '/empty-string': (res) => res.end(''),
        '/string': (res) => res.end('hello'),
        '/latin1': (res) => res.end('caf\u00e9', 'latin1'),
        '/utf8': (res) => res.end('caf\u00e9 \u2603', 'utf8'),
        '/utf-8': (res) => res.end('caf\u00e9', 'utf-8'),
        '/base64': (res) => res.end('aGVsbG8=', 'base64'),
        '/hex': (res) => res.end('6869', 'hex'),
        '/buffer': (res) => res.end(Buffer.from('buf')),
        '/uint8array': (res) => res.end(new Uint8Array([104, 105])),
        '/empty-buffer': (res) => res.end(Buffer.alloc(0)),
        '/callback-only': (res) => res.end(() => c.ev('cb /callback-only')),
        '/string-callback': (res) => res.end('x', () => c.ev('cb /string-callback')),
        '/string-encoding-callback': (res) => res.end('y', 'latin1', () => c.ev('cb /string-encoding-callback')),
        '/after-write': (res) => (res.write('a'), res.end('b')),
        '/after-writes': (res) => (res.write('a'), res.write('bc'), res.end(() => c.ev('cb /after-writes'))),
        '/after-writes-counts': (res) => {
          const socket = res.socket!;
          const counts = () => [socket.writableLength, socket.bytesWritten, socket.writableCorked, socket.writableNeedDrain, res.writableLength];
          res.write('a');
          res.write('caf\u00e9');
          c.ev('counts before end', counts());
          const ended = res.end();
          c.ev('counts after end', counts());
          return ended;
        },
        '/after-write-callbacks': (res) => {
          res.write('a', () => c.ev('cb a'));
          res.write('b');
          return res.end(() => c.ev('cb end'));
        },
        '/after-big-writes': (res) => (c.ev('big write returns', res.write('x'.repeat(20_000)), res.write('y')), res.end()),
        '/after-flushHeaders': (res) => (res.flushHeaders(), res.end('late')),
        '/204-with-body': (res) => ((res.statusCode = 204), res.end('dropped')),
        '/304': (res) => ((res.statusCode = 304), res.end()),
        '/length-set': (res) => (res.setHeader('Content-Length', '3'), res.end('abc')),
        '/chunked-asked': (res) => (res.setHeader('Transfer-Encoding', 'chunked'), res.end('chunky')),
        '/corked-response': (res) => (res.cork(), res.end('corked')),
        '/corked-socket': (res) => (res.socket!.cork(), res.end('sock-corked')),
        '/strict-length-mismatch': (res) => ((res.strictContentLength = true), res.setHeader('Content-Length', '10'), res.end('short')),
        '/strict-length-match': (res) => ((res.strictContentLength = true), res.setHeader('Content-Length', '2'), res.end('ok')),
        '/number': (res) => res.end(42 as unknown as string),
        '/bad-status': (res) => ((res.statusCode = 99), res.end('x')),
        '/status-as-string': (res) => ((res.statusCode = '201' as unknown as number), res.end('x')),
        '/status-fraction': (res) => ((res.statusCode = 202.5), res.end('x')),
        '/status-unknown': (res) => ((res.statusCode = 599), res.end('x')),
        '/status-custom-message': (res) => ((res.statusCode = 404), (res.statusMessage = 'Gone Fishing'), res.end('x')),
        '/status-message-number': (res) => ((res.statusMessage = 42 as unknown as string), res.end('x')),
        '/writeHead-patched': (res) => {
          // on-headers (morgan, compression…) wraps writeHead on the response; the implicit head must go through it.
          const original = res.writeHead;
          res.writeHead = function (this: Res, ...args: unknown[]) {
            c.ev('patched writeHead', args);
            this.setHeader('X-Patched', 'yes');
            return (original as (...a: unknown[]) => Res).apply(this, args);
          } as typeof res.writeHead;
          return res.end('x');
        },
      };
      const { port } = await c.start(null, (req, res) => {
        const url = req.url!;
        res.on('prefinish', () => c.ev('prefinish', url));
        res.on('finish', () => c.ev('finish', url));
        try {
          const ret = forms[url](res);
          c.ev('returned', url, ret === res);
        } catch (e) {
          const err = errFields(e);
          c.ev('threw', url, err.code, err.message);
          res.statusCode = 500;
          if (!res.headersSent) res.end('recovered');
          else res.destroy();
        }
      });
      const wire = await requestEach(c, port, Object.keys(forms), {
        settled: (url) => c.log.some((l) => l === `finish ${url}` || l.startsWith(`threw ${url} `)),
      });
      return { log: c.log, wire };
    },
    (r) => {
      expect(r.wire['/string']).toMatch(/Content-Length: 5\r\n\r\nhello$/);
      expect(r.log).toContain('cb /string-callback');
      expect(r.log.some((l) => l.startsWith('threw /strict-length-mismatch ERR_HTTP_CONTENT_LENGTH_MISMATCH'))).toBe(true);
    },
  );

  differs(
    'end with data and a callback; finish and close order with the request events',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        req.on('end', () => c.ev('req end'));
        req.on('close', () => c.ev('req close'));
        res.on('prefinish', () => c.ev('res prefinish'));
        res.on('finish', () => c.ev('res finish', state(req, res)));
        res.on('close', () => c.ev('res close', state(req, res)));
        c.ev('start', state(req, res));
        if (req.url === '/cb-only') {
          res.end(() => c.ev('end cb'));
        } else {
          const ret = res.end('data', () => {
            c.ev('end cb', state(req, res));
            res.end((err?: NodeJS.ErrnoException) => c.ev('second end cb', err?.code));
          });
          c.ev('end returned res', ret === res, state(req, res));
        }
        req.resume();
      });
      const conn = await c.connect(port);
      await conn.write('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhiGET /cb-only HTTP/1.1\r\nHost: h\r\n\r\n');
      const rs = await conn.responses(2);
      await c.waitFor(() => c.log.filter((l) => l === 'req close').length === 2);
      return { log: c.log, wire: rs.map((r) => r.raw) };
    },
    {
      // The second request is parsed in the same call as the first, whose response has ended but
      // not yet finished: its handler runs earlier and without res.socket.
      readme: 'One parse per read.',
      node: (r) => {
        expect(r.log.map(eventOf)).toEqual([
          'start', 'res prefinish', 'end returned res true', 'res finish', 'end cb', 'second end cb ERR_STREAM_ALREADY_FINISHED', 'res close',
          'start', 'res prefinish', 'req end', 'res finish', 'end cb', 'res close', 'req end', 'req close', 'req close',
        ]);
        expect(startStates(r.log)[1]).toMatchObject({ socketIsReqSocket: true, socketIsNull: false });
      },
      wirehttp: (r) => {
        expect(r.log.map(eventOf)).toEqual([
          'start', 'res prefinish', 'end returned res true',
          'start', 'res prefinish',
          'res finish', 'end cb', 'second end cb ERR_STREAM_ALREADY_FINISHED', 'res finish', 'end cb', 'res close', 'req end', 'req end', 'res close', 'req close', 'req close',
        ]);
        expect(startStates(r.log)[1]).toMatchObject({ socketIsReqSocket: false, socketIsNull: true });
      },
      each: (r) => expect(r.wire.map((w) => w.split('\r\n\r\n')[1])).toEqual(['data', '']),
      // The same events with the same states, the second 'start' aside; the same bytes.
      same: (r) => ({ wire: r.wire, firstStart: startStates(r.log)[0], others: r.log.filter((l) => eventOf(l) !== 'start').sort() }),
    },
  );

  both(
    'state flags through writeHead, write, end, finish and close',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        c.ev('start', state(req, res));
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        c.ev('after writeHead', state(req, res));
        res.write('a');
        c.ev('after write', state(req, res));
        res.end('b');
        c.ev('after end', state(req, res));
        res.on('finish', () => c.ev('finish', state(req, res)));
        res.on('close', () => c.ev('close', state(req, res)));
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      const [r] = await conn.responses(1);
      await c.waitForLog('close');
      return { log: c.log, wire: r.raw };
    },
    (r) => expect(r.log).toHaveLength(6),
  );

  both(
    'addTrailers: chunked trailers, dropped with Content-Length and on HTTP/1.0',
    async (c) => {
      const handler = (req: Req, res: Res) => {
        try {
          if (req.url?.startsWith('/cl')) res.setHeader('Content-Length', 4);
          if (req.url !== '/cl') res.setHeader('Trailer', 'X-Sum, X-More');
          res.write('abc');
          res.addTrailers({ 'X-Sum': '3', 'X-More': ['a', 'b'] });
          res.end('d');
        } catch (e) {
          c.ev(req.url, 'threw', errFields(e));
          try {
            res.removeHeader('Trailer');
            res.end('abcd');
          } catch (e2) {
            c.ev(req.url, 'threw again', errFields(e2));
            res.destroy();
          }
        }
      };
      const { port } = await c.start(null, handler);
      const a = await c.connect(port);
      await a.write('GET /chunked HTTP/1.1\r\nHost: h\r\n\r\nGET /cl HTTP/1.1\r\nHost: h\r\n\r\nGET /cl-with-trailer-field HTTP/1.1\r\nHost: h\r\n\r\n');
      const rs = await a.responses(3);
      const b = await c.connect(port);
      await b.write('GET /old HTTP/1.0\r\n\r\n');
      await b.closedByServer();
      const client = await nodeRequest(port, { path: '/chunked' });
      return { log: c.log, wire: rs.map((r) => r.raw), old: maskDate(b.text), client };
    },
    (r) => expect(r.wire[0]).toContain('0\r\nX-Sum: 3\r\nX-More: a\r\nX-More: b\r\n\r\n'),
  );

  both(
    'writeContinue, writeProcessing, writeEarlyHints before the final response',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        res.writeContinue(() => c.ev('continue cb'));
        res.writeProcessing(() => c.ev('processing cb'));
        res.writeEarlyHints({ link: '</styles.css>; rel=preload; as=style' }, () => c.ev('hints cb'));
        res.writeEarlyHints({ link: ['</a.js>; rel=preload; as=script', '</b.css>; rel=preload; as=style'], 'x-trace-id': 'id' });
        res.writeEarlyHints({ 'x-no-link': 'ignored' });
        c.ev('headersSent', res.headersSent);
        res.end('final');
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      const rs = await conn.responses(1);
      await c.waitForLog('hints cb');
      const nodeHttp = await import('node:http');
      const info = await new Promise<unknown[]>((resolve, reject) => {
        const seen: unknown[] = [];
        const req = nodeHttp.get({ port, host: '127.0.0.1', agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve([...seen, res.statusCode]));
        });
        req.on('information', (i) => seen.push([i.statusCode, i.statusMessage, i.rawHeaders]));
        req.on('error', reject);
      });
      return { log: c.log, wire: rs.map((r) => r.raw), info };
    },
    (r) => expect(r.wire[0]).toBe('HTTP/1.1 100 Continue\r\n\r\n'),
  );

  both(
    'flushHeaders sends the head before any body',
    async (c) => {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const { port } = await c.start(null, (req, res) => {
        res.setHeader('X-F', '1');
        res.flushHeaders();
        c.ev('after flush', state(req, res));
        void released.then(() => {
          res.write('after');
          res.end();
        });
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.until(() => conn.text.includes('\r\n\r\n'), 'the head');
      const head = maskDate(conn.text);
      release();
      const [r] = await conn.responses(1);
      return { log: c.log, head, wire: r.raw };
    },
    (r) => expect(r.head).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n$/),
  );

  both(
    'cork and uncork',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        res.cork();
        res.write('a');
        res.write('b');
        c.ev('corked', res.writableCorked, res.headersSent);
        process.nextTick(() => {
          res.uncork();
          c.ev('uncorked', res.writableCorked);
          res.end('c');
        });
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      const [r] = await conn.responses(1);
      return { log: c.log, wire: r.raw };
    },
    (r) => expect(r.wire).toMatch(/abc|\r\n1\r\na\r\n/),
  );

  both(
    'piping a stream into the response',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        res.setHeader('Content-Type', 'application/octet-stream');
        pipeline(Readable.from([Buffer.from('one '), Buffer.from('two '), Buffer.from('three')]), new PassThrough(), res, (err) =>
          c.ev('pipeline done', err?.message ?? null),
        );
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      const [r] = await conn.responses(1);
      await c.waitForLog('pipeline done');
      return { log: c.log, body: r.body.replace(/\r\n[0-9a-f]+\r\n/g, '|'), head: r.head };
    },
    (r) => expect(r.log).toEqual(['pipeline done null']),
  );

  both(
    'res.destroy() mid-response closes the connection',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        res.on('close', () => c.ev('res close', res.writableFinished, res.destroyed));
        res.on('error', (e) => c.ev('res error', (e as NodeJS.ErrnoException).code));
        req.on('close', () => c.ev('req close'));
        res.write('partial', () => {
          res.destroy();
          c.ev('destroyed', res.destroyed);
        });
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      await conn.closedByServer();
      await c.waitFor(() => c.log.some((l) => l.startsWith('res close')) && c.log.includes('req close'));
      return { log: c.log, wire: maskDate(conn.text) };
    },
    (r) => expect(r.wire).toContain('partial'),
  );
});

describe('instrumentation', () => {
  differs(
    "a patch on node:http's ServerResponse.prototype: end and setHeader are ours, writeHead is Node's",
    async (c) => {
      const proto = nodeHttp.ServerResponse.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const method of ['end', 'setHeader', 'writeHead']) {
        const original = proto[method];
        proto[method] = function patched(this: unknown, ...args: unknown[]) {
          c.ev(`patched ${method}`);
          return original.apply(this, args);
        };
        c.defer(() => (proto[method] = original));
      }
      const { port } = await c.start(null, (req, res) => {
        if (req.url === '/head') res.writeHead(200, { 'X-A': '1' });
        else res.setHeader('X-A', '1');
        res.end('x');
      });
      const conn = await c.connect(port);
      await conn.write('GET /set HTTP/1.1\r\nHost: h\r\n\r\nGET /head HTTP/1.1\r\nHost: h\r\n\r\n');
      const responses = await conn.responses(2);
      return { log: c.log, wire: responses.map((r) => r.raw) };
    },
    {
      readme: "Patches on node:http's `ServerResponse.prototype`",
      // end() makes the implicit head through writeHead, which both sides reach as node:http's.
      // wirehttp's end() after writeHead is off its fast path and hands over to node:http's end.
      node: (r) => expect(r.log).toEqual(['patched setHeader', 'patched end', 'patched writeHead', 'patched writeHead', 'patched end']),
      wirehttp: (r) => expect(r.log).toEqual(['patched writeHead', 'patched writeHead', 'patched end']),
      same: (r) => r.wire,
    },
  );
});

describe('errors thrown by the response API', () => {
  both(
    'invalid names, values, status codes, and calls at the wrong time',
    async (c) => {
      const caught: Record<string, unknown> = {};
      const attempt = (key: string, fn: () => unknown) => {
        try {
          fn();
          caught[key] = 'no error';
        } catch (e) {
          caught[key] = errFields(e);
        }
      };
      const finish = (res: Res) => attempt(`${(res.req as Req).url} end`, () => res.end());
      const wire = await eachOnItsOwn(c, {
        '/name': (_, res) => {
          attempt('space in name', () => res.setHeader('bad name', 'x'));
          attempt('empty name', () => res.setHeader('', 'x'));
          attempt('colon in name', () => res.appendHeader('bad:name', 'x'));
          attempt('non-latin1 name', () => res.setHeader('naïve', 'x'));
          finish(res);
        },
        '/value': (_, res) => {
          attempt('LF in value', () => res.setHeader('X', 'a\nb'));
          attempt('CR in value', () => res.setHeader('X', 'a\rb'));
          attempt('NUL in value', () => res.setHeader('X', 'a\0b'));
          attempt('undefined value', () => res.setHeader('X', undefined as unknown as string));
          attempt('LF in array value', () => res.setHeader('X', ['ok', 'a\nb']));
          attempt('char above 255', () => res.setHeader('X', 'a\u0100'));
          finish(res);
        },
        '/writehead-name': (_, res) => {
          attempt('writeHead bad name', () => res.writeHead(200, { 'bad name': 'x' }));
          finish(res);
        },
        '/writehead-value': (_, res) => {
          attempt('writeHead bad value', () => res.writeHead(200, { X: 'a\r\nInjected: 1' }));
          finish(res);
        },
        '/writehead-odd-array': (_, res) => {
          res.setHeader('X-Pre', '1');
          attempt('writeHead odd array', () => res.writeHead(200, ['X-A', '1', 'X-B']));
          finish(res);
        },
        '/status-low': (_, res) => {
          attempt('status 99', () => res.writeHead(99));
          attempt('status 1000', () => res.writeHead(1000));
          attempt('status NaN', () => res.writeHead('abc' as unknown as number));
          finish(res);
        },
        '/status-message': (_, res) => {
          res.statusMessage = 'a\nb';
          attempt('statusMessage LF', () => res.end());
          res.statusMessage = 'fine';
          finish(res);
        },
        '/after-sent': (_, res) => {
          res.write('x');
          attempt('setHeader after send', () => res.setHeader('X', '1'));
          attempt('appendHeader after send', () => res.appendHeader('X', '1'));
          attempt('removeHeader after send', () => res.removeHeader('X'));
          attempt('writeHead after send', () => res.writeHead(500));
          finish(res);
        },
        '/after-end': (_, res) => {
          res.on('error', (e) => (caught['write after end: error event'] = errFields(e)));
          res.end('x');
          attempt('write after end', () =>
            res.write('y', (e) => (caught['write after end: callback'] = errFields(e))),
          );
        },
        '/bad-chunk': (_, res) => {
          attempt('write a number', () => res.write(123 as unknown as string));
          attempt('end a number', () => res.end(123 as unknown as string));
          finish(res);
        },
        '/trailers': (_, res) => {
          res.write('x');
          attempt('trailer bad name', () => res.addTrailers({ 'bad name': 'x' }));
          attempt('trailer bad value', () => res.addTrailers({ X: 'a\rb' }));
          finish(res);
        },
        '/strict': (_, res) => {
          res.strictContentLength = true;
          res.setHeader('Content-Length', 5);
          attempt('strict length mismatch', () => res.end('abc'));
          res.on('error', (e) => (caught['strict error event'] = errFields(e)));
          setTimeout(() => res.destroy(), 20);
        },
        '/hints': (_, res) => {
          attempt('early hints bad link', () => res.writeEarlyHints({ link: 'bad\nlink' }));
          attempt('early hints not object', () => res.writeEarlyHints('x' as unknown as Record<string, string>));
          finish(res);
        },
      });
      await sleep(30);
      const mod: Record<string, unknown> = {};
      for (const [k, fn] of [
        ['validateHeaderName ok', () => c.http.validateHeaderName('x-ok')],
        ['validateHeaderName bad', () => c.http.validateHeaderName('bad name')],
        ['validateHeaderName empty', () => c.http.validateHeaderName('')],
        ['validateHeaderValue ok', () => c.http.validateHeaderValue('x', 'fine')],
        ['validateHeaderValue bad', () => c.http.validateHeaderValue('x', 'a\nb')],
        ['validateHeaderValue undefined', () => c.http.validateHeaderValue('x', undefined as unknown as string)],
      ] as const) {
        try {
          mod[k] = (fn as () => unknown)() ?? 'no error';
        } catch (e) {
          mod[k] = errFields(e);
        }
      }
      return { caught, mod, wire };
    },
    (r) => {
      expect((r.caught['space in name'] as { code: string }).code).toBe('ERR_INVALID_HTTP_TOKEN');
      expect((r.caught['LF in value'] as { code: string }).code).toBe('ERR_INVALID_CHAR');
    },
  );

  both(
    'rejectNonStandardBodyWrites: a body on HEAD or 204 throws',
    async (c) => {
      const caught: Record<string, unknown> = {};
      const { port } = await c.start({ rejectNonStandardBodyWrites: true }, (req, res) => {
        if (req.url === '/204') res.writeHead(204);
        try {
          res.write('x');
          caught[`${req.method} ${req.url}`] = 'no error';
        } catch (e) {
          caught[`${req.method} ${req.url}`] = errFields(e);
        }
        res.end();
      });
      const conn = await c.connect(port);
      await conn.write('HEAD / HTTP/1.1\r\nHost: h\r\n\r\nGET /204 HTTP/1.1\r\nHost: h\r\n\r\nGET /ok HTTP/1.1\r\nHost: h\r\n\r\n');
      const rs = await conn.responses(3, ['HEAD']);
      return { caught, wire: rs.map((r) => r.raw) };
    },
    (r) => expect((r.caught['HEAD /'] as { code: string }).code).toBe('ERR_HTTP_BODY_NOT_ALLOWED'),
  );
});

describe('a chunked body written over several ticks', () => {
  both(
    'writes in one tick, more in the next, end() in a third: bytes, callbacks, finish, the socket\'s counts',
    async (c) => {
      const { port } = await c.start(null, (req, res) => {
        const socket = res.socket!;
        const counts = (when: string) => c.ev(when, [socket.writableLength, socket.writableCorked, res.writableLength]);
        res.on('finish', () => c.ev('finish'));
        res.write('one', () => c.ev('cb one'));
        res.write('two');
        counts('first tick');
        setImmediate(() => {
          res.write('three');
          counts('second tick');
          setImmediate(() => {
            res.end(() => c.ev('cb end'));
            counts('after end');
          });
        });
      });
      const conn = await c.connect(port);
      await conn.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
      const [response] = await conn.responses(1);
      await c.waitForLog('finish');
      return { log: c.log, wire: maskDate(response.raw) };
    },
    (r) => expect(r.wire).toMatch(/3\r\none\r\n3\r\ntwo\r\n5\r\nthree\r\n0\r\n\r\n$/),
  );
});
