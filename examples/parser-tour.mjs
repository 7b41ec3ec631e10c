// node examples/parser-tour.mjs: the core parser on a few messages, no server.
import { HttpParser, ParseError, parseRequest, parseResponse } from '../dist/index.js';

const bytes = (text) => new TextEncoder().encode(text);
const show = (title, value) => console.log(`\n── ${title}\n${JSON.stringify(value, null, 2)}`);

// 1. Three pipelined requests arriving in awkward pieces.
const parser = new HttpParser('request');
const seen = [];
parser.onHeadersComplete = (head) => seen.push({ method: head.method, url: head.url, headers: head.headers });
parser.onBody = (chunk) => seen.push({ body: new TextDecoder().decode(chunk) });
parser.onMessageComplete = ({ offset }) => seen.push({ complete: offset });
const stream = 'GET /hello HTTP/1.1\r\nHost: example.com\r\n\r\nPOST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nworldGET /bye HTTP/1.1\r\n\r\n';
for (let at = 0; at < stream.length; at += 7) parser.execute(bytes(stream.slice(at, at + 7)));
show('pipelined requests, fed 7 bytes at a time', seen);

// 2. A chunked response with a trailer.
const response = parseResponse(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 42\r\n\r\n'));
show('chunked response', { status: response.statusCode, body: new TextDecoder().decode(response.body), trailers: response.trailers });

// 3. A request-smuggling attempt is rejected with a code, a reason and the byte offset.
try {
  parseRequest(bytes('POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'));
} catch (error) {
  if (!(error instanceof ParseError)) throw error;
  show('smuggling attempt', { code: error.code, reason: error.reason, offset: error.offset });
}
