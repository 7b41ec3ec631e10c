// Real frameworks on wirehttp/node, adopted the way a user would: the same app (test/frameworks/)
// runs in a child process on node:http and in another under `--require wirehttp/register`, and
// what clients observed (raw response bytes with Date masked, inject() results, WebSocket
// messages) must be the same.
import { describe, expect, it } from 'vitest';
import { run } from './support/sides.js';

interface Report {
  servedByWirehttp: boolean;
  [observed: string]: unknown;
}

async function runApp(app: string, flags: string[]): Promise<Report> {
  const { code, stdout, stderr } = await run(process.execPath, [...flags, `test/frameworks/${app}`], { timeout: 30_000 });
  expect(stderr, `${app} ${flags.join(' ')}: stderr`).toBe('');
  expect(code, `${app} ${flags.join(' ')}: exit code`).toBe(0);
  return JSON.parse(stdout) as Report;
}

/** Runs `app` on both, checks who served, and returns [node:http's observations, wirehttp's]. */
async function sideBySide(app: string) {
  const [onNode, onWire] = await Promise.all([runApp(app, []), runApp(app, ['--require', 'wirehttp/register'])]);
  expect(onNode.servedByWirehttp, 'plain node serves with node:http').toBe(false);
  expect(onWire.servedByWirehttp, 'under wirehttp/register, wirehttp/node serves').toBe(true);
  const { servedByWirehttp: _n, ...node } = onNode;
  const { servedByWirehttp: _w, ...wire } = onWire;
  expect(wire, `${app}: wirehttp/node must behave as node:http`).toEqual(node);
  return node;
}

const statusLines = (exchanges: unknown) => (exchanges as string[]).map((e) => e.slice(0, e.indexOf('\r\n')));

describe('frameworks under wirehttp/register, against the same app on node:http', () => {
  it('Express 5', async () => {
    const node = await sideBySide('express.cjs');
    expect(statusLines(node.exchanges)).toEqual([
      'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 201 Created', 'HTTP/1.1 302 Found',
      'HTTP/1.1 500 Internal Server Error', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 404 Not Found',
    ]);
  });

  it('Koa', async () => {
    const node = await sideBySide('koa.cjs');
    expect(statusLines(node.exchanges)).toEqual([
      'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 202 Accepted', 'HTTP/1.1 200 OK',
      "HTTP/1.1 418 I'm a Teapot", 'HTTP/1.1 302 Found', 'HTTP/1.1 200 OK', 'HTTP/1.1 404 Not Found',
    ]);
  });

  it('Fastify, through inject() and through a socket', async () => {
    const node = await sideBySide('fastify.cjs');
    const statuses = [200, 200, 201, 400, 409, 200, 404];
    expect((node.injected as { status: number }[]).map((r) => r.status)).toEqual(statuses);
    expect(statusLines(node.exchanges).map((l) => Number(l.split(' ')[1]))).toEqual(statuses);
  });

  it('ws: a WebSocket server on an http server', async () => {
    const node = await sideBySide('ws.cjs');
    expect(node.handshake).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(node.log).toContain('client: message binary \u0001\u0002\u0003\u0001\u0002\u0003');
  });
});
