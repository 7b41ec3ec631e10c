// What a test app under wirehttp/register reports (test/register.test.ts): whether every way of
// reaching http gave the one wirehttp/node, and what a server made by the dependency answered.
'use strict';
const wire = require('wirehttp/node');

/** The server's own symbols name wirehttp's connection list: a wirehttp/node server. */
const isWireServer = (server) => Object.getOwnPropertySymbols(server).some((s) => s.description === 'wirehttp.connections');

exports.report = async function report(ways, dep) {
  const server = await dep.serve((req, res) => res.end(`${req.method} ${req.url}`));
  const response = await fetch(`http://127.0.0.1:${server.address().port}/x`);
  const body = await response.text();
  server.close();
  // Inside wirehttp, node:http is still Node's: Server's parent class is Node's Server, not ours.
  const base = Object.getPrototypeOf(wire.Server);
  const result = {
    isWirehttp: Object.fromEntries(Object.entries(ways).map(([way, http]) => [way, http === wire])),
    depServerIsWirehttp: isWireServer(server),
    wirehttpBuiltOnNodeHttp: base !== wire.Server && base.name === 'Server' && typeof wire.IncomingMessage === 'function',
    status: response.status,
    body,
  };
  process.stdout.write(JSON.stringify(result));
};
