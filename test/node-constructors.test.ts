// Every constructor wirehttp/node exports can be called and inherited the ways node:http's can:
// `new`, the ES5 way (`C.call(this, …)` + util.inherits, as light-my-request builds on
// http.ServerResponse), `class extends`, Reflect.construct, and a call without `new`. Each pattern
// runs on node:http and on wirehttp/node and what it yields is compared.
import net from 'node:net';
import { PassThrough } from 'node:stream';
import util from 'node:util';
import { describe, expect } from 'vitest';
import { both, type Ctx, type Http } from './support/sides.js';

type Ctor = new (...args: any[]) => any;

/** Arguments for each exported constructor, and what a working instance shows (read back through its methods). */
const CONSTRUCTORS: Record<string, { args: (http: Http) => unknown[]; probe: (o: any) => unknown; done?: (o: any) => void }> = {
  Server: {
    args: () => [{ keepAliveTimeout: 1234 }],
    probe: (o) => [o.keepAliveTimeout, typeof o.listen, o.listenerCount('connection')],
  },
  IncomingMessage: {
    args: () => [new net.Socket()],
    probe: (o) => [o.headers, o.complete, o.readable],
  },
  ServerResponse: {
    args: (http) => {
      const req = new http.IncomingMessage(new net.Socket());
      req.method = 'GET';
      req.httpVersionMajor = req.httpVersionMinor = 1;
      return [req];
    },
    probe: (o) => {
      o.setHeader('X-One', 'a');
      o.statusCode = 201;
      return [o.getHeader('x-one'), o.hasHeader('X-ONE'), o.getHeaders(), o.statusCode, o.sendDate, o.writable];
    },
  },
  OutgoingMessage: {
    args: () => [],
    probe: (o) => {
      o.setHeader('X-One', 'a');
      return [o.getHeader('x-one'), o.headersSent];
    },
  },
  Agent: {
    args: () => [{ keepAlive: true, maxSockets: 3 }],
    probe: (o) => [o.keepAlive, o.maxSockets, o.defaultPort, o.protocol],
    done: (o) => o.destroy(),
  },
  ClientRequest: {
    args: () => [{ host: '127.0.0.1', port: 9, path: '/p', method: 'PUT', agent: false, createConnection: () => new PassThrough() }],
    probe: (o) => {
      o.on('error', () => {});
      return [o.method, o.path, o.getHeader('host')];
    },
    done: (o) => o.destroy(),
  },
};

/** What a construction pattern produced: an instance of what (and what it shows), or the error. */
function outcome(make: () => any, C: Ctor, Sub: Ctor | undefined, probe: (o: any) => unknown, done?: (o: any) => void) {
  let o: any;
  try {
    o = make();
  } catch (e) {
    const err = e as Error;
    return { threw: `${err.name}: ${err.message}` };
  }
  if (o === undefined || o === null || typeof o !== 'object') return { returned: String(o) };
  const result = {
    instanceOfC: o instanceof C,
    instanceOfSub: Sub ? o instanceof Sub : undefined,
    protoIsSub: Sub ? Object.getPrototypeOf(o) === Sub.prototype : Object.getPrototypeOf(o) === C.prototype,
    constructorName: o.constructor?.name,
    shows: probe(o),
  };
  done?.(o);
  return result;
}

async function patterns(c: Ctx, name: string) {
  const C = (c.http as unknown as Record<string, Ctor>)[name];
  const { args, probe, done } = CONSTRUCTORS[name];
  const call = (fn: Ctor, self: unknown, a: unknown[]) => (fn as unknown as (...x: unknown[]) => unknown).apply(self, a);

  function ES5(this: unknown, ...a: unknown[]) {
    call(C, this, a);
  }
  util.inherits(ES5, C as any);
  class Extended extends C {}
  function Target() {}
  Object.setPrototypeOf(Target.prototype, C.prototype);

  return {
    name: C.name,
    length: C.length,
    new: outcome(() => new C(...args(c.http)), C, undefined, probe, done),
    es5: outcome(() => new (ES5 as unknown as Ctor)(...args(c.http)), C, ES5 as unknown as Ctor, probe, done),
    superIsC: (ES5 as unknown as { super_: unknown }).super_ === C,
    classExtends: outcome(() => new Extended(...args(c.http)), C, Extended, probe, done),
    reflect: outcome(() => Reflect.construct(C, args(c.http)), C, undefined, probe, done),
    reflectNewTarget: outcome(() => Reflect.construct(C, args(c.http), Target), C, Target as unknown as Ctor, probe, done),
    withoutNew: outcome(() => call(C, undefined, args(c.http)), C, undefined, probe, done),
  };
}

describe('exported constructors, the ways node:http allows', () => {
  both('every constructor node:http exports is exported, and no other', async (c) => {
    return Object.keys(c.http.default ?? c.http)
      .filter((k) => /^[A-Z]/.test(k) && typeof (c.http as any)[k] === 'function')
      .sort();
  }, (names) => expect(names).toEqual(Object.keys(CONSTRUCTORS).sort()));

  for (const name of Object.keys(CONSTRUCTORS)) {
    both(`${name}: new, ES5 call + util.inherits, class extends, Reflect.construct, a call without new`, (c) => patterns(c, name), (r) => {
      expect(r.es5).toMatchObject({ instanceOfC: true, instanceOfSub: true, protoIsSub: true });
      expect(r.classExtends).toMatchObject({ instanceOfC: true, instanceOfSub: true });
    });
  }
});
