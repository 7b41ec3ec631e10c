// Shared by the framework apps (test/frameworks.test.ts): a raw HTTP/1.1 client on net (so the
// bytes a server sends are compared whole, whatever http module the app was given) and the
// report each app prints.
'use strict';
const net = require('node:net');

const DATE = /^(date: ).*$/gim;

/** Sends `request` on a fresh connection and reads until the server closes; Date masked. */
exports.raw = (port, request) =>
  new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1').replace(DATE, '$1<date>')));
    socket.end(request);
  });

/** A GET (or another method with a body) with Connection: close. */
exports.request = (port, method, path, { headers = {}, body } = {}) => {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return exports.raw(port, `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
};

/** Each of `requests` ([method, path, options]) in turn, on its own connection: the raw responses. */
exports.requestAll = async (port, requests) => {
  const exchanges = [];
  for (const [method, path, options] of requests) exchanges.push(await exports.request(port, method, path, options));
  return exchanges;
};

/** A server made by wirehttp/node carries its connection list under a wirehttp symbol. */
exports.isWireServer = (server) => Object.getOwnPropertySymbols(server).some((s) => s.description === 'wirehttp.connections');

exports.listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

exports.print = (report) => process.stdout.write(JSON.stringify(report));
