// wirehttp/node's client and Agent against node:http's, side by side: pooling (maxSockets,
// maxTotalSockets, maxFreeSockets, scheduling, 'free', queued requests), sockets dropped from the
// pool when the server closes them, a reset on a reused socket, and the ways a socket reaches a
// request: the Agent's own (read into the shared buffer), a user's createConnection, an agent that
// creates sockets asynchronously (as proxy agents do), a pool shared with node:http's client.
import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import * as nodeHttp from 'node:http';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { both, clientRequest, Ctx, echoServer, logClient, poolOf, sides, sleep, WIRE_ESM } from './support/sides.js';

const wire = (sides.find(([name]) => name === 'wirehttp/node')?.[1] ?? (await import(/* @vite-ignore */ WIRE_ESM))) as typeof nodeHttp;

/** Fires `n` GETs at once through `agent`; resolves with their bodies and the order their responses came in. */
async function burst(c: Ctx, port: number, agent: nodeHttp.Agent, n: number, snapshot?: () => void) {
  const order: string[] = [];
  const all = Array.from({ length: n }, (_, i) =>
    new Promise<string>((resolve, reject) => {
      const req = c.http.request({ host: '127.0.0.1', port, agent, path: `/${i}` }, (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          order.push(`/${i} reused=${req.reusedSocket}`);
          resolve(JSON.parse(body).url);
        });
      });
      req.on('error', reject);
      req.end();
    }),
  );
  snapshot?.();
  const urls = await Promise.all(all);
  await sleep(20);
  return { urls, order };
}

describe('Agent pooling', () => {
  both(
    'maxSockets: 2 — six requests, two sockets, four queued in agent.requests, then reused',
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const agent = new c.http.Agent({ keepAlive: true, maxSockets: 2 });
      c.defer(() => agent.destroy());
      let queued: unknown;
      const r = await burst(c, port, agent, 6, () => (queued = poolOf(agent)));
      return { ...r, queued, after: poolOf(agent) };
    },
    (r) => expect(r.queued).toMatchObject({ requests: { '127.0.0.1:PORT:': 4 } }),
  );
  both(
    'maxTotalSockets, maxFreeSockets and fifo scheduling',
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const agent = new c.http.Agent({ keepAlive: true, maxTotalSockets: 3, maxFreeSockets: 1, scheduling: 'fifo' });
      c.defer(() => agent.destroy());
      const r = await burst(c, port, agent, 5);
      return { ...r, after: poolOf(agent) };
    },
  );
  both(
    "the Agent's 'free' event, keepSocketAlive and a non-keep-alive Agent",
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      agent.on('free', (socket: net.Socket) => c.ev('free', socket instanceof net.Socket));
      await clientRequest(c, port, { agent });
      const plain = new c.http.Agent();
      c.defer(() => plain.destroy());
      await clientRequest(c, port, { agent: plain });
      await clientRequest(c, port, { agent: false as unknown as nodeHttp.Agent });
      return { log: c.log, pool: poolOf(agent), plain: poolOf(plain) };
    },
    (r) => expect(r.log).toContain('free true'),
  );
  both(
    "a free socket leaves the pool as soon as the server closes it; the next request opens another",
    async (c) => {
      const sockets = new Set<net.Socket>();
      const server = c.serverOf(nodeHttp, null, (req, res) => res.end('x'));
      server.on('connection', (s: net.Socket) => sockets.add(s));
      const port = await c.listen(server);
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      await clientRequest(c, port, { agent });
      const pooled = poolOf(agent);
      for (const s of sockets) s.end();
      await c.waitFor(() => Object.keys(agent.freeSockets).length === 0, 2000, 20);
      const afterEnd = poolOf(agent);
      const again = await clientRequest(c, port, { agent });
      return { pooled, afterEnd, reused: again.reusedSocket, log: again.log, after: poolOf(agent) };
    },
    (r) => expect(r.afterEnd.freeSockets).toEqual({}),
  );
  both(
    "the Agent's timeout: an idle pooled socket times out and leaves the pool",
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const agent = new c.http.Agent({ keepAlive: true, timeout: 60 });
      c.defer(() => agent.destroy());
      const r = await clientRequest(c, port, { agent });
      const pooled = poolOf(agent);
      await c.waitFor(() => Object.keys(agent.freeSockets).length === 0, 3000, 20);
      return { log: r.log, pooled, after: poolOf(agent) };
    },
    (r) => (expect(r.pooled.freeSockets).toEqual({ '127.0.0.1:PORT:': 1 }), expect(r.after.freeSockets).toEqual({})),
  );
  both(
    'a reset on a reused socket: ECONNRESET with req.reusedSocket === true, so the caller can retry',
    async (c) => {
      let count = 0;
      const port = await c.rawServer((socket) => {
        socket.on('data', () => {
          count++;
          if (count === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
          else socket.resetAndDestroy();
        });
      });
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const first = await clientRequest(c, port, { agent });
      const req = c.http.request({ host: '127.0.0.1', port, agent });
      const result = { log: c.log, body: '' };
      logClient(c, req, result);
      let reused: boolean | undefined;
      req.on('error', () => (reused = req.reusedSocket));
      req.end();
      await c.waitFor(() => reused !== undefined, 3000, 30);
      return { first: first.body, log: c.log, reused, pool: poolOf(agent) };
    },
    (r) => expect(r.reused).toBe(true),
  );
});

describe('taking a free socket from the pool (wirehttp names the pool without copying the options)', () => {
  both(
    'async hooks see the reuse, a request timeout other than the Agent\'s is set on the socket, the pool name counts family and localAddress',
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const inits: string[] = [];
      const hook = createHook({
        init(_id, type, _trigger, resource: any) {
          if (type === 'TCPWRAP') inits.push(`${type} ${resource?.constructor?.name} ${typeof resource?.type} ${typeof resource?.handle}`);
        },
      });
      const options = { agent, family: 4, localAddress: '127.0.0.1' };
      const first = await clientRequest(c, port, options);
      const pooled = poolOf(agent);
      hook.enable();
      const timeouts: unknown[] = [];
      const second = c.http.request({ host: '127.0.0.1', port, ...options, timeout: 4000 });
      second.on('socket', (s: net.Socket) => timeouts.push((s as net.Socket & { timeout?: number }).timeout));
      const third = await new Promise<string>((resolve) => {
        second.on('response', (res) => res.resume().on('end', () => resolve(String(second.reusedSocket))));
        second.end();
      });
      hook.disable();
      await sleep(20);
      const names = Object.keys(agent.freeSockets).map((n) => n.replace(/:\d+:/, ':PORT:'));
      return { first: first.body, pooled, inits, timeouts, reused: third, names, after: poolOf(agent) };
    },
    (r) => (expect(r.inits).toEqual(['TCPWRAP ReusedHandle number object']), expect(r.names).toEqual(['127.0.0.1:PORT:127.0.0.1:4'])),
  );
  both(
    'a Host header that is not a string throws as Node does, with a free socket in the pool; lifo and fifo take the same sockets',
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const out: unknown[] = [];
      for (const scheduling of ['lifo', 'fifo'] as const) {
        const agent = new c.http.Agent({ keepAlive: true, scheduling });
        c.defer(() => agent.destroy());
        // Three sockets in the pool, each tagged by the order it was opened in.
        const tags = new Map<net.Socket, number>();
        await Promise.all(
          [0, 1, 2].map(
            (i) =>
              new Promise<void>((resolve) => {
                const req = c.http.request({ host: '127.0.0.1', port, agent }, (res) => res.resume().on('end', resolve));
                req.on('socket', (s: net.Socket) => tags.set(s, i));
                req.end();
              }),
          ),
        );
        await sleep(20);
        try {
          c.http.request({ host: '127.0.0.1', port, agent, headers: { host: ['a', 'b'] } });
        } catch (e) {
          out.push(`${(e as NodeJS.ErrnoException).code} ${(e as Error).message}`);
        }
        const order: number[] = [];
        for (let i = 0; i < 3; i++) {
          await new Promise<void>((resolve) => {
            const req = c.http.request({ host: '127.0.0.1', port, agent }, (res) => res.resume().on('end', resolve));
            req.on('socket', (s: net.Socket) => order.push(tags.get(s) ?? -1));
            req.end();
          });
        }
        await sleep(20);
        out.push(scheduling, order, poolOf(agent));
      }
      return out;
    },
    (r) => expect(r[0]).toMatch(/^ERR_INVALID_ARG_TYPE/),
  );
});

describe('queued requests (wirehttp copies the options for the queue its own way)', () => {
  both(
    "a queued request gets its socket in its own async context, and createConnection sees the options Node's would",
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const seen: unknown[] = [];
      class Watching extends c.http.Agent {
        createConnection(options: net.NetConnectOpts & Record<string, unknown>, callback?: () => void) {
          const keys = Reflect.ownKeys(options).map(String);
          seen.push({ keys, servername: options.servername, path: options.path, agentKey: String(options._agentKey).replace(/:\d+:/, ':PORT:'), proto: Object.getPrototypeOf(options) });
          return super.createConnection(options, callback);
        }
      }
      const agent = new Watching({ keepAlive: true, maxSockets: 1, timeout: 3000 });
      c.defer(() => agent.destroy());
      const als = new AsyncLocalStorage<string>();
      const order: string[] = [];
      const hosts = [undefined, 'example.com:8080', '[::1]:99', '[broken'];
      await Promise.all(
        hosts.map((host, i) =>
          als.run(`request ${i}`, () =>
            new Promise<void>((resolve, reject) => {
              const req = c.http.request({ host: '127.0.0.1', port, agent, path: `/${i}`, headers: host ? { host } : {} }, (res) => {
                order.push(`${i} response in ${als.getStore()}`);
                res.resume().on('end', resolve);
              });
              req.on('socket', () => order.push(`${i} socket in ${als.getStore()} reused=${req.reusedSocket}`));
              req.on('error', reject);
              req.end();
            }),
          ),
        ),
      );
      await sleep(20);
      return { seen, order, pool: poolOf(agent) };
    },
    (r) => (expect(r.order).toContain('3 socket in request 3 reused=false'), expect(r.seen).toHaveLength(1)),
  );
  both(
    'a request queued for one origin gets a socket of its own when another origin\'s socket closes (maxTotalSockets)',
    async (c) => {
      const portA = await echoServer(c, nodeHttp);
      const portB = await echoServer(c, nodeHttp);
      const log: string[] = [];
      class Watching extends c.http.Agent {
        createConnection(options: net.NetConnectOpts & Record<string, unknown>, callback?: () => void) {
          log.push(`connect ${Reflect.ownKeys(options).map(String).join(',')} servername=${options.servername} ${String(options._agentKey).replace(/:\d+:/, ':PORT:')}`);
          return super.createConnection(options, callback);
        }
      }
      const agent = new Watching({ keepAlive: false, maxTotalSockets: 1 });
      c.defer(() => agent.destroy());
      let pool: unknown;
      const fetch = (port: number, path: string) =>
        new Promise<void>((resolve, reject) => {
          const req = c.http.request({ host: '127.0.0.1', port, agent, path, headers: { host: `h${path}.example:1` } }, (res) => {
            let body = '';
            res.setEncoding('latin1');
            res.on('data', (d: string) => (body += d));
            res.on('end', () => (log.push(`${JSON.parse(body).url} ${JSON.parse(body).rawHeaders.join(' ')}`), resolve()));
          });
          req.on('error', reject);
          req.end();
        });
      const both = Promise.all([fetch(portA, '/a'), fetch(portB, '/b'), fetch(portA, '/c')]);
      pool = poolOf(agent);
      await both;
      await sleep(20);
      return { log, pool: JSON.stringify(pool).replace(/:\d+:/g, ':PORT:'), after: poolOf(agent) };
    },
    (r) => expect(r.log).toContain('connect host,port,agent,path,headers,keepAlive,maxTotalSockets,noDelay,servername,_agentKey,encoding servername=h/b.example 127.0.0.1:PORT:'),
  );
  both(
    "an Agent whose options were replaced by an object with a prototype: only its own fields reach createConnection, in Node's order",
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const seen: unknown[] = [];
      class Watching extends c.http.Agent {
        createConnection(options: net.NetConnectOpts & Record<string, unknown>, callback?: () => void) {
          seen.push({ keys: Reflect.ownKeys(options).map(String), inherited: options.inherited, own: options.own, proto: Object.getPrototypeOf(options) });
          return super.createConnection(options, callback);
        }
      }
      const agent = new Watching({ keepAlive: true, maxSockets: 1 });
      c.defer(() => agent.destroy());
      const base = { inherited: 'from the prototype', noDelay: false };
      (agent as unknown as { options: unknown }).options = Object.assign(Object.create(base), { own: 'own field', keepAlive: true, path: null });
      const get = (path: string) =>
        new Promise<string>((resolve, reject) => {
          const req = c.http.request({ host: '127.0.0.1', port, agent, path }, (res) => {
            let body = '';
            res.setEncoding('latin1');
            res.on('data', (d: string) => (body += d));
            res.on('end', () => resolve(`${JSON.parse(body).url} reused=${req.reusedSocket}`));
          });
          req.on('error', reject);
          req.end();
        });
      const urls = await Promise.all([get('/a'), get('/b')]);
      await sleep(20);
      return { urls, seen, pool: poolOf(agent) };
    },
    (r) => expect(r.seen).toEqual([{ keys: expect.arrayContaining(['own', 'keepAlive']), inherited: undefined, own: 'own field', proto: null }]),
  );
});

describe("the Agent's names and server names", () => {
  both(
    'getName() as Node makes it, and the servername createConnection gets for each form of Host header',
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const names = [
        agent.getName(),
        agent.getName({}),
        agent.getName({ host: 'a.example', port: 8080, localAddress: '127.0.0.2', family: 6, socketPath: '/tmp/s' } as nodeHttp.AgentOptions),
        agent.getName({ host: '0', port: 0, family: 5 } as nodeHttp.AgentOptions),
        agent.getName.length,
      ];
      const servernames: unknown[] = [];
      class Watching extends c.http.Agent {
        createConnection(options: net.NetConnectOpts & Record<string, unknown>, callback?: () => void) {
          servernames.push(options.servername);
          return super.createConnection(options, callback);
        }
      }
      for (const host of [undefined, 'example.com', 'example.com:8080', '[::1]:99', '[broken', '127.0.0.1:1', 'x.example:1:2', '']) {
        for (let i = 0; i < 2; i++) {
          const own = new Watching({ keepAlive: true });
          c.defer(() => own.destroy());
          await clientRequest(c, port, { agent: own, headers: host === undefined ? {} : { host } });
        }
      }
      return { names, servernames };
    },
    (r) => expect(r.servernames).toContain('example.com'),
  );
});

describe('where the socket comes from', () => {
  both(
    'createConnection option (no agent): a socket the client did not create',
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const made: string[] = [];
      const r = await clientRequest(c, port, {
        agent: undefined,
        createConnection: ((opts: net.NetConnectOpts) => {
          made.push('created');
          return net.createConnection(opts);
        }) as unknown as nodeHttp.RequestOptions['createConnection'],
        path: '/cc',
      });
      return { made, r };
    },
    (r) => expect(r.made).toEqual(['created']),
  );
  both(
    'createConnection handing back a Duplex that is not a net.Socket',
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const r = await clientRequest(c, port, {
        agent: undefined,
        createConnection: (() => {
          const tcp = net.createConnection(port, '127.0.0.1');
          // A plain Duplex in front of the TCP socket, as TLS or a tunnel would be.
          const duplex = new Duplex({
            read() {},
            write(chunk, _enc, cb) {
              tcp.write(chunk, cb);
            },
            final(cb) {
              tcp.end();
              cb();
            },
            destroy(err, cb) {
              tcp.destroy();
              cb(err);
            },
          });
          tcp.on('data', (d) => duplex.push(d));
          tcp.on('end', () => duplex.push(null));
          return duplex;
        }) as unknown as nodeHttp.RequestOptions['createConnection'],
        path: '/duplex',
      });
      return r;
    },
    (r) => expect(r.status).toBe(200),
  );
  both(
    'an Agent whose createConnection calls back later (as proxy agents such as agent-base do)',
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      class LateAgent extends c.http.Agent {
        createConnection(options: net.NetConnectOpts, callback: (err: Error | null, socket?: net.Socket) => void) {
          setTimeout(() => callback(null, net.createConnection(options)), 5);
          return undefined as unknown as net.Socket;
        }
      }
      const agent = new LateAgent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const first = await clientRequest(c, port, { agent, path: '/late1' });
      const second = await clientRequest(c, port, { agent, path: '/late2' });
      return { first, second, pool: poolOf(agent) };
    },
    (r) => expect(r.second.reusedSocket).toBe(true),
  );
  both(
    "a pool shared with the other side's client: sockets pass between node:http's and wirehttp's requests",
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const other = c.http === (nodeHttp as unknown) ? wire : nodeHttp;
      for (const agent of [new nodeHttp.Agent({ keepAlive: true, maxSockets: 1 }), new wire.Agent({ keepAlive: true, maxSockets: 1 })]) {
        c.defer(() => agent.destroy());
        for (const client of [c.http, other, c.http, other]) {
          const result = { log: [] as string[], body: '' };
          await new Promise<void>((resolve) => {
            const req = client.request({ host: '127.0.0.1', port, agent, path: '/shared' }, (res) => {
              res.setEncoding('latin1');
              res.on('data', (d: string) => (result.body += d));
              res.on('end', () => resolve());
            });
            req.on('error', (e) => (c.ev('error', e.message), resolve()));
            req.end();
          });
          c.ev(JSON.parse(result.body).url);
        }
        await sleep(20);
        c.ev(JSON.stringify(poolOf(agent)));
      }
      return c.log;
    },
    (r) => expect(r.filter((l) => l === '/shared')).toHaveLength(8),
  );
});

describe("a user's 'data' listener on the request's socket", () => {
  both(
    "gets the response bytes, as node:http's client gives them, on this request and the next on the same socket",
    async (c) => {
      const port = await echoServer(c, nodeHttp);
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const seen: string[] = [];
      for (const path of ['/first', '/second']) {
        await new Promise<void>((resolve) => {
          const req = c.http.request({ host: '127.0.0.1', port, agent, path }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString('latin1')));
            res.on('end', () => (seen.push(`body ${JSON.parse(body).url}`), resolve()));
          });
          req.on('socket', (socket: net.Socket) => {
            let text = '';
            const onData = (d: Buffer) => (text += d.toString('latin1'));
            socket.on('data', onData);
            req.on('close', () => {
              socket.off('data', onData);
              seen.push(`socket saw ${text.includes(`"url":"${path}"`) ? 'the response' : JSON.stringify(text)}`);
            });
          });
          req.end();
        });
      }
      await sleep(20);
      return { seen, pool: poolOf(agent) };
    },
    (r) => expect(r.seen.filter((l) => l === 'socket saw the response')).toHaveLength(2),
  );
});

describe('how wirehttp reads (not side by side: node:http has no such paths)', () => {
  /** The field net.Socket keeps its `onread` buffer in: set when the socket reads into a caller's buffer. */
  const userBuffer = (socket: net.Socket) => {
    const key = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'kBuffer')!;
    return Boolean((socket as unknown as Record<symbol, unknown>)[key]);
  };

  it("sockets of wirehttp's Agent read into the shared buffer, and keep working for 'data' readers after an upgrade", async () => {
    const c = new Ctx(wire, 'wirehttp/node');
    try {
      const port = await c.rawServer((socket) => {
        socket.once('data', () => {
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
          socket.once('data', () => {
            socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n');
            socket.on('data', (d) => socket.write(d));
          });
        });
      });
      const agent = new wire.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const first = await clientRequest(c, port, { agent });
      expect(first.body).toBe('ok');
      const req = wire.request({ host: '127.0.0.1', port, agent, headers: { Connection: 'Upgrade', Upgrade: 'x' } });
      const echoed = await new Promise<string>((resolve) => {
        req.on('upgrade', (_res, socket: net.Socket) => {
          expect(userBuffer(socket)).toBe(true); // the same socket, still reading into the shared buffer
          socket.once('data', (d: Buffer) => resolve(d.toString('latin1')));
          socket.write('after upgrade');
        });
        req.end();
      });
      expect(req.reusedSocket).toBe(true);
      expect(echoed).toBe('after upgrade');
    } finally {
      await c.cleanup();
    }
  });

  it("sockets of node:http's Agent and from createConnection are read through 'data'", async () => {
    const c = new Ctx(wire, 'wirehttp/node');
    try {
      const port = await echoServer(c, nodeHttp);
      const agent = new nodeHttp.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const seen: boolean[] = [];
      for (const options of [{ agent }, { agent: undefined, createConnection: (o: net.NetConnectOpts) => net.createConnection(o) }]) {
        const req = wire.request({ host: '127.0.0.1', port, ...options } as nodeHttp.RequestOptions);
        req.on('socket', (socket) => seen.push(userBuffer(socket)));
        await new Promise((resolve) => req.on('response', (res) => res.resume().on('end', resolve)).end());
      }
      expect(seen).toEqual([false, false]);
    } finally {
      await c.cleanup();
    }
  });
});
