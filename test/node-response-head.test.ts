// wirehttp/node's ServerResponse builds response heads with its own _storeHeader and setHeader
// (bindings/node/response.ts). Here every way a head can be made is run through node:http's
// ServerResponse and through ours, in process, and the head text (Date masked), the framing
// flags it leaves behind and any error thrown must be the same.
import * as nodeHttp from 'node:http';
import { describe, expect, it } from 'vitest';
import { errFields, maskDate, sides } from './support/sides.js';

type Res = nodeHttp.ServerResponse & Record<string | symbol, any>;

interface RequestShape {
  method?: string;
  version?: '1.0' | '1.1';
  te?: string;
}

interface Case {
  name: string;
  request?: RequestShape;
  /** Fields the server sets on a response before the handler runs. */
  server?: { keepAliveTimeout?: number; maxRequestsPerSocket?: number; shouldKeepAlive?: boolean; maxReached?: boolean };
  act: (res: Res) => void;
}

const implicit = (res: Res) => res._implicitHeader();

const CASES: Case[] = [
  { name: 'no fields', act: implicit },
  { name: 'one field', act: (r) => (r.setHeader('Content-Type', 'text/plain'), implicit(r)) },
  { name: 'the length end(data) computes', act: (r) => ((r._contentLength = 11), r.setHeader('Content-Type', 'text/plain'), implicit(r)) },
  { name: 'Content-Length set by hand', act: (r) => (r.setHeader('Content-Length', '5'), implicit(r)) },
  { name: 'Content-Length as a number, odd case', act: (r) => (r.setHeader('CONTENT-length', 7), implicit(r)) },
  { name: 'Connection: close', act: (r) => (r.setHeader('Connection', 'close'), implicit(r)) },
  { name: 'Connection: keep-alive on a response that would close', server: { shouldKeepAlive: false }, act: (r) => (r.setHeader('connection', 'keep-alive'), implicit(r)) },
  { name: 'Connection: Upgrade, close', act: (r) => (r.setHeader('Connection', 'Upgrade, close'), implicit(r)) },
  { name: 'Transfer-Encoding: chunked', act: (r) => (r.setHeader('Transfer-Encoding', 'chunked'), implicit(r)) },
  { name: 'Transfer-Encoding: gzip', act: (r) => (r.setHeader('Transfer-Encoding', 'gzip'), implicit(r)) },
  { name: 'a Date of our own', act: (r) => (r.setHeader('Date', 'yesterday'), implicit(r)) },
  { name: 'sendDate false', act: (r) => ((r.sendDate = false), implicit(r)) },
  { name: 'Keep-Alive set by hand', act: (r) => (r.setHeader('Keep-Alive', 'timeout=1'), implicit(r)) },
  { name: 'Trailer with chunked framing', act: (r) => (r.setHeader('Trailer', 'X-Sum'), implicit(r)) },
  { name: 'Trailer with a Content-Length', act: (r) => (r.setHeader('Trailer', 'X-Sum'), r.setHeader('Content-Length', '3'), implicit(r)) },
  { name: 'Expect sends the head at once', act: (r) => (r.setHeader('Expect', '100-continue'), implicit(r)) },
  { name: 'Set-Cookie as two lines', act: (r) => (r.setHeader('Set-Cookie', ['a=1', 'b=2']), implicit(r)) },
  { name: 'Cookie as one joined line', act: (r) => (r.setHeader('Cookie', ['a=1', 'b=2']), implicit(r)) },
  { name: 'a one-element array', act: (r) => (r.setHeader('X-One', ['v']), implicit(r)) },
  { name: 'Content-Disposition with a length (Node re-encodes it)', act: (r) => ((r._contentLength = 2), r.setHeader('Content-Disposition', 'attachment; filename="\u00e9.txt"'), implicit(r)) },
  { name: 'latin1 and HTAB in a value', act: (r) => (r.setHeader('X-Name', 'caf\u00e9\tbar'), implicit(r)) },
  { name: 'short and long names beside the framing ones', act: (r) => (r.setHeader('Via', '1.1 a'), r.setHeader('X-A-Very-Long-Header-Name', 'x'), r.setHeader('Date', 'd'), implicit(r)) },
  { name: '204 with chunked framing asked for', act: (r) => (r.setHeader('Transfer-Encoding', 'chunked'), r.writeHead(204)) },
  { name: '304', act: (r) => r.writeHead(304) },
  { name: '101', act: (r) => r.writeHead(101, { Upgrade: 'websocket', Connection: 'Upgrade' }) },
  { name: 'writeHead with a reason and an object', act: (r) => r.writeHead(201, 'Made', { 'Content-Type': 'a/b', 'X-N': 1 }) },
  { name: 'writeHead object merged with setHeader', act: (r) => (r.setHeader('X-A', '1'), r.writeHead(200, { 'x-a': '2', 'X-B': '3' })) },
  { name: 'writeHead with an object that inherits fields', act: (r) => r.writeHead(200, Object.assign(Object.create({ Inherited: 'x' }), { Own: 'y' })) },
  { name: 'writeHead with a raw array', act: (r) => r.writeHead(200, ['X-A', '1', 'X-A', '2', 'Content-Length', '0']) },
  { name: 'writeHead with pairs', act: (r) => r.writeHead(200, [['X-A', '1'], ['Connection', 'close']] as unknown as string[]) },
  { name: 'writeHead with an odd raw array', act: (r) => r.writeHead(200, ['X-A']) },
  { name: 'writeHead with a bad name', act: (r) => r.writeHead(200, { 'Bad Name': 'x' }) },
  { name: 'writeHead with a bad value', act: (r) => r.writeHead(200, { 'X-A': 'a\nb' }) },
  { name: 'writeHead with an undefined value', act: (r) => r.writeHead(200, { 'X-A': undefined } as unknown as nodeHttp.OutgoingHttpHeaders) },
  { name: 'writeHead with a Set-Cookie array', act: (r) => r.writeHead(200, { 'Set-Cookie': ['a=1', 'b=2'] }) },
  { name: 'a bad status message', act: (r) => ((r.statusMessage = 'o\rk'), implicit(r)) },
  { name: 'a status code out of range', act: (r) => r.writeHead(1000) },
  { name: 'removed Date', act: (r) => (r.removeHeader('Date'), implicit(r)) },
  { name: 'removed Connection', act: (r) => (r.removeHeader('Connection'), implicit(r)) },
  { name: 'removed Connection on a response that would close', server: { shouldKeepAlive: false }, act: (r) => (r.removeHeader('Connection'), implicit(r)) },
  { name: 'removed Content-Length', act: (r) => ((r._contentLength = 4), r.removeHeader('Content-Length'), implicit(r)) },
  { name: 'removed Content-Length and Transfer-Encoding', act: (r) => (r.removeHeader('Content-Length'), r.removeHeader('Transfer-Encoding'), implicit(r)) },
  { name: 'HEAD', request: { method: 'HEAD' }, act: (r) => ((r._contentLength = 5), implicit(r)) },
  { name: 'HTTP/1.0', request: { version: '1.0' }, act: implicit },
  { name: 'HTTP/1.0 with a length', request: { version: '1.0' }, act: (r) => ((r._contentLength = 3), implicit(r)) },
  { name: 'HTTP/1.0 that accepts chunked', request: { version: '1.0', te: 'chunked' }, act: implicit },
  { name: 'the last request a socket may carry', server: { maxReached: true }, act: (r) => ((r._contentLength = 1), implicit(r)) },
  { name: 'maxRequestsPerSocket in Keep-Alive', server: { maxRequestsPerSocket: 5 }, act: (r) => ((r._contentLength = 1), implicit(r)) },
  { name: 'keepAliveTimeout 0: no Keep-Alive field', server: { keepAliveTimeout: 0 }, act: (r) => ((r._contentLength = 1), implicit(r)) },
  { name: 'keepAliveTimeout 65432 ms', server: { keepAliveTimeout: 65_432 }, act: (r) => ((r._contentLength = 1), implicit(r)) },
  { name: 'setHeader after the head', act: (r) => (implicit(r), r.setHeader('X-Late', '1')) },
  { name: 'setHeader with a bad name', act: (r) => r.setHeader('Bad Name', 'x') },
  { name: 'setHeader with a non-string name', act: (r) => r.setHeader(42 as unknown as string, 'x') },
  { name: 'setHeader with an empty name', act: (r) => r.setHeader('', 'x') },
  { name: 'setHeader with a CTL in the value', act: (r) => r.setHeader('X-A', 'a\u0001b') },
  { name: 'setHeader with a non-latin1 value', act: (r) => r.setHeader('X-A', '\u2603') },
  { name: 'setHeader with an undefined value', act: (r) => r.setHeader('X-A', undefined as unknown as string) },
  { name: 'setHeader with an array holding a bad value', act: (r) => r.setHeader('X-A', ['ok', 'b\nad']) },
  { name: 'the same name twice, different case', act: (r) => (r.setHeader('X-A', '1'), r.setHeader('x-a', '2'), implicit(r)) },
];

const FLAGS = ['_last', 'chunkedEncoding', 'shouldKeepAlive', '_hasBody', '_contentLength', '_removedConnection', '_removedContLen', '_removedTE', '_defaultKeepAlive', '_headerSent', 'statusCode', 'statusMessage'];

function run(Response: typeof nodeHttp.ServerResponse, c: Case) {
  const req = new nodeHttp.IncomingMessage(null as never) as nodeHttp.IncomingMessage & Record<string, any>;
  req.method = c.request?.method ?? 'GET';
  const version = c.request?.version ?? '1.1';
  req.httpVersion = version;
  req.httpVersionMajor = 1;
  req.httpVersionMinor = version === '1.0' ? 0 : 1;
  req.headers = c.request?.te ? { te: c.request.te } : {};
  const res = new Response(req) as Res;
  res._keepAliveTimeout = c.server?.keepAliveTimeout ?? 5000;
  res._maxRequestsPerSocket = c.server?.maxRequestsPerSocket ?? 0;
  if (c.server?.shouldKeepAlive === false) res.shouldKeepAlive = false;
  if (c.server?.maxReached) res.maxRequestsOnConnectionReached = true;
  let error: unknown;
  try {
    c.act(res);
  } catch (e) {
    error = errFields(e);
  }
  return {
    head: typeof res._header === 'string' ? maskDate(res._header) : res._header,
    flags: Object.fromEntries(FLAGS.map((f) => [f, res[f]])),
    headers: res.getHeaders(),
    queued: res.outputData.map((o: { data: unknown }) => (typeof o.data === 'string' ? maskDate(o.data) : o.data)),
    error,
  };
}

const wire = sides.find(([name]) => name === 'wirehttp/node')?.[1];

describe.runIf(wire)('response heads: wirehttp/node ServerResponse against node:http', () => {
  it('is a subclass of node:http ServerResponse', () => {
    expect(wire!.ServerResponse.prototype).toBeInstanceOf(nodeHttp.ServerResponse);
  });
  for (const c of CASES) {
    it(c.name, () => {
      const expected = run(nodeHttp.ServerResponse, c);
      expect(expected.head ?? expected.error, 'node:http made a head or threw').toBeTruthy();
      expect(run(wire!.ServerResponse, c)).toEqual(expected);
    });
  }
});
