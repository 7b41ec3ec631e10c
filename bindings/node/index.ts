// wirehttp/node: node:http with the wasm parser underneath. Import it where you imported
// node:http. The server side is ours (./server.ts), ServerResponse a subclass of Node's
// (./response.ts); the other classes, validators and tables are Node's own objects,
// re-exported so `instanceof` and prototype tricks keep working.
// The client side (request, get, Agent, ClientRequest) is still node:http's own.
import http from 'node:http';
import { ServerResponse } from './response.js';
import { Server, createServer } from './server.js';

export { Server, ServerResponse, createServer };
export const {
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

export default {
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
