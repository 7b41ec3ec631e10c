// An Express 5 app, run on node:http and under wirehttp/register (test/frameworks.test.ts).
'use strict';
const http = require('node:http');
const express = require('express');
const { requestAll, isWireServer, listen, print } = require('./client.cjs');

const app = express();
app.use(express.json());
app.get('/', (req, res) => res.send('hello'));
app.get('/json', (req, res) => res.json({ query: req.query, ip: req.ip, protocol: req.protocol, host: req.hostname }));
app.post('/echo', (req, res) => res.status(201).set('X-Seen', req.get('content-type')).json(req.body));
app.get('/redirect', (req, res) => res.redirect('/'));
app.get('/error', () => {
  throw new Error('boom');
});
app.get('/stream', (req, res) => {
  res.type('text/plain');
  res.write('one,');
  res.write('two,');
  res.end('three');
});
app.use((err, req, res, next) => res.status(500).send(`caught ${err.message}`));

(async () => {
  const server = http.createServer(app);
  const port = await listen(server);
  const exchanges = await requestAll(port, [
    ['GET', '/'],
    ['GET', '/json?a=1&b=two'],
    ['POST', '/echo', { headers: { 'Content-Type': 'application/json' }, body: '{"x":[1,2]}' }],
    ['GET', '/redirect'],
    ['GET', '/error'],
    ['GET', '/stream'],
    ['HEAD', '/'],
    ['GET', '/missing'],
  ]);
  print({ servedByWirehttp: isWireServer(server), exchanges });
  server.close();
})();
