// Hostile input: whatever arrives, the only failure is a ParseError with a code and an offset;
// wasm memory never grows, work stays linear in the input, and other parsers are unaffected.
import { describe, expect, it } from 'vitest';
import { HttpParser, ParseError, parseRequest, type ParserOptions } from '../bindings/core/index.js';
import { home, type WasmExports } from '../bindings/core/wasm.js';
import { rng } from '../bindings/cli/fuzz/random.js';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Feeds `bytes` in pieces of `piece` bytes; returns messages completed and the error, if any. */
function feed(type: 'request' | 'response', bytes: Uint8Array, piece: number, options: ParserOptions = {}) {
  const parser = new HttpParser(type, options);
  let messages = 0;
  let bodyBytes = 0;
  parser.onBody = (b) => void (bodyBytes += b.length);
  parser.onMessageComplete = () => void messages++;
  let error: unknown;
  try {
    for (let at = 0; at < bytes.length; at += piece) {
      const chunk = bytes.subarray(at, at + piece);
      if (parser.execute(chunk) < chunk.length) break;
    }
    parser.finish();
  } catch (e) {
    error = e;
  }
  return { messages, bodyBytes, error };
}

/** Counts the wasm calls that parse input (execute, and check for lines of a pending section) and the bytes each is handed, while `run` runs. */
function countScanned(run: () => void): { calls: number; bytes: number } {
  const w = home();
  const real = w.exports;
  const counts = { calls: 0, bytes: 0 };
  w.exports = {
    ...real,
    memory: real.memory,
    execute(state: number, start: number, length: number) {
      counts.calls++;
      counts.bytes += length - start;
      return real.execute(state, start, length);
    },
    check(state: number, length: number) {
      counts.calls++;
      counts.bytes += length;
      real.check(state, length);
    },
  } as WasmExports;
  try {
    run();
  } finally {
    w.exports = real;
  }
  return counts;
}

const memoryBytes = () => home().exports.memory.buffer.byteLength;

describe('hostile input', () => {
  it('10 MB of random bytes: ParseError or messages, never anything else, memory unchanged', () => {
    const before = memoryBytes();
    const random = rng(42);
    const bytes = new Uint8Array(10 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (random() * 256) | 0;
    for (const type of ['request', 'response'] as const) {
      for (const piece of [65536, 1000003]) {
        const { error } = feed(type, bytes, piece);
        expect(error).toBeInstanceOf(ParseError);
        expect((error as ParseError).code).toMatch(/^HPE_/);
        expect(typeof (error as ParseError).offset).toBe('number');
      }
    }
    // The same bytes as bodies: every byte goes through the body paths.
    const until = new Uint8Array([...ascii('HTTP/1.1 200 OK\r\n\r\n'), ...bytes]);
    expect(feed('response', until, 65536)).toEqual({ messages: 1, bodyBytes: bytes.length, error: undefined });
    const sized = new Uint8Array([...ascii(`PUT /blob HTTP/1.1\r\nContent-Length: ${bytes.length}\r\n\r\n`), ...bytes]);
    expect(feed('request', sized, 65536)).toEqual({ messages: 1, bodyBytes: bytes.length, error: undefined });
    // Random bytes that start like HTTP: many prefixes, each cut off by noise.
    for (let i = 0; i < 2000; i++) {
      const noise = Uint8Array.from({ length: 64 }, () => (random() * 256) | 0);
      const input = new Uint8Array([...ascii('GET / HTTP/1.1\r\nX: '), ...noise]);
      const { error } = feed('request', input, 1 + (i % 7));
      expect(error).toBeInstanceOf(ParseError);
    }
    expect(memoryBytes()).toBe(before);
  });

  it('a 1 MB header line is HPE_HEADER_OVERFLOW, in one piece or trickled', () => {
    const before = memoryBytes();
    const bytes = ascii('GET / HTTP/1.1\r\nX-Big: ' + 'a'.repeat(1024 * 1024) + '\r\n\r\n');
    for (const piece of [bytes.length, 4096, 1]) {
      const { error } = feed('request', bytes, piece);
      expect((error as ParseError).code).toBe('HPE_HEADER_OVERFLOW');
      expect((error as ParseError).offset).toBe(16384);
    }
    expect(() => parseRequest(bytes, { maxHeaderSize: 131072 })).toThrow(expect.objectContaining({ code: 'HPE_HEADER_OVERFLOW', offset: 131072 }));
    expect(memoryBytes()).toBe(before);
  });

  it('endless chunk extensions are HPE_CHUNK_EXTENSIONS_OVERFLOW', () => {
    const bytes = ascii('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5' + ';name=value'.repeat(100_000));
    for (const piece of [bytes.length, 1000, 7]) {
      const { error } = feed('request', bytes, piece);
      expect((error as ParseError).code).toBe('HPE_CHUNK_EXTENSIONS_OVERFLOW');
    }
  });

  it('100k one-byte chunks decode to the right body, whole and in pieces', () => {
    const bytes = ascii('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n' + '1\r\nx\r\n'.repeat(100_000) + '0\r\n\r\n');
    for (const piece of [bytes.length, 997, 3]) {
      const { messages, bodyBytes, error } = feed('request', bytes, piece);
      expect(error).toBeUndefined();
      expect({ messages, bodyBytes }).toEqual({ messages: 1, bodyBytes: 100_000 });
    }
    expect(parseRequest(bytes).body.length).toBe(100_000);
  });

  it('100k pipelined requests in one buffer', () => {
    const bytes = ascii('GET /a HTTP/1.1\r\nHost: h\r\n\r\n'.repeat(100_000));
    const { messages, error } = feed('request', bytes, bytes.length);
    expect(error).toBeUndefined();
    expect(messages).toBe(100_000);
  });

  it('a head trickled one byte at a time is not rescanned per byte (linear work)', () => {
    const head = 'GET / HTTP/1.1\r\n' + Array.from({ length: 300 }, (_, i) => `X-Header-${i}: ${'v'.repeat(30)}\r\n`).join('') + '\r\n';
    const bytes = ascii(head);
    expect(bytes.length).toBeGreaterThan(12000);
    const trickled = countScanned(() => {
      const { messages, error } = feed('request', bytes, 1);
      expect(error).toBeUndefined();
      expect(messages).toBe(1);
    });
    // The first 64 bytes are parsed as they come; then each line is judged when it ends and
    // when the next one begins (only the bytes since its start handed over), and the whole head
    // once at the end: O(n) bytes, O(lines) calls.
    expect(trickled.bytes).toBeLessThan(4 * bytes.length);
    expect(trickled.calls).toBeLessThan(64 + 3 * 302);
    // The same holds for a broken head trickled in, and the error surfaces with its line's LF.
    const broken = ascii(head.replace('X-Header-150', 'X Header-150'));
    const badSpace = broken.findIndex((_, i) => broken[i] === 0x20 && broken[i - 1] === 0x58 && broken[i + 1] === 0x48);
    const lineEnd = broken.indexOf(10, badSpace);
    const parser = new HttpParser('request');
    let failedAt = -1;
    const counted = countScanned(() => {
      for (let at = 0; at < broken.length && failedAt < 0; at++) {
        const error = parser.tryExecute(broken.subarray(at, at + 1));
        if (error instanceof ParseError) {
          failedAt = at;
          expect(error.code).toBe('HPE_INVALID_HEADER_TOKEN');
          expect(error.offset).toBe(badSpace);
        }
      }
    });
    expect(failedAt).toBe(lineEnd);
    expect(counted.bytes).toBeLessThan(4 * broken.length);
  });

  it('body bytes of a chunk that starts inside a body do not pass through wasm', () => {
    const body = new Uint8Array(1 << 20).fill(120);
    const sized = new Uint8Array([...ascii(`PUT /blob HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n`), ...body]);
    const chunked = new Uint8Array([...ascii('PUT /blob HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n'), ...body, ...ascii('\r\n0\r\n\r\n')]);
    for (const input of [sized, chunked]) {
      const counted = countScanned(() => {
        expect(feed('request', input, 65536)).toEqual({ messages: 1, bodyBytes: body.length, error: undefined });
      });
      // Only the first piece (head and the start of the body) and the framing after the body go through wasm.
      expect(counted.bytes).toBeLessThan(2 * 65536);
    }
  });

  it('a failed parser keeps failing with the same error; other parsers are unaffected', () => {
    const good = ascii('POST /ok HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello');
    const bad = ascii('POST /bad HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!');
    const ok = new HttpParser('request');
    const broken = new HttpParser('request');
    const seen: string[] = [];
    ok.onHeadersComplete = (h) => void seen.push(h.url!);
    ok.onBody = (b) => void seen.push(new TextDecoder().decode(b));
    let first: unknown;
    // Interleave byte by byte: the two parsers share one wasm instance.
    for (let i = 0; i < Math.max(good.length, bad.length); i++) {
      if (i < good.length) ok.execute(good.subarray(i, i + 1));
      if (i < bad.length) {
        try {
          broken.execute(bad.subarray(i, i + 1));
        } catch (e) {
          first ??= e;
        }
      }
    }
    expect(seen.join('')).toBe('/okhello');
    expect((first as ParseError).code).toBe('HPE_UNEXPECTED_CONTENT_LENGTH');
    expect(() => broken.execute(good)).toThrow(first as Error);
    expect(() => broken.finish()).toThrow(first as Error);
    broken.reset();
    expect(broken.execute(good)).toBe(good.length);
  });

  it('a callback that parses with another parser does not disturb the outer one', () => {
    const outer = new HttpParser('request');
    const inner: string[] = [];
    const urls: string[] = [];
    outer.onHeadersComplete = (h) => {
      urls.push(h.url!);
      inner.push(parseRequest(ascii(`GET /inner${urls.length} HTTP/1.1\r\nHost: i\r\n\r\n`)).url!);
    };
    outer.execute(ascii('GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\nA: b\r\n\r\nGET /3 HTTP/1.1\r\n\r\n'));
    expect(urls).toEqual(['/1', '/2', '/3']);
    expect(inner).toEqual(['/inner1', '/inner2', '/inner3']);
  });

  it('more parsers than state slots still work (state copied in and out)', () => {
    const parsers = Array.from({ length: 4200 }, () => new HttpParser('request'));
    const urls: string[] = [];
    for (const p of parsers) p.onHeadersComplete = (h) => void urls.push(h.url!);
    const part1 = ascii('GET /x HTTP/1.1\r\nHo');
    const part2 = ascii('st: h\r\n\r\n');
    for (const p of parsers) p.execute(part1);
    for (const p of parsers) p.execute(part2);
    expect(urls.length).toBe(4200);
    expect(new Set(urls)).toEqual(new Set(['/x']));
    for (const p of parsers) p.free();
  });
});
