// The wirehttp/web client over a runtime's own TCP socket, against the Node server that
// test/web-runtimes.test.ts starts on loopback (input.port; input.badPort answers garbage).
// `open(port)` gives { pair, close } from the runtime's socket API; the rest is the same code
// everywhere and returns plain JSON that must deep-equal Node's.
import { ParseError, rawTrailers, request } from 'wirehttp/web';

const UNCOMPARED = ['date', 'keep-alive'];

async function view(res) {
  const headers = [];
  res.headers.forEach((value, name) => !UNCOMPARED.includes(name) && headers.push([name, value]));
  const body = res.body ? await res.text() : null;
  return { status: res.status, statusText: res.statusText, headers, body, trailers: await rawTrailers(res) };
}

const failure = (e) => ({ name: e?.name ?? null, isParseError: e instanceof ParseError, code: e?.code ?? null, reason: e?.reason ?? null });

export async function clientScenario(open, input) {
  const base = `http://127.0.0.1:${input.port}`;
  const out = {};
  const { pair, close } = await open(input.port);
  // One socket for every request: Content-Length, chunked with trailers, HEAD, 204, 304, uploads.
  out.sequence = [];
  for (const [path, init] of [['/len'], ['/chunked'], ['/len', { method: 'HEAD' }], ['/204'], ['/304'], ['/chunked']]) {
    out.sequence.push({ path, method: init?.method ?? 'GET', ...(await view(await request(pair, new Request(base + path, init)))) });
  }
  const pieces = ['streamed ', 'upload ', 'body'];
  const stream = new ReadableStream({
    pull(controller) {
      const next = pieces.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(next));
    },
  });
  const chunked = await (await request(pair, new Request(base + '/echo', { method: 'POST', body: stream, duplex: 'half' }))).json();
  const sized = await (await request(pair, new Request(base + '/echo', { method: 'PUT', body: 'twelve bytes', headers: { 'content-length': '12' } }))).json();
  out.uploads = [chunked, sized].map(({ method, body, headers }) => ({ method, body, te: headers['transfer-encoding'] ?? null, cl: headers['content-length'] ?? null }));
  // The server saw every request of this socket on one connection.
  out.connections = new Set([chunked.connection, sized.connection]).size;
  out.requestsOnConnection = sized.requestsOnConnection;
  await close();

  const bad = await open(input.badPort);
  out.malformed = await request(bad.pair, new Request(`http://127.0.0.1:${input.badPort}/`)).then(() => ({ name: 'resolved' }), failure);
  await bad.close();
  return out;
}
