// wirehttp's HTTPParser as http-parser-js's users call it: the object form of onHeadersComplete
// (nothing in this file reads kOnExecute, which would switch every parser to the positional
// form), the 0.11 accessor mode, the rest of the surface, errors, the lenient switch.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { HTTPParser, HttpParser, ParseError, methods, type HTTPParserError } from '../bindings/core/index.node.js';
import { home } from '../bindings/core/wasm.js';
import { nodeParser } from '../bindings/cli/fuzz/llhttp.js';
import { rng } from '../bindings/cli/fuzz/random.js';
import { loadFixtures } from './support/fixtures.js';
import { callbackLog, explainDifference, type ParserClass } from './support/http-parser-js-log.js';

const require = createRequire(import.meta.url);
const httpParserJs = require('http-parser-js').HTTPParser as ParserClass & Record<string, unknown>;
const ours = HTTPParser as unknown as ParserClass;
const bytes = (s: string) => Buffer.from(s, 'latin1');
const ROOT = new URL('..', import.meta.url).pathname;

afterEach(() => {
  HTTPParser.lenient = false;
  HTTPParser.encoding = 'ascii';
  httpParserJs.encoding = 'ascii';
});

describe('every fixture beside http-parser-js', () => {
  const fixtures = loadFixtures();
  for (const accessors of [false, true]) {
    it(accessors ? 'on* accessors (0.11 mode: method names)' : 'k* slots, object form', () => {
      const seen = new Map<string, number>();
      for (const f of fixtures) {
        const raw = Buffer.from(f.raw);
        const mine = callbackLog(ours, f.type, raw, { ...f.options, accessors, viaInitialize: !!f.options.lenient });
        const theirs = callbackLog(httpParserJs, f.type, raw, { ...f.options, lenient: undefined, accessors });
        const node = callbackLog(nodeParser() as unknown as ParserClass, f.type, raw, { ...f.options, viaInitialize: true });
        const why = explainDifference(mine, theirs, node, f.llhttp !== 'same');
        if (why === undefined) expect({ fixture: `${f.file}: ${f.name}`, mine, theirs }).toBe('explained by the README');
        seen.set(why!, (seen.get(why!) ?? 0) + 1);
      }
      expect(seen.get('same')).toBeGreaterThan(45);
    });
  }
});

describe('the surface', () => {
  it('has http-parser-js’s constants, statics and methods', () => {
    for (const name of ['REQUEST', 'RESPONSE', 'kOnHeaders', 'kOnHeadersComplete', 'kOnBody', 'kOnMessageComplete', 'encoding', 'maxHeaderSize']) {
      expect(HTTPParser[name as keyof typeof HTTPParser], name).toEqual(httpParserJs[name]);
    }
    expect(methods).toBe(HTTPParser.methods);
    expect(methods.slice(0, (httpParserJs.methods as string[]).length)).toEqual(httpParserJs.methods);
    const internals = /^[A-Z_]+$|^(consumeLine|parseHeader|userCall|nextRequest|shouldKeepAlive)$/;
    const theirs = Object.getOwnPropertyNames((httpParserJs as unknown as { prototype: object }).prototype).filter((n) => !internals.test(n));
    for (const name of theirs) expect(name in HTTPParser.prototype, name).toBe(true);
  });

  it('constructs with and without a type, and HTTPParser(type) on an instance initializes it again', () => {
    const parser = new HTTPParser();
    expect(parser).toBeInstanceOf(HTTPParser);
    parser.initialize(HTTPParser.RESPONSE);
    const heads: unknown[] = [];
    parser[HTTPParser.kOnHeadersComplete] = (info: { statusCode?: number; method?: number }) => void heads.push(info.statusCode ?? info.method);
    parser.execute(bytes('HTTP/1.1 204 No Content\r\n\r\n'));
    HTTPParser.call(parser, HTTPParser.REQUEST);
    parser.execute(bytes('GET / HTTP/1.1\r\n\r\n'));
    parser.reinitialize(HTTPParser.RESPONSE);
    parser.execute(bytes('HTTP/1.1 304 Not Modified\r\n\r\n'));
    expect(heads).toEqual([204, 1, 304]);
    expect(() => new HTTPParser('request' as never)).toThrow('type must be REQUEST or RESPONSE');
    expect(() => new (httpParserJs as unknown as new (t: string) => unknown)('request')).toThrow('type must be REQUEST or RESPONSE');
  });

  it('onBody gets a view of the chunk as (chunk, 0, length): a Buffer for a Buffer, a Uint8Array without one', () => {
    for (const input of [bytes('POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc'), new Uint8Array(bytes('POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc'))]) {
      const parser = new HTTPParser(HTTPParser.REQUEST);
      const calls: unknown[][] = [];
      parser[HTTPParser.kOnBody] = (...args: unknown[]) => void calls.push(args);
      parser.execute(input);
      expect(calls).toHaveLength(1);
      const [chunk, offset, length] = calls[0] as [Uint8Array, number, number];
      expect([chunk.constructor, offset, length, chunk.buffer]).toEqual([input.constructor, 0, 3, input.buffer]);
      expect(Buffer.from(chunk).toString()).toBe('abc');
    }
  });

  it('execute(chunk, start, length) parses that range', () => {
    const parser = new HTTPParser(HTTPParser.REQUEST);
    const urls: string[] = [];
    parser[HTTPParser.kOnHeadersComplete] = (info: { url: string }) => void urls.push(info.url);
    expect(parser.execute(bytes('xxGET /a HTTP/1.1\r\n\r\nyy'), 2, 19)).toBe(19);
    expect(urls).toEqual(['/a']);
  });

  it('onHeadersComplete’s answer: 1 skips the body, 2 hands the rest over (as http-parser-js)', () => {
    for (const [answer, input] of [[1, 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 204 No\r\n\r\n'], [2, 'HTTP/1.1 200 Connected\r\n\r\ntunnel bytes']] as const) {
      const logs = [ours, httpParserJs].map((P) => {
        const parser = new P(P.RESPONSE as string);
        const log: unknown[] = [];
        parser[P.kOnHeadersComplete] = (info: { statusCode: number }) => (log.push(info.statusCode), answer);
        parser[P.kOnBody] = () => void log.push('body');
        parser[P.kOnMessageComplete] = () => void log.push('complete');
        log.push(parser.execute(bytes(input)));
        return log;
      });
      expect(logs[0]).toEqual(logs[1]);
    }
  });

  it('every callback is called with the parser as `this`, as http-parser-js calls them (Node\'s parserOnHeadersComplete reads it)', () => {
    const run = (Parser: ParserClass) => {
      const parser = new Parser(Parser.REQUEST) as unknown as Record<number, unknown> & { execute(b: Buffer): unknown };
      const seen: string[] = [];
      for (const [slot, name] of [[1, 'onHeaders'], [2, 'onHeadersComplete'], [3, 'onBody'], [4, 'onMessageComplete']] as const) {
        parser[slot] = function (this: unknown) {
          seen.push(`${name}: ${this === parser}`);
        };
      }
      parser.execute(bytes('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX: y\r\n\r\n'));
      return seen;
    };
    const theirs = run(httpParserJs);
    expect(theirs).toEqual(['onHeadersComplete: true', 'onBody: true', 'onHeaders: true', 'onMessageComplete: true']);
    expect(run(ours)).toEqual(theirs);
  });

  it('an exception thrown by a callback propagates from execute, as in http-parser-js', () => {
    for (const P of [ours, httpParserJs]) {
      const parser = new P(P.REQUEST as string);
      parser[P.kOnHeadersComplete] = () => {
        throw new RangeError('from the callback');
      };
      expect(() => parser.execute(bytes('GET / HTTP/1.1\r\n\r\n'))).toThrow(RangeError);
    }
  });

  it('maxHeaderSize: the static default and the instance property (read when the parser starts parsing)', () => {
    const head = `GET / HTTP/1.1\r\nX: ${'a'.repeat(200)}\r\n\r\n`;
    const parser = new HTTPParser(HTTPParser.REQUEST);
    expect(parser.maxHeaderSize).toBe(80 * 1024);
    parser.maxHeaderSize = 100;
    const error = parser.execute(bytes(head)) as HTTPParserError;
    expect([error.message, error.code]).toEqual(['max header size exceeded', 'HPE_HEADER_OVERFLOW']);
    expect(new HTTPParser(HTTPParser.REQUEST).execute(bytes(head))).toBe(head.length);
  });

  it('free() and close() give the wasm slot back; the parser goes on working', () => {
    const parser = new HTTPParser(HTTPParser.REQUEST);
    let complete = 0;
    parser[HTTPParser.kOnMessageComplete] = () => void complete++;
    parser.execute(bytes('GET / HTTP/1.1\r\n'));
    const free = home().freeSlots.length;
    parser.free();
    expect(home().freeSlots.length).toBe(free + 1);
    parser.close();
    expect(parser.execute(bytes('\r\nGET /b HTTP/1.1\r\n\r\n'))).toBe(21);
    expect(complete).toBe(2);
    for (const name of ['pause', 'resume', 'remove', 'consume', 'unconsume', 'getCurrentBuffer'] as const) expect(parser[name]()).toBeUndefined();
    expect(parser.getAsyncId()).toBe(0);
  });

  it('encoding: latin1 keeps every byte (also under the default \'ascii\'); utf8 decodes as http-parser-js does', () => {
    const input = bytes(`GET / HTTP/1.1\r\nX-Name: ${Buffer.from('café ✓').toString('latin1')}\r\n\r\n`);
    const value = (P: ParserClass) => {
      let got = '';
      const parser = new P(P.REQUEST as string);
      parser[P.kOnHeadersComplete] = (info: { headers: string[] }) => void (got = info.headers[1]);
      parser.execute(input);
      return got;
    };
    expect(value(ours)).toBe(Buffer.from('café ✓').toString('latin1'));
    HTTPParser.encoding = httpParserJs.encoding = 'utf8';
    expect(value(ours)).toBe('café ✓');
    expect(value(ours)).toBe(value(httpParserJs));
  });
});

describe('errors', () => {
  it('are returned from execute, never thrown, shaped as http-parser-js’s, with the core’s code and reason', () => {
    const cases: [string, string][] = [
      ['FOO / HTTP/1.1\r\n\r\n', 'invalid request method'],
      ['GET / HTTP/1.1\r\nX: a\rb\r\n\r\n', 'Parse Error'],
      ['POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n', 'Expected empty line'],
    ];
    for (const [input, message] of cases) {
      const parser = new HTTPParser(HTTPParser.REQUEST);
      const error = parser.execute(bytes(input)) as HTTPParserError;
      let core: ParseError | undefined;
      try {
        new HttpParser('request').execute(bytes(input));
      } catch (e) {
        core = e as ParseError;
      }
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toBe(message);
      expect([error.code, error.reason, error.bytesParsed]).toEqual([core!.code, core!.reason, core!.offset]);
      const theirs = new httpParserJs(httpParserJs.REQUEST as string).execute(bytes(input)) as Error;
      expect(theirs.message).toBe(message);
      // Later calls: the same error; finish() has nothing more to say (as http-parser-js).
      expect(parser.execute(bytes('GET / HTTP/1.1\r\n\r\n'))).toBe(error);
      expect(parser.finish()).toBeUndefined();
    }
  });

  it('bytesParsed counts from the start of the chunk that failed, as Node’s binding', () => {
    const parser = new HTTPParser(HTTPParser.REQUEST);
    expect(parser.execute(bytes('GET / HTTP/1.1\r\nHost: a\r\n\r\n'))).toBe(27);
    const error = parser.execute(bytes('GET /\x01 HTTP/1.1\r\n\r\n')) as HTTPParserError;
    expect([error.code, error.bytesParsed]).toEqual(['HPE_INVALID_URL', 5]);
  });

  it('finish() inside a message: http-parser-js’s message with Node’s code', () => {
    const parser = new HTTPParser(HTTPParser.REQUEST);
    parser.execute(bytes('POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab'));
    const error = parser.finish() as HTTPParserError;
    expect([error.message, error.code]).toEqual(['invalid state for EOF', 'HPE_INVALID_EOF_STATE']);
    expect((new httpParserJs(httpParserJs.REQUEST as string).execute(bytes('POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab')), 'ok')).toBe('ok');
  });

  it('hostile input: an Error returned, no trap, wasm memory unchanged, other parsers unharmed', () => {
    const memory = home().exports.memory.buffer.byteLength;
    const bystander = new HTTPParser(HTTPParser.REQUEST);
    const urls: string[] = [];
    bystander[HTTPParser.kOnHeadersComplete] = (info: { url: string }) => void urls.push(info.url);
    bystander.execute(bytes('GET /before HTTP/1.1\r\nHo'));
    const random = rng(16);
    const noise = Buffer.alloc(1 << 20);
    for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(random() * 256);
    const hostile = [
      noise,
      bytes(`GET / HTTP/1.1\r\nX: ${'a'.repeat(1 << 20)}\r\n\r\n`),
      bytes(`POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;${'x'.repeat(40000)}\r\n`),
      bytes(`POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n${'1\r\na\r\n'.repeat(100000)}zz\r\n`),
    ];
    for (const input of hostile) {
      for (const piece of [input.length, 4096, 7]) {
        const parser = new HTTPParser(HTTPParser.REQUEST);
        let result: number | Error = 0;
        for (let at = 0; at < input.length && typeof result === 'number'; at += piece) result = parser.execute(input.subarray(at, at + piece));
        expect(result).toBeInstanceOf(Error);
        expect((result as HTTPParserError).code).toMatch(/^HPE_/);
      }
    }
    expect(home().exports.memory.buffer.byteLength).toBe(memory);
    bystander.execute(bytes('st: a\r\n\r\n'));
    expect(urls).toEqual(['/before']);
  });
});

// What http-parser-js accepts and wirehttp rejects by default, with the lenient flag that
// restores it (the README's list). `same`: with the flag, every callback is http-parser-js's.
const RESTORED: { flag: string | string[]; code: string; type: 'request' | 'response'; input: string; same: boolean }[] = [
  // As in llhttp, a bare LF right after the version stands for the CR, so that line end takes both flags.
  { flag: ['optionalCrBeforeLf', 'optionalLfAfterCr'], code: 'HPE_INVALID_VERSION', type: 'request', input: 'GET / HTTP/1.1\nHost: a\n\n', same: true },
  { flag: 'optionalCrBeforeLf', code: 'HPE_CR_EXPECTED', type: 'request', input: '\nGET / HTTP/1.1\r\n\r\n', same: true },
  { flag: 'headers', code: 'HPE_INVALID_HEADER_TOKEN', type: 'request', input: 'GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n', same: true },
  { flag: 'headers', code: 'HPE_INVALID_STATUS', type: 'response', input: 'HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n', same: true },
  // obs-fold: http-parser-js joins the lines with one space, wirehttp (as llhttp) keeps the whitespace.
  { flag: 'headers', code: 'HPE_INVALID_HEADER_TOKEN', type: 'request', input: 'GET / HTTP/1.1\r\nX: a\r\n  b\r\nHost: a\r\n\r\n', same: false },
  { flag: 'chunkedLength', code: 'HPE_INVALID_TRANSFER_ENCODING', type: 'request', input: 'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n', same: true },
  { flag: 'keepAlive', code: 'HPE_CLOSED_CONNECTION', type: 'request', input: 'GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\n\r\n', same: true },
  { flag: 'dataAfterClose', code: 'HPE_CLOSED_CONNECTION', type: 'request', input: 'GET / HTTP/1.1\r\nConnection: close\r\n\r\nxyz', same: true },
  // A request Transfer-Encoding that is not chunked: http-parser-js reads no body, wirehttp reads until close.
  { flag: 'transferEncoding', code: 'HPE_INVALID_TRANSFER_ENCODING', type: 'request', input: 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nabc', same: false },
  { flag: 'version', code: 'HPE_INVALID_VERSION', type: 'request', input: 'GET / HTTP/1.2\r\n\r\n', same: true },
  { flag: 'version', code: 'HPE_INVALID_VERSION', type: 'response', input: 'HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n', same: true },
  { flag: 'spacesAfterChunkSize', code: 'HPE_INVALID_CHUNK_SIZE', type: 'request', input: 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1 \r\na\r\n0\r\n\r\n', same: true },
];

// Accepted by http-parser-js, rejected by wirehttp with no flag to restore it (the README's list).
const NOT_RESTORED: { code: string; type: 'request' | 'response'; input: string }[] = [
  { code: 'HPE_UNEXPECTED_CONTENT_LENGTH', type: 'request', input: 'POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na' },
  { code: 'HPE_INVALID_HEADER_TOKEN', type: 'request', input: 'GET / HTTP/1.1\r\nX : 1\r\n\r\n' },
  { code: 'HPE_INVALID_URL', type: 'request', input: 'GET /\x01 HTTP/1.1\r\n\r\n' },
  { code: 'HPE_STRICT', type: 'request', input: 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;a=b c\r\na\r\n0\r\n\r\n' },
  { code: 'HPE_INVALID_STATUS', type: 'response', input: 'HTTP/1.1 099 X\r\nContent-Length: 0\r\n\r\n' },
  { code: 'HPE_INVALID_CONTENT_LENGTH', type: 'request', input: 'POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\na' },
];

describe('strict by default; the lenient switch restores what http-parser-js accepted', () => {
  const lastIsError = (log: unknown[][]) => log[log.length - 1][1] instanceof Object;
  for (const c of RESTORED) {
    const flags = Object.fromEntries([c.flag].flat().map((f) => [f, true]));
    it(`${[c.flag].flat().join('+')}: ${JSON.stringify(c.input)}`, () => {
      const theirs = callbackLog(httpParserJs, c.type, bytes(c.input));
      expect(lastIsError(theirs)).toBe(false);
      const strict = callbackLog(ours, c.type, bytes(c.input));
      expect(strict[strict.length - 1][1]).toMatchObject({ code: c.code });
      HTTPParser.lenient = flags;
      expect(HTTPParser.lenient).toEqual(flags);
      const lenient = callbackLog(ours, c.type, bytes(c.input));
      expect(lastIsError(lenient)).toBe(false);
      if (c.same) expect(lenient).toEqual(theirs);
      else expect(lenient).not.toEqual(theirs);
      HTTPParser.lenient = false;
      // Node's binding hands its lenient flags to initialize(); they are honoured too.
      expect(lastIsError(callbackLog(ours, c.type, bytes(c.input), { lenient: flags as never, viaInitialize: true }))).toBe(false);
    });
  }

  for (const c of NOT_RESTORED) {
    it(`no flag: ${JSON.stringify(c.input)}`, () => {
      expect(lastIsError(callbackLog(httpParserJs, c.type, bytes(c.input)))).toBe(false);
      HTTPParser.lenient = true;
      const log = callbackLog(ours, c.type, bytes(c.input));
      expect(log[log.length - 1][1]).toMatchObject({ code: c.code });
    });
  }

  it('an unknown flag name is a TypeError', () => {
    expect(() => (HTTPParser.lenient = { nope: true } as never)).toThrow(TypeError);
  });

  it('WIREHTTP_HTTP_PARSER_JS_LENIENT switches it on for the process (a flag list, or 1 for all)', () => {
    const script = `const { HTTPParser } = require('wirehttp');
      const p = new HTTPParser(HTTPParser.REQUEST);
      const r = p.execute(Buffer.from('GET / HTTP/1.1\\nHost: a\\n\\n'));
      console.log(JSON.stringify([HTTPParser.lenient, typeof r === 'number' ? r : r.code]));`;
    const run = (value: string | undefined) => JSON.parse(execFileSync(process.execPath, ['-e', script], {
      cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WIREHTTP_HTTP_PARSER_JS_LENIENT: value },
    }));
    expect(run(undefined)).toEqual([{}, 'HPE_INVALID_VERSION']);
    expect(run('optionalCrBeforeLf,optionalLfAfterCr')).toEqual([{ optionalCrBeforeLf: true, optionalLfAfterCr: true }, 24]);
    expect(run('1')[1]).toBe(24);
    expect(run('headers')[1]).toBe('HPE_INVALID_VERSION');
    expect(() => run('nope')).toThrow(/WIREHTTP_HTTP_PARSER_JS_LENIENT: wirehttp: unknown lenient flag "nope"/);
    // A typo there stops the first HTTPParser, not an import of the package.
    const importOnly = execFileSync(process.execPath, ['-e', "console.log(typeof require('wirehttp').HttpParser)"], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, WIREHTTP_HTTP_PARSER_JS_LENIENT: 'nope' },
    });
    expect(importOnly.trim()).toBe('function');
  });
});

describe('the packages', () => {
  it('wirehttp/http-parser-js (ESM and CommonJS) and the root hand out one HTTPParser; reading kOnExecute switches to the positional form for every parser', () => {
    const script = `
      const { HTTPParser, methods } = require('wirehttp/http-parser-js');
      const root = require('wirehttp');
      const theirs = require('http-parser-js').HTTPParser;
      const forms = (P) => {
        const p = new P(P.REQUEST);
        const seen = [];
        p[P.kOnHeadersComplete] = (...args) => seen.push(args.length === 1 ? 'object' : 'positional ' + args.length);
        p.execute(Buffer.from('GET / HTTP/1.1\\r\\n\\r\\n'));
        return seen[0];
      };
      const before = [forms(HTTPParser), forms(theirs)];
      const k = [HTTPParser.kOnExecute, theirs.kOnExecute];
      const after = [forms(HTTPParser), forms(theirs)];
      import('wirehttp/http-parser-js').then((esm) => import('wirehttp').then((esmRoot) => {
        console.log(JSON.stringify({
          same: HTTPParser === root.HTTPParser && methods === root.methods && esm.HTTPParser === esmRoot.HTTPParser,
          esmDistinct: esm.HTTPParser !== HTTPParser, before, k, after,
        }));
      }));`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }))).toEqual({
      same: true, esmDistinct: true, before: ['object', 'object'], k: [99, 99], after: ['positional 9', 'positional 9'],
    });
  });

  it('the layer never imports Node: its bundle, built for a neutral platform, imports only the root', () => {
    const text = execFileSync(process.execPath, ['-e', "process.stdout.write(require('fs').readFileSync('dist/http-parser-js.js', 'utf8'))"], { cwd: ROOT, encoding: 'utf8' });
    expect(text).not.toMatch(/from\s+["']node:|require\(["']node:/);
    expect([...text.matchAll(/from\s+["']([^"']+)["']/g)].map((m) => m[1])).toEqual(['./index.js']);
  });

  it('outside the `node` condition (browsers, bundlers, Workers) the root is the parser alone; the subpath works there', () => {
    // Node always resolves with `node`, so load the files a browser bundler resolves to.
    const script = `
      const root = await import('./dist/index.js');
      const { HTTPParser } = await import('./dist/http-parser-js.js');
      const p = new HTTPParser(HTTPParser.REQUEST);
      let url;
      p[HTTPParser.kOnHeadersComplete] = (info) => { url = info.url; };
      p.execute(new TextEncoder().encode('GET /browser HTTP/1.1\\r\\n\\r\\n'));
      console.log(JSON.stringify({ root: 'HTTPParser' in root, parser: typeof root.HttpParser, url }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ root: false, parser: 'function', url: '/browser' });
  });
});
