// The end of a request that nobody reads.
//
// When a response finishes, node:http dumps a request whose body nobody consumed: _dump() resumes
// it, and over four ticks Readable reads the end, emits 'end', destroys the stream and emits
// 'close' — about 7,500 instructions per keep-alive GET, a fifth of wirehttp's whole cost. With
// no listener and no body, none of that work can be seen except the state it leaves. So the state
// is learnt once, from Node's own classes at start-up (the bits of a ReadableState after push(null)
// and after everything _dump() leads to), and a request in the same starting state is moved to
// that final state in one step, one tick after its response's 'finish', once its response's
// 'close' listeners have run. Anything that touches the request in between (a listener added, a
// method called) makes it take Node's own path, one tick late.
//
// What differs, for code that runs between the response's 'finish' and that tick only:
// `readableFlowing` is still null there (Node's is true, its resume() having been scheduled).
import http from 'node:http';
import { nodeSymbol } from './internals.js';

type Message = http.IncomingMessage & Record<string | symbol, any>;

const nodeDump = (http.IncomingMessage.prototype as Message)._dump;
const nodeDestroy = (http.IncomingMessage.prototype as Message)._destroy;
const nodeRead = (http.IncomingMessage.prototype as Message)._read;

/** ReadableState's bit field of flags (Node 20.10+); its other fields do not change on this path. */
const kState: symbol | undefined = (() => {
  try {
    return nodeSymbol((new http.IncomingMessage(null as never) as Message)._readableState, 'kState');
  } catch {
    return undefined; // an older layout: every request takes Node's path
  }
})();

/** The flags after push(null) of a message nobody touched, with its 'readable' tick pending. */
let endedBits = -1;
/** The flags once that tick has run, nobody having resumed the message. */
let waitingBits = -1;
/** The flags after _dump() and everything it leads to, down to 'close', from each of those two. */
let finalFromEnded = -1;
let finalFromWaiting = -1;

/** A message's own fields and its ReadableState's but the flags, as text to compare. */
function fieldsOf(message: Message): string {
  const state = message._readableState;
  const show = (value: unknown) => (value === null || typeof value !== 'object' ? String(value) : typeof value);
  const own = (object: Record<string | symbol, unknown>) =>
    Reflect.ownKeys(object).filter((key) => key !== kState).map((key) => `${String(key)}=${show(object[key])}`).join(',');
  return `${own(message)}|${own(state)}`;
}

/** What _dump() does at once, but for resume(): all that ending quietly does at the response's 'finish'. */
function markDumped(message: Message): void {
  message._dumped = true;
  message.removeAllListeners('data');
}

function noop() {}

/** Runs Node's own path on probe messages and keeps the flags it passes through. */
function learn(): void {
  if (kState === undefined) return;
  const socket = { readableHighWaterMark: 16384, readable: false, destroyed: false } as never;
  const probe = (): Message => {
    const message = new http.IncomingMessage(socket) as Message;
    message.complete = true;
    message.push(null);
    return message;
  };
  // Ending quietly must leave every field as Node's path does, the flags aside (set from here).
  // After the dump, the server adds its one 'end' listener (as Node's clearIncoming does).
  const quiet = probe();
  markDumped(quiet);
  quiet.on('end', noop);
  const quietFields = fieldsOf(quiet);
  /** Dumps `message` now; `done` gets its final flags, or -1 if more than the flags differ from `quiet`'s. */
  const dumpAndWatch = (message: Message, done: (bits: number) => void) => {
    message._dump();
    message.on('end', noop);
    // Watched without a listener, which would leave fields of its own; its ticks are over by then.
    setImmediate(() => done(message._readableState.closeEmitted && fieldsOf(message) === quietFields ? message._readableState[kState] : -1));
  };
  const dumpedAtOnce = probe();
  const ended = dumpedAtOnce._readableState[kState];
  dumpAndWatch(dumpedAtOnce, (bits) => {
    finalFromEnded = bits;
    if (bits !== -1) endedBits = ended;
  });
  const dumpedLater = probe();
  process.nextTick(() => {
    // push(null)'s 'readable' tick has run.
    const waiting = dumpedLater._readableState[kState];
    dumpAndWatch(dumpedLater, (bits) => {
      finalFromWaiting = bits;
      if (bits !== -1) waitingBits = waiting;
    });
  });
}
learn();

/**
 * At a response's 'finish', for its request that nobody read: the flags it will end with if it
 * can end quietly (it is then marked dumped, as _dump() would, and endQuietly() must run a tick
 * later), or -1, and the caller dumps it the Node way.
 */
export function canEndQuietly(request: Message): number {
  if (waitingBits === -1 || request._eventsCount !== 0 || !request.complete || request._dumped) return -1;
  const state = request._readableState;
  if (state.length !== 0 || state.errored != null) return -1;
  if (request._dump !== nodeDump || request._destroy !== nodeDestroy || request._read !== nodeRead) return -1;
  const bits = state[kState!];
  const final = bits === endedBits ? finalFromEnded : bits === waitingBits ? finalFromWaiting : -1;
  if (final !== -1) markDumped(request);
  return final;
}

/**
 * A tick after canEndQuietly() (by then its 'readable' tick has run): the final state at once,
 * or Node's path if anyone touched the request since. `endListener` is the server's own 'end'
 * listener, the only one it may have (when the request was still the connection's `incoming`);
 * its call, skipped here, has nothing left to do.
 */
export function endQuietly(request: Message, finalBits: number, endListener: () => void): void {
  const state = request._readableState;
  const listeners = request._eventsCount;
  const untouched = listeners === 0 || (listeners === 1 && request._events.end === endListener);
  if (untouched && request._dumped === true && state[kState!] === waitingBits) {
    state[kState!] = finalBits;
  } else {
    request._dumped = false;
    request._dump();
  }
}
