// A ws WebSocket server on an http server, run on node:http and under wirehttp/register
// (test/frameworks.test.ts): the upgrade's bytes, then messages both ways through ws's client.
'use strict';
const http = require('node:http');
const { WebSocketServer, WebSocket } = require('ws');
const { raw, isWireServer, listen, print } = require('./client.cjs');

(async () => {
  const server = http.createServer((req, res) => res.end('plain http here'));
  const wss = new WebSocketServer({ server, path: '/ws' });
  const log = [];
  wss.on('connection', (socket, req) => {
    log.push(`server: connection ${req.url} ${req.headers['sec-websocket-protocol'] ?? ''}`);
    socket.on('message', (data, isBinary) => {
      log.push(`server: message ${isBinary ? 'binary' : 'text'} ${data.toString('hex')}`);
      socket.send(isBinary ? Buffer.concat([data, data]) : `echo ${data}`);
    });
    socket.on('close', (code, reason) => log.push(`server: close ${code} ${reason}`));
  });
  const port = await listen(server);

  // The handshake as bytes, with a fixed key (so Sec-WebSocket-Accept is fixed too).
  const handshake = await raw(
    port,
    'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  const plain = await raw(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  const refused = await raw(port, 'GET /elsewhere HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');

  const client = new WebSocket(`ws://127.0.0.1:${port}/ws`, 'chat');
  await new Promise((resolve, reject) => {
    client.on('error', reject);
    client.on('open', () => {
      log.push(`client: open ${client.protocol}`);
      client.send('hi');
    });
    client.on('message', (data, isBinary) => {
      log.push(`client: message ${isBinary ? 'binary' : 'text'} ${data.toString()}`);
      if (!isBinary) client.send(Buffer.from([1, 2, 3]));
      else client.close(4000, 'bye');
    });
    client.on('close', (code, reason) => {
      log.push(`client: close ${code} ${reason}`);
      resolve();
    });
  });
  await new Promise((resolve) => setImmediate(resolve));
  print({ servedByWirehttp: isWireServer(server), handshake, plain, refused, log: log.sort() });
  wss.close();
  server.close();
})();
