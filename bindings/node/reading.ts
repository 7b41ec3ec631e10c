// Reading sockets into one shared buffer, for the server and the client.
//
// net.Socket's `onread` option makes libuv read into a caller's buffer and call a function, with
// no 64 KiB allocation, Buffer object or stream push per read; Node's own HTTP code gets the same
// by feeding its parser from C++. The server switches the sockets it accepts (readDirectly); the
// client's Agent opens its sockets this way (connectReadingDirectly). Such a socket has a reader
// slot: while a parser is attached, every read goes to it as a view of the shared buffer (valid
// during the call only); while none is (an idle pooled socket, a socket lent to node:http's client
// through a shared Agent), and for good after an upgrade or once someone else listens for 'data'
// (readAsStream), each read is copied out and pushed as a 'data' event, so the socket behaves as
// any other to whoever holds it. Sockets neither made (TLS, a user's Duplex, another Agent's) are
// read through 'data' as usual.
import { Buffer } from 'node:buffer'; // not the global, an accessor (~150 instructions a use)
import net from 'node:net';
import { nodeSymbol } from './internals.js';

const READ_SIZE = 64 * 1024;
/** Where every direct read lands; each reader is done with it before the next read. */
const sharedReadBuffer = Buffer.allocUnsafe(READ_SIZE);
const sharedArrayBuffer = sharedReadBuffer.buffer;
/**
 * The view of the shared buffer the last direct read was handed as, kept while reads are the same
 * length (each response of a keep-alive client usually is): no Buffer made per read, and
 * isSharedRead() knows it without reading `.buffer` (a call into V8's runtime for a Buffer).
 */
let sharedView: Buffer = sharedReadBuffer.subarray(0, 0);

/** The bytes are a view of the shared read buffer: valid during the read's callback only. */
export function isSharedRead(bytes: Uint8Array): boolean {
  return bytes === sharedView || bytes.buffer === sharedArrayBuffer;
}

const kReader = Symbol('wirehttp.reader');
const kReads = Symbol('wirehttp.reads');

export type Reader = (bytes: Buffer) => void;
/** Per socket: whether its next reads go to buffers of their own (see readIntoOwnBuffers). */
interface Reads {
  own: boolean;
}
type DirectSocket = net.Socket & { [kReader]?: Reader | null; [kReads]?: Reads };

/** net.Socket calls this (as a method of the socket) for each read. */
function deliver(this: DirectSocket, nread: number, buffer: Buffer): boolean {
  let bytes: Buffer;
  if (buffer === sharedReadBuffer) {
    // Keep-alive requests and responses are reads of one size: their view is made once, not per
    // read (~200 instructions and an object to collect each). Nothing keeps a view of the shared buffer.
    bytes = sharedView;
    if (bytes.length !== nread) sharedView = bytes = buffer.subarray(0, nread);
  } else {
    bytes = buffer.subarray(0, nread);
  }
  const reader = this[kReader];
  if (reader) {
    // The reader copies what must outlive the call (isSharedRead).
    reader(bytes);
    return true;
  }
  return this.push(buffer === sharedReadBuffer ? copyOf(bytes) : bytes);
}

// net.Socket keeps its `onread` state in symbol-keyed fields; a socket a server accepted is
// switched over with the same fields and handle call the option uses.
const onreadProbe = new net.Socket({ onread: { buffer: Buffer.alloc(1), callback: () => true } } as net.SocketConstructorOpts);
const kBuffer = nodeSymbol(onreadProbe, 'kBuffer');
const kBufferCb = nodeSymbol(onreadProbe, 'kBufferCb');
onreadProbe.destroy();

/**
 * Reads of an accepted `socket` go to `reader` (a view of the shared buffer, valid during the call
 * only) instead of to 'data' events. Returns false (nothing changed) for sockets whose handle is
 * not a plain TCP or pipe handle (TLS, user streams) or that already read elsewhere.
 */
export function readDirectly(socket: net.Socket, reader: Reader): boolean {
  const s = socket as DirectSocket & Record<string | symbol, any>;
  const handle = s._handle;
  if (!handle || typeof handle.useUserBuffer !== 'function' || s[kBuffer] || s.readableLength !== 0) return false;
  const kind = handle.constructor?.name;
  if (kind !== 'TCP' && kind !== 'Pipe') return false;
  s[kBuffer] = sharedReadBuffer;
  s[kBufferCb] = deliver;
  handle.useUserBuffer(sharedReadBuffer);
  s[kReader] = reader;
  watchReaders(s);
  return true;
}

/**
 * net.createConnection with reads into the shared buffer: what the client's Agent makes its
 * sockets with. Until a reader is attached the socket reads as usual ('data' events).
 */
export function connectReadingDirectly(options: net.NetConnectOpts, connectListener?: () => void): net.Socket {
  const reads: Reads = { own: false };
  const nextBuffer = () => (reads.own ? Buffer.allocUnsafeSlow(READ_SIZE) : sharedReadBuffer);
  const onread = { buffer: nextBuffer, callback: deliver };
  const socket = net.createConnection({ ...options, onread } as net.NetConnectOpts, connectListener) as DirectSocket;
  socket[kReads] = reads;
  socket[kReader] = null;
  watchReaders(socket);
  return socket;
}

function watchReaders(socket: DirectSocket): void {
  socket.on = onWatchingReaders;
  socket.addListener = addListenerWatchingReaders;
  socket.prependListener = prependListenerWatchingReaders;
}

/**
 * Someone else's 'data' or 'readable' listener on a direct socket would get nothing while a parser
 * reads: the socket then leaves direct reads for good (as Node's parser unconsumes a socket), and
 * every read is pushed as a 'data' event, which the parser's own 'data' listener receives too.
 */
function watchingReaders(method: 'on' | 'addListener' | 'prependListener') {
  const original = net.Socket.prototype[method] as (this: DirectSocket, event: string | symbol, listener: (...args: any[]) => void) => DirectSocket;
  return function listenerWatchingReaders(this: DirectSocket, event: string | symbol, listener: (...args: any[]) => void): DirectSocket {
    if ((event === 'data' || event === 'readable') && listener !== this[kReader]) readAsStream(this);
    return original.call(this, event, listener);
  };
}
export const onWatchingReaders = watchingReaders('on');
const addListenerWatchingReaders = watchingReaders('addListener');
const prependListenerWatchingReaders = watchingReaders('prependListener');

const socketOn = net.Socket.prototype.on as (this: net.Socket, event: string, listener: (...args: any[]) => void) => net.Socket;

/**
 * `socket.on(event, listener)` for an event other than 'data' and 'readable', which the watch
 * above only passes on: the client adds and removes its listeners around every response.
 */
export function listen(socket: net.Socket, event: string, listener: (...args: any[]) => void): void {
  if (socket.on === onWatchingReaders) socketOn.call(socket, event, listener);
  else socket.on(event, listener);
}

/** From now on every read of this socket is a 'data' event (copied out of the shared buffer). */
export function readAsStream(socket: net.Socket): void {
  const s = socket as DirectSocket;
  s[kReader] = undefined;
  delete (s as Partial<DirectSocket>).on;
  delete (s as Partial<DirectSocket>).addListener;
  delete (s as Partial<DirectSocket>).prependListener;
}

/**
 * While a large body is read, reads go to buffers of their own, so body chunks are handed on as
 * views rather than copied out of the shared buffer (as Node's own reads allocate per read);
 * otherwise to the shared buffer. Takes effect from the next read.
 */
export function readIntoOwnBuffers(socket: net.Socket, own: boolean): void {
  const reads = (socket as DirectSocket)[kReads];
  if (reads !== undefined) reads.own = own;
}

/** The function a direct socket's reads go to (undefined: not a direct socket). */
export function readerOf(socket: net.Socket): Reader | null | undefined {
  return (socket as DirectSocket)[kReader];
}

/** The socket reads into the shared buffer (connectReadingDirectly made it): attachReader will take. */
export function readsDirectly(socket: net.Socket): boolean {
  return (socket as DirectSocket)[kReader] !== undefined;
}

/** A reader takes this socket's reads: they never stop for back-pressure (deliver() never says so). */
export function hasReader(socket: net.Socket): boolean {
  return !!(socket as DirectSocket)[kReader];
}

/** Every read of a direct socket goes to `reader` until detachReader. */
export function attachReader(socket: net.Socket, reader: Reader): void {
  (socket as DirectSocket)[kReader] = reader;
}

/** Reads go back to 'data' events (copied out of the shared buffer). */
export function detachReader(socket: net.Socket): void {
  const s = socket as DirectSocket;
  if (s[kReader] !== undefined) s[kReader] = null;
}

// Copies out of the shared buffer are cut from slabs, as Buffer.allocUnsafe() cuts small buffers
// from its 8 KiB pool: an ArrayBuffer of its own per body chunk (a 4 KiB one is already too big for
// Buffer's pool) cost more than the copy, in allocation and in garbage collection. A chunk kept
// keeps its slab alive, as a chunk of Node's keeps the whole buffer its socket read into.
const SLAB_SIZE = 64 * 1024;
const MAX_SLAB_COPY = 16 * 1024;
let slab: Buffer | null = null;
let slabUsed = 0;

/** A copy of bytes[from, from + length) that outlives the shared buffer (cut from a slab when small). */
export function copyOf(bytes: Uint8Array, from = 0, length = bytes.length - from): Buffer {
  let copy: Buffer;
  if (length > MAX_SLAB_COPY) {
    copy = Buffer.allocUnsafeSlow(length);
  } else {
    if (slab === null || slabUsed + length > SLAB_SIZE) {
      slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
      slabUsed = 0;
    }
    copy = slab.subarray(slabUsed, slabUsed + length);
    slabUsed = (slabUsed + length + 7) & ~7; // 8-byte aligned, as Buffer's pool
  }
  if (length <= SMALL_COPY) {
    for (let k = 0; k < length; k++) copy[k] = bytes[from + k];
  } else {
    copy.set(from === 0 && length === bytes.length ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset + from, length));
  }
  return copy;
}
/** Up to this many bytes, a loop copies faster than set() with the view it needs. */
const SMALL_COPY = 64;
