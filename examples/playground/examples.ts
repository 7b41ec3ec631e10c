// The playground's examples, in the project's text form of raw HTTP (bindings/cli/http-text.ts):
// each line break is CRLF, a line ending in "\" joins the next, \r \n \t \xHH are exact bytes.
import type { LenientFlag } from '../../bindings/core/index.js';

export interface Example {
  name: string;
  type: 'request' | 'response' | 'auto';
  /** For responses: the method of the request they answer. */
  requestMethod?: string;
  lenient?: LenientFlag[];
  text: string;
  /** What the parser makes of it: the message count, or the error code (the tests check both). */
  expect: { messages: number; error?: string };
}

export const EXAMPLES: Example[] = [
  {
    name: 'GET from a browser',
    type: 'request',
    text: `GET /search?q=wirehttp HTTP/1.1
Host: example.com
User-Agent: Mozilla/5.0 (X11; Linux x86_64)
Accept: text/html,application/xhtml+xml
Accept-Language: en-US,en;q=0.9
Cookie: session=abc123
Cookie: theme=dark

`,
    expect: { messages: 1 },
  },
  {
    name: 'POST with a Content-Length body',
    type: 'request',
    text: `POST /api/items HTTP/1.1
Host: example.com
Content-Type: application/json
Content-Length: 23

{"name":"wire","qty":3}\\`,
    expect: { messages: 1 },
  },
  {
    name: 'Chunked upload with trailers',
    type: 'request',
    text: `POST /upload HTTP/1.1
Host: example.com
Transfer-Encoding: chunked
Trailer: X-Checksum

5;name=first
hello
7
, world
0
X-Checksum: sha256=abc123

`,
    expect: { messages: 1 },
  },
  {
    name: 'Pipelined requests',
    type: 'request',
    text: `GET /one HTTP/1.1
Host: example.com

GET /two HTTP/1.1
Host: example.com

DELETE /three HTTP/1.1
Host: example.com
Connection: close

`,
    expect: { messages: 3 },
  },
  {
    name: 'Response with cookies',
    type: 'response',
    text: `HTTP/1.1 200 OK
Content-Type: text/plain; charset=utf-8
Set-Cookie: a=1; Path=/
Set-Cookie: b=2; HttpOnly
Cache-Control: no-store
Content-Length: 13

Hello, world!\\`,
    expect: { messages: 1 },
  },
  {
    name: 'Chunked response with trailers',
    type: 'response',
    text: `HTTP/1.1 200 OK
Content-Type: text/plain
Transfer-Encoding: chunked
Trailer: Server-Timing

4
wire
4
http
0
Server-Timing: total;dur=12

`,
    expect: { messages: 1 },
  },
  {
    name: 'Response to HEAD',
    type: 'response',
    requestMethod: 'HEAD',
    text: `HTTP/1.1 200 OK
Content-Type: text/html
Content-Length: 5120

`,
    expect: { messages: 1 },
  },
  {
    name: 'A request and its response',
    type: 'auto',
    text: `HEAD /index.html HTTP/1.1
Host: example.com

HTTP/1.1 200 OK
Content-Type: text/html
Content-Length: 5120

`,
    expect: { messages: 2 },
  },
  {
    name: 'Switching to WebSocket',
    type: 'response',
    text: `HTTP/1.1 101 Switching Protocols
Upgrade: websocket
Connection: Upgrade

\\x81\\x05hello\\`,
    expect: { messages: 1 },
  },
  {
    name: 'Smuggling: Content-Length and Transfer-Encoding (CL.TE)',
    type: 'request',
    text: `POST / HTTP/1.1
Host: example.com
Content-Length: 13
Transfer-Encoding: chunked

0

SMUGGLED\\`,
    expect: { messages: 0, error: 'HPE_INVALID_TRANSFER_ENCODING' },
  },
  {
    name: 'Smuggling: Transfer-Encoding then Content-Length (TE.CL)',
    type: 'request',
    text: `POST / HTTP/1.1
Host: example.com
Transfer-Encoding: chunked
Content-Length: 3

8
SMUGGLED
0

`,
    expect: { messages: 0, error: 'HPE_INVALID_CONTENT_LENGTH' },
  },
  {
    name: 'Smuggling: two Content-Lengths',
    type: 'request',
    text: `POST / HTTP/1.1
Host: example.com
Content-Length: 6
Content-Length: 5

hello!\\`,
    expect: { messages: 0, error: 'HPE_UNEXPECTED_CONTENT_LENGTH' },
  },
  {
    name: 'Smuggling: obfuscated Transfer-Encoding',
    type: 'request',
    text: `POST / HTTP/1.1
Host: example.com
Transfer-Encoding: chunked, identity

0

`,
    expect: { messages: 0, error: 'HPE_INVALID_TRANSFER_ENCODING' },
  },
  {
    name: 'Smuggling: space before the colon',
    type: 'request',
    text: `POST / HTTP/1.1
Host: example.com
Transfer-Encoding : chunked

0

`,
    expect: { messages: 0, error: 'HPE_INVALID_HEADER_TOKEN' },
  },
  {
    name: 'Smuggling: bare LF line ends (strict)',
    type: 'request',
    text: 'GET / HTTP/1.1\\r\\nHost: example.com\\nX-Hidden: yes\\r\\n\\r\\n\\',
    expect: { messages: 0, error: 'HPE_CR_EXPECTED' },
  },
  {
    name: 'Bare LF line ends, lenient',
    type: 'request',
    // As in llhttp: a bare LF right after the version stands for the CR, so it takes both flags.
    lenient: ['optionalCrBeforeLf', 'optionalLfAfterCr'],
    text: 'GET / HTTP/1.1\\nHost: example.com\\nX-Hidden: yes\\n\\n\\',
    expect: { messages: 1 },
  },
  {
    name: 'obs-fold, lenient headers',
    type: 'request',
    lenient: ['headers'],
    text: `GET / HTTP/1.1
Host: example.com
X-Folded: first part
  second part

`,
    expect: { messages: 1 },
  },
  {
    name: 'Chunk size too large',
    type: 'request',
    text: `POST / HTTP/1.1
Host: example.com
Transfer-Encoding: chunked

fffffffffffffffff
`,
    expect: { messages: 0, error: 'HPE_INVALID_CHUNK_SIZE' },
  },
  {
    name: 'HTTP/1.0 keep-alive',
    type: 'request',
    text: `GET / HTTP/1.0
Host: example.com
Connection: keep-alive

`,
    expect: { messages: 1 },
  },
];
