// The client's connection pool: node:http's Agent, which does no parsing. Ours is a subclass
// with two changes: how it opens a connection (its sockets read into the shared buffer,
// ./reading.ts, while a wirehttp request is reading a response, and through 'data' otherwise, so
// a pool can still be lent to node:http's client), addRequest, which takes Node's steps with
// a cheaper copy of the options, and getName, which is Node's with the name kept as a property
// key. Keep-alive, maxSockets, scheduling, the free list and its timeouts, 'free', createSocket,
// removeSocket, keepSocketAlive/reuseSocket are Node's own code.
import http from 'node:http';
import { AsyncResource } from 'node:async_hooks';
import net from 'node:net';
import { nodeSymbol } from './internals.js';
import { connectReadingDirectly } from './reading.js';

type Fields = Record<string | symbol, any>;

export interface AgentConstructor {
  new (options?: http.AgentOptions): http.Agent;
  (options?: http.AgentOptions): http.Agent;
  prototype: http.Agent;
  defaultMaxSockets: number;
}

/** A function constructor like Node's: `Agent()` without `new`, `.call(this)` and `class extends` all work. */
export const Agent = function Agent(this: http.Agent, options?: http.AgentOptions): http.Agent | void {
  if (!(this instanceof Agent)) return new (Agent as AgentConstructor)(options);
  (http.Agent as unknown as Function).call(this, options);
  // Node's null-prototype copy of the options, again in V8's fast mode (a `{ __proto__: null }`
  // literal is a hash table): addRequest copies its fields for every request.
  const self = this as unknown as Fields;
  if (self.options !== null && typeof self.options === 'object' && Object.getPrototypeOf(self.options) === null) self.options = mergedOptions(self.options, {});
} as unknown as AgentConstructor;
Object.setPrototypeOf(Agent.prototype, http.Agent.prototype);
Object.setPrototypeOf(Agent, http.Agent);
Object.defineProperty(Agent, 'name', { value: 'Agent' }); // the bundler renames function expressions

(Agent.prototype as any).createConnection = function createConnection(options: net.NetConnectOpts, connectListener?: () => void) {
  return connectReadingDirectly(options, connectListener);
};

const nodeAddRequest: (this: unknown, ...args: unknown[]) => void = (http.Agent.prototype as Fields).addRequest;
/** net.Socket: the async id of its current use (an Agent gives a reused socket a new one). */
const kAsyncId = (() => {
  const probe = new net.Socket();
  probe.destroy();
  return nodeSymbol(probe, 'async_id_symbol');
})();

/**
 * What Node's addRequest leaves on a request it queues: the options it will open a socket with,
 * and the async context to give it the socket in. Learnt from Node's own method, run once on a
 * stand-in Agent whose pool is full.
 */
const [kRequestOptions, kRequestAsyncResource] = (() => {
  const agent = Object.assign(Object.create(http.Agent.prototype), {
    options: { __proto__: null },
    sockets: { __proto__: null },
    freeSockets: { __proto__: null },
    requests: { __proto__: null },
    maxSockets: 0,
    maxTotalSockets: Infinity,
    totalSocketCount: 0,
  });
  const req = { getHeader: () => undefined };
  nodeAddRequest.call(agent, req, { __proto__: null, servername: '' });
  return [nodeSymbol(req, 'requestOptions'), nodeSymbol(req, 'requestAsyncResource')];
})();

/** The resource async hooks see when a pooled socket is reused (the shape of Node's own). */
class ReusedHandle {
  constructor(
    readonly type: number,
    readonly handle: object,
  ) {}
}

/**
 * `{ __proto__: null, ...source }`, in V8's fast mode: the object is given its null prototype
 * before any field (a `{ __proto__: null }` literal starts as a hash table, and V8 builds the
 * spread in its runtime), then Object.assign copies the same fields in the same order (own
 * enumerable strings, then symbols; getters run once), about twice as fast as a loop over
 * Object.keys() and Object.getOwnPropertySymbols().
 */
export function nullPrototypeCopy(source: Fields): Fields {
  return Object.assign(Object.setPrototypeOf({}, null), source);
}

/** `{ __proto__: null, ...a, ...b }` (see nullPrototypeCopy). */
function mergedOptions(a: Fields, b: Fields): Fields {
  return Object.assign(nullPrototypeCopy(a), b);
}

/** Host header → the server name Node's calculateServerName makes of it (a pure function of the header). */
const serverNames = new Map<string, string>();
const MAX_CACHED = 1024;

/** Node's calculateServerName, for a Host header that is a string or not set. */
function serverNameOf(options: Fields, hostHeader: string | undefined): string {
  if (!hostHeader) return net.isIP(options.host) ? '' : options.host;
  // The same Host header as last time (usually the same string): no Map lookup.
  if (hostHeader === lastHostHeader) return lastServerName;
  let servername = serverNames.get(hostHeader);
  if (servername === undefined) {
    servername = calculateServerName(options, hostHeader);
    if (serverNames.size < MAX_CACHED) serverNames.set(hostHeader, servername);
  }
  lastHostHeader = hostHeader; // two variables, not an object made per change of server
  lastServerName = servername;
  return servername;
}
let lastHostHeader = '';
let lastServerName = '';

function calculateServerName(options: Fields, hostHeader: string | undefined): string {
  let servername = options.host;
  if (hostHeader) {
    if (hostHeader[0] === '[') {
      const index = hostHeader.indexOf(']');
      servername = index === -1 ? hostHeader : hostHeader.substring(1, index);
    } else {
      servername = hostHeader.split(':', 1)[0];
    }
  }
  return net.isIP(servername) ? '' : servername;
}

const nodeGetName = http.Agent.prototype.getName;
/** Pool names seen so far, each as the string V8 keeps for property keys. */
const internedNames = new Map<string, string>();

/**
 * Node's getName, handing back one string per name: Node keys its pools (sockets, freeSockets,
 * requests: null-prototype objects) by it, and V8 adds a property to such an object in its
 * runtime, several times slower, unless the key is a string it already keeps for property names
 * (a name just built by concatenation is not). The value is the same.
 */
(Agent.prototype as Fields).getName = function getName(this: unknown, options: Fields | undefined = undefined) {
  // The fields Node's getName reads, as last time: the same name (no string built and hashed).
  if (
    options != null && options.host === lastName.host && options.port === lastName.port && options.localAddress === lastName.localAddress &&
    options.family === lastName.family && options.socketPath === lastName.socketPath
  ) {
    return lastName.name;
  }
  const name = internedName(nodeGetName.call(this, options));
  if (options != null && isPrimitive(options.host) && isPrimitive(options.port) && isPrimitive(options.localAddress) && isPrimitive(options.family) && isPrimitive(options.socketPath)) {
    lastName = { host: options.host, port: options.port, localAddress: options.localAddress, family: options.family, socketPath: options.socketPath, name };
  }
  return name;
};

/** The last name getName made and the fields it read (primitives only, whose text cannot change). */
let lastName: Fields = { host: {}, name: '' };

const isPrimitive = (value: unknown) => value === null || (typeof value !== 'object' && typeof value !== 'function');

function internedName(name: string): string {
  const known = internedNames.get(name);
  if (known !== undefined) return known;
  if (internedNames.size >= MAX_CACHED) return name;
  const interned = Object.keys({ [name]: 0 })[0];
  internedNames.set(name, interned);
  return interned;
}

/** Node's setRequestSocket. */
function setRequestSocket(agent: Fields, req: Fields, socket: Fields) {
  req.onSocket(socket);
  const agentTimeout = agent.options.timeout || 0;
  if (req.timeout === undefined || req.timeout === agentTimeout) return;
  socket.setTimeout(req.timeout);
}

/**
 * node:http's addRequest (see addMerged). The legacy forms (a string `options`, or options with a
 * prototype) are Node's own method.
 */
function addRequest(this: Fields, req: Fields, options: unknown, port?: unknown, localAddress?: unknown) {
  const own = this.options as Fields;
  if (
    typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== null ||
    typeof own !== 'object' || own === null || Object.getPrototypeOf(own) !== null
  ) {
    return nodeAddRequest.call(this, req, options, port, localAddress);
  }
  addMerged(this, req, mergedOptions(options as Fields, own));
}
(Agent.prototype as Fields).addRequest = addRequest;

/**
 * `agent.addRequest(req, options)` for ClientRequest's constructor, `options` being the
 * null-prototype copy it made of the user's, which nobody else holds: when `agent` is ours, the
 * Agent's options are merged into it rather than into another copy (Node's addRequest copies
 * both). Returns false, having done nothing, for any other Agent.
 */
export function addRequestFrom(agent: Fields, req: Fields, options: Fields): boolean {
  const own = agent.options as Fields;
  // Whatever the Agent's options inherit, Node's spread and Object.assign copy the same own fields.
  if (agent.addRequest !== addRequest || typeof own !== 'object' || own === null) return false;
  Object.assign(options, own);
  addMerged(agent, req, options);
  return true;
}

/**
 * node:http's addRequest, step for step, from the copy of the request's options and the Agent's
 * that it names the pool with and queues a request with. Node spreads both into a new
 * null-prototype object, which V8 builds slowly (with the 50 requests of the benchmark in flight
 * every request is queued, and this was the client's largest cost after the socket write). A
 * Host header that is not a string (Node's error) is Node's own method.
 */
function addMerged(agent: Fields, req: Fields, merged: Fields) {
  if (merged.socketPath) merged.path = merged.socketPath;
  // normalizeServerName
  if (!merged.servername && merged.servername !== '') {
    const hostHeader = req.getHeader('host');
    if (hostHeader && typeof hostHeader !== 'string') return nodeAddRequest.call(agent, req, merged); // throws Node's error
    merged.servername = serverNameOf(merged, hostHeader);
  }
  const name = agent.getName(merged);
  if (!agent.sockets[name]) agent.sockets[name] = [];
  const freeSockets: Fields[] | undefined = agent.freeSockets[name];
  let socket: Fields | undefined;
  if (freeSockets) {
    while (freeSockets.length && freeSockets[0].destroyed) freeSockets.shift();
    socket = agent.scheduling === 'fifo' ? freeSockets.shift() : freeSockets.pop();
    if (!freeSockets.length) delete agent.freeSockets[name];
  }
  const freeLen = freeSockets ? freeSockets.length : 0;
  const sockLen = freeLen + agent.sockets[name].length;

  if (socket) {
    // Node's asyncResetHandle
    const handle = socket._handle;
    if (handle && typeof handle.asyncReset === 'function') {
      handle.asyncReset(new ReusedHandle(handle.getProviderType(), handle));
      socket[kAsyncId] = handle.getAsyncId();
    }
    agent.reuseSocket(socket, req);
    setRequestSocket(agent, req, socket);
    agent.sockets[name].push(socket);
  } else if (sockLen < agent.maxSockets && agent.totalSocketCount < agent.maxTotalSockets) {
    agent.createSocket(req, merged, (err: Error | null, created: Fields) => {
      if (err) req.onSocket(created, err);
      else setRequestSocket(agent, req, created);
    });
  } else {
    req[kRequestOptions] = merged;
    req[kRequestAsyncResource] = new AsyncResource('QueuedRequest');
    // A new queue is made with the request in it, not empty and then grown by push() (a backing
    // store of 17 and a runtime call): with every request queued, that is one per request. Node
    // makes the queue before the 'QueuedRequest' resource, which only an init hook reading
    // agent.requests could tell.
    const queue: Fields[] | undefined = agent.requests[name];
    if (queue) queue.push(req);
    else agent.requests[name] = [req];
  }
}

/** Node 20's globalAgent settings. */
let globalAgent: http.Agent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });

/** The Agent a request uses when it names none (`http.globalAgent`). */
export function getGlobalAgent(): http.Agent {
  return globalAgent;
}

export function setGlobalAgent(agent: http.Agent): void {
  globalAgent = agent;
}
