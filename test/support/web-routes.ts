// The node:http routes both wirehttp/web client suites fetch (Node, and the other runtimes): one
// of each framing a client must read. Returns false for a URL that is not one of them.
import type http from 'node:http';

export function answerFramingRoute(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  switch (req.url) {
    case '/len':
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.end('a body with a Content-Length');
      return true;
    case '/chunked':
      res.writeHead(200, { 'Content-Type': 'text/plain', Trailer: 'X-Sum' });
      res.write('one ');
      res.write('two ');
      res.addTrailers({ 'X-Sum': '3' });
      res.end('three');
      return true;
    case '/204':
      res.writeHead(204).end();
      return true;
    case '/304':
      res.writeHead(304, { ETag: '"v1"' }).end();
      return true;
    default:
      return false;
  }
}
