// npm start: a small server on wirehttp/node: the node:http API, the wasm parser underneath.
import http from '../dist/node.js';
import { parseRequest, ParseError } from '../dist/index.js';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';

const page = `<!doctype html><meta charset="utf-8"><title>wirehttp</title>
<h1>wirehttp/node</h1>
<p>This page was served by <code>wirehttp/node</code>: Node's http API with a WebAssembly HTTP/1.1 parser.</p>
<ul>
<li><a href="/echo?hello=world">/echo</a> — the request as the server parsed it (try POST with a body)</li>
<li><a href="/stream">/stream</a> — a chunked response with a trailer</li>
<li><code>curl --data-binary $'GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' http://${host}:${port}/parse</code> — raw HTTP in, JSON out</li>
</ul>`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    switch (url.pathname) {
      case '/':
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        return res.end(page);
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

server.listen(port, host, () => console.log(`wirehttp/node demo listening on http://${host}:${port}/ (Ctrl-C to stop)`));
