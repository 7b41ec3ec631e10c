// The floor for any server built on net.Socket: wirehttp's parser and hand-written answers, with
// no IncomingMessage, ServerResponse, events or timers. It answers what serve.mjs's handler
// answers, byte for byte but the Date, so bench/server.mjs --floor can put it beside node:http
// under the same load. No HTTP server on net.Socket with node:http's semantics can be faster.
//
// It reads through net.Socket's onread option, as wirehttp/node does, into one shared buffer.
import net from 'node:net';
import { HttpParser } from '../../dist/index.js';

const CHUNKS = ['Hello World, ', 'sent as ', 'four res.write() ', 'chunks'];
const CHUNKED_BODY = `${CHUNKS.map((c) => `${c.length.toString(16)}\r\n${c}\r\n`).join('')}0\r\n\r\n`;

let date;
function httpDate() {
  if (date === undefined) {
    const now = new Date();
    date = now.toUTCString();
    setTimeout(() => (date = undefined), 1000 - now.getMilliseconds()).unref();
  }
  return date;
}

function head(extra) {
  return `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: ${httpDate()}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n${extra}\r\n`;
}

const probe = new net.Socket({ onread: { buffer: Buffer.alloc(1), callback: () => true } });
const symbol = (name) => Object.getOwnPropertySymbols(probe).find((s) => s.description === name);
const kBuffer = symbol('kBuffer');
const kBufferCb = symbol('kBufferCb');
probe.destroy();
const shared = Buffer.allocUnsafe(64 * 1024);

export function createServer() {
  return net.createServer({ noDelay: true }, (socket) => {
    const parser = new HttpParser('request', { headers: false }); // as wirehttp/node's
    let answer = '';
    let bodyBytes = 0;
    parser.onHeadersComplete = (h) => {
      bodyBytes = 0;
      answer = h.method === 'POST' ? 'post' : h.url === '/chunked' ? 'chunked' : 'hello';
    };
    parser.onBody = (chunk) => {
      bodyBytes += chunk.length;
    };
    parser.onMessageComplete = () => {
      if (answer === 'post') {
        const body = `Hello World, ${bodyBytes} bytes`;
        socket.write(head(`Content-Length: ${body.length}\r\n`) + body, 'latin1');
      } else if (answer === 'chunked') {
        socket.write(head('Transfer-Encoding: chunked\r\n') + CHUNKED_BODY, 'latin1');
      } else {
        socket.write(head('Content-Length: 11\r\n') + 'Hello World', 'latin1');
      }
    };
    socket[kBuffer] = shared;
    socket[kBufferCb] = (n, buffer) => {
      if (typeof parser.tryExecute(buffer.subarray(0, n)) !== 'number') socket.destroy();
    };
    socket._handle.useUserBuffer(shared);
    socket.on('error', () => {});
  });
}
