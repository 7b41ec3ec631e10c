// wirehttp/web outside Node, the packed package imported by name (test/support/runtimes):
// the helpers scenario (test/scenarios/web.mjs) in Deno, Bun, workerd, Chromium and Firefox (page
// and module Worker), and the client over each runtime's own TCP socket (workerd's connect(),
// Deno.connect, Bun.connect through connectBun) against a node:http server on loopback. Node's
// run is the reference; every result must deep-equal it, less the platform differences below.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUN, DENO, newestCompatibilityDate, openBrowser, runBun, runDeno, runNode, runWorkerd, runtimeVersion, type BrowserSession } from './support/runtimes/index.js';
import { answerFramingRoute } from './support/web-routes.js';

const scenario = (name: string) => new URL(`./scenarios/${name}`, import.meta.url).pathname;
const HELPERS = scenario('web.mjs');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A copy of `value` without the given dot-separated paths. */
function without(value: Json, paths: string[]): Json {
  const copy = JSON.parse(JSON.stringify(value));
  for (const path of paths) {
    const keys = path.split('.');
    let at = copy;
    for (const key of keys.slice(0, -1)) at = at?.[key];
    if (at) delete at[keys[keys.length - 1]];
  }
  return copy;
}

/** Applies `change` to every Request / Response view (objects with `headers` and `rawHeaders`) in a copy. */
function eachView(value: Json, change: (view: Json) => void): Json {
  const copy = JSON.parse(JSON.stringify(value));
  const walk = (node: Json): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node.headers) && 'rawHeaders' in node) change(node);
    for (const key of Object.keys(node)) walk(node[key]);
  };
  walk(copy);
  return copy;
}

/**
 * Fields a browser's Request drops (Fetch's forbidden request-header names; Chromium also drops
 * User-Agent, which Fetch no longer forbids) and its Response drops (Set-Cookie). rawHead() keeps them.
 */
const FORBIDDEN_IN_REQUEST = ['connection', 'content-length', 'cookie', 'host', 'keep-alive', 'trailer', 'transfer-encoding', 'te', 'upgrade', 'via', 'expect', 'date', 'origin', 'referer', 'dnt', 'accept-charset', 'accept-encoding'];
const FORBIDDEN_IN_RESPONSE = ['set-cookie', 'set-cookie2'];

function asInBrowser(node: Json, extraForbidden: string[]): Json {
  return eachView(node, (view) => {
    const forbidden = 'method' in view ? [...FORBIDDEN_IN_REQUEST, ...extraForbidden] : FORBIDDEN_IN_RESPONSE;
    view.headers = view.headers.filter(([name]: [string]) => !forbidden.includes(name));
  });
}

/** Node (undici) joins repeated Cookie fields with "; ", the Fetch standard (Deno, workerd, browsers) with ", ". */
const cookieJoinedByComma = (node: Json) =>
  eachView(node, (view) => {
    for (const field of view.headers) if (field[0] === 'cookie') field[1] = field[1].replaceAll('; ', ', ');
  });

/** Results that differ in a browser for a reason listed with the assertions on them. */
const BROWSER_SERIALIZED = ['serialized.postString', 'serialized.postLength', 'serialized.postShort', 'serialized.response'];
const FIREFOX_BUFFERED = ['badChunk', 'skipUnread.firstBody', 'roundTrip.value.request.rawHeaders'];

/** The platform's own results where they must differ from Node's (each the platform's doing, not the helpers'). */
function checkBrowserSerialized(name: string, r: Json): void {
  // Content-Length is a forbidden field: the browser's Request drops it, so the body goes chunked
  // (Chromium) or, read whole (Firefox, below), by its real length; the short-body check cannot arise.
  // Set-Cookie is dropped from the Response, so no Set-Cookie line is written.
  expect(r.serialized.response.value).not.toContain('set-cookie');
  expect(r.serialized.postShort.ok).toBe(true);
  if (name === 'chromium') {
    expect(r.serialized.postLength.value).toContain('transfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    expect(r.serialized.postString.value).toContain('transfer-encoding: chunked');
  } else {
    // Firefox's Request has no body stream: serializeRequest reads the bytes whole, so their length is known.
    expect(r.serialized.postLength.value).toContain('content-length: 5\r\n\r\nhello');
    expect(r.serialized.postString.value).toContain('content-length: 2\r\n\r\nhi');
  }
}

let server: http.Server;
let bad: net.Server;
let nodeHelpers: Json;
let nodeClient: Json;
const input = { port: 0, badPort: 0 };
const versions = { deno: await runtimeVersion(DENO), bun: `bun ${await runtimeVersion(BUN)}` };

beforeAll(async () => {
  let connections = 0;
  server = http.createServer((req, res) => {
    const socket = req.socket as net.Socket & { id?: number; served?: number };
    socket.id ??= ++connections;
    socket.served = (socket.served ?? 0) + 1;
    const parts: Buffer[] = [];
    req.on('data', (chunk) => parts.push(chunk));
    req.on('end', () => {
      if (answerFramingRoute(req, res)) return;
      switch (req.url) {
        case '/echo':
          res.setHeader('Content-Type', 'application/json');
          return res.end(JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(parts).toString('latin1'), connection: socket.id, requestsOnConnection: socket.served }));
        default:
          return res.writeHead(404).end();
      }
    });
  });
  bad = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => bad.listen(0, '127.0.0.1', resolve));
  input.port = (server.address() as AddressInfo).port;
  input.badPort = (bad.address() as AddressInfo).port;
  nodeHelpers = await runNode(HELPERS);
  nodeClient = await runNode(scenario('web-client-node.mjs'), input, { external: ['node:*'] });
}, 180_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await new Promise((resolve) => bad?.close(resolve));
});

describe('the reference runs (Node, the packed package)', () => {
  it('the helpers scenario gives what the in-process suite checks', () => {
    expect(nodeHelpers.post.value.url).toBe('http://example.test:8080/submit?x=1&y=%20');
    expect(nodeHelpers.connect).toMatchObject({ ok: false, name: 'NotRepresentableError', code: 'METHOD' });
  });

  it('the client keeps one connection, frames each body as the server does, and rejects a bad response', () => {
    expect(nodeClient.sequence.map((r: Json) => [r.method, r.path, r.status, r.body])).toEqual([
      ['GET', '/len', 200, 'a body with a Content-Length'],
      ['GET', '/chunked', 200, 'one two three'],
      ['HEAD', '/len', 200, null],
      ['GET', '/204', 204, null],
      ['GET', '/304', 304, null],
      ['GET', '/chunked', 200, 'one two three'],
    ]);
    expect(nodeClient.sequence[1].trailers).toEqual(['X-Sum', '3']);
    expect(nodeClient.uploads).toEqual([
      { method: 'POST', body: 'streamed upload body', te: 'chunked', cl: null },
      { method: 'PUT', body: 'twelve bytes', te: null, cl: '12' },
    ]);
    expect(nodeClient.connections).toBe(1);
    expect(nodeClient.requestsOnConnection).toBe(8);
    expect(nodeClient.malformed).toEqual({ name: 'ParseError', isParseError: true, code: 'HPE_UNEXPECTED_CONTENT_LENGTH', reason: expect.any(String) });
  });
});

describe('the helpers in Deno, Bun and workerd', () => {
  it(`${versions.deno} returns what Node returns, Cookie joined by the standard's ", "`, async () => {
    expect(await runDeno(HELPERS)).toEqual(cookieJoinedByComma(nodeHelpers));
  });

  it(`${versions.bun} returns what Node returns, less Bun's own Headers order and default Content-Type`, async () => {
    const bun = await runBun(HELPERS);
    // Bun iterates Headers in insertion order (the standard sorts by name), and gives a string
    // body no "text/plain;charset=UTF-8" Content-Type (so none is serialized either).
    const differs = ['ok.value.headers', 'roundTrip', 'serialized.postString', 'serialized.postLength', 'serialized.headLength', 'serialized.response'];
    expect(without(bun, differs)).toEqual(without(nodeHelpers, differs));
    expect(bun.ok.value.headers).toEqual([['content-length', '5'], ['content-type', 'text/plain'], ['x-dup', '1, 2'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
    expect(bun.roundTrip.value.request).toMatchObject({ method: 'PUT', url: 'http://a.test/rt', body: 'round trip' });
    expect(bun.serialized.postLength.value).toBe('POST /p HTTP/1.1\r\nhost: a.test\r\ncontent-length: 5\r\n\r\nhello');
    expect(bun.serialized.response.value).toContain('set-cookie: a=1\r\nset-cookie: b=2\r\n');
  });

  for (const date of ['2024-09-23', newestCompatibilityDate()]) {
    it(`workerd (compatibility date ${date}) returns what Node returns, Cookie joined by the standard's ", "`, async () => {
      expect(await runWorkerd(HELPERS, undefined, { compatibilityDate: date })).toEqual(cookieJoinedByComma(nodeHelpers));
    });
  }
});

describe('the client over each runtime\'s TCP socket, against node:http on loopback', () => {
  it(`${versions.deno}: Deno.connect`, async () => {
    expect(await runDeno(scenario('web-client-deno.mjs'), input, { flags: ['--allow-net=127.0.0.1'] })).toEqual(nodeClient);
  });

  it(`${versions.bun}: Bun.connect through connectBun`, async () => {
    expect(await runBun(scenario('web-client-bun.mjs'), input)).toEqual(nodeClient);
  });

  it('workerd: connect() from cloudflare:sockets, the network service allowing "local"', async () => {
    expect(await runWorkerd(scenario('web-client-workerd.mjs'), input, { allowLocalNetwork: true, external: ['cloudflare:sockets'] })).toEqual(nodeClient);
  });
});

for (const name of ['chromium', 'firefox'] as const) {
  describe(`the helpers in ${name}`, () => {
    let session: BrowserSession;
    beforeAll(async () => {
      session = await openBrowser(name);
    }, 120_000);
    afterAll(async () => {
      await session?.close();
    });

    it('on the page and in a module Worker, return what Node returns less the fields a browser forbids', async () => {
      const differs = name === 'firefox' ? [...BROWSER_SERIALIZED, ...FIREFOX_BUFFERED] : BROWSER_SERIALIZED;
      const expected = without(asInBrowser(cookieJoinedByComma(nodeHelpers), name === 'chromium' ? ['user-agent'] : []), differs);
      for (const run of [await session.runInPage(HELPERS), await session.runInWorker(HELPERS)] as Json[]) {
        expect(without(run, differs)).toEqual(expected);
        checkBrowserSerialized(name, run);
        if (name === 'firefox') {
          // No streamed Request bodies in Firefox: readRequest reads a body whole before making the
          // Request, so a bad chunk rejects readRequest itself and a body is never left unread.
          expect(run.badChunk).toMatchObject({ ok: false, name: 'ParseError', code: 'HPE_INVALID_CHUNK_SIZE', offset: 64 });
          expect(run.skipUnread.firstBody).toEqual({ ok: true, value: 'hello world' });
          expect(run.roundTrip.value.request.rawHeaders).toContain('content-length');
        }
      }
      expect(session.problems).toEqual([]);
      for (const url of session.requested) expect(url.startsWith(`${session.origin}/`), url).toBe(true);
    });
  });
}
