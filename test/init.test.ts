// init(): the wasm loaded the caller's way. This file imports the API without any entry, so no
// module is known until init() gives one — as in a runtime where the caller fetches the .wasm.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpParser, init, parseRequest } from '../bindings/core/api.js';

const WASM = readFileSync(new URL('../dist/wirehttp.wasm', import.meta.url));
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const url = (path: string) => parseRequest(ascii(`GET ${path} HTTP/1.1\r\n\r\n`)).url;

let server: Server;
let origin = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/wirehttp.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(WASM);
    else res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('init()', () => {
  it('before any module: parsing says to call init(), and init() with nothing to load says the same', async () => {
    expect(() => new HttpParser('request')).toThrow('wirehttp: no WebAssembly module yet: await init(module or bytes) before parsing');
    await expect(init()).rejects.toThrow(/await init\(module or bytes\)/);
  });

  it('rejects what is not this parser, clearly, and keeps no half-loaded state', async () => {
    await expect(init(fetch(`${origin}/missing.wasm`))).rejects.toThrow(`wirehttp: init() got HTTP 404 for ${origin}/missing.wasm`);
    await expect(init(new Uint8Array([0, 1, 2, 3]))).rejects.toThrow(WebAssembly.CompileError);
    const emptyModule = new WebAssembly.Module(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    await expect(init(emptyModule)).rejects.toThrow('wirehttp: the wasm module and the bindings are from different builds');
    // A module with a memory too small for the layout and a setup() of another build (answering
    // 7, not State.WORDS): the word lists written before the check land nowhere, and it is refused.
    const section = (id: number, bytes: number[]) => [id, bytes.length, ...bytes];
    const name = (text: string) => [text.length, ...Array.from(text, (ch) => ch.charCodeAt(0))];
    const otherBuild = new WebAssembly.Module(Uint8Array.from([
      0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
      ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f]), // (i32, i32, i32) -> i32
      ...section(3, [1, 0]),
      ...section(5, [1, 0, 1]), // one page
      ...section(7, [2, ...name('setup'), 0, 0, ...name('memory'), 2, 0]),
      ...section(10, [1, 4, 0, 0x41, 7, 0x0b]), // i32.const 7
    ]));
    await expect(init(otherBuild)).rejects.toThrow('wirehttp: the wasm module and the bindings are from different builds');
    expect(() => new HttpParser('request')).toThrow(/await init/);
  });

  it('takes a fetch() Response, or a promise of one', async () => {
    await init(fetch(`${origin}/wirehttp.wasm`));
    expect(url('/from-fetch')).toBe('/from-fetch');
    await init(await fetch(`${origin}/wirehttp.wasm`));
    expect(url('/from-response')).toBe('/from-response');
  });

  it('takes bytes (a Uint8Array or an ArrayBuffer) and a compiled WebAssembly.Module', async () => {
    await init(new Uint8Array(WASM));
    expect(url('/from-bytes')).toBe('/from-bytes');
    await init(new Uint8Array(WASM).buffer);
    expect(url('/from-array-buffer')).toBe('/from-array-buffer');
    await init(Promise.resolve(new WebAssembly.Module(WASM)));
    expect(url('/from-module')).toBe('/from-module');
  });

  it('leaves parsers made before it on their own instance', async () => {
    const before = new HttpParser('request');
    const urls: string[] = [];
    before.onHeadersComplete = (h) => void urls.push(h.url!);
    before.execute(ascii('GET /one HTTP/1.1\r\nHo'));
    await init(new WebAssembly.Module(WASM));
    expect(url('/between')).toBe('/between');
    before.execute(ascii('st: x\r\n\r\n'));
    expect(urls).toEqual(['/one']);
  });
});
