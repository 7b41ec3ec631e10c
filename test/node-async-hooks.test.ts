// async_hooks as APM tools see node:http and wirehttp/node, side by side: the async resources HTTP
// parsing runs in (node:http's client makes one of type HTTPCLIENTREQUEST per request, its server
// one of type HTTPINCOMINGMESSAGE per connection), the resource, execution and trigger ids in
// 'response', 'data', 'end' and 'request' listeners, the trigger chains, and destroy.
import { AsyncLocalStorage, AsyncResource, createHook, executionAsyncId, executionAsyncResource, triggerAsyncId } from 'node:async_hooks';
import * as nodeHttp from 'node:http';
import type net from 'node:net';
import { describe, expect } from 'vitest';
import { both, type Ctx, differs, sides, sleep, WIRE_ESM } from './support/sides.js';

const wire = (sides.find(([name]) => name === 'wirehttp/node')?.[1] ?? (await import(/* @vite-ignore */ WIRE_ESM))) as typeof nodeHttp;

interface Resource {
  type: string;
  trigger: number;
  resource: object;
}

/**
 * Watches every async resource while a scenario runs and describes ids as a user of async_hooks
 * can compare them across runs: an HTTP resource by its type and the order it was made in
 * (HTTPCLIENTREQUEST#1), any other by its type, and an execution context by the chain of types
 * from it back to the nearest HTTP resource (`TickObject<HTTPCLIENTREQUEST#1`).
 */
class Tracker {
  readonly resources = new Map<number, Resource>();
  readonly inits: string[] = [];
  readonly destroyed: string[] = [];
  private readonly names = new Map<number, string>();
  private readonly counts = new Map<string, number>();
  private readonly hook;

  constructor(private readonly types: RegExp) {
    this.hook = createHook({
      init: (id, type, trigger, resource) => {
        this.resources.set(id, { type, trigger, resource });
        if (types.test(type)) {
          const at = (this.counts.get(type) ?? 0) + 1;
          this.counts.set(type, at);
          this.names.set(id, `${type}#${at}`);
          this.inits.push(`${this.names.get(id)} by ${this.chain(trigger, 3)}`);
        }
      },
      destroy: (id) => {
        const name = this.names.get(id);
        if (name) this.destroyed.push(name);
      },
    });
    this.hook.enable();
  }

  disable() {
    this.hook.disable();
  }

  /** A resource's name: an HTTP one's, else its type. */
  name(id: number): string {
    return this.names.get(id) ?? this.resources.get(id)?.type ?? (id === 1 ? 'root' : 'unknown');
  }

  /** The chain of triggers from `id`: types, up to `max` steps or the first HTTP resource. */
  chain(id: number, max = 8): string {
    const out: string[] = [];
    for (let i = 0; i < max; i++) {
      out.push(this.name(id));
      if (this.names.has(id)) break;
      const r = this.resources.get(id);
      if (!r) break;
      id = r.trigger;
    }
    return out.join('<');
  }

  /** The HTTP resource an id is, or the first its triggers lead to (an async id). */
  httpOf(id: number): number | undefined {
    for (let i = 0; i < 12 && id > 1; i++) {
      if (this.names.has(id)) return id;
      id = this.resources.get(id)?.trigger ?? 0;
    }
    return undefined;
  }

  /** What a listener sees where it runs. */
  here(): string {
    const resource = executionAsyncResource() as Record<string, unknown>;
    const id = executionAsyncId();
    const own = this.resources.get(id)?.resource === resource;
    const shape = this.names.has(id) && own ? ` ${resource.constructor?.name} type=${String(resource.type)}` : '';
    return `in ${this.chain(id)}${shape} resource=${own ? 'its own' : 'another'} trigger=${this.chain(triggerAsyncId(), 1)}`;
  }
}

/** One GET through `agent` with `als` holding `store`; logs where its listeners run. */
function get(c: Ctx, t: Tracker, port: number, agent: nodeHttp.Agent, path: string, als: AsyncLocalStorage<string>, store: string) {
  return als.run(
    store,
    () =>
      new Promise<void>((resolve, reject) => {
        const caller = executionAsyncId();
        const req = c.http.request({ host: '127.0.0.1', port, path, agent }, (res) => {
          const resource = executionAsyncResource() as Record<string, unknown>;
          const http = t.httpOf(executionAsyncId());
          const made = http === undefined ? undefined : t.resources.get(http);
          // The resource's trigger is a TickObject made by request() itself.
          const tick = made && t.resources.get(made.trigger);
          c.ev(path, 'response', t.here(), `req=${resource.req === req}`, `made in request()=${tick?.trigger === caller}`, als.getStore());
          res.setEncoding('latin1');
          res.on('data', (d: string) => c.ev(path, 'data', d.length, t.here(), als.getStore()));
          res.on('end', () => {
            c.ev(path, 'end', t.here(), als.getStore());
            resolve();
          });
        });
        req.on('error', reject);
        req.end();
      }),
  );
}

/** A request handler that logs the store `als` holds in 'request' and in the body's events. */
function logStoreInRequests(c: Ctx, als: AsyncLocalStorage<string>) {
  return (req: nodeHttp.IncomingMessage, res: nodeHttp.ServerResponse) => {
    c.ev('request', req.url, als.getStore());
    req.on('data', () => c.ev('data', als.getStore()));
    req.on('end', () => (c.ev('end', als.getStore()), res.end()));
  };
}

/** Two POSTs, /1 then /2, on one kept-alive connection, with node:http's client. */
async function postTwiceOnOneConnection(c: Ctx, port: number) {
  const agent = new nodeHttp.Agent({ keepAlive: true, maxSockets: 1 });
  c.defer(() => agent.destroy());
  for (const path of ['/1', '/2']) {
    await new Promise<void>((resolve, reject) => {
      const req = nodeHttp.request({ host: '127.0.0.1', port, path, agent, method: 'POST' }, (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.end('body');
    });
  }
}

describe('the client', () => {
  both(
    'a keep-alive socket, two GETs on it: an HTTPCLIENTREQUEST per request, and where response, data and end run',
    async (c) => {
      const server = c.serverOf(nodeHttp, null, (_req, res) => res.end('hello'));
      const port = await c.listen(server);
      const agent = new c.http.Agent({ keepAlive: true });
      c.defer(() => agent.destroy());
      const als = new AsyncLocalStorage<string>();
      const t = new Tracker(/^HTTPCLIENTREQUEST$/);
      c.defer(() => t.disable());
      await get(c, t, port, agent, '/a', als, 'first');
      await get(c, t, port, agent, '/b', als, 'second');
      agent.destroy();
      await sleep(50);
      t.disable();
      return { inits: t.inits, log: c.log, destroyed: t.destroyed.sort() };
    },
    (r) => {
      expect(r.inits).toHaveLength(2);
      expect(r.log[0]).toBe('/a response in HTTPCLIENTREQUEST#1 HTTPClientAsyncResource type=HTTPINCOMINGMESSAGE resource=its own trigger=TickObject req=true made in request()=true first');
      expect(r.log).toContain('/b data 5 in TickObject<HTTPCLIENTREQUEST#2 resource=its own trigger=HTTPCLIENTREQUEST#2 second');
      expect(r.destroyed).toEqual(['HTTPCLIENTREQUEST#1', 'HTTPCLIENTREQUEST#2']);
    },
  );

  both(
    'a POST with a streamed response body: data in the resource or after it, the Agent queueing a request',
    async (c) => {
      const server = c.serverOf(nodeHttp, null, (req, res) => {
        req.resume();
        req.on('end', () => {
          res.write('x'.repeat(100));
          setImmediate(() => res.end('y'.repeat(10)));
        });
      });
      const port = await c.listen(server);
      const agent = new c.http.Agent({ keepAlive: true, maxSockets: 1 });
      c.defer(() => agent.destroy());
      const t = new Tracker(/^HTTPCLIENTREQUEST$/);
      c.defer(() => t.disable());
      const one = (path: string) =>
        new Promise<void>((resolve, reject) => {
          const req = c.http.request({ host: '127.0.0.1', port, path, agent, method: 'POST' }, (res) => {
            c.ev(path, 'response', t.here());
            res.on('data', (d: Buffer) => c.ev(path, 'data', d.length, t.here()));
            res.on('end', () => (c.ev(path, 'end', t.here()), resolve()));
          });
          req.on('error', reject);
          req.end('body');
        });
      await Promise.all([one('/1'), one('/2')]);
      agent.destroy();
      await sleep(50);
      t.disable();
      return { inits: t.inits, log: c.log, destroyed: t.destroyed.sort() };
    },
    (r) => expect(r.inits).toHaveLength(2),
  );

  both(
    "an upgrade: 'upgrade' runs outside the resource, and the resource is destroyed",
    async (c) => {
      const server = c.serverOf(nodeHttp);
      server.on('upgrade', (_req, socket: net.Socket) => socket.end('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\nafter'));
      const port = await c.listen(server);
      const t = new Tracker(/^HTTPCLIENTREQUEST$/);
      c.defer(() => t.disable());
      await new Promise<void>((resolve, reject) => {
        const req = c.http.request({ host: '127.0.0.1', port, headers: { Connection: 'Upgrade', Upgrade: 'x' } });
        req.on('upgrade', (_res, socket: net.Socket, head: Buffer) => {
          c.ev('upgrade', head.toString(), t.here());
          socket.destroy();
          resolve();
        });
        req.on('error', reject);
        req.end();
      });
      await sleep(50);
      t.disable();
      return { inits: t.inits, log: c.log, destroyed: t.destroyed };
    },
    (r) => expect(r.inits).toHaveLength(1),
  );
});

describe('the server', () => {
  /**
   * A GET, then on the same keep-alive connection a POST: its body sent with the head (one read)
   * when `sameRead`, else once the server's 'request' listener has run.
   */
  const getThenPost = async (c: Ctx, sameRead: boolean) => {
    const t = new Tracker(/^HTTPINCOMINGMESSAGE$/);
    c.defer(() => t.disable());
    const connections: number[] = [];
    let sendBody = () => {};
    const { port } = await c.start(null, (req, res) => {
      const resource = executionAsyncResource() as Record<string, unknown>;
      const http = t.httpOf(executionAsyncId());
      const trigger = http === undefined ? undefined : t.resources.get(t.resources.get(http)!.trigger);
      connections.push(http ?? -1);
      const socket = req.socket as net.Socket & { _handle?: unknown };
      c.ev(req.url, 'request', t.here(), `socket=${resource.socket === req.socket}`, `made by ${trigger?.type} ${trigger?.resource === socket._handle}`);
      req.on('data', (d: Buffer) => c.ev(req.url, 'data', d.length, t.here()));
      req.on('end', () => {
        c.ev(req.url, 'end', t.here());
        res.end('ok');
      });
      sendBody();
    });
    const agent = new nodeHttp.Agent({ keepAlive: true });
    c.defer(() => agent.destroy());
    for (const [path, body] of [['/get', undefined], ['/post', 'x'.repeat(50)]] as const) {
      await new Promise<void>((resolve, reject) => {
        const req = nodeHttp.request({ host: '127.0.0.1', port, path, agent, method: body ? 'POST' : 'GET', headers: body ? { 'Content-Length': body.length } : {} }, (res) => res.resume().on('end', resolve));
        req.on('error', reject);
        if (!body || sameRead) return req.end(body);
        req.flushHeaders();
        sendBody = () => ((sendBody = () => {}), req.end(body));
      });
    }
    const destroyedBeforeClose = [...t.destroyed];
    agent.destroy();
    await sleep(50);
    t.disable();
    return { inits: t.inits, log: c.log, sameConnection: connections[0] === connections[1], destroyedBeforeClose, destroyed: t.destroyed };
  };

  both(
    "one HTTPINCOMINGMESSAGE per connection, made by its socket; 'request', the body's 'data' and 'end' run in it or after it",
    (c) => getThenPost(c, false),
    (r) => {
      expect(r.inits).toEqual(['HTTPINCOMINGMESSAGE#1 by TCPWRAP<TCPSERVERWRAP<TickObject']);
      expect(r.log).toEqual([
        '/get request in HTTPINCOMINGMESSAGE#1 HTTPServerAsyncResource type=HTTPINCOMINGMESSAGE resource=its own trigger=TCPWRAP socket=true made by TCPWRAP true',
        '/get end in TickObject<TickObject<HTTPINCOMINGMESSAGE#1 resource=its own trigger=TickObject',
        '/post request in HTTPINCOMINGMESSAGE#1 HTTPServerAsyncResource type=HTTPINCOMINGMESSAGE resource=its own trigger=TCPWRAP socket=true made by TCPWRAP true',
        '/post data 50 in HTTPINCOMINGMESSAGE#1 HTTPServerAsyncResource type=HTTPINCOMINGMESSAGE resource=its own trigger=TCPWRAP',
        '/post end in TickObject<HTTPINCOMINGMESSAGE#1 resource=its own trigger=HTTPINCOMINGMESSAGE#1',
      ]);
      expect(r.sameConnection).toBe(true);
      expect(r.destroyedBeforeClose).toEqual([]);
      expect(r.destroyed).toEqual(['HTTPINCOMINGMESSAGE#1']);
    },
  );

  differs(
    "a body that arrives with its head: its 'end' is queued one tick deeper, after the handler's own ticks",
    (c) => getThenPost(c, true),
    {
      readme: 'One parse per read.',
      node: (r) => expect(r.log.slice(3)).toEqual([
        '/post data 50 in TickObject<HTTPINCOMINGMESSAGE#1 resource=its own trigger=HTTPINCOMINGMESSAGE#1',
        '/post end in TickObject<HTTPINCOMINGMESSAGE#1 resource=its own trigger=HTTPINCOMINGMESSAGE#1',
      ]),
      wirehttp: (r) => expect(r.log.slice(3)).toEqual([
        '/post data 50 in TickObject<HTTPINCOMINGMESSAGE#1 resource=its own trigger=HTTPINCOMINGMESSAGE#1',
        '/post end in TickObject<TickObject<HTTPINCOMINGMESSAGE#1 resource=its own trigger=TickObject',
      ]),
      // Everything else is the same: the resource, its trigger, 'request' in it, destroy at close.
      same: (r) => ({ ...r, log: r.log.slice(0, 3) }),
    },
  );

  both(
    "AsyncLocalStorage: a store entered in the 'connection' listener reaches 'request' and the body's events",
    async (c) => {
      const als = new AsyncLocalStorage<string>();
      let n = 0;
      const server = c.server(null, logStoreInRequests(c, als));
      server.prependListener('connection', () => als.enterWith(`connection ${++n}`));
      const port = await c.listen(server);
      await postTwiceOnOneConnection(c, port);
      return c.log;
    },
    (r) => expect(r).toContain('request /2 connection 1'),
  );

  both(
    "AsyncLocalStorage: a store entered around listen() reaches 'request' and the body's events",
    async (c) => {
      const als = new AsyncLocalStorage<string>();
      const server = c.server(null, logStoreInRequests(c, als));
      const port = await als.run('server', () => c.listen(server));
      await postTwiceOnOneConnection(c, port);
      return c.log;
    },
    (r) => expect(r).toContain('request /2 server'),
  );

  both(
    "an upgrade and a malformed request: both run in the connection's resource (Node's parser reads the socket itself), 'upgrade' with the freed parser as the resource",
    async (c) => {
      const t = new Tracker(/^HTTPINCOMINGMESSAGE$/);
      c.defer(() => t.disable());
      const als = new AsyncLocalStorage<string>();
      const server = c.server();
      server.prependListener('connection', () => als.enterWith('connection'));
      server.on('upgrade', (_req, socket: net.Socket) => {
        c.ev('upgrade', t.here(), als.getStore());
        socket.end('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n');
      });
      server.on('clientError', (e: NodeJS.ErrnoException, socket: net.Socket) => {
        c.ev('clientError', e.code, t.here(), als.getStore());
        socket.destroy();
      });
      const port = await c.listen(server);
      await new Promise<void>((resolve, reject) => {
        const req = nodeHttp.request({ host: '127.0.0.1', port, agent: false, headers: { Connection: 'Upgrade', Upgrade: 'x' } });
        req.on('upgrade', (_res, socket: net.Socket) => (socket.destroy(), resolve()));
        req.on('error', reject);
        req.end();
      });
      const raw = await c.connect(port);
      raw.sock.write('GET / HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n');
      await c.waitForLog('clientError');
      await sleep(50);
      t.disable();
      return { inits: t.inits, log: c.log, destroyed: t.destroyed };
    },
    (r) => expect(r.log).toEqual([
      'upgrade in HTTPINCOMINGMESSAGE#1 resource=another trigger=TCPWRAP ',
      'clientError HPE_INVALID_HEADER_TOKEN in HTTPINCOMINGMESSAGE#2 HTTPServerAsyncResource type=HTTPINCOMINGMESSAGE resource=its own trigger=TCPWRAP connection',
    ]),
  );
});

describe('the resources themselves', () => {
  differs(
    "an init hook sees an AsyncResource whose `req` or `socket` is set just after the hook (Node's: a plain object, already set)",
    async (c) => {
      const seen: string[] = [];
      const later: (() => void)[] = [];
      const hook = createHook({
        init(_id, type, _trigger, resource: Record<string, unknown>) {
          if (!/^HTTP/.test(type)) return;
          seen.push(`init ${type} ${resource.constructor.name} type=${String(resource.type)} keys=${Object.keys(resource)} AsyncResource=${resource instanceof AsyncResource}`);
          later.push(() => seen.push(`later ${type} keys=${Object.keys(resource)} ${typeof resource.req} ${typeof resource.socket}`));
        },
      });
      hook.enable();
      c.defer(() => hook.disable());
      // Both sides' server and client, so each kind of resource is made once.
      const { port } = await c.start(null, (_req, res) => res.end('ok'));
      await new Promise<void>((resolve, reject) => {
        const req = c.http.request({ host: '127.0.0.1', port, agent: false }, (res) => res.resume().on('end', resolve));
        req.on('error', reject);
        req.end();
      });
      hook.disable();
      for (const f of later) f();
      return seen.sort();
    },
    {
      readme: 'The async resources are `AsyncResource`s.',
      node: (r) => expect(r).toEqual([
        'init HTTPCLIENTREQUEST HTTPClientAsyncResource type=HTTPINCOMINGMESSAGE keys=type,req AsyncResource=false',
        'init HTTPINCOMINGMESSAGE HTTPServerAsyncResource type=HTTPINCOMINGMESSAGE keys=type,socket AsyncResource=false',
        'later HTTPCLIENTREQUEST keys=type,req object undefined',
        'later HTTPINCOMINGMESSAGE keys=type,socket undefined object',
      ]),
      wirehttp: (r) => expect(r).toEqual([
        'init HTTPCLIENTREQUEST HTTPClientAsyncResource type=HTTPINCOMINGMESSAGE keys= AsyncResource=true',
        'init HTTPINCOMINGMESSAGE HTTPServerAsyncResource type=HTTPINCOMINGMESSAGE keys= AsyncResource=true',
        'later HTTPCLIENTREQUEST keys=type,req object undefined',
        'later HTTPINCOMINGMESSAGE keys=type,socket undefined object',
      ]),
      same: (r) => r.filter((line) => line.startsWith('later')),
    },
  );
});
