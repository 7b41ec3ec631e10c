// A Fastify app, run on node:http and under wirehttp/register (test/frameworks.test.ts): the same
// routes through fastify.inject() (light-my-request, which builds on http.ServerResponse the ES5
// way) and through a real socket.
'use strict';
const fastify = require('fastify');
const { requestAll, isWireServer, print } = require('./client.cjs');

function build() {
  const app = fastify();
  app.get('/', async () => 'hello');
  app.get('/json/:id', async (req) => ({ id: req.params.id, query: req.query }));
  app.post(
    '/echo',
    { schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } },
    async (req, reply) => reply.code(201).header('x-double', String(req.body.n * 2)).send({ got: req.body }),
  );
  app.get('/error', async () => {
    throw Object.assign(new Error('nope'), { statusCode: 409 });
  });
  app.get('/raw', (req, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/plain' });
    reply.raw.end('written on reply.raw');
  });
  return app;
}

const ROUTES = [
  ['GET', '/'],
  ['GET', '/json/7?a=b'],
  ['POST', '/echo', { headers: { 'Content-Type': 'application/json' }, body: '{"n":21}' }],
  ['POST', '/echo', { headers: { 'Content-Type': 'application/json' }, body: '{"n":"x"}' }],
  ['GET', '/error'],
  ['GET', '/raw'],
  ['GET', '/missing'],
];

(async () => {
  const injected = [];
  const app = build();
  for (const [method, url, options = {}] of ROUTES) {
    const res = await app.inject({ method, url, headers: options.headers, payload: options.body });
    injected.push({ status: res.statusCode, message: res.statusMessage, headers: JSON.stringify(res.headers).replace(/"date":"[^"]*"/, '"date":"<date>"'), body: res.body });
  }
  await app.close();

  const served = build();
  await served.listen({ port: 0, host: '127.0.0.1' });
  const port = served.server.address().port;
  const exchanges = await requestAll(port, ROUTES);
  print({ servedByWirehttp: isWireServer(served.server), injected, exchanges });
  await served.close();
})();
