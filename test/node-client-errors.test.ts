// wirehttp/node's client against node:http's, side by side: malformed, truncated and reset
// responses, refused connections, timeouts and aborts at every stage — the same error (Node's
// code, llhttp's HPE_* code), the same events, and no socket left in the Agent afterwards.
import * as nodeHttp from 'node:http';
import net from 'node:net';
import { describe, expect } from 'vitest';
import { both, type RawResult, clientRequest, type Ctx, logClient, poolOf, rawCase, sleep } from './support/sides.js';

const emptyPool = { sockets: {}, freeSockets: {}, requests: {}, total: 0 };
const failedWith = (code: string) => (r: RawResult) => {
  expect(r.log.find((l) => l.startsWith('error') || l.startsWith('res error'))).toContain(`"code":"${code}"`);
  expect(r.pool).toEqual(emptyPool);
};
const emptied = (r: RawResult) => expect(r.pool).toEqual(emptyPool);
const big = (n: number) => 'a'.repeat(n);
const OK_HELLO = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';

describe('malformed responses: the HPE_* code on req, the socket destroyed and not pooled', () => {
  rawCase({ name: 'status line not starting with HTTP/', answer: 'HTTX/1.1 200 OK\r\n\r\n', hpe: 'HPE_INVALID_CONSTANT', sanity: emptied });
  rawCase({ name: 'status code not three digits', answer: 'HTTP/1.1 2x0 OK\r\n\r\n', hpe: 'HPE_INVALID_STATUS', sanity: emptied });
  rawCase({ name: 'space in a header name', answer: 'HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 0\r\n\r\n', hpe: 'HPE_INVALID_HEADER_TOKEN', sanity: emptied });
  rawCase({ name: 'a head over 16 KiB', answer: `HTTP/1.1 200 OK\r\nX: ${big(20000)}\r\n\r\n`, hpe: 'HPE_HEADER_OVERFLOW', sanity: emptied });
  rawCase({
    name: 'a head over the maxHeaderSize option',
    answer: `HTTP/1.1 200 OK\r\nX: ${big(300)}\r\nContent-Length: 0\r\n\r\n`,
    request: { maxHeaderSize: 100 },
    hpe: 'HPE_HEADER_OVERFLOW', sanity: emptied,
  });
  rawCase({ name: 'a bad chunk size after the response began', answer: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\nzz\r\n', hpe: 'HPE_INVALID_CHUNK_SIZE', sanity: emptied });
  rawCase({ name: 'two Content-Length fields', answer: 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx', hpe: 'HPE_UNEXPECTED_CONTENT_LENGTH', sanity: emptied });
  rawCase({ name: 'a malformed status line split byte by byte', answer: [...'HTTP/1.1 20x OK\r\n\r\n'], hpe: 'HPE_INVALID_STATUS', sanity: emptied });
  rawCase({ name: 'insecureHTTPParser accepts obs-fold', answer: 'HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 2\r\n\r\nok', request: { insecureHTTPParser: true }, sanity: (r) => expect(r.body).toBe('ok') });
  rawCase({ name: 'a second response in the same write destroys the socket', answer: OK_HELLO + OK_HELLO, sanity: (r) => expect(r.body).toBe('hello') });
  rawCase({ name: 'bytes after a Connection: close response', answer: 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nokEXTRA', hpe: 'HPE_CLOSED_CONNECTION', sanity: (r) => expect(r.body).toBe('ok') });
});

// Peers that send slowly: every part its own write, with a pause between (a timer, so each part
// is its own read). Node's client is the reference for events, bodies and the pool afterwards.
describe('responses that arrive slowly, in pieces, with pauses', () => {
  const bytes = (text: string) => [...text];
  const ok = (body: string) => (r: RawResult) => (expect(r.body).toBe(body), expect(r.log).toContain('res end true'));
  rawCase({ name: 'a head and a Content-Length body byte by byte', answer: bytes('HTTP/1.1 200 OK\r\nX-Slow: yes\r\nContent-Length: 5\r\n\r\nhello'), pause: 2, sanity: ok('hello') });
  rawCase({
    name: 'a head cut inside a field name, a value and the line end; the body trickled',
    answer: ['HTTP/1.1 200 OK\r\nConte', 'nt-Length: 1', '1\r', '\n\r\n', 'hello', ' ', 'world'],
    pause: 15, sanity: ok('hello world'),
  });
  rawCase({
    name: 'a chunked body with its size lines, data, CRLFs and trailers split',
    answer: ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n', '1', '0\r\n0123456', '789abcdef\r', '\n0', '\r\nX-Su', 'm: 42\r\n', '\r\n'],
    pause: 10, sanity: (r) => (ok('0123456789abcdef')(r), expect(r.trailers).toEqual({ 'x-sum': '42' })),
  });
  rawCase({
    name: 'a 100 Continue, a pause, then the response',
    answer: ['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n', 'ok'],
    pause: 20, sanity: ok('ok'),
  });
  rawCase({
    name: 'a body read until the connection closes, trickled',
    answer: ['HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n', 'a', 'b', 'c'],
    close: true, pause: 10, sanity: ok('abc'),
  });
  rawCase({ name: 'a malformed head trickled in: the error when its line ends', answer: bytes('HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n'), pause: 2, hpe: 'HPE_INVALID_CONTENT_LENGTH', sanity: emptied });
});

describe('cut short: socket hang up, aborted responses', () => {
  rawCase({ name: 'the connection closes with no response', answer: [], close: true, sanity: failedWith('ECONNRESET') });
  rawCase({ name: 'the connection closes inside the head', answer: 'HTTP/1.1 200 OK\r\nContent-Le', close: true, sanity: failedWith('ECONNRESET') });
  rawCase({ name: 'the connection closes inside a Content-Length body', answer: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel', close: true, sanity: (r) => (expect(r.log).toContain('res aborted'), expect(r.pool).toEqual(emptyPool)) });
  rawCase({ name: 'the connection closes inside a chunked body', answer: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel', close: true, sanity: (r) => expect(r.log).toContain('res aborted') });
  rawCase({ name: 'reset before the response', answer: [], destroy: true, sanity: failedWith('ECONNRESET') });
  both(
    'reset mid-body (RST)',
    async (c) => {
      const port = await c.rawServer((socket) => {
        socket.once('data', async () => {
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf');
          await sleep(30);
          socket.resetAndDestroy();
        });
      });
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const r = await clientRequest(c, port, { agent });
      return { ...r, pool: poolOf(agent) };
    },
    (r) => (expect(r.log).toContain('res aborted'), expect(r.pool).toEqual(emptyPool)),
  );
  both(
    'connection refused',
    async (c) => {
      const probe = net.createServer();
      const port = await c.listen(probe);
      await new Promise<void>((r) => probe.close(() => r()));
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const r = await clientRequest(c, port, { agent });
      return { ...r, pool: poolOf(agent) };
    },
    failedWith('ECONNREFUSED'),
  );
});

/** A server that sends a head and part of a body, then waits; tells the test when the request head arrived. */
async function stallingServer(c: Ctx, onHead?: () => void) {
  return c.rawServer((socket) => {
    let seen = '';
    socket.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (seen.includes('\r\n\r\n')) {
        seen = '';
        onHead?.();
        if (!onHead) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart');
      }
    });
  });
}

type Stage = 'before the socket' | "after 'socket'" | 'after the head is sent' | "after 'response'" | 'mid-body';

function abortCase(stage: Stage, how: 'abort' | 'destroy' | 'destroy(error)' | 'signal') {
  both(
    `${how}() ${stage}`,
    async (c) => {
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      let req!: nodeHttp.ClientRequest;
      const controller = new AbortController();
      const stop = () => {
        c.ev(`-- ${how}`);
        if (how === 'abort') req.abort();
        else if (how === 'destroy') req.destroy();
        else if (how === 'signal') controller.abort();
        else req.destroy(Object.assign(new Error('mine'), { code: 'MINE' }));
      };
      const headOnly = stage === 'after the head is sent';
      const port = await stallingServer(c, headOnly ? () => stop() : undefined);
      req = c.http.request({ host: '127.0.0.1', port, agent, signal: how === 'signal' ? controller.signal : undefined });
      const result = { log: c.log, body: '' };
      logClient(c, req, result, { pauseBody: stage === 'mid-body' });
      let closed = false;
      req.on('close', () => (closed = true));
      if (stage === 'before the socket') stop();
      if (stage === "after 'socket'") req.on('socket', stop);
      if (stage === "after 'response'") req.on('response', stop);
      if (stage === 'mid-body') req.on('response', (res) => res.once('data', (d: Buffer) => (c.ev('data', d.toString('latin1')), stop())));
      req.end();
      await c.waitFor(() => closed, 3000, 50);
      return { log: c.log, aborted: req.aborted, destroyed: req.destroyed, pool: poolOf(agent) };
    },
    (r) => (expect(r.log.some((l) => l.startsWith('-- '))).toBe(true), expect(r.pool).toEqual(emptyPool)),
  );
}

describe('abort and destroy at every stage: the same events, no socket left', () => {
  const stages: Stage[] = ['before the socket', "after 'socket'", 'after the head is sent', "after 'response'", 'mid-body'];
  for (const stage of stages) for (const how of ['abort', 'destroy', 'destroy(error)', 'signal'] as const) abortCase(stage, how);
});

describe('timeouts', () => {
  both(
    "timeout option: 'timeout', then the user destroys the request",
    async (c) => {
      const port = await stallingServer(c, () => {});
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const req = c.http.request({ host: '127.0.0.1', port, agent, timeout: 50 });
      const result = { log: c.log, body: '' };
      logClient(c, req, result);
      req.on('timeout', () => req.destroy());
      let closed = false;
      req.on('close', () => (closed = true));
      req.end();
      await c.waitFor(() => closed, 3000, 50);
      return { log: c.log, pool: poolOf(agent) };
    },
    (r) => expect(r.log).toContain('timeout'),
  );
  both(
    "setTimeout() after the response began: 'timeout' on req and res",
    async (c) => {
      const port = await stallingServer(c);
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const req = c.http.request({ host: '127.0.0.1', port, agent });
      const result = { log: c.log, body: '' };
      logClient(c, req, result);
      req.on('response', (res) => {
        res.on('timeout', () => (c.ev('res timeout'), req.destroy()));
        req.setTimeout(50);
      });
      let closed = false;
      req.on('close', () => (closed = true));
      req.end();
      await c.waitFor(() => closed, 3000, 50);
      return { log: c.log, pool: poolOf(agent) };
    },
    (r) => expect(r.log).toContain('res timeout'),
  );
});
