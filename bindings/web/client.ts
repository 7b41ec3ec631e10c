// request(socket, Request) → Response over any { readable, writable } byte pair: a TCP socket from
// connect() in Workers, Deno.connect, Bun (through connectBun), Node (Duplex.toWeb). One request
// at a time per socket; the socket is reused while the server keeps the connection alive.
import type { MessageHead, ParserOptions } from '../core/index.js';
import { responseFrom } from './convert.js';
import { MessageReader, closedBeforeResponse, type MessageParts } from './reader.js';
import { serializeRequest } from './serialize.js';

export interface SocketPair {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
}

export interface ClientOptions extends ParserOptions {
  /** Called with each interim 1xx response (100 Continue, 103 Early Hints) before the final one. */
  onInformational?: (head: MessageHead) => void;
}

const noop = () => {};

class Connection {
  readonly reader: MessageReader;
  /** Settles when the last exchange is done: its upload sent and its response read (or cancelled). */
  idle: Promise<unknown> = Promise.resolve();
  /** Why this socket takes no more requests. */
  closed: unknown = undefined;

  constructor(socket: SocketPair, options: ParserOptions) {
    this.reader = new MessageReader(socket.readable, 'response', options);
  }
}

const connections = new WeakMap<SocketPair, Connection>();

function asksToClose(headers: Headers): boolean {
  return (headers.get('connection') ?? '').toLowerCase().split(',').some((token) => token.trim() === 'close');
}

/**
 * Sends `req` on the socket and resolves with the response once its head has arrived; the
 * body streams from the socket as it is read. A request made while an earlier one's response is
 * unread waits for it to be read to its end or cancelled. Rejects with ParseError on a bad
 * response (and the socket takes no more requests), or with the error that stopped the upload.
 * The parser options of the socket's first request hold for the socket.
 */
export function request(socket: SocketPair, req: Request, options: ClientOptions = {}): Promise<Response> {
  let connection = connections.get(socket);
  if (!connection) connections.set(socket, (connection = new Connection(socket, options)));
  const conn = connection;
  const exchange = conn.idle.then(() => send(conn, socket, req, options));
  conn.idle = exchange.then(({ done }) => done, noop);
  return exchange.then(({ response }) => response);
}

async function send(conn: Connection, socket: SocketPair, req: Request, options: ClientOptions): Promise<{ response: Response; done: Promise<unknown> }> {
  if (conn.closed !== undefined) throw conn.closed;
  const uploading = serializeRequest(req).pipeTo(socket.writable, { preventClose: true });
  uploading.catch((error) => (conn.closed ??= error));
  const reading = conn.reader.next({ requestMethod: req.method, onInformational: options.onInformational });
  reading.catch(noop);
  let parts: MessageParts | null;
  try {
    // The server may answer before the upload ends (a 413, say); an upload that fails first is the error.
    parts = await Promise.race([reading, uploading.then(() => reading)]);
    if (!parts) throw closedBeforeResponse();
  } catch (error) {
    conn.closed ??= error;
    void uploading.catch(noop).then(() => retire(conn, socket));
    void conn.reader.cancel(error);
    throw error;
  }
  if (!parts.keepAlive || asksToClose(req.headers)) {
    conn.closed = new TypeError('wirehttp: the connection is closed after this response (Connection: close or HTTP/1.0)');
  }
  const done = Promise.all([parts.settled, uploading.catch(noop)]).then(() => {
    conn.closed ??= conn.reader.failed;
    if (conn.closed !== undefined) retire(conn, socket);
  });
  return { response: responseFrom(parts.head, parts.body, parts.trailers), done };
}

/** A socket that takes no more requests is closed: its readable cancelled, its writable closed. */
function retire(conn: Connection, socket: SocketPair): void {
  void conn.reader.cancel(conn.closed);
  if (!socket.writable.locked) socket.writable.close().catch(noop);
}
