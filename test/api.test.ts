// The public API of the runtime-neutral core: options, callbacks and their return values,
// errors, the headers object against Node's own rules, and the package entry points.
import { execFileSync } from 'node:child_process';
import http, { IncomingMessage } from 'node:http';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nodeParserClass } from './support/verdict.js';
import { Err, Lenient, Why } from '../assembly/constants.js';
import { ERROR_NAMES, LENIENT_NAMES, REASONS } from '../assembly/names.js';
import {
  ERROR_CODES, HttpParser, LENIENT_FLAGS, METHODS, ParseError, headersFromRaw, parseRequest, parseResponse,
  type MessageHead,
} from '../bindings/core/index.js';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array) => String.fromCharCode(...b);
const ROOT = new URL('..', import.meta.url).pathname;

describe('names stay in step with the enums', () => {
  it('has a name for every error code, a text for every reason, a name for every lenient bit', () => {
    expect(ERROR_NAMES.length).toBe(Err.CHUNK_EXTENSIONS_OVERFLOW + 1);
    expect(REASONS.length).toBe(Why.MISSING_VERSION + 1);
    expect(1 << (LENIENT_NAMES.length - 1)).toBe(Lenient.SPACES_AFTER_CHUNK_SIZE);
    expect(ERROR_CODES).toBe(ERROR_NAMES);
    expect(LENIENT_FLAGS).toBe(LENIENT_NAMES);
  });

  it('knows exactly the methods node:http knows', () => {
    expect([...METHODS].sort()).toEqual(http.METHODS);
    for (const method of http.METHODS) {
      const target = method === 'CONNECT' ? 'example.com:443' : '/';
      expect(parseRequest(ascii(`${method} ${target} HTTP/1.1\r\n\r\n`)).method).toBe(method);
    }
  });
});

describe('options', () => {
  it('rejects bad options with TypeError / RangeError', () => {
    expect(() => new HttpParser('both' as 'request')).toThrow(TypeError);
    expect(() => new HttpParser('request', { maxHeaderSize: 0 })).toThrow(RangeError);
    expect(() => new HttpParser('request', { maxHeaderSize: 131073 })).toThrow(RangeError);
    expect(() => new HttpParser('request', { maxHeaderSize: 1.5 })).toThrow(RangeError);
    expect(() => new HttpParser('request', { maxHeadersCount: -1 })).toThrow(RangeError);
    expect(() => new HttpParser('request', { lenient: { nope: true } as never })).toThrow(/unknown lenient flag "nope"/);
    expect(() => parseResponse(ascii('HTTP/1.1 200 OK\r\n\r\n'), { requestMethod: 'FETCH' })).toThrow(TypeError);
  });

  // Each flag: an input that fails strictly and parses with the flag on.
  const lenientCases: Record<string, [string, string]> = {
    headers: ['GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n', 'HPE_INVALID_HEADER_TOKEN'],
    chunkedLength: ['POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 'HPE_INVALID_TRANSFER_ENCODING'],
    keepAlive: ['GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n', 'HPE_CLOSED_CONNECTION'],
    transferEncoding: ['POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nxyz', 'HPE_INVALID_TRANSFER_ENCODING'],
    version: ['GET / HTTP/1.9\r\n\r\n', 'HPE_INVALID_VERSION'],
    dataAfterClose: ['GET / HTTP/1.1\r\nConnection: close\r\n\r\nGARBAGE', 'HPE_CLOSED_CONNECTION'],
    optionalLfAfterCr: ['GET / HTTP/1.1\rHost: a\r\n\r\n', 'HPE_STRICT'],
    optionalCrlfAfterChunk: ['POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx0\r\n\r\n', 'HPE_STRICT'],
    optionalCrBeforeLf: ['GET / HTTP/1.1\r\nHost: a\n\r\n', 'HPE_CR_EXPECTED'],
    spacesAfterChunkSize: ['POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1 \r\nx\r\n0\r\n\r\n', 'HPE_INVALID_CHUNK_SIZE'],
  };
  const run = (input: string, lenient: object | boolean) => {
    const parser = new HttpParser('request', { lenient: lenient as never });
    let messages = 0;
    parser.onMessageComplete = () => void messages++;
    parser.execute(ascii(input));
    parser.finish();
    return messages;
  };
  for (const flag of LENIENT_NAMES) {
    it(`lenient.${flag}: off rejects, on accepts`, () => {
      const [input, code] = lenientCases[flag];
      expect(() => run(input, {})).toThrow(expect.objectContaining({ code }));
      expect(() => run(input, { [flag]: false })).toThrow(expect.objectContaining({ code }));
      expect(run(input, { [flag]: true })).toBeGreaterThan(0);
      // With every flag on, keepAlive wins over dataAfterClose: the bytes are parsed as HTTP.
      if (flag !== 'dataAfterClose') expect(run(input, true)).toBeGreaterThan(0);
    });
  }

  it('maxHeadersCount limits headers but keeps every field in rawHeaders (as Node)', () => {
    const head = parseRequest(ascii('GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n'), { maxHeadersCount: 2 });
    expect(head.rawHeaders).toEqual(['A', '1', 'B', '2', 'C', '3']);
    expect(head.headers).toEqual({ a: '1', b: '2' });
    expect(parseRequest(ascii('GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n'), { maxHeadersCount: 0 }).headers).toEqual({ a: '1', b: '2' });
  });
});

describe('headers follow node:http exactly', () => {
  const names = [
    'Content-Type', 'content-length', 'User-Agent', 'Referer', 'Host', 'Authorization', 'Proxy-Authorization',
    'If-Modified-Since', 'If-Unmodified-Since', 'From', 'Location', 'Max-Forwards', 'Retry-After', 'ETag',
    'Last-Modified', 'Server', 'Age', 'Expires', 'Set-Cookie', 'SET-COOKIE', 'Cookie', 'Accept', 'X-Custom',
    'constructor', 'toString', 'hasOwnProperty', '__proto__', 'Via',
  ];
  const raw: string[] = [];
  for (const name of names) raw.push(name, 'one', name.toUpperCase(), 'two', name, '');
  const node = (join: boolean) => {
    const message = new IncomingMessage(null as never);
    message.joinDuplicateHeaders = join;
    message._addHeaderLines(raw, raw.length);
    return { ...message.headers };
  };

  it('joins, drops and collects duplicates like IncomingMessage', () => {
    expect({ ...headersFromRaw(raw) }).toEqual(node(false));
  });
  it('joinDuplicateHeaders like IncomingMessage', () => {
    expect({ ...headersFromRaw(raw, 0, true) }).toEqual(node(true));
  });
  it('decodes header bytes as latin1, not windows-1252', () => {
    const head = parseRequest(Uint8Array.from([...ascii('GET / HTTP/1.1\r\nX: '), 0x80, 0x9f, 0xe9, 0xff, ...ascii('\r\n\r\n')]));
    expect(head.headers.x).toBe('\u0080\u009f\u00e9\u00ff');
  });
});

describe('HttpParser', () => {
  it('reports the head, body views into the caller\'s chunk, and the end with its offset', () => {
    const parser = new HttpParser('request');
    const heads: MessageHead[] = [];
    const bodies: Uint8Array[] = [];
    const ends: number[] = [];
    parser.onHeadersComplete = (h) => void heads.push(h);
    parser.onBody = (b) => void bodies.push(b);
    parser.onMessageComplete = (e) => void ends.push(e.offset);
    const chunk = ascii('POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbodyGET / HTTP/1.0\r\n\r\n');
    expect(parser.execute(chunk)).toBe(chunk.length);
    expect(heads.map((h) => [h.method, h.url, h.versionMajor, h.versionMinor, h.shouldKeepAlive, h.contentLength, h.chunked, h.upgrade]))
      .toEqual([['POST', '/a?b=1', 1, 1, true, 4, false, false], ['GET', '/', 1, 0, false, undefined, false, false]]);
    expect(bodies.length).toBe(1);
    expect(bodies[0].buffer).toBe(chunk.buffer); // a view, not a copy
    expect(text(bodies[0])).toBe('body');
    expect(ends).toEqual([56, 74]);
    expect(parser.bytesParsed).toBe(chunk.length);
  });

  it('onHeadersComplete: true skips the body, 2 switches protocol, 3 declines an upgrade', () => {
    const response = ascii('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n');
    const statuses: number[] = [];
    const p = new HttpParser('response');
    p.onHeadersComplete = (h) => {
      statuses.push(h.statusCode!);
      return true;
    };
    expect(p.execute(response)).toBe(response.length);
    expect(statuses).toEqual([200, 204]);

    const tunnel = ascii('HTTP/1.1 200 Connection Established\r\n\r\nraw tunnel bytes');
    const t = new HttpParser('response');
    t.onHeadersComplete = () => 2;
    expect(t.execute(tunnel)).toBe(tunnel.length - 'raw tunnel bytes'.length);
    expect(t.upgraded).toBe(true);
    expect(t.execute(ascii('more'))).toBe(0);

    const upgrade = ascii('GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nGET /next HTTP/1.1\r\n\r\n');
    const urls: string[] = [];
    const u = new HttpParser('request');
    u.onHeadersComplete = (h) => {
      urls.push(h.url!);
      return h.upgrade ? 3 : 0;
    };
    expect(u.execute(upgrade)).toBe(upgrade.length);
    expect(urls).toEqual(['/', '/next']);
  });

  it('onHeadersComplete returning 1 skips a request body too, as llhttp does', () => {
    const next = 'GET /next HTTP/1.1\r\n\r\n';
    const bytes = ascii(`POST /first HTTP/1.1\r\nContent-Length: ${next.length}\r\n\r\n${next}`);
    const ours: string[] = [];
    const p = new HttpParser('request');
    p.onHeadersComplete = (h) => {
      ours.push(h.url!);
      return h.url === '/first' ? 1 : 0;
    };
    p.onMessageComplete = () => void ours.push('complete');
    expect(p.execute(bytes)).toBe(bytes.length);

    const HTTPParser = nodeParserClass();
    const node = new HTTPParser();
    node.initialize(HTTPParser.REQUEST, {}, 16384, 0);
    const theirs: string[] = [];
    node[HTTPParser.kOnHeadersComplete] = (_a: number, _b: number, _h: unknown, _m: number, url: string) => {
      theirs.push(url);
      return url === '/first' ? 1 : 0;
    };
    node[HTTPParser.kOnMessageComplete] = () => void theirs.push('complete');
    expect(node.execute(bytes)).toBe(bytes.length);
    expect(ours).toEqual(theirs);
    expect(ours).toEqual(['/first', 'complete', '/next', 'complete']);
  });

  it('finish ends a read-until-close body and rejects a cut-short message', () => {
    const p = new HttpParser('response');
    let body = '';
    let done = 0;
    p.onBody = (b) => void (body += text(b));
    p.onMessageComplete = () => void done++;
    p.execute(ascii('HTTP/1.1 200 OK\r\n\r\nstream'));
    p.execute(ascii('ing'));
    expect(done).toBe(0);
    p.finish();
    expect({ body, done }).toEqual({ body: 'streaming', done: 1 });

    const cut = new HttpParser('request');
    cut.execute(ascii('GET / HTTP/1.1\r\nHost: a'));
    expect(() => cut.finish()).toThrow(expect.objectContaining({ code: 'HPE_INVALID_EOF_STATE', offset: 23 }));
  });

  it('tryExecute / tryFinish return the ParseError that execute / finish throw', () => {
    const p = new HttpParser('request');
    expect(p.tryExecute(ascii('GET / HTTP/1.1\r\n\r\n'))).toBe(18);
    expect(p.tryFinish()).toBeUndefined();
    const bad = p.tryExecute(ascii('GET /a\x01b HTTP/1.1\r\n\r\n'));
    expect(bad).toBeInstanceOf(ParseError);
    expect(bad).toMatchObject({ code: 'HPE_INVALID_URL', offset: 24 });
    expect(p.tryExecute(ascii('more'))).toBe(bad); // the same error object, every time
    expect(p.tryFinish()).toBe(bad);
    expect(() => p.execute(ascii('x'))).toThrow(bad as ParseError);
    const cut = new HttpParser('response');
    cut.execute(ascii('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab'));
    expect(cut.tryFinish()).toMatchObject({ code: 'HPE_INVALID_EOF_STATE' });
  });

  it('pipelined heads decoded together slice correctly, latin1 included', () => {
    const p = new HttpParser('request');
    const seen: string[][] = [];
    p.onHeadersComplete = (h) => void seen.push([h.url!, ...h.rawHeaders]);
    const one = (i: number) => [...ascii(`GET /${i} HTTP/1.1\r\nX-N: ${i}\r\nX-L: `), 0xe9, 0x80, ...ascii('\r\n\r\n')];
    const chunk = Uint8Array.from([...one(1), ...one(2), ...ascii('POST /3 HTTP/1.1\r\nContent-Length: 2\r\n\r\n'), 0xff, 0xfe, ...one(4)]);
    expect(p.execute(chunk)).toBe(chunk.length);
    expect(seen).toEqual([
      ['/1', 'X-N', '1', 'X-L', '\u00e9\u0080'],
      ['/2', 'X-N', '2', 'X-L', '\u00e9\u0080'],
      ['/3', 'Content-Length', '2'],
      ['/4', 'X-N', '4', 'X-L', '\u00e9\u0080'],
    ]);
  });

  it('free() hands the state slot back and the parser keeps working', () => {
    const p = new HttpParser('request');
    const urls: string[] = [];
    p.onHeadersComplete = (h) => void urls.push(h.url!);
    p.execute(ascii('GET /one HTTP/1.1\r\nHo'));
    p.free();
    p.free();
    p.execute(ascii('st: h\r\n\r\nGET /two HTTP/1.1\r\n\r\n'));
    expect(urls).toEqual(['/one', '/two']);
  });
});

describe('ParseError', () => {
  it('carries code, reason and offset, and nothing else is thrown for bad input', () => {
    try {
      parseRequest(ascii('GET / HTTP/1.1\r\nBad Name: x\r\n\r\n'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ParseError);
      expect(error).toBeInstanceOf(Error);
      const e = error as ParseError;
      expect([e.name, e.code, e.reason, e.offset, e.bytesParsed]).toEqual(['ParseError', 'HPE_INVALID_HEADER_TOKEN', 'Invalid header token', 19, 19]);
      expect(e.message).toBe('HPE_INVALID_HEADER_TOKEN: Invalid header token (at byte 19)');
    }
  });
  it('an empty input is not a message', () => {
    expect(() => parseRequest(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'HPE_INVALID_EOF_STATE' }));
  });
});

describe('one-shot helpers', () => {
  it('parse exactly one message and say how many bytes it took', () => {
    const r = parseRequest(ascii('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 9\r\n\r\nGET /next HTTP/1.1\r\n\r\n'));
    expect([text(r.body), r.rawTrailers, r.trailers, r.bytesConsumed]).toEqual(['abcde', ['X-Sum', '9'], { 'x-sum': '9' }, 77]);
    const head = parseResponse(ascii('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n'), { requestMethod: 'head' });
    expect([head.statusCode, head.statusMessage, head.body.length, head.bytesConsumed]).toEqual([200, 'OK', 0, 38]);
    const tunnel = parseResponse(ascii('HTTP/1.1 200 OK\r\n\r\nbytes'), { requestMethod: 'CONNECT' });
    expect(tunnel.bytesConsumed).toBe(19);
  });
  it('JSON has the headers object', () => {
    const json = JSON.parse(JSON.stringify(parseRequest(ascii('GET / HTTP/1.1\r\nA: 1\r\nA: 2\r\n\r\n'))));
    expect(json).toMatchObject({ method: 'GET', url: '/', rawHeaders: ['A', '1', 'A', '2'], headers: { a: '1, 2' } });
  });
});

describe('package entry points', () => {
  const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' }).trim();
  it('import from "wirehttp" (ESM)', () => {
    expect(node(['--input-type=module', '-e', "import { parseRequest } from 'wirehttp'; console.log(parseRequest(new TextEncoder().encode('GET /esm HTTP/1.1\\r\\n\\r\\n')).url)"])).toBe('/esm');
  });
  it('"wirehttp/wirehttp.wasm" is the wasm file, for loading it your own way (init)', () => {
    const script = "const { readFileSync } = require('node:fs'); const file = require.resolve('wirehttp/wirehttp.wasm'); " +
      "console.log(file.endsWith('/dist/wirehttp.wasm'), WebAssembly.validate(readFileSync(file)))";
    expect(node(['-e', script])).toBe('true true');
  });
  it('require("wirehttp") (CommonJS)', () => {
    expect(node(['-e', "const { parseRequest } = require('wirehttp'); console.log(parseRequest(new TextEncoder().encode('GET /cjs HTTP/1.1\\r\\n\\r\\n')).url)"])).toBe('/cjs');
  });
  it('import() of the CommonJS builds sees their named exports (cjs-module-lexer reads them)', () => {
    const script = `
      const load = (id) => import(require.resolve(id)).then((ns) => {
        const required = require(id);
        const named = Object.keys(ns).filter((k) => k !== 'default');
        return { file: require.resolve(id).split('/').pop(), allNamed: named.length === Object.keys(required).length, same: named.every((k) => ns[k] === required[k]), missing: Object.keys(required).filter((k) => !(k in ns)) };
      });
      Promise.all([load('wirehttp'), load('wirehttp/node')]).then((r) => console.log(JSON.stringify(r)));`;
    expect(JSON.parse(node(['-e', script]))).toEqual([
      { file: 'index.node.cjs', allNamed: true, same: true, missing: [] },
      { file: 'node.cjs', allNamed: true, same: true, missing: [] },
    ]);
  });
});

describe('a parsed message as a person sees it', () => {
  const FIELDS = ['method', 'url', 'statusCode', 'statusMessage', 'versionMajor', 'versionMinor', 'rawHeaders', 'headers', 'upgrade', 'shouldKeepAlive', 'contentLength', 'chunked'];
  const bytes = ascii('POST /p HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a: 2\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 9\r\n\r\n');
  const parsed = () => {
    let head: MessageHead | undefined;
    let end: import('../bindings/core/index.js').MessageEnd | undefined;
    const parser = new HttpParser('request');
    parser.onHeadersComplete = (h) => void (head = h);
    parser.onMessageComplete = (e) => void (end = e);
    parser.execute(bytes);
    return { head: head!, end: end! };
  };
  const HEADERS = { host: 'h', 'x-a': '1, 2', 'transfer-encoding': 'chunked' };

  it('its own properties are the documented fields, headers included, and nothing else', () => {
    const { head, end } = parsed();
    expect(Object.keys(head)).toEqual(FIELDS);
    expect(head.headers).toEqual(HEADERS);
    expect(Object.keys(end)).toEqual(['rawTrailers', 'trailers', 'offset']);
  });

  it('console.log shows headers and no internals', () => {
    const { head, end } = parsed();
    const shown = inspect(head, { depth: 3 });
    expect(shown).toContain("headers: { host: 'h', 'x-a': '1, 2', 'transfer-encoding': 'chunked' }");
    expect(shown).not.toMatch(/cached|maxHeadersCount|Getter/);
    expect(inspect(end)).toContain("trailers: { 'x-sum': '9' }");
  });

  it('spread, structuredClone and JSON keep headers and trailers', () => {
    const { head, end } = parsed();
    for (const copy of [{ ...head }, structuredClone(head)]) {
      expect(Object.keys(copy)).toEqual(FIELDS);
      expect(copy).toEqual({ ...head, headers: HEADERS });
    }
    expect(JSON.parse(JSON.stringify(head)).headers).toEqual(HEADERS); // JSON leaves out the undefined fields
    expect({ ...end }.trailers).toEqual({ 'x-sum': '9' });
    expect(structuredClone(end).trailers).toEqual({ 'x-sum': '9' });
  });

  it('headers: false makes heads and ends without the headers objects (for callers that use rawHeaders)', () => {
    const parser = new HttpParser('request', { headers: false });
    let head: MessageHead | undefined;
    parser.onHeadersComplete = (h) => void (head = h);
    parser.execute(bytes);
    expect(head!.rawHeaders).toEqual(['Host', 'h', 'X-A', '1', 'x-a', '2', 'Transfer-Encoding', 'chunked']);
    expect(head!.headers).toBeUndefined();
  });
});
