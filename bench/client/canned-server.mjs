// The server of bench/client.mjs: a raw net server that answers every request head with the same
// canned bytes (no parser, no http module), so the client under test is what gets measured. It
// reports its own CPU time, so the benchmark can show it was not the bottleneck.
//
//   node bench/client/canned-server.mjs <small|64k>
//   IPC: → {type:'ready', port}; {type:'cpu'} → {type:'cpu', us}
import net from 'node:net';

const size = process.argv[2] === '64k' ? 65536 : 11;
const head = `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nDate: ${new Date().toUTCString()}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: ${size}\r\n\r\n`;
const ANSWER = Buffer.concat([Buffer.from(head, 'latin1'), size === 11 ? Buffer.from('Hello World') : Buffer.alloc(size, 'x')]);

const server = net.createServer({ noDelay: true }, (socket) => {
  // Requests are GETs without bodies: one answer per "\r\n\r\n", which may straddle two reads.
  let tail = '';
  socket.setEncoding('latin1');
  socket.on('data', (text) => {
    text = tail + text;
    for (let at = 0, end; (end = text.indexOf('\r\n\r\n', at)) >= 0; at = end + 4) socket.write(ANSWER);
    tail = text.slice(-3); // a terminator already answered can't complete again: requests start with a method
  });
  socket.on('error', () => {});
});

server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
process.on('message', (m) => {
  if (m?.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ type: 'cpu', us: user + system });
  } else if (m?.type === 'stop') {
    process.exit(0);
  }
});
