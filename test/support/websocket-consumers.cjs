// websocket-driver and faye-websocket, the npm packages that parse HTTP with http-parser-js,
// against ws over loopback sockets. Prints a JSON transcript of what each side observed; run
// as is (http-parser-js) and with `-r ./http-parser-js-override.cjs` (wirehttp), then compared.
const crypto = require('node:crypto');
const net = require('node:net');
const { WebSocket: WsClient, WebSocketServer } = require('ws');
const websocket = require('websocket-driver');
const FayeWebSocket = require('faye-websocket');
const { HTTPParser } = require('http-parser-js');

// Which parser the consumers got, and that it did the parsing.
let executes = 0;
const execute = HTTPParser.prototype.execute;
HTTPParser.prototype.execute = function (...args) {
  executes++;
  return execute.apply(this, args);
};

const listening = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const closed = (server) => new Promise((resolve) => server.close(resolve));

/** faye-websocket's client (websocket-driver parses the 101 response) against a ws server. */
async function fayeClientWsServer() {
  const log = [];
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.on('listening', resolve));
  server.on('connection', (socket, request) => {
    log.push(`ws server: connection ${request.url}`);
    socket.send('hello from ws');
    socket.on('message', (data, binary) => {
      log.push(`ws server: message ${binary ? 'binary' : 'text'} ${data.toString()}`);
      if (binary) socket.send(Buffer.from([1, 2, 3]));
      else socket.send(`echo ${data}`);
    });
    socket.on('close', (code, reason) => log.push(`ws server: close ${code} ${reason}`));
  });
  const client = new FayeWebSocket.Client(`ws://127.0.0.1:${server.address().port}/chat?room=1`);
  await new Promise((resolve) => {
    let received = 0;
    client.on('open', () => {
      log.push(`faye client: open ${client.protocol === '' ? '' : client.protocol} ${client.statusCode}`);
      client.send('from faye');
    });
    client.on('message', (event) => {
      log.push(`faye client: message ${Buffer.isBuffer(event.data) ? `binary ${[...event.data]}` : event.data}`);
      if (++received === 2) client.send(Buffer.from('bytes from faye'));
      if (received === 3) client.close(1000, 'bye');
    });
    client.on('close', (event) => {
      log.push(`faye client: close ${event.code} ${event.reason}`);
      resolve();
    });
  });
  await closed(server);
  return log;
}

/** websocket-driver's server (it parses the request) on a raw TCP server, against a ws client. */
async function driverServerWsClient() {
  const log = [];
  const server = net.createServer((socket) => {
    const driver = websocket.server();
    driver.on('connect', () => {
      log.push(`driver server: connect ${driver.url} websocket=${websocket.isWebSocket(driver)} ${driver.headers['sec-websocket-version']}`);
      driver.start();
    });
    driver.on('open', () => driver.text('hello from driver'));
    driver.messages.on('data', (message) => {
      log.push(`driver server: message ${typeof message === 'string' ? message : `binary ${[...message]}`}`);
      if (typeof message === 'string') driver.text(`echo ${message}`);
      else driver.binary(Buffer.from([9, 8, 7]));
    });
    driver.on('close', (event) => {
      log.push(`driver server: close ${event.code} ${event.reason}`);
      socket.end();
    });
    socket.on('error', () => {});
    socket.pipe(driver.io).pipe(socket);
  });
  const port = await listening(server);
  await new Promise((resolve) => {
    const client = new WsClient(`ws://127.0.0.1:${port}/feed`);
    let received = 0;
    client.on('open', () => client.send('from ws'));
    client.on('message', (data, binary) => {
      log.push(`ws client: message ${binary ? `binary ${[...data]}` : data.toString()}`);
      if (++received === 2) client.send(Buffer.from([4, 5]));
      if (received === 3) client.close(1000, 'done');
    });
    client.on('close', (code, reason) => {
      log.push(`ws client: close ${code} ${reason}`);
      resolve();
    });
  });
  await closed(server);
  return log;
}

/** A 101 response and the first frame in one TCP write: the parser must hand back the bytes after the head. */
async function fayeClientHeadAndFrameTogether(response) {
  const log = [];
  const server = net.createServer((socket) => {
    let head = '';
    socket.on('data', (data) => {
      head += data.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const key = /Sec-WebSocket-Key: (.*)\r\n/i.exec(head)[1];
      const accept = crypto.createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      const text = Buffer.from('in the same packet');
      socket.end(Buffer.concat([Buffer.from(response.replace('ACCEPT', accept), 'latin1'), Buffer.from([0x81, text.length]), text, Buffer.from([0x88, 0x02, 0x03, 0xe8])]));
    });
    socket.on('error', () => {});
  });
  const port = await listening(server);
  await new Promise((resolve) => {
    const client = new FayeWebSocket.Client(`ws://127.0.0.1:${port}/`);
    client.on('open', () => log.push(`faye client: open ${client.statusCode} ${client.headers['x-extra']}`));
    client.on('message', (event) => log.push(`faye client: message ${event.data}`));
    client.on('error', (event) => log.push(`faye client: error ${event.message}`));
    client.on('close', (event) => {
      log.push(`faye client: close ${event.code}`);
      resolve();
    });
  });
  await closed(server);
  return log;
}

(async () => {
  const transcript = {
    parser: HTTPParser === require('wirehttp').HTTPParser ? 'wirehttp' : 'http-parser-js',
    fayeClientWsServer: await fayeClientWsServer(),
    driverServerWsClient: await driverServerWsClient(),
    headAndFrameTogether: await fayeClientHeadAndFrameTogether(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Extra: yes\r\nSec-WebSocket-Accept: ACCEPT\r\n\r\n'),
    badHandshake: await fayeClientHeadAndFrameTogether('HTTP/1.1 1O1 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'),
  };
  transcript.parsed = executes > 0;
  process.stdout.write(JSON.stringify(transcript));
})();
