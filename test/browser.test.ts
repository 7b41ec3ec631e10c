// The runtime-neutral core in a real browser: bindings/core bundled for the browser (no Node
// built-ins, checked), served from loopback to Debian's Chromium (driven by playwright-core),
// run on the page's main thread and in a module Web Worker, where there is no Buffer, and
// compared with the same operations run here in Node.
import { createServer, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { build, type Message, type Metafile } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '../bindings/core/index.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];

/**
 * The operations, as plain JavaScript source so that Node, the page and the worker run the very
 * same text. It takes the core's exports and returns plain JSON (no undefined, no typed arrays).
 */
const SCENARIO = String.raw`async function scenario(api) {
  const { parseRequest, parseResponse, HttpParser, ParseError } = api;

  // Bytes from strings whose chars are all < 256 (one byte each) and arrays of byte values.
  const bytes = (...parts) => {
    const out = [];
    for (const part of parts) {
      if (typeof part === 'string') {
        for (let i = 0; i < part.length; i++) {
          const c = part.charCodeAt(i);
          if (c > 0xff) throw new Error('scenario: not a byte string');
          out.push(c);
        }
      } else out.push(...part);
    }
    return new Uint8Array(out);
  };
  const codes = (s) => Array.from(s, (ch) => ch.charCodeAt(0));
  const orNull = (v) => (v === undefined ? null : v);
  const head = (m) => ({
    method: orNull(m.method),
    url: orNull(m.url),
    statusCode: orNull(m.statusCode),
    statusMessage: orNull(m.statusMessage),
    versionMajor: m.versionMajor,
    versionMinor: m.versionMinor,
    rawHeaders: [...m.rawHeaders],
    headers: JSON.parse(JSON.stringify(m.headers)),
    upgrade: m.upgrade,
    shouldKeepAlive: m.shouldKeepAlive,
    contentLength: orNull(m.contentLength),
    chunked: m.chunked,
  });
  const message = (m) => ({
    ...head(m),
    body: Array.from(m.body),
    rawTrailers: [...m.rawTrailers],
    trailers: JSON.parse(JSON.stringify(m.trailers)),
    bytesConsumed: m.bytesConsumed,
  });
  const failure = (run) => {
    try {
      return { threw: false, result: message(run()) };
    } catch (e) {
      return {
        threw: true,
        isParseError: e instanceof ParseError,
        isError: e instanceof Error,
        name: e.name,
        code: e.code,
        reason: e.reason,
        offset: e.offset,
        offsetType: typeof e.offset,
        bytesParsed: e.bytesParsed,
        message: e.message,
      };
    }
  };

  // 1. What a browser sends for a navigation.
  const browserGet = bytes(
    'GET /search?q=wire%20http&page=2 HTTP/1.1\r\n',
    'Host: example.test:8080\r\n',
    'Connection: keep-alive\r\n',
    'sec-ch-ua: "Chromium";v="156", "Not.A/Brand";v="99"\r\n',
    'sec-ch-ua-mobile: ?0\r\n',
    'sec-ch-ua-platform: "Linux"\r\n',
    'Upgrade-Insecure-Requests: 1\r\n',
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36\r\n',
    'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n',
    'Sec-Fetch-Site: none\r\n',
    'Sec-Fetch-Mode: navigate\r\n',
    'Sec-Fetch-Dest: document\r\n',
    'Accept-Encoding: gzip, deflate, br, zstd\r\n',
    'Accept-Language: en-US,en;q=0.9\r\n',
    'Cookie: session=abc123\r\n',
    'Cookie: theme=dark\r\n',
    '\r\n',
  );
  const get = message(parseRequest(browserGet));

  // 2. obs-text in field values: latin1 exactly (byte n = U+00nn), never windows-1252.
  const allObsText = [];
  for (let b = 0x80; b <= 0xff; b++) allObsText.push(b);
  const obsRequest = bytes(
    'GET /latin1 HTTP/1.1\r\n',
    'Host: example.test\r\n',
    'X-Latin: caf', [0xe9], ' ', [0xff], '\r\n',
    'X-C1: ', [0x80], '\r\n',
    'X-Windows-1252-Trap: ', [0x80, 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x9f], '\r\n',
    'X-All-Obs-Text: <', allObsText, '>\r\n',
    '\r\n',
  );
  const obsParsed = parseRequest(obsRequest);
  const obs = {
    message: message(obsParsed),
    latin: obsParsed.headers['x-latin'],
    c1: obsParsed.headers['x-c1'],
    c1Codes: codes(obsParsed.headers['x-c1']),
    trapCodes: codes(obsParsed.headers['x-windows-1252-trap']),
    allCodes: codes(obsParsed.headers['x-all-obs-text']),
  };

  // 3. A chunked POST with trailers (obs-text in one), then a pipelined GET, fed byte by byte.
  const chunkedPost = bytes(
    'POST /upload HTTP/1.1\r\n',
    'Host: example.test\r\n',
    'Content-Type: text/plain\r\n',
    'Transfer-Encoding: chunked\r\n',
    'Trailer: X-Checksum, X-Note\r\n',
    '\r\n',
    '5\r\nhello\r\n',
    '7;name=value\r\n, world\r\n',
    '1\r\n', [0xe9], '\r\n',
    '0\r\n',
    'X-Checksum: sha256=abc123\r\n',
    'X-Note: caf', [0xe9], ' ', [0x80], '\r\n',
    '\r\n',
    'GET /next HTTP/1.1\r\nHost: example.test\r\n\r\n',
  );
  const events = [];
  let body = [];
  const parser = new HttpParser('request');
  parser.onHeadersComplete = (h) => void events.push({ event: 'headers', head: head(h) });
  parser.onBody = (piece) => void body.push(...piece);
  parser.onMessageComplete = (end) => {
    events.push({
      event: 'complete',
      body,
      rawTrailers: [...end.rawTrailers],
      trailers: JSON.parse(JSON.stringify(end.trailers)),
      offset: end.offset,
    });
    body = [];
  };
  let consumed = 0;
  for (let i = 0; i < chunkedPost.length; i++) consumed += parser.execute(chunkedPost.subarray(i, i + 1));
  parser.finish();
  const chunked = { events, consumed, length: chunkedPost.length, bytesParsed: parser.bytesParsed };

  // 4. A response with a Content-Length body, followed by the next response.
  const json = '{"ok":true,"name":"wirehttp","n":[1,2,3]}';
  const responseBytes = bytes(
    'HTTP/1.1 200 OK\r\n',
    'Content-Type: application/json; charset=utf-8\r\n',
    'Content-Length: ' + json.length + '\r\n',
    'Set-Cookie: a=1; Path=/\r\n',
    'Set-Cookie: b=2; HttpOnly\r\n',
    'Cache-Control: no-store\r\n',
    '\r\n',
    json,
    'HTTP/1.1 204 No Content\r\n\r\n',
  );
  const response = message(parseResponse(responseBytes));

  // 5. A malformed request: a ParseError with the llhttp code and the byte offset.
  const malformed = failure(() => parseRequest(bytes('G@T / HTTP/1.1\r\nHost: example.test\r\n\r\n')));

  // 6. Heads back to back in one chunk (decoded together): ASCII only, then with obs-text.
  const pipelinedHeads = (extra) => {
    const urls = [];
    const p = new HttpParser('request');
    p.onHeadersComplete = (h) => void urls.push([h.url, ...h.rawHeaders]);
    p.execute(bytes('GET /a HTTP/1.1\r\nHost: h\r\n\r\n', 'GET /b HTTP/1.1\r\nX: ', extra, '\r\n\r\n', 'GET /c HTTP/1.1\r\nHost: h\r\n\r\n'));
    return urls;
  };
  const wholeChunked = new HttpParser('request');
  let wholeEnds = 0;
  wholeChunked.onMessageComplete = () => void wholeEnds++;
  wholeChunked.execute(chunkedPost);
  const pipelined = { ascii: pipelinedHeads('plain'), latin1: pipelinedHeads([0xe9, 0x80, 0xff]), wholeEnds };

  return { get, obs, chunked, response, malformed, responseBody: json, pipelined };
}`;

type Scenario = (api: typeof core) => Promise<ScenarioResult>;
// The fields the assertions look at; the rest is compared whole.
interface ScenarioResult {
  get: { method: string; url: string; rawHeaders: string[]; headers: Record<string, string | string[]> };
  obs: { latin: string; c1: string; c1Codes: number[]; trapCodes: number[]; allCodes: number[] };
  chunked: {
    events: { event: string; body?: number[]; rawTrailers?: string[]; trailers?: Record<string, string>; offset?: number }[];
    consumed: number;
    length: number;
  };
  response: { statusCode: number; contentLength: number; body: number[]; bytesConsumed: number; headers: Record<string, unknown> };
  malformed: { threw: boolean; isParseError: boolean; name: string; code: string; offset: unknown; offsetType: string };
  responseBody: string;
}
interface PageRun {
  hasBuffer: boolean;
  results: ScenarioResult;
}

const HTML = '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>wirehttp browser test</title></head><body><p>wirehttp</p></body></html>';
const WORKER = `import * as api from '/core.js';
import scenario from '/scenario.js';
try {
  const inWorker = typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope;
  postMessage({ inWorker, hasBuffer: typeof globalThis.Buffer !== 'undefined', results: await scenario(api) });
} catch (error) {
  postMessage({ error: String((error && error.stack) || error) });
}
`;
const RUN_IN_PAGE = `(async () => {
  const api = await import('/core.js');
  const { default: scenario } = await import('/scenario.js');
  return { hasBuffer: typeof globalThis.Buffer !== 'undefined', results: await scenario(api) };
})()`;
const RUN_IN_WORKER = `new Promise((resolve, reject) => {
  const worker = new Worker('/worker.js', { type: 'module' });
  worker.onmessage = (event) => {
    worker.terminate();
    if (event.data && event.data.error) reject(new Error('in the worker: ' + event.data.error));
    else resolve(event.data);
  };
  worker.onerror = (event) => {
    worker.terminate();
    reject(new Error('worker failed: ' + (event.message || 'error event (e.g. a module failed to load)')));
  };
})`;

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

let bundleText = '';
let bundleError: unknown;
let bundleErrors: Message[] = [];
let bundleWarnings: Message[] = [];
let metafile: Metafile | undefined;
let server: Server | undefined;
let origin = '';
let browser: Browser | undefined;
let page: Page | undefined;
const pageErrors: string[] = [];
const requested: string[] = [];
let nodeResults: ScenarioResult;

async function bundleCore(): Promise<void> {
  try {
    const result = await build({
      entryPoints: [new URL('../bindings/core/index.ts', import.meta.url).pathname],
      platform: 'browser',
      format: 'esm',
      bundle: true,
      write: false,
      external: [],
      target: 'es2022',
      legalComments: 'none',
      logLevel: 'silent',
      metafile: true,
    });
    bundleErrors = result.errors;
    bundleWarnings = result.warnings;
    metafile = result.metafile;
    bundleText = result.outputFiles.map((file) => file.text).join('\n');
  } catch (error) {
    bundleError = error;
    bundleErrors = (error as { errors?: Message[] }).errors ?? [];
    bundleWarnings = (error as { warnings?: Message[] }).warnings ?? [];
  }
}

function startServer(): Promise<void> {
  const routes: Record<string, string> = {
    '/': HTML,
    '/core.js': bundleText,
    '/scenario.js': `export default ${SCENARIO};\n`,
    '/worker.js': WORKER,
  };
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = routes[path];
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': path === '/' ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(body);
  });
  return new Promise((resolve, reject) => {
    server!.once('error', reject);
    server!.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
      resolve();
    });
  });
}

beforeAll(async () => {
  const scenario = new Function(`return (${SCENARIO});`)() as Scenario;
  nodeResults = await scenario(core);
  await bundleCore();
  await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console.error: ${msg.text()}`);
  });
  page.on('request', (request) => void requested.push(request.url()));
  const response = await page.goto(`${origin}/`);
  expect(response?.status()).toBe(200);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}, 60_000);

describe('bindings/core in Chromium', () => {
  it('bundles for the browser with no Node built-in', () => {
    expect(bundleError, String(bundleError)).toBeUndefined();
    expect(bundleErrors).toEqual([]);
    expect(bundleWarnings).toEqual([]);
    expect(bundleText.length).toBeGreaterThan(1000);

    // Self-contained: no import left in the output, every input a file of the project.
    const outputs = Object.values(metafile!.outputs);
    expect(outputs.flatMap((output) => output.imports)).toEqual([]);
    for (const input of Object.keys(metafile!.inputs)) {
      expect(NODE_BUILTINS.has(input), input).toBe(false);
      expect(input).toMatch(/^(bindings\/core|assembly)\/[\w.-]+\.ts$/);
    }

    // No require() of a Node module, and no node: specifier, anywhere in the text.
    const requires = [...bundleText.matchAll(/\brequire\s*\(\s*(["'`])([^"'`]+)\1/g)].map((m) => m[2]);
    expect(requires.filter((name) => NODE_BUILTINS.has(name) || name.startsWith('node:'))).toEqual([]);
    expect(bundleText).not.toMatch(/\b__require\b/);
    expect(bundleText).not.toMatch(/(?:\bfrom|\bimport|\brequire)\s*\(?\s*["'`]node:/);
    expect(bundleText).not.toMatch(/["'`]node:[a-z_/]+["'`]/);
    // A static or dynamic import of any built-in by its bare name.
    for (const name of builtinModules) {
      const quoted = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      expect(bundleText, `imports ${name}`).not.toMatch(new RegExp(`(?:\\bfrom|\\bimport)\\s*\\(?\\s*["'\`]${quoted}["'\`]`));
    }
  });

  it('runs the same operations on the page as in Node', async () => {
    const run = (await page!.evaluate(RUN_IN_PAGE)) as PageRun;
    expect(run.hasBuffer).toBe(false);
    expect(run.results).toEqual(nodeResults);

    const { get, chunked, response, malformed, responseBody } = run.results;
    expect(get.method).toBe('GET');
    expect(get.url).toBe('/search?q=wire%20http&page=2');
    expect(get.rawHeaders.length).toBe(2 * 15);
    expect(get.headers.cookie).toBe('session=abc123; theme=dark');
    expect(get.headers.host).toBe('example.test:8080');

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
  });

  it('decodes obs-text as latin1 exactly on the page, without Buffer', async () => {
    const run = (await page!.evaluate(RUN_IN_PAGE)) as PageRun;
    expect(run.hasBuffer).toBe(false);
    const { obs } = run.results;
    expect(obs.latin).toBe('caf\u00e9 \u00ff');
    expect(obs.c1).toBe('\u0080'); // windows-1252 would give '€' (U+20AC)
    expect(obs.c1Codes).toEqual([0x80]);
    expect(obs.trapCodes).toEqual([0x80, 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x9f]);
    expect(obs.allCodes).toEqual([0x3c, ...Array.from({ length: 128 }, (_, i) => 0x80 + i), 0x3e]);
    expect(obs).toEqual(nodeResults.obs);
  });

  it('runs the same operations in a module Web Worker as in Node', async () => {
    const run = (await page!.evaluate(RUN_IN_WORKER)) as PageRun & { inWorker: boolean };
    expect(run.inWorker).toBe(true);
    expect(run.hasBuffer).toBe(false);
    expect(run.results).toEqual(nodeResults);
    expect(run.results.obs.c1).toBe('\u0080');
  });

  it('stays on loopback with no page error', () => {
    expect(pageErrors).toEqual([]);
    expect(requested.length).toBeGreaterThan(0);
    for (const url of requested) expect(url.startsWith(`${origin}/`), url).toBe(true);
  });
});
