// wirehttp/node: node:http with the wasm parser underneath. Import it where you imported
// node:http. The server side is ours (./server.ts, ./server-connection.ts), ServerResponse a
// subclass of Node's (./response.ts); the client's ClientRequest is a subclass of Node's reading
// responses on the wasm parser (./client.ts, ./client-connection.ts) and its Agent a subclass of
// Node's (./agent.ts); the other classes, validators and tables are Node's own objects,
// re-exported so `instanceof` and prototype tricks keep working.
import nodeHttp from 'node:http';
import * as agent from './agent.js';
import * as client from './client.js';
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
  Agent: agent.Agent,
  ClientRequest: client.ClientRequest,
  IncomingMessage: nodeHttp.IncomingMessage,
  OutgoingMessage: nodeHttp.OutgoingMessage,
  Server,
  ServerResponse,
  createServer,
  validateHeaderName: nodeHttp.validateHeaderName,
  validateHeaderValue: nodeHttp.validateHeaderValue,
  get: client.get,
  request: client.request,
  setMaxIdleHTTPParsers,
  get maxHeaderSize(): number {
    return nodeHttp.maxHeaderSize;
  },
  // wirehttp's own default Agent (./agent.ts), separate from node:http's.
  get globalAgent(): nodeHttp.Agent {
    return agent.getGlobalAgent();
  },
  set globalAgent(value: nodeHttp.Agent) {
    agent.setGlobalAgent(value);
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
