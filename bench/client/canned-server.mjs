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

// Each connection reads into one shared buffer through net.Socket's `onread` (no 64 KiB buffer,
// string decoding or stream push per read): 15-20% less of the server's CPU per request than
// 'data' events in latin1 (most of what is left is the kernel's, its write to the client).
const shared = Buffer.allocUnsafe(64 * 1024);
const server = net.createServer({ noDelay: true, pauseOnConnect: true }, (accepted) => {
  // Requests are GETs without bodies: one answer per CR LF CR LF, which may straddle two reads.
  // `matched` counts the bytes of it seen so far.
  let matched = 0;
  // The accepted socket's handle, not yet reading (pauseOnConnect), taken over by a socket that
  // reads with `onread`, which net.createServer does not offer.
  const socket = new net.Socket({
    handle: accepted._handle,
    readable: true,
    writable: true,
    onread: {
      buffer: shared,
      callback(n, buf) {
        let m = matched;
        for (let i = 0; i < n; i++) {
          const c = buf[i];
          if (c === (m & 1 ? 10 : 13)) {
            if (++m === 4) {
              socket.write(ANSWER);
              m = 0;
            }
          } else {
            m = c === 13 ? 1 : 0;
          }
        }
        matched = m;
      },
    },
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
