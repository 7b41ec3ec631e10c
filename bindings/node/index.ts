// wirehttp/node: node:http with the wasm parser underneath. Import it where you imported
// node:http. The server side is ours (./server.ts), ServerResponse a subclass of Node's
// (./response.ts); the client's ClientRequest is a subclass of Node's reading responses on the
// wasm parser (./client.ts) and its Agent a subclass of Node's (./agent.ts); the other classes,
// validators and tables are Node's own objects, re-exported so `instanceof` and prototype tricks
// keep working.
import http from 'node:http';
import { Agent, getGlobalAgent, setGlobalAgent } from './agent.js';
import { ClientRequest, get, request } from './client.js';
import { ServerResponse } from './response.js';
import { Server, createServer } from './server.js';

export { Agent, ClientRequest, Server, ServerResponse, createServer, get, request };
export const {
  IncomingMessage,
  OutgoingMessage,
  METHODS,
  STATUS_CODES,
  validateHeaderName,
  validateHeaderValue,
  maxHeaderSize,
} = http;
export let globalAgent: http.Agent = getGlobalAgent();

const api = {
  createServer,
  Server,
  IncomingMessage,
  ServerResponse,
  OutgoingMessage,
  METHODS,
  STATUS_CODES,
  validateHeaderName,
  validateHeaderValue,
  maxHeaderSize,
  ClientRequest,
  Agent,
  globalAgent,
  request,
  get,
};
// `http.globalAgent = agent` replaces the default Agent of every later request, as on node:http.
Object.defineProperty(api, 'globalAgent', {
  configurable: true,
  enumerable: true,
  get: getGlobalAgent,
  set(agent: http.Agent) {
    setGlobalAgent(agent);
    globalAgent = agent;
  },
});
export default api;
