// wirehttp/node: node:http with the wasm parser underneath. Import it where you imported
// node:http. The server side is ours (./server.ts), ServerResponse a subclass of Node's
// (./response.ts); the other classes, validators and tables are Node's own objects,
// re-exported so `instanceof` and prototype tricks keep working.
// The client side (request, get, Agent, ClientRequest, globalAgent) is still node:http's own.
import nodeHttp from 'node:http';
import { ServerResponse } from './response.js';
import { Server, connectionListener, createServer, setMaxIdleHTTPParsers } from './server.js';

/**
 * The module itself, shaped as node:http's `module.exports`: the same keys, each a plain writable
 * property except `maxHeaderSize` (a getter) and `globalAgent` (a getter and a setter that
 * changes the agent `request` and `get` use by default). This is the one place that says what
 * wirehttp/node exports: the CommonJS build's `module.exports` *is* this object
 * (scripts/build.mjs), and the ESM build re-exports the CommonJS one, so a process has one
 * wirehttp/node however it is reached, and `http.x = y` works as on node:http.
 */
const http = {
  _connectionListener: connectionListener,
  METHODS: nodeHttp.METHODS,
  STATUS_CODES: nodeHttp.STATUS_CODES,
  Agent: nodeHttp.Agent,
  ClientRequest: nodeHttp.ClientRequest,
  IncomingMessage: nodeHttp.IncomingMessage,
  OutgoingMessage: nodeHttp.OutgoingMessage,
  Server,
  ServerResponse,
  createServer,
  validateHeaderName: nodeHttp.validateHeaderName,
  validateHeaderValue: nodeHttp.validateHeaderValue,
  get: nodeHttp.get,
  request: nodeHttp.request,
  setMaxIdleHTTPParsers,
  get maxHeaderSize(): number {
    return nodeHttp.maxHeaderSize;
  },
  // The client is node:http's, so its default agent is node:http's too.
  get globalAgent(): nodeHttp.Agent {
    return nodeHttp.globalAgent;
  },
  set globalAgent(agent: nodeHttp.Agent) {
    nodeHttp.globalAgent = agent;
  },
};

export default http;

// The named exports, for ESM and TypeScript: each the module's value when it was loaded
// (as node:http's named exports, which follow assignments only after syncBuiltinESMExports()).
export { Server, ServerResponse, createServer, setMaxIdleHTTPParsers };
export const {
  _connectionListener,
  IncomingMessage,
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
} = http;
