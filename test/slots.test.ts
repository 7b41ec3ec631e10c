// State slots where the runtime has no FinalizationRegistry (Workers before compatibility date
// 2025-05-05): slots come back only through finish() and free(), reset() takes one again, and a
// runtime that runs out keeps parsing correctly with parser state in JS memory. The registry is
// hidden while the core makes its first parser (vitest loads the core afresh for each file).
import { beforeAll, describe, expect, it } from 'vitest';
import { Limits } from '../assembly/constants.js';
import type * as Core from '../bindings/core/index.js';
import type * as WasmModule from '../bindings/core/wasm.js';

let core: typeof Core;
let wasm: typeof WasmModule;
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const free = () => wasm.home().freeSlots.length;

beforeAll(async () => {
  const saved = globalThis.FinalizationRegistry;
  // @ts-expect-error hiding it, as in a Worker with an old compatibility date
  delete globalThis.FinalizationRegistry;
  try {
    core = await import('../bindings/core/index.js');
    wasm = await import('../bindings/core/wasm.js');
    new core.HttpParser('request').free(); // the core decides here that there is no registry
  } finally {
    globalThis.FinalizationRegistry = saved;
  }
});

function urlsOf(parser: Core.HttpParser): string[] {
  const urls: string[] = [];
  parser.onHeadersComplete = (h) => void urls.push(h.url!);
  return urls;
}

describe('without FinalizationRegistry', () => {
  it('a parser holds a slot until finish() or free(), and reset() takes one again; never twice', () => {
    const before = free();
    const p = new core.HttpParser('request');
    const urls = urlsOf(p);
    expect(free()).toBe(before - 1);
    p.execute(ascii('GET /a HTTP/1.1\r\n\r\n'));
    p.finish();
    expect(free()).toBe(before);
    p.finish();
    p.free();
    expect(free()).toBe(before); // nothing handed back twice
    p.reset();
    expect(free()).toBe(before - 1);
    p.execute(ascii('GET /b HTTP/1.1\r\n\r\n'));
    p.free();
    p.free();
    expect(free()).toBe(before);
    p.execute(ascii('GET /c HTTP/1.1\r\n\r\n')); // works on, its state in JS memory
    expect(urls).toEqual(['/a', '/b', '/c']);
    expect(free()).toBe(before);
  });

  it('parsers that end their input leak nothing, nor do parseRequest and parseResponse', () => {
    const before = free();
    for (let i = 0; i < 3 * Limits.SLOTS; i++) {
      const p = new core.HttpParser('request');
      p.execute(ascii(`GET /${i} HTTP/1.1\r\n\r\n`));
      p.finish();
      core.parseRequest(ascii(`GET /${i} HTTP/1.1\r\n\r\n`));
      core.parseResponse(ascii('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    }
    expect(free()).toBe(before);
  });

  it('out of slots: parsers past them parse right beside those in slots, and take slots as they come back', () => {
    const held = Array.from({ length: free() }, () => new core.HttpParser('request'));
    expect(free()).toBe(0);
    // Two parsers past the slots and two in them, interleaved mid-head.
    const extra = [new core.HttpParser('request'), new core.HttpParser('request')];
    const pairs = [extra[0], held[0], extra[1], held[held.length - 1]];
    const seen = pairs.map(urlsOf);
    pairs.forEach((p, i) => p.execute(ascii(`POST /${i} HTTP/1.1\r\nContent-Len`)));
    pairs.forEach((p, i) => p.execute(ascii(`gth: 3\r\n\r\nab${i}GET /next${i} HTTP/1.1\r\nHo`)));
    pairs.forEach((p) => p.execute(ascii('st: x\r\n\r\n')));
    expect(seen).toEqual(pairs.map((_, i) => [`/${i}`, `/next${i}`]));

    for (const p of held) p.free();
    expect(free()).toBe(held.length);
    extra[0].reset(); // now there is a slot for it
    expect(free()).toBe(held.length - 1);
    extra[0].execute(ascii('GET /again HTTP/1.1\r\n\r\n'));
    expect(seen[0]).toEqual(['/0', '/next0', '/again']);
    extra[0].free();
  });

  it('a callback that frees its parser (and lets another take the slot) does not disturb the parse', () => {
    // A response to HEAD: onHeadersComplete answers "no body", so the parser rewinds and calls
    // wasm again, after its slot went to a parser that stopped in the middle of a head.
    const p = new core.HttpParser('response');
    const events: string[] = [];
    let other: Core.HttpParser | undefined;
    p.onHeadersComplete = (h) => {
      events.push(`head ${h.statusCode}`);
      if (!other) {
        p.free();
        other = new core.HttpParser('request');
        other.execute(ascii('GET /half HTTP/1.1\r\nHo'));
      }
      return true;
    };
    p.onMessageComplete = (end) => void events.push(`complete @${end.offset}`);
    const bytes = ascii('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n');
    expect(p.execute(bytes)).toBe(bytes.length);
    expect(events).toEqual(['head 200', 'complete @38', 'head 204', 'complete @65']);
    other!.free();
  });

  it('parsers that give their slots back mid-body, in every order, keep their own state', () => {
    // A parser holds no JS copy of its state while it has a slot (the array it was made with is
    // left as a spare for the next free()): each free() must still end with a copy of its own,
    // here the body length left, which differs per parser.
    // Twice with the same parsers, reset() between: the second time each has a copy of its own
    // from the first, which must not become another's spare.
    const parsers = [0, 1, 2].map(() => new core.HttpParser('request'));
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 0, 2]]) {
      const ends = parsers.map((p) => {
        const at: number[] = [];
        p.reset();
        p.onMessageComplete = (end) => void at.push(end.offset);
        return at;
      });
      parsers.forEach((p, i) => p.execute(ascii(`POST / HTTP/1.1\r\nContent-Length: ${4 + i}\r\n\r\nab`)));
      for (const i of order) parsers[i].free();
      parsers.forEach((p, i) => p.execute(ascii('cdef'.slice(0, 2 + i))));
      expect(ends).toEqual([[42], [43], [44]]);
    }
    for (const p of parsers) p.free();

    // A parser with a copy of its own takes a slot again after a new one took its slot; the new
    // one frees first.
    const old = new core.HttpParser('request');
    old.free();
    const fresh = new core.HttpParser('request');
    old.reset();
    const ends: number[][] = [[], []];
    [old, fresh].forEach((p, i) => {
      p.onMessageComplete = (end) => void ends[i].push(end.offset);
      p.execute(ascii(`POST / HTTP/1.1\r\nContent-Length: ${4 + i}\r\n\r\nab`));
    });
    fresh.free();
    old.free();
    [old, fresh].forEach((p, i) => p.execute(ascii('cdef'.slice(0, 2 + i))));
    expect(ends).toEqual([[42], [43]]);
  });
});
