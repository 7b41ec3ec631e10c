// A Koa app, run on node:http and under wirehttp/register (test/frameworks.test.ts).
'use strict';
const { Readable } = require('node:stream');
const Koa = require('koa');
const { requestAll, isWireServer, listen, print } = require('./client.cjs');

const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    ctx.status = err.status || 500;
    ctx.body = { error: err.message };
  }
});
app.use(async (ctx) => {
  if (ctx.path === '/') ctx.body = 'hello';
  else if (ctx.path === '/json') ctx.body = { method: ctx.method, query: ctx.query, host: ctx.host, fresh: ctx.fresh };
  else if (ctx.path === '/echo') {
    let body = '';
    for await (const chunk of ctx.req) body += chunk;
    ctx.status = 202;
    ctx.set('X-Length', String(body.length));
    ctx.body = body.toUpperCase();
  } else if (ctx.path === '/stream') ctx.body = Readable.from(['a', 'b', 'c']);
  else if (ctx.path === '/teapot') ctx.throw(418, 'short and stout');
  else if (ctx.path === '/redirect') ctx.redirect('/json');
});

(async () => {
  const running = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => running.once('listening', resolve));
  const port = running.address().port;
  const exchanges = await requestAll(port, [
    ['GET', '/'],
    ['GET', '/json?x=1'],
    ['POST', '/echo', { body: 'some text' }],
    ['GET', '/stream'],
    ['GET', '/teapot'],
    ['GET', '/redirect'],
    ['HEAD', '/'],
    ['GET', '/nothing'],
  ]);
  print({ servedByWirehttp: isWireServer(running), exchanges });
  running.close();
})();
