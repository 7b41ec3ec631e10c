// The Node layer's own listeners on sockets and messages, added and removed as Node's
// EventEmitter does it.
//
// node:http's client adds five listeners to a socket for every request and removes them again (about
// 700 instructions each through Readable.on/removeListener: argument checks, a wrapper, and
// megamorphic keyed loads on `_events`). A stream's `_events` has a fixed shape (Node 20's "shape
// mode": a removed listener's slot is set to undefined, not deleted), so the same change can be
// made with a named load and store per event. Each function below makes exactly the change
// Node's method would make (`_events`, `_eventsCount`, the two-listener array) and hands every
// other case to the socket's own method: a 'newListener' or 'removeListener' listener, a
// maxListeners limit the second listener would pass, more than two listeners, a socket whose
// methods someone replaced, an emitter not in shape mode.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { Duplex, Readable, Stream } from 'node:stream';
import { nodeSymbol } from './internals.js';
import { onWatchingReaders, readerOf } from './reading.js';

type Socket = net.Socket & Record<string | symbol, any>;
/** A stream or message whose listeners are set here. */
type Emitter = Record<string | symbol, any>;
type Listener = (...args: any[]) => void;
type Slot = Listener | Listener[] | undefined;

const kShapeMode = (() => {
  try {
    return nodeSymbol(new Readable(), 'shapeMode');
  } catch {
    return undefined; // an older Node: every change goes through its methods
  }
})();
const readableOn = Readable.prototype.on;
const readableRemoveListener = Readable.prototype.removeListener;
const emitterOn = EventEmitter.prototype.on;
const emitterRemoveListener = EventEmitter.prototype.removeListener;
const streamPrototype = Stream.prototype as unknown as Record<string, unknown>;

/** `socket.on(event, …)` would be Node's own _addListener, with no 'newListener' to emit (adding is the same in shape mode or not). */
function plainAdd(socket: Emitter, on: unknown): boolean {
  return (on === readableOn || on === onWatchingReaders) && streamPrototype.on === emitterOn && socket._events.newListener === undefined;
}

/** `socket.removeListener(event, …)` would be Node's own, with no 'removeListener' to emit. */
function plainRemove(socket: Socket): boolean {
  return (
    socket.removeListener === readableRemoveListener && streamPrototype.removeListener === emitterRemoveListener &&
    socket._events.removeListener === undefined && socket[kShapeMode!] === true
  );
}

/** The slot after adding `fn` (Node's _addListener), or null when Node's method must do it (a warning, more listeners). */
function added(socket: Emitter, slot: Slot, fn: Listener): Slot | null {
  if (slot === undefined) {
    socket._eventsCount++;
    return fn;
  }
  if (typeof slot !== 'function') return null;
  const max = socket._maxListeners === undefined ? EventEmitter.defaultMaxListeners : socket._maxListeners;
  return max > 0 && max < 2 ? null : [slot, fn];
}

/** The slot after removing `fn` (Node's removeListener), or null when Node's method must do it. */
function removed(socket: Socket, slot: Slot, fn: Listener): Slot | null {
  if (slot === undefined) return undefined; // nothing to remove
  if (slot === fn) {
    socket._eventsCount -= 1;
    return undefined;
  }
  if (typeof slot === 'function') return (slot as { listener?: unknown }).listener === fn ? null : slot; // not there: nothing changes
  if (slot.length === 2) {
    if (slot[1] === fn) {
      slot.pop(); // as Node's spliceOne leaves the array
      return slot[0];
    }
    const list = slot as Array<Listener & { listener?: unknown }>;
    if (list[0] !== fn && list[0].listener !== fn && list[1].listener !== fn) return slot; // not there
  }
  return null;
}

// One function per event, so each load and store names its property (monomorphic), where a
// shared `events[event]` would be keyed and megamorphic again.

/** An IncomingMessage's 'end' (a client's response, a server's request): its own function, so the socket's stays monomorphic. */
export function addMessageEnd(message: Emitter, fn: Listener): void {
  const events = message._events;
  const slot = kShapeMode !== undefined && plainAdd(message, message.on) ? added(message, events.end, fn) : null;
  if (slot === null) message.on('end', fn);
  else events.end = slot;
}

export function addTimeout(socket: Socket, fn: Listener): void {
  const events = socket._events;
  const slot = kShapeMode !== undefined && plainAdd(socket, socket.on) ? added(socket, events.timeout, fn) : null;
  if (slot === null) socket.on('timeout', fn);
  else events.timeout = slot;
}

export function removeTimeout(socket: Socket, fn: Listener): void {
  const events = socket._events;
  const slot = kShapeMode !== undefined && plainRemove(socket) ? removed(socket, events.timeout, fn) : null;
  if (slot === null) socket.removeListener('timeout', fn);
  else if (slot !== events.timeout) events.timeout = slot;
}

/** ReadableState's flags and the bit Readable.on('data') sets and the last removeListener('data') clears. */
const [kState, kDataListening]: [symbol | undefined, number] = (() => {
  try {
    const probe = new Readable({ read() {} });
    const state = (probe as unknown as Socket)._readableState as Record<symbol, number>;
    const key = nodeSymbol(state, 'kState');
    const noop = () => {};
    probe.on('data', noop);
    const before = state[key];
    probe.removeListener('data', noop);
    const bit = before & ~state[key];
    probe.destroy();
    return bit !== 0 && (bit & (bit - 1)) === 0 ? [key, bit] : [undefined, 0];
  } catch {
    return [undefined, 0];
  }
})();

export function removeData(socket: Socket, fn: Listener): void {
  const events = socket._events;
  const slot = kState !== undefined && kShapeMode !== undefined && plainRemove(socket) ? removed(socket, events.data, fn) : null;
  if (slot === null) {
    socket.removeListener('data', fn);
  } else {
    if (slot !== events.data) events.data = slot;
    if (slot === undefined) socket._readableState[kState!] &= ~kDataListening;
  }
}

/**
 * A complete response's listeners off its socket ('data', 'end', 'drain'), each removed as Node's
 * removeListener would, with the checks they share made once: removing one in shape mode runs
 * nothing that could change them.
 */
export function removeResponseListeners(socket: Socket, data: Listener, end: Listener, drain: Listener): void {
  if (kState === undefined || kShapeMode === undefined || !plainRemove(socket)) {
    socket.removeListener('data', data);
    socket.removeListener('end', end);
    socket.removeListener('drain', drain);
    return;
  }
  const events = socket._events;
  let slot = removed(socket, events.data, data);
  if (slot === null) socket.removeListener('data', data);
  else {
    if (slot !== events.data) events.data = slot;
    if (slot === undefined) socket._readableState[kState] &= ~kDataListening;
  }
  slot = removed(socket, events.end, end);
  if (slot === null) socket.removeListener('end', end);
  else if (slot !== events.end) events.end = slot;
  slot = removed(socket, events.drain, drain);
  if (slot === null) socket.removeListener('drain', drain);
  else if (slot !== events.drain) events.drain = slot;
}

/** The request's listeners off a socket going back to the Agent ('close', 'error', 'end'), as removeResponseListeners does it. */
export function removeKeepAliveListeners(socket: Socket, close: Listener, error: Listener, end: Listener): void {
  if (kShapeMode === undefined || !plainRemove(socket)) {
    socket.removeListener('close', close);
    socket.removeListener('error', error);
    socket.removeListener('end', end);
    return;
  }
  const events = socket._events;
  let slot = removed(socket, events.close, close);
  if (slot === null) socket.removeListener('close', close);
  else if (slot !== events.close) events.close = slot;
  slot = removed(socket, events.error, error);
  if (slot === null) socket.removeListener('error', error);
  else if (slot !== events.error) events.error = slot;
  slot = removed(socket, events.end, end);
  if (slot === null) socket.removeListener('end', end);
  else if (slot !== events.end) events.end = slot;
}

const netResume = net.Socket.prototype.resume;
const readableResume = Readable.prototype.resume;

/**
 * socket.on('data', fn) for a socket already flowing and reading (every reused socket): Readable.on
 * adds the listener, sets the data-listening bit, and calls resume(), which there only marks the
 * stream unpaused (`state.paused = false`, as its last step does). Any other state is Node's.
 */
export function addData(socket: Socket, fn: Listener): void {
  const events = socket._events;
  const state = socket._readableState;
  const handle = socket._handle;
  const on = socket.on;
  const slot =
    kState !== undefined && kShapeMode !== undefined && plainAdd(socket, on) && (on === readableOn || readerOf(socket) === fn) &&
    state.flowing === true && events.readable === undefined && socket.resume === netResume && Duplex.prototype.resume === readableResume &&
    socket.connecting === false && handle != null && handle.reading === true
      ? added(socket, events.data, fn)
      : null;
  if (slot === null) {
    socket.on('data', fn);
  } else {
    events.data = slot;
    state[kState!] |= kDataListening;
    state.paused = false;
  }
}

/**
 * A request's listeners on its socket, in Node's order ('error', 'data', 'end', 'close', 'drain'),
 * each added as addError, addData … would add it, with the checks the plain ones share made once:
 * adding a listener in shape mode runs nothing that could change them.
 */
export function addSocketListeners(socket: Socket, error: Listener, data: Listener, end: Listener, close: Listener, drain: Listener): void {
  if (kShapeMode === undefined || !plainAdd(socket, socket.on)) {
    socket.on('error', error);
    addData(socket, data);
    socket.on('end', end);
    socket.on('close', close);
    socket.on('drain', drain);
    return;
  }
  const events = socket._events;
  let slot = added(socket, events.error, error);
  if (slot === null) socket.on('error', error);
  else events.error = slot;
  addData(socket, data);
  slot = added(socket, events.end, end);
  if (slot === null) socket.on('end', end);
  else events.end = slot;
  slot = added(socket, events.close, close);
  if (slot === null) socket.on('close', close);
  else events.close = slot;
  slot = added(socket, events.drain, drain);
  if (slot === null) socket.on('drain', drain);
  else events.drain = slot;
}

/** message.on('finish', fn) for an OutgoingMessage (a ClientRequest, a ServerResponse): its `_events` is not in shape mode, which adding does not need. */
export function addFinish(message: Emitter, fn: Listener): void {
  const events = message._events;
  const slot = message.on === emitterOn && events !== undefined && events.newListener === undefined ? added(message, events.finish, fn) : null;
  if (slot === null) message.on('finish', fn);
  else events.finish = slot;
}

const emitterOnce = EventEmitter.prototype.once;

interface OnceState {
  fired: boolean;
  wrapFn: Listener;
  target: Emitter;
  type: string | symbol;
  listener: Listener;
}

/** Node's onceWrapper (lib/events.js), but for the removal of a request's 'response' listener. */
function onceWrapper(this: OnceState, ...args: unknown[]): unknown {
  if (!this.fired) {
    removeOnce(this.target, this.type, this.wrapFn);
    this.fired = true;
    return this.listener.apply(this.target, args);
  }
  return undefined;
}

/** target.removeListener(type, wrapFn) for a 'response' listener in a plain (not shape mode) `_events`, as Node's does it. */
function removeOnce(target: Emitter, type: string | symbol, wrapFn: Listener): void {
  const events = target._events;
  if (
    type === 'response' && target.removeListener === emitterRemoveListener && events !== undefined && events.response === wrapFn &&
    events.removeListener === undefined && kShapeMode !== undefined && target[kShapeMode] === false
  ) {
    target._eventsCount -= 1;
    if (target._eventsCount === 0) target._events = { __proto__: null };
    else delete events.response;
  } else {
    target.removeListener(type, wrapFn);
  }
}

/**
 * request.once('response', fn) as Node's once() makes it: a bound onceWrapper whose `listener` is
 * fn (what rawListeners() shows), added as on() adds it.
 */
export function onceResponse(request: Emitter, fn: Listener): void {
  const events = request._events;
  if (request.once !== emitterOnce || request.on !== emitterOn || events === undefined || events.newListener !== undefined) {
    request.once('response', fn);
    return;
  }
  const state: OnceState = { fired: false, wrapFn: undefined as unknown as Listener, target: request, type: 'response', listener: fn };
  const wrapped = onceWrapper.bind(state) as Listener & { listener: Listener };
  wrapped.listener = fn;
  state.wrapFn = wrapped;
  const slot = added(request, events.response, wrapped);
  if (slot === null) request.on('response', wrapped);
  else events.response = slot;
}
