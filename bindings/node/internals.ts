// What the node layer borrows from Node's own http module: symbol-keyed fields its classes
// read, and the shapes of the errors its server raises. Looked up once, from real instances,
// so a Node version that renames one fails loudly here rather than silently at run time.
import http from 'node:http';

export function nodeSymbol(owner: object, description: string): symbol {
  const found = Object.getOwnPropertySymbols(owner).find((s) => s.description === description);
  if (!found) throw new Error(`wirehttp/node: this Node.js (${process.version}) has no ${description} on its http objects`);
  return found;
}

/** OutgoingMessage: set when write() returned false; the server emits 'drain' on the response. */
export const kNeedDrain = nodeSymbol(new http.OutgoingMessage(), 'kNeedDrain');
/** OutgoingMessage: the headers set so far, `{ [lower-case name]: [name, value] }`, or null. */
export const kOutHeaders = nodeSymbol(new http.OutgoingMessage(), 'kOutHeaders');
/** OutgoingMessage: how many cork() calls wait for the socket. */
export const kCorked = nodeSymbol(new http.OutgoingMessage(), 'corked');
/** Server and ServerResponse: the `uniqueHeaders` option, parsed by Node's own constructor. */
export const kUniqueHeaders = nodeSymbol(new http.Server(), 'kUniqueHeaders');

/** An Error shaped as Node's internal ones: a `code` property and `name [code]: message` text. */
export function nodeError(code: string, message: string): Error & { code: string } {
  const error = new Error(message) as Error & { code: string };
  error.code = code;
  Object.defineProperty(error, 'toString', { value: () => `Error [${code}]: ${message}`, enumerable: false });
  return error;
}

/** What Node destroys an unfinished request with when its connection closes. */
export function connectionReset(message: string): Error & { code: string } {
  const error = new Error(message) as Error & { code: string };
  error.code = 'ECONNRESET';
  return error;
}
