// What the node layer borrows from Node's own http module: symbol-keyed fields its classes
// read, and the shapes of the errors its server raises. Looked up once, from real instances,
// so a Node version that renames one fails loudly here rather than silently at run time.
import http from 'node:http';
import net from 'node:net';

function nodeSymbol(owner: object, description: string): symbol {
  const found = Object.getOwnPropertySymbols(owner).find((s) => s.description === description);
  if (!found) throw new Error(`wirehttp/node: this Node.js (${process.version}) has no ${description} on its http objects`);
  return found;
}

/** OutgoingMessage: set when write() returned false; the server emits 'drain' on the response. */
export const kNeedDrain = nodeSymbol(new http.OutgoingMessage(), 'kNeedDrain');
/** OutgoingMessage: the headers set so far, `{ [lower-case name]: [name, value] }`, or null. */
export const kOutHeaders = nodeSymbol(new http.OutgoingMessage(), 'kOutHeaders');
/** OutgoingMessage: how many cork() calls wait for the socket. */
export const kCorked = nodeSymbol(new http.OutgoingMessage(), 'corked');
/** Server and ServerResponse: the `uniqueHeaders` option, parsed by Node's own constructor. */
export const kUniqueHeaders = nodeSymbol(new http.Server(), 'kUniqueHeaders');

/** An Error shaped as Node's internal ones: a `code` property and `name [code]: message` text. */
export function nodeError(code: string, message: string): Error & { code: string } {
  const error = new Error(message) as Error & { code: string };
  error.code = code;
  Object.defineProperty(error, 'toString', { value: () => `Error [${code}]: ${message}`, enumerable: false });
  return error;
}

/** What Node destroys an unfinished request with when its connection closes. */
export function connectionReset(message: string): Error & { code: string } {
  const error = new Error(message) as Error & { code: string };
  error.code = 'ECONNRESET';
  return error;
}

// Reading a server socket into one shared buffer. net.Socket's `onread` option (public for
// net.connect) makes libuv read into a caller's buffer and hand it to a callback, with no
// 64 KiB allocation, Buffer object or stream push per read; Node's own server gets the same by
// feeding its parser from C++. Sockets that a server accepts are switched over with the same
// fields and handle call net.Socket uses for that option.
const onreadProbe = new net.Socket({ onread: { buffer: Buffer.alloc(1), callback: () => true } } as net.SocketConstructorOpts);
const kBuffer = nodeSymbol(onreadProbe, 'kBuffer');
const kBufferCb = nodeSymbol(onreadProbe, 'kBufferCb');
onreadProbe.destroy();

/** Where every direct read lands; each callback is done with it before the next read. */
const sharedReadBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads of `socket` go to `onRead(bytes)`, a view of the shared buffer valid during the call
 * only, instead of to its 'data' events. Returns false (nothing changed) for sockets whose
 * handle is not a plain TCP or pipe handle (TLS, user streams) or that already read elsewhere.
 */
export function readDirectly(socket: net.Socket, onRead: (bytes: Buffer) => void): boolean {
  const s = socket as net.Socket & Record<string | symbol, any>;
  const handle = s._handle;
  if (!handle || typeof handle.useUserBuffer !== 'function' || s[kBuffer] || s.readableLength !== 0) return false;
  const kind = handle.constructor?.name;
  if (kind !== 'TCP' && kind !== 'Pipe') return false;
  s[kBuffer] = sharedReadBuffer;
  s[kBufferCb] = (nread: number, buffer: Buffer) => {
    onRead(buffer.subarray(0, nread));
  };
  handle.useUserBuffer(sharedReadBuffer);
  return true;
}

/** A socket that read directly goes back to 'data' events (after an upgrade): each read is copied out. */
export function readAsStream(socket: net.Socket): void {
  const s = socket as net.Socket & Record<string | symbol, any>;
  if (!s[kBuffer]) return;
  s[kBufferCb] = (nread: number, buffer: Buffer) => s.push(copyOf(buffer.subarray(0, nread)));
}

/** A copy that outlives the shared buffer (from Buffer's pool when small). */
export function copyOf(bytes: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafe(bytes.length);
  copy.set(bytes);
  return copy;
}
