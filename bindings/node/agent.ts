// The client's connection pool: node:http's Agent, which does no parsing. Ours is a subclass
// with two changes: how it opens a connection (its sockets read into the shared buffer,
// ./reading.ts, while a wirehttp request is reading a response, and through 'data' otherwise, so
// a pool can still be lent to node:http's client), and a shorter addRequest when a free socket is
// there to reuse (Node's steps, without copying the options into a new object). Keep-alive,
// maxSockets, scheduling, the free list and its timeouts, 'free', getName, keepSocketAlive/
// reuseSocket, and addRequest whenever no free socket is reused, are Node's own code.
import http from 'node:http';
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
} as unknown as AgentConstructor;
Object.setPrototypeOf(Agent.prototype, http.Agent.prototype);
Object.setPrototypeOf(Agent, http.Agent);
Object.defineProperty(Agent, 'name', { value: 'Agent' }); // the bundler renames function expressions

(Agent.prototype as any).createConnection = function createConnection(options: net.NetConnectOpts, connectListener?: () => void) {
  return connectReadingDirectly(options, connectListener);
};

const nodeAddRequest: (this: unknown, ...args: unknown[]) => void = (http.Agent.prototype as Fields).addRequest;
const nodeGetName = http.Agent.prototype.getName;
/** net.Socket: the async id of its current use (an Agent gives a reused socket a new one). */
const kAsyncId = (() => {
  const probe = new net.Socket();
  probe.destroy();
  return nodeSymbol(probe, 'async_id_symbol');
})();

/** The resource async hooks see when a pooled socket is reused (the shape of Node's own). */
class ReusedHandle {
  constructor(
    readonly type: number,
    readonly handle: object,
  ) {}
}

/**
 * node:http's addRequest. Node's first copies the request's options and the Agent's into a new
 * object (`{ __proto__: null, ...options, ...this.options }`), which V8 builds slowly, only to
 * name the pool and, when a socket is free, throw the copy away. Here, when Node's getName names
 * the pool and a free socket is taken, the same steps run on the two objects as they are; every
 * other case (a string `options`, a socket to create, a request to queue) is Node's own method.
 */
(Agent.prototype as Fields).addRequest = function addRequest(this: Fields, req: Fields, options: unknown, port?: unknown, localAddress?: unknown) {
  const own = this.options as Fields;
  const given = options as Fields;
  // Both are null-prototype copies when ClientRequest calls (and the Agent made its own), so a
  // key read from either is an own field, as the spread would have copied it.
  if (
    typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== null ||
    own === null || typeof own !== 'object' || Object.getPrototypeOf(own) !== null || this.getName !== nodeGetName
  ) {
    return nodeAddRequest.call(this, req, options, port, localAddress);
  }
  const field = (key: string) => (key in own ? own[key] : given[key]);
  // normalizeServerName: only its check of a Host header shows when the socket is reused.
  const servername = field('servername');
  if (!servername && servername !== '') {
    const hostHeader = req.getHeader('host');
    if (hostHeader && typeof hostHeader !== 'string') return nodeAddRequest.call(this, req, options); // throws Node's error
  }
  // Node's getName, on the fields the copy would have.
  let name: string = field('host') || 'localhost';
  name += ':';
  const namePort = field('port');
  if (namePort) name += namePort;
  name += ':';
  const address = field('localAddress');
  if (address) name += address;
  const family = field('family');
  if (family === 4 || family === 6) name += `:${family}`;
  const socketPath = field('socketPath');
  if (socketPath) name += `:${socketPath}`;

  const freeSockets: Fields[] | undefined = this.freeSockets[name];
  if (freeSockets === undefined) return nodeAddRequest.call(this, req, options);
  if (!this.sockets[name]) this.sockets[name] = [];
  while (freeSockets.length && freeSockets[0].destroyed) freeSockets.shift();
  const socket = this.scheduling === 'fifo' ? freeSockets.shift() : freeSockets.pop();
  if (!freeSockets.length) delete this.freeSockets[name];
  // No live socket after all: Node's method finds the list gone, as its own steps would have.
  if (socket === undefined) return nodeAddRequest.call(this, req, options);

  // Node's asyncResetHandle, reuseSocket and setRequestSocket.
  const handle = socket._handle;
  if (handle && typeof handle.asyncReset === 'function') {
    handle.asyncReset(new ReusedHandle(handle.getProviderType(), handle));
    socket[kAsyncId] = handle.getAsyncId();
  }
  this.reuseSocket(socket, req);
  req.onSocket(socket);
  const agentTimeout = own.timeout || 0;
  if (req.timeout !== undefined && req.timeout !== agentTimeout) socket.setTimeout(req.timeout);
  this.sockets[name].push(socket);
};

/** Node 20's globalAgent settings. */
let globalAgent: http.Agent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });

/** The Agent a request uses when it names none (`http.globalAgent`). */
export function getGlobalAgent(): http.Agent {
  return globalAgent;
}

export function setGlobalAgent(agent: http.Agent): void {
  globalAgent = agent;
}
