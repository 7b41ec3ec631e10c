// The wirehttp/web helpers, run the same way in every runtime (Node, workerd, Deno, Bun,
// Chromium, Firefox): plain JavaScript that takes the module's exports and the core's parse
// functions and returns plain JSON, so the runtimes' results can be compared whole.
// test/web-helpers.test.ts holds the expectations and the list of platform differences.

const enc = (s) => Uint8Array.from(s, (c) => {
  const code = c.charCodeAt(0);
  if (code > 0xff) throw new Error('web-scenario: not a byte string');
  return code;
});
const text = (bytes) => String.fromCharCode(...bytes);
const entries = (headers) => {
  const out = [];
  headers.forEach((value, name) => out.push([name, value]));
  return out;
};

/** A ReadableStream giving `bytes` in pieces of the given sizes (the last one takes the rest). */
function streamOf(bytes, sizes = []) {
  let at = 0;
  let k = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const size = k < sizes.length ? sizes[k++] : bytes.length - at;
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

/** Reads a body through its reader (text() in browsers turns the stream's own error into TypeError "Failed to fetch"). */
async function bytesOf(stream) {
  if (!stream) return null;
  const reader = stream.getReader();
  const parts = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const byte of value) parts.push(byte);
  }
  return parts;
}

async function settle(run) {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    return {
      ok: false,
      name: e && e.name,
      code: (e && e.code) ?? null,
      reason: (e && e.reason) ?? null,
      offset: (e && e.offset) ?? null,
      message: String(e && e.message),
      headMethod: (e && e.head && e.head.method) ?? null,
      headStatus: (e && e.head && e.head.statusCode) ?? null,
      body: e && e.body ? (e.body instanceof Uint8Array ? Array.from(e.body) : await bytesOf(e.body)) : null,
    };
  }
}

/** A Request's body as text (null for none). Firefox's Request has no `body` stream: its bytes come from arrayBuffer(). */
async function requestText(req) {
  if (req.body === undefined) {
    const bytes = new Uint8Array(await req.arrayBuffer());
    return bytes.length ? text(bytes) : null;
  }
  return req.body ? text(await bytesOf(req.body)) : null;
}

async function requestView(api, req) {
  const head = api.rawHead(req);
  return {
    method: req.method,
    url: req.url,
    headers: entries(req.headers),
    body: await requestText(req),
    rawHeaders: head ? head.rawHeaders : null,
    rawUrl: head ? head.url : null,
    trailers: api.rawTrailers(req) ? await api.rawTrailers(req) : null,
  };
}

async function responseView(api, res) {
  const head = api.rawHead(res);
  return {
    status: res.status,
    statusText: res.statusText,
    headers: entries(res.headers),
    hasBody: res.body !== null,
    body: res.body ? text(await bytesOf(res.body)) : null,
    rawHeaders: head ? head.rawHeaders : null,
    rawStatusMessage: head ? head.statusMessage : null,
    trailers: api.rawTrailers(res) ? await api.rawTrailers(res) : null,
  };
}

export async function webScenario(api) {
  const { parseRequest, parseResponse, toRequest, toResponse, readRequest, readResponse, serializeRequest, serializeResponse } = api;
  const out = {};

  // Parsed requests → Request: fields as sent vs as a Request holds them.
  const post = enc(
    'POST /submit?x=1&y=%20 HTTP/1.1\r\nHost: example.test:8080\r\nX-Trace: a\r\nx-trace: b\r\nCookie: a=1\r\nCookie: b=2\r\n' +
      'Content-Type: text/plain\r\nContent-Length: 11\r\nConnection: keep-alive\r\nUser-Agent: wirehttp-test\r\n\r\nhello world',
  );
  out.post = await settle(() => requestView(api, toRequest(parseRequest(post))));
  out.baseUrl = await settle(() => requestView(api, toRequest(parseRequest(enc('GET /a/b HTTP/1.1\r\nHost: ignored.test\r\n\r\n')), { baseUrl: 'https://api.example.test:8443/prefix' })));
  out.noHost = await settle(() => requestView(api, toRequest(parseRequest(enc('GET /a HTTP/1.0\r\n\r\n')))));
  out.twoHosts = await settle(() => requestView(api, toRequest(parseRequest(enc('GET /a HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n')))));
  out.badHost = await settle(() => requestView(api, toRequest(parseRequest(enc('GET /a HTTP/1.1\r\nHost: a.test/evil\r\n\r\n')))));
  out.doubleSlash = await settle(() => requestView(api, toRequest(parseRequest(enc('GET //evil.test/x HTTP/1.1\r\nHost: a.test\r\n\r\n')))));
  out.absolute = await settle(() => requestView(api, toRequest(parseRequest(enc('GET http://other.test:81/p?q HTTP/1.1\r\nHost: a.test\r\n\r\n')))));
  out.asterisk = await settle(() => requestView(api, toRequest(parseRequest(enc('OPTIONS * HTTP/1.1\r\nHost: a.test\r\n\r\n')))));
  out.connect = await settle(() => requestView(api, toRequest(parseRequest(enc('CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n')))));
  out.trace = await settle(() => requestView(api, toRequest(parseRequest(enc('TRACE / HTTP/1.1\r\nHost: a.test\r\n\r\n')))));
  out.track = await settle(() => requestView(api, toRequest(parseRequest(enc('TRACK / HTTP/1.1\r\nHost: a.test\r\n\r\n')))));
  out.getWithBody = await settle(() => requestView(api, toRequest(parseRequest(enc('GET / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 3\r\n\r\nabc')))));
  out.latin1 = await settle(() => requestView(api, toRequest(parseRequest(enc('GET / HTTP/1.1\r\nHost: a.test\r\nX-Name: caf\xe9 \x80\r\n\r\n')))));
  out.ctlValue = await settle(() => requestView(api, toRequest(parseRequest(enc('GET / HTTP/1.1\r\nHost: a.test\r\nX-Ctl: a\x01b\r\n\r\n'), { lenient: { headers: true } }))));
  out.nulValue = await settle(() => requestView(api, toRequest(parseRequest(enc('GET / HTTP/1.1\r\nHost: a.test\r\nX-Nul: a\x00b\r\n\r\n'), { lenient: { headers: true } }))));

  // Parsed responses → Response.
  const ok = enc('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Dup: 1\r\nx-dup: 2\r\nContent-Length: 5\r\n\r\nhello');
  out.ok = await settle(() => responseView(api, toResponse(parseResponse(ok))));
  out.status = {};
  for (const [status, extra] of [[100, ''], [101, 'Upgrade: x\r\nConnection: upgrade\r\n'], [103, ''], [199, ''], [204, ''], [304, ''], [599, 'Content-Length: 0\r\n'], [600, 'Content-Length: 0\r\n'], [999, 'Content-Length: 0\r\n']]) {
    out.status[status] = await settle(() => responseView(api, toResponse(parseResponse(enc(`HTTP/1.1 ${status} X\r\n${extra}\r\n`)))));
  }
  out.resetWithBody = await settle(() => responseView(api, toResponse(parseResponse(enc('HTTP/1.1 205 Reset Content\r\nContent-Length: 2\r\n\r\nhi')))));
  out.ctlReason = await settle(() => responseView(api, toResponse(parseResponse(enc('HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n'), { lenient: { headers: true } }))));
  out.emptyReason = await settle(() => responseView(api, toResponse(parseResponse(enc('HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n')))));

  // readRequest: pipelined requests in odd pieces, a chunked body with trailers streamed, then the end.
  const pipelined = enc(
    'POST /upload HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n' +
      '5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n' +
      'GET /next?n=2 HTTP/1.1\r\nHost: a.test\r\n\r\n' +
      'PUT /len HTTP/1.1\r\nHost: a.test\r\nContent-Length: 4\r\n\r\nabcd',
  );
  for (const [name, sizes] of [['whole', []], ['bytes', Array(pipelined.length).fill(1)], ['odd', [3, 70, 1, 2, 9, 40, 5]]]) {
    const stream = streamOf(pipelined, sizes);
    const seen = [];
    for (;;) {
      const req = await readRequest(stream);
      if (!req) break;
      seen.push(await requestView(api, req));
    }
    out[`pipelined_${name}`] = seen;
  }
  // A body left unread is dropped when the next request is read.
  {
    const stream = streamOf(pipelined, Array(pipelined.length).fill(1));
    const first = await readRequest(stream);
    const second = await readRequest(stream);
    out.skipUnread = { first: first.url, second: second.url, firstBody: await settle(() => requestText(first)) };
  }
  out.badRequest = await settle(() => readRequest(streamOf(enc('GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n'))));
  out.badChunk = await settle(async () => {
    const req = await readRequest(streamOf(enc('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n'), [60]));
    return { url: req.url, body: await settle(() => requestText(req)) };
  });
  out.cutShort = await settle(() => readRequest(streamOf(enc('GET / HTTP/1.1\r\nHost:'))));
  out.empty = await settle(() => readRequest(streamOf(new Uint8Array(0))));
  out.connectRead = await settle(async () => {
    const stream = streamOf(enc('CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n\x16\x03\x01'));
    const first = await settle(() => readRequest(stream));
    const after = await settle(() => readRequest(stream));
    return { first, after };
  });

  // readResponse: HEAD, interim responses, a body read until close, 304.
  out.headResponse = await settle(async () => {
    const stream = streamOf(enc('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n'));
    const head = await readResponse(stream, { requestMethod: 'head' });
    const next = await readResponse(stream);
    return { head: await responseView(api, head), next: await responseView(api, next) };
  });
  out.informational = await settle(async () => {
    const interim = [];
    const stream = streamOf(enc('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), [20, 30]);
    const res = await readResponse(stream, { onInformational: (h) => interim.push([h.statusCode, h.rawHeaders]) });
    return { interim, res: await responseView(api, res) };
  });
  out.untilClose = await settle(async () => responseView(api, await readResponse(streamOf(enc('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it, until the end'), [25, 10]))));
  out.notModified = await settle(async () => responseView(api, await readResponse(streamOf(enc('HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n')))));
  out.chunkedResponse = await settle(async () => responseView(api, await readResponse(streamOf(enc('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n'), [40, 4]))));
  out.badResponse = await settle(() => readResponse(streamOf(enc('HTTP/1.1 2x0 OK\r\n\r\n'))));

  // Serializers: Request / Response → bytes.
  const serialize = async (stream) => settle(async () => text(await bytesOf(stream)));
  out.serialized = {
    postString: await serialize(serializeRequest(new Request('http://a.test:8080/p?q=1', { method: 'POST', body: 'hi', headers: { 'X-A': '1' } }))),
    postLength: await serialize(serializeRequest(new Request('http://a.test/p', { method: 'POST', body: 'hello', headers: { 'Content-Length': '5' } }))),
    postShort: await serialize(serializeRequest(new Request('http://a.test/p', { method: 'POST', body: 'hello', headers: { 'Content-Length': '9' } }))),
    postEmpty: await serialize(serializeRequest(new Request('http://a.test/p', { method: 'POST' }))),
    get: await serialize(serializeRequest(new Request('http://a.test/caf%C3%A9?a=b#frag'))),
    response: await serialize(serializeResponse(new Response('body', { status: 201, statusText: 'Created', headers: [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X-B', '2']] }))),
    noContent: await serialize(serializeResponse(new Response(null, { status: 204, headers: { 'X-C': '3' } }))),
    headLength: await serialize(serializeResponse(new Response('body', { headers: { 'Content-Length': '4' } }), { requestMethod: 'HEAD' })),
    emptyOk: await serialize(serializeResponse(new Response(null))),
  };
  // Round trip: what a reader makes of what the serializer wrote.
  out.roundTrip = await settle(async () => {
    const req = new Request('http://a.test/rt', { method: 'PUT', body: 'round trip', headers: { 'X-Rt': 'yes' } });
    const back = await readRequest(serializeRequest(req));
    const res = await readResponse(serializeResponse(new Response('answer', { status: 202, headers: { 'X-Rt': 'yes' } })));
    return { request: await requestView(api, back), response: await responseView(api, res) };
  });
  return out;
}
