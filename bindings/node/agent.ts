// The client's connection pool: node:http's Agent, which does no parsing. Ours is a subclass
// whose only change is how it opens a connection: its sockets read into the shared buffer
// (./reading.ts) while a wirehttp request is reading a response, and through 'data' otherwise,
// so a pool can still be lent to node:http's client. Keep-alive, maxSockets, scheduling, the
// free list and its timeouts, 'free', getName, keepSocketAlive/reuseSocket are Node's own code.
import http from 'node:http';
import type net from 'node:net';
import { connectReadingDirectly } from './reading.js';

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

/** Node 20's globalAgent settings. */
let globalAgent: http.Agent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });

/** The Agent a request uses when it names none (`http.globalAgent`). */
export function getGlobalAgent(): http.Agent {
  return globalAgent;
}

export function setGlobalAgent(agent: http.Agent): void {
  globalAgent = agent;
}
