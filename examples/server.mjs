// npm start: a small server on wirehttp/node (the node:http API, the wasm parser underneath),
// serving the playground page (examples/playground/, bundled to dist/playground.js by npm run build).
import { readFileSync } from 'node:fs';
import http from '../dist/node.js';
import { parseRequest, ParseError } from '../dist/index.js';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';

const file = (path) => readFileSync(new URL(path, import.meta.url));
const assets = {
  '/': ['text/html; charset=utf-8', file('./playground/index.html')],
  '/playground.css': ['text/css; charset=utf-8', file('./playground/style.css')],
  '/playground.js': ['text/javascript; charset=utf-8', file('../dist/playground.js')],
};

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    switch (url.pathname) {
      case '/':
      case '/playground.css':
      case '/playground.js':
        res.setHeader('Content-Type', assets[url.pathname][0]);
        return res.end(assets[url.pathname][1]);
      case '/echo':
        return json(res, 200, {
          method: req.method, url: req.url, httpVersion: req.httpVersion,
          rawHeaders: req.rawHeaders, headers: req.headers, body: body.toString('latin1'), trailers: req.trailers,
        });
      case '/stream':
        res.writeHead(200, { 'Content-Type': 'text/plain', Trailer: 'X-Lines' });
        for (let i = 1; i <= 3; i++) res.write(`line ${i}\n`);
        res.addTrailers({ 'X-Lines': '3' });
        return res.end();
      case '/parse':
        try {
          const { method, url: target, rawHeaders, headers } = parseRequest(body);
          return json(res, 200, { method, url: target, rawHeaders, headers });
        } catch (error) {
          if (!(error instanceof ParseError)) throw error;
          return json(res, 400, { code: error.code, reason: error.reason, offset: error.offset });
        }
      default:
        return json(res, 404, { error: 'not found' });
    }
  });
});

function json(res, status, value) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value, null, 2) + '\n');
}

server.listen(port, host, () => {
  const { port: actual } = server.address();
  console.log(`wirehttp/node demo listening on http://${host}:${actual}/ (Ctrl-C to stop)`);
});
