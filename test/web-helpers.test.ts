// wirehttp/web's helpers in Node: parsed messages → Request / Response, what the Web types
// cannot hold (and what the helper does then), readRequest / readResponse on byte streams, the
// serializers. The same scenario runs in the other runtimes (test/web-runtimes.test.ts) and must
// give these results there, less the platform differences listed with it.
import { describe, expect, it, beforeAll } from 'vitest';
import { parseRequest, parseResponse } from '../bindings/core/index.js';
import * as web from '../bindings/web/index.js';
import { webScenario } from './support/web-scenario.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
let r: Json;

beforeAll(async () => {
  r = await webScenario({ ...web, parseRequest, parseResponse });
});

const refused = (code: string, extra: object = {}) => expect.objectContaining({ ok: false, name: 'NotRepresentableError', code, ...extra });

describe('parsed requests as Request', () => {
  it('keeps method, URL, fields and body; the raw head keeps case, order and duplicates', () => {
    expect(r.post.value).toEqual({
      method: 'POST',
      url: 'http://example.test:8080/submit?x=1&y=%20',
      headers: [
        ['connection', 'keep-alive'], ['content-length', '11'], ['content-type', 'text/plain'], ['cookie', 'a=1; b=2'],
        ['host', 'example.test:8080'], ['user-agent', 'wirehttp-test'], ['x-trace', 'a, b'],
      ],
      body: 'hello world',
      rawHeaders: [
        'Host', 'example.test:8080', 'X-Trace', 'a', 'x-trace', 'b', 'Cookie', 'a=1', 'Cookie', 'b=2', 'Content-Type', 'text/plain',
        'Content-Length', '11', 'Connection', 'keep-alive', 'User-Agent', 'wirehttp-test',
      ],
      rawUrl: '/submit?x=1&y=%20',
      trailers: [],
    });
    expect(r.latin1.value.headers).toContainEqual(['x-name', 'caf\u00e9 \u0080']);
    expect(r.ctlValue.value.headers).toContainEqual(['x-ctl', 'a\u0001b']);
  });

  it('builds the URL from baseUrl, else from the one Host field; refuses what has no URL', () => {
    expect(r.baseUrl.value.url).toBe('https://api.example.test:8443/a/b');
    expect(r.noHost).toEqual(refused('URL', { headMethod: 'GET' }));
    expect(r.twoHosts).toEqual(refused('URL'));
    expect(r.badHost).toEqual(refused('URL'));
    // A path starting with // stays a path on the Host's authority.
    expect(r.doubleSlash.value.url).toBe('http://a.test//evil.test/x');
    expect(r.absolute.value.url).toBe('http://other.test:81/p?q');
    expect(r.asterisk.value).toMatchObject({ method: 'OPTIONS', url: 'http://a.test/', rawUrl: '*' });
  });

  it('refuses the methods new Request refuses, and a body on GET, handing over head and body', () => {
    expect(r.connect).toEqual(refused('METHOD', { headMethod: 'CONNECT' }));
    expect(r.trace).toEqual(refused('METHOD', { headMethod: 'TRACE' }));
    expect(r.track).toMatchObject({ ok: false, name: 'ParseError', code: 'HPE_INVALID_METHOD' }); // not an HTTP method to the parser
    expect(r.getWithBody).toEqual(refused('BODY', { body: [...'abc'].map((c) => c.charCodeAt(0)) }));
    expect(r.nulValue).toEqual(refused('HEADER'));
  });
});

describe('parsed responses as Response', () => {
  it('keeps status, reason, fields (every Set-Cookie) and body', () => {
    expect(r.ok.value).toMatchObject({
      status: 200, statusText: 'OK', body: 'hello', hasBody: true,
      headers: [['content-length', '5'], ['content-type', 'text/plain'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-dup', '1, 2']],
    });
  });

  it('refuses statuses outside 200–599 and bodies on null-body statuses; an unfit reason becomes ""', () => {
    for (const status of [100, 101, 103, 199, 600, 999]) expect(r.status[status], String(status)).toEqual(refused('STATUS', { headStatus: status }));
    for (const status of [204, 304, 599]) expect(r.status[status].value.status).toBe(status);
    expect(r.resetWithBody).toEqual(refused('BODY', { headStatus: 205, body: [104, 105] }));
    expect(r.ctlReason.value).toMatchObject({ statusText: '', rawStatusMessage: 'O\u0001K' });
    expect(r.emptyReason.value.statusText).toBe('');
  });
});

describe('readRequest / readResponse on a byte stream', () => {
  it('reads pipelined requests in any split, streaming a chunked body with its trailers, then null', () => {
    const expected = [
      { method: 'POST', url: 'http://a.test/upload', body: 'hello world', trailers: ['X-Sum', '42'] },
      { method: 'GET', url: 'http://a.test/next?n=2', body: null, trailers: [] },
      { method: 'PUT', url: 'http://a.test/len', body: 'abcd', trailers: [] },
    ];
    for (const split of ['whole', 'bytes', 'odd']) {
      expect(r[`pipelined_${split}`].map(({ method, url, body, trailers }: Json) => ({ method, url, body, trailers })), split).toEqual(expected);
      expect(r[`pipelined_${split}`]).toEqual(r.pipelined_whole);
    }
  });

  it('drops a body left unread when the next request is read', () => {
    expect(r.skipUnread.first).toBe('http://a.test/upload');
    expect(r.skipUnread.second).toBe('http://a.test/next?n=2');
    expect(r.skipUnread.firstBody).toMatchObject({ ok: false, name: 'TypeError' });
  });

  it('rejects bad input with ParseError: in the head before the Request, in the body through the body', () => {
    expect(r.badRequest).toMatchObject({ ok: false, name: 'ParseError', code: 'HPE_INVALID_HEADER_TOKEN', offset: 28 });
    expect(r.badChunk.value.body).toMatchObject({ ok: false, name: 'ParseError', code: 'HPE_INVALID_CHUNK_SIZE', offset: 64 });
    expect(r.cutShort).toMatchObject({ ok: false, name: 'ParseError', code: 'HPE_INVALID_EOF_STATE' });
    expect(r.empty).toEqual({ ok: true, value: null });
    expect(r.badResponse).toMatchObject({ ok: false, name: 'ParseError', code: 'HPE_INVALID_STATUS' });
  });

  it('stops after CONNECT: what follows is another protocol', () => {
    expect(r.connectRead.value.first).toEqual(refused('METHOD'));
    expect(r.connectRead.value.after).toMatchObject({ ok: false, name: 'TypeError', message: expect.stringContaining('changed protocol') });
  });

  it('reads HEAD responses without a body, skips 1xx to onInformational, reads until close, 304 and chunked', () => {
    expect(r.headResponse.value.head).toMatchObject({ status: 200, hasBody: false, headers: [['content-length', '1000']] });
    expect(r.headResponse.value.next).toMatchObject({ status: 204, hasBody: false });
    expect(r.informational.value.interim).toEqual([[100, []], [103, ['Link', '</a.css>; rel=preload']]]);
    expect(r.informational.value.res).toMatchObject({ status: 200, body: 'ok' });
    expect(r.untilClose.value).toMatchObject({ status: 200, body: 'all of it, until the end' });
    expect(r.notModified.value).toMatchObject({ status: 304, hasBody: false });
    expect(r.chunkedResponse.value).toMatchObject({ body: 'abc', trailers: ['X-T', '1'] });
  });
});

describe('serializeRequest / serializeResponse', () => {
  it('frames by the Content-Length field when there is one, else chunked, and holds the body to it', () => {
    const s = r.serialized;
    expect(s.postString.value).toBe('POST /p?q=1 HTTP/1.1\r\nhost: a.test:8080\r\ncontent-type: text/plain;charset=UTF-8\r\nx-a: 1\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n');
    expect(s.postLength.value).toBe('POST /p HTTP/1.1\r\nhost: a.test\r\ncontent-type: text/plain;charset=UTF-8\r\ncontent-length: 5\r\n\r\nhello');
    expect(s.postShort).toMatchObject({ ok: false, name: 'TypeError', message: 'wirehttp: the body had 5 bytes, its Content-Length says 9' });
    expect(s.postEmpty.value).toBe('POST /p HTTP/1.1\r\nhost: a.test\r\ncontent-length: 0\r\n\r\n');
    expect(s.get.value).toBe('GET /caf%C3%A9?a=b HTTP/1.1\r\nhost: a.test\r\n\r\n');
    expect(s.response.value).toBe(
      'HTTP/1.1 201 Created\r\ncontent-type: text/plain;charset=UTF-8\r\nset-cookie: a=1\r\nset-cookie: b=2\r\nx-b: 2\r\ntransfer-encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n',
    );
    expect(s.noContent.value).toBe('HTTP/1.1 204 \r\nx-c: 3\r\n\r\n');
    expect(s.headLength.value).toBe('HTTP/1.1 200 \r\ncontent-type: text/plain;charset=UTF-8\r\ncontent-length: 4\r\n\r\n');
    expect(s.emptyOk.value).toBe('HTTP/1.1 200 \r\ncontent-length: 0\r\n\r\n');
  });

  it('round-trips through readRequest / readResponse', () => {
    expect(r.roundTrip.value.request).toMatchObject({ method: 'PUT', url: 'http://a.test/rt', body: 'round trip' });
    expect(r.roundTrip.value.response).toMatchObject({ status: 202, body: 'answer' });
  });
});

describe('protocol switches', () => {
  const streamOf = (text: string) => new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(Uint8Array.from(text, (c) => c.charCodeAt(0)));
      controller.close();
    },
  });

  it('reads an Upgrade request as plain HTTP: the next request follows', async () => {
    const stream = streamOf('GET /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n');
    const first = (await web.readRequest(stream))!;
    expect(web.rawHead(first)!.upgrade).toBe(true);
    expect(first.headers.get('upgrade')).toBe('websocket');
    expect((await web.readRequest(stream))!.url).toBe('http://a/next');
    expect(await web.readRequest(stream)).toBeNull();
  });

  it('refuses a 101 response (status outside 200–599) and stops: what follows is another protocol', async () => {
    const stream = streamOf('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x05hello');
    await expect(web.readResponse(stream)).rejects.toMatchObject({ name: 'NotRepresentableError', code: 'STATUS', head: { statusCode: 101 } });
    await expect(web.readResponse(stream)).rejects.toThrow(/changed protocol/);
  });
});

describe('toRequest / toResponse on parseRequest / parseResponse results', () => {
  it('hands the raw head and trailers back', async () => {
    const parsed = parseRequest(new TextEncoder().encode('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nT: 1\r\n\r\n'));
    const req = web.toRequest(parsed);
    expect(web.rawHead(req)).toBe(parsed);
    expect(await web.rawTrailers(req)).toEqual(['T', '1']);
    expect(await req.text()).toBe('x');
    expect(web.rawHead(new Request('http://x/'))).toBeUndefined();
    expect(web.rawTrailers(new Response(''))).toBeUndefined();
  });

  it('throws the core ParseError class (one core shared with wirehttp)', async () => {
    const { ParseError } = await import('../bindings/core/index.js');
    expect(web.ParseError).toBe(ParseError);
  });
});
