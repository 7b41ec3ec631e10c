// test/scenarios/core.mjs, its input (every fixture), the shape of its result, and what the
// reference run (Node) must show before other runtimes are held to it.
import { expect } from 'vitest';
import { loadFixtures } from './fixtures.js';

export const CORE_SCENARIO = new URL('../scenarios/core.mjs', import.meta.url).pathname;

const latin1 = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');

export const coreInput = {
  fixtures: loadFixtures().map((f) => ({ file: f.file, name: f.name, type: f.type, options: f.options, raw: latin1(f.raw) })),
};

type Event = { event: string; body?: number[]; rawTrailers?: string[]; trailers?: Record<string, string>; offset?: number };

export interface CoreRun {
  environment: { hasBuffer: boolean; hasFinalizationRegistry: boolean; rootHasHTTPParser: boolean };
  results: {
    fixtures: Record<string, { whole: unknown[]; byteByByte: unknown[]; splitsDiffering: number[] }>;
    messages: {
      get: { method: string; url: string; rawHeaders: string[]; headers: Record<string, string | string[]> };
      obs: { latin: string; c1: string; c1Codes: number[]; trapCodes: number[]; allCodes: number[] };
      chunked: { events: Event[]; consumed: number; length: number };
      response: { statusCode: number; contentLength: number; body: number[]; headers: Record<string, unknown> };
      malformed: Record<string, unknown>;
      responseBody: string;
      httpParserJs: { events: unknown[][]; consumed: number; method: string; error: [boolean, string, string] };
    };
    slots: { parsers: number; wrong: number[]; churned: number; urls: string[] };
    initRejectsGarbage: boolean;
  };
}

/** What Node's run must show, so that "deep-equal to Node's" means something. */
export function expectReference(run: CoreRun): void {
  const fixtures = Object.values(run.results.fixtures);
  expect(fixtures.length).toBe(coreInput.fixtures.length);
  for (const f of fixtures) {
    expect(f.splitsDiffering).toEqual([]);
    expect(f.byteByByte).toEqual(f.whole);
  }
  expect(run.results.slots).toEqual({ parsers: 5000, wrong: [], churned: 3 * 4096, urls: ['/before-free', '/after-reset'] });
  expect(run.results.initRejectsGarbage).toBe(true);

  const { get, obs, chunked, response, malformed, responseBody } = run.results.messages;
  expect(get.method).toBe('GET');
  expect(get.url).toBe('/search?q=wire%20http&page=2');
  expect(get.rawHeaders.length).toBe(2 * 15);
  expect(get.headers.cookie).toBe('session=abc123; theme=dark');
  expect(get.headers.host).toBe('example.test:8080');

  expect(obs.latin).toBe('caf\u00e9 \u00ff');
  expect(obs.c1).toBe('\u0080'); // windows-1252 would give '€' (U+20AC)
  expect(obs.c1Codes).toEqual([0x80]);
  expect(obs.trapCodes).toEqual([0x80, 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x9f]);
  expect(obs.allCodes).toEqual([0x3c, ...Array.from({ length: 128 }, (_, i) => 0x80 + i), 0x3e]);

  const completes = chunked.events.filter((e) => e.event === 'complete');
  expect(chunked.events.map((e) => e.event)).toEqual(['headers', 'complete', 'headers', 'complete']);
  expect(chunked.consumed).toBe(chunked.length);
  expect(completes[0].body).toEqual([...new TextEncoder().encode('hello, world'), 0xe9]);
  expect(completes[0].rawTrailers).toEqual(['X-Checksum', 'sha256=abc123', 'X-Note', 'caf\u00e9 \u0080']);
  expect(completes[0].trailers).toEqual({ 'x-checksum': 'sha256=abc123', 'x-note': 'caf\u00e9 \u0080' });
  expect(completes[1].body).toEqual([]);
  expect(completes[1].offset).toBe(chunked.length);

  expect(response.statusCode).toBe(200);
  expect(response.contentLength).toBe(responseBody.length);
  expect(String.fromCharCode(...response.body)).toBe(responseBody);
  expect(response.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);

  expect(malformed).toMatchObject({ threw: true, isParseError: true, name: 'ParseError', code: 'HPE_INVALID_METHOD', offset: 1, offsetType: 'number' });

  const { httpParserJs } = run.results.messages;
  expect(httpParserJs.events).toEqual([
    ['head', 3, '/ws', ['Host', 'h', 'Content-Length', '2'], false, true],
    ['body', 'ok'],
    ['complete'],
  ]);
  expect(httpParserJs.method).toBe('POST');
  expect(httpParserJs.error).toEqual([true, 'Parse Error', 'HPE_INVALID_STATUS']);
}
