// The core's behaviour as a user sees it, run unchanged in every runtime (test/support/runtimes):
// Node is the reference, and Deno, Bun, workerd, Chromium and Firefox (page and module Worker)
// must return a deep-equal `results`. `environment` says what the runtime has, and may differ.
//
// input.fixtures: every test/fixtures/*.md case, raw bytes as a latin1 string.
import * as root from 'wirehttp';
import { HTTPParser } from 'wirehttp/http-parser-js';

const { HttpParser, ParseError, init, parseRequest, parseResponse } = root;

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

const latin1 = (b) => {
  let out = '';
  for (let i = 0; i < b.length; i++) out += String.fromCharCode(b[i]);
  return out;
};

/** Every event of one run, the input cut at `cuts`; body pieces merged so the log does not depend on the cuts. */
function eventLog(type, raw, options, cuts) {
  const { requestMethod, ...parserOptions } = options;
  const parser = new HttpParser(type, parserOptions);
  const log = [];
  let body = '';
  const flush = () => {
    if (body) log.push(['body', body]);
    body = '';
  };
  parser.onHeadersComplete = (h) => {
    log.push(['head', head(h)]);
    if (requestMethod === 'HEAD') return true;
    if (requestMethod === 'CONNECT' && h.statusCode >= 200 && h.statusCode < 300) return 2;
    return undefined;
  };
  parser.onBody = (piece) => void (body += latin1(piece));
  parser.onMessageComplete = (end) => {
    flush();
    log.push(['complete', end.offset, [...end.rawTrailers], JSON.parse(JSON.stringify(end.trailers))]);
  };
  try {
    let from = 0;
    for (const cut of [...cuts, raw.length]) {
      const piece = raw.subarray(from, cut);
      const used = parser.execute(piece);
      if (used < piece.length) {
        flush();
        log.push(['upgraded', from + used, parser.upgraded]);
        return log;
      }
      from = cut;
    }
    parser.finish();
    flush();
  } catch (error) {
    flush();
    log.push(['error', error instanceof ParseError, error.name, error.code, error.reason, error.offset, error.message]);
  }
  return log;
}

/** Each fixture whole and byte by byte, and the cuts at which a two-piece run logged anything else. */
function fixtures(list) {
  const out = {};
  for (const f of list) {
    const raw = bytes(f.raw);
    const whole = eventLog(f.type, raw, f.options, []);
    const text = JSON.stringify(whole);
    const splitsDiffering = [];
    for (let cut = 1; cut < raw.length; cut++) {
      if (JSON.stringify(eventLog(f.type, raw, f.options, [cut])) !== text) splitsDiffering.push(cut);
    }
    const byteByByte = eventLog(f.type, raw, f.options, Array.from({ length: Math.max(0, raw.length - 1) }, (_, i) => i + 1));
    out[`${f.file}: ${f.name}`] = { whole, byteByByte, splitsDiffering };
  }
  return out;
}

/** Messages a browser, a server and an attacker send, through the one-shot and streaming APIs. */
function messages() {

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

  return { get, obs, chunked, response, malformed, responseBody: json, pipelined, httpParserJs: httpParserJs() };
}

/** http-parser-js's API from its subpath (a layer on the root's parser): what websocket-driver calls. */
function httpParserJs() {
  const events = [];
  const p = new HTTPParser(HTTPParser.REQUEST);
  p[HTTPParser.kOnHeadersComplete] = (info) => void events.push(['head', info.method, info.url, info.headers, info.upgrade, info.shouldKeepAlive]);
  p[HTTPParser.kOnBody] = (chunk, offset, length) => void events.push(['body', latin1(chunk.subarray(offset, offset + length))]);
  p[HTTPParser.kOnMessageComplete] = () => void events.push(['complete']);
  const consumed = p.execute(bytes('POST /ws HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok'));
  const bad = new HTTPParser(HTTPParser.RESPONSE).execute(bytes('HTTP/1.1 2x0 OK\r\n\r\n'));
  return { events, consumed, method: HTTPParser.methods[events[0][1]], error: [bad instanceof Error, bad.message, bad.code] };
}

/**
 * More parsers than the wasm has state slots (4096), all mid-message at once, then a long run of
 * short-lived parsers: those past the slots keep their state in JS memory. Every parser must
 * come out with its own message, whichever kind of state it had.
 */
function slots() {
  const live = [];
  for (let i = 0; i < 5000; i++) {
    const p = new HttpParser('request');
    const seen = { urls: [], bodies: [] };
    p.onHeadersComplete = (h) => void seen.urls.push(h.url + ' ' + h.headers['x-n']);
    p.onBody = (piece) => void seen.bodies.push(latin1(piece));
    live.push({ p, seen });
  }
  const text = (i) => `POST /p/${i} HTTP/1.1\r\nX-N: ${i}\r\nContent-Length: ${String(i).length}\r\n\r\n${i}GET /q/${i} HTTP/1.1\r\nX-N: ${i}\r\n\r\n`;
  // Every parser holds half a head, then the rest arrives in reverse order.
  for (let i = 0; i < live.length; i++) live[i].p.execute(bytes(text(i).slice(0, 20)));
  for (let i = live.length - 1; i >= 0; i--) live[i].p.execute(bytes(text(i).slice(20)));
  const wrong = [];
  for (let i = 0; i < live.length; i++) {
    const { urls, bodies } = live[i].seen;
    if (urls.join('|') !== `/p/${i} ${i}|/q/${i} ${i}` || bodies.join('') !== String(i)) wrong.push(i);
  }
  for (const { p } of live) p.finish();
  // Short-lived parsers, three times the slots: each ends its input, which hands its slot back.
  let churned = 0;
  for (let i = 0; i < 3 * 4096; i++) {
    const p = new HttpParser('request');
    let url = '';
    p.onHeadersComplete = (h) => void (url = h.url);
    p.execute(bytes(`GET /c/${i} HTTP/1.1\r\n\r\n`));
    p.finish();
    if (url === `/c/${i}`) churned++;
  }
  // A freed parser keeps working, and a reset one starts afresh.
  const p = new HttpParser('request');
  const urls = [];
  p.onHeadersComplete = (h) => void urls.push(h.url);
  p.execute(bytes('GET /before-free HTTP/1.1\r\nHo'));
  p.free();
  p.execute(bytes('st: x\r\n\r\n'));
  p.reset();
  p.execute(bytes('GET /after-reset HTTP/1.1\r\n\r\n'));
  return { parsers: live.length, wrong, churned, urls };
}

export default async function run(input) {
  await init(); // no argument: the entry's own module, loaded now
  const initRejectsGarbage = await init(new Uint8Array([0, 1, 2, 3])).then(() => false, () => true);
  return {
    environment: {
      hasBuffer: typeof globalThis.Buffer !== 'undefined',
      hasFinalizationRegistry: typeof FinalizationRegistry === 'function',
      // Under the `node` condition (Node, Deno, Bun) the root also carries http-parser-js's API.
      rootHasHTTPParser: 'HTTPParser' in root,
    },
    results: { fixtures: fixtures(input.fixtures), messages: messages(), slots: slots(), initRejectsGarbage },
  };
}
