// Side-by-side harness for wirehttp/node: every scenario runs once against node:http and once
// against wirehttp/node (dist/node.js), over real sockets on 127.0.0.1, and the two observable
// results must be equal (both()) — or, for a deliberate difference listed in README.md, each must
// be what is expected of its side (differs()).
//
// WIREHTTP_SIDES=node:http,node:http runs node:http against itself (a determinism check for the
// scenarios); WIREHTTP_SIDES=node:http runs Node alone. The default is both sides, always.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as nodeHttp from 'node:http';
import net from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

export type Http = typeof nodeHttp;
export type Server = nodeHttp.Server;
export type Req = nodeHttp.IncomingMessage;
export type Res = nodeHttp.ServerResponse;

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WIRE_ESM = `${ROOT}dist/node.js`;
export const WIRE_CJS = `${ROOT}dist/node.cjs`;

const wanted = (process.env.WIREHTTP_SIDES ?? 'node:http,wirehttp/node').split(',').map((s) => s.trim()).filter(Boolean);

async function load(name: string): Promise<Http> {
  if (name === 'node:http') return nodeHttp;
  if (name === 'wirehttp/node') {
    if (!existsSync(WIRE_ESM)) throw new Error(`${WIRE_ESM} is missing: run the build first`);
    return (await import(/* @vite-ignore */ pathToFileURL(WIRE_ESM).href)) as Http;
  }
  throw new Error(`unknown side ${name}`);
}

export const sides: [string, Http][] = [];
for (const name of wanted) sides.push([name, await load(name)]);

/** The module id a child process should require/import for a side. */
export const moduleIdOf = (side: string) => (side === 'wirehttp/node' ? 'wirehttp/node' : 'node:http');

// ---------------------------------------------------------------------------------------------
// Per-side context: everything a scenario opens is closed when it ends, whatever happens.

export class Ctx {
  private cleanups: (() => unknown)[] = [];
  readonly log: string[] = [];
  constructor(readonly http: Http, readonly side: string) {}

  defer(fn: () => unknown) {
    this.cleanups.push(fn);
  }

  /** Pushes an event to the scenario's log (a common observable). */
  ev(...parts: unknown[]) {
    this.log.push(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  }

  /**
   * Waits until `cond` holds (polled every 5 ms), at most `ms`; never throws — a missing event
   * then shows in the compared result. Then waits `extra` ms more for stray events.
   */
  async waitFor(cond: () => boolean, ms = 3000, extra = 10) {
    const until = Date.now() + ms;
    while (!cond() && Date.now() < until) await sleep(5);
    if (extra) await sleep(extra);
  }

  /** waitFor a log line equal to (or starting with) `line`. */
  waitForLog(line: string, ms?: number) {
    return this.waitFor(() => this.log.some((l) => l === line || l.startsWith(`${line} `)), ms);
  }

  /** createServer on this side; every socket it accepts is destroyed at the end. */
  server(options?: nodeHttp.ServerOptions | null, handler?: (req: Req, res: Res) => void): Server {
    return this.serverOf(this.http, options, handler);
  }

  /** createServer of a given implementation (a client test serves both sides from the same one). */
  serverOf(impl: Http, options?: nodeHttp.ServerOptions | null, handler?: (req: Req, res: Res) => void): Server {
    const s = handler ? impl.createServer(options ?? {}, handler) : options ? impl.createServer(options) : impl.createServer();
    this.track(s);
    return s;
  }

  /** A listening raw `net` server on 127.0.0.1 that hands each connection to `onConnection`; resolves to its port. */
  async rawServer(onConnection: (socket: net.Socket) => void): Promise<number> {
    const s = net.createServer({ allowHalfOpen: true }, (socket) => {
      socket.on('error', () => {});
      onConnection(socket);
    });
    this.track(s);
    return this.listen(s);
  }

  track(s: net.Server) {
    const accepted = new Set<net.Socket>();
    s.on('connection', (sock: net.Socket) => {
      accepted.add(sock);
      sock.once('close', () => accepted.delete(sock));
    });
    this.defer(async () => {
      (s as Server).closeAllConnections?.();
      for (const sock of accepted) sock.destroy();
      if (s.listening) await within(2000, new Promise<void>((r) => s.close(() => r())));
    });
    return s;
  }

  /** Listens on 127.0.0.1, port 0; resolves to the port. */
  async listen(s: net.Server): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        s.off('error', reject);
        resolve();
      });
    });
    return (s.address() as net.AddressInfo).port;
  }

  /** createServer + listen; resolves to the server and its port. */
  async start(options: nodeHttp.ServerOptions | null, handler?: (req: Req, res: Res) => void) {
    const server = this.server(options, handler);
    const port = await this.listen(server);
    return { server, port };
  }

  /** A raw client connection (connected). */
  async connect(port: number): Promise<RawConn> {
    const c = new RawConn(net.connect(port, '127.0.0.1'));
    this.defer(() => c.sock.destroy());
    await c.connected;
    return c;
  }

  async cleanup() {
    for (const fn of this.cleanups.reverse()) {
      try {
        await fn();
      } catch {
        /* best effort */
      }
    }
    this.cleanups = [];
  }
}

/** Reads a request's whole body as latin1; calls `done` with it at 'end'. */
export function readBody(req: Req, done: (body: string) => void) {
  let body = '';
  req.setEncoding('latin1');
  req.on('data', (d: string) => (body += d));
  req.on('end', () => done(body));
}

/** Logs what becomes of a request and its response: the request, its data, end, aborted, error and close; finish and close. */
export function logLifecycle(c: Ctx, req: Req, res: Res) {
  c.ev('request', req.url);
  req.on('data', (d: Buffer) => c.ev('data', latin1(d)));
  req.on('end', () => c.ev('req end'));
  req.on('aborted', () => c.ev('req aborted', req.aborted, req.complete));
  req.on('error', (e: NodeJS.ErrnoException) => c.ev('req error', e.code, e.message));
  req.on('close', () => c.ev('req close', req.destroyed));
  res.on('finish', () => c.ev('res finish'));
  res.on('close', () => c.ev('res close', res.writableEnded, res.writableFinished, res.headersSent));
}

// ---------------------------------------------------------------------------------------------
// both() and differs(): the side-by-side tests.

const SIDE_TIMEOUT = Number(process.env.WIREHTTP_SIDE_TIMEOUT ?? 12_000);

export function within<T>(ms: number, p: Promise<T>, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export interface BothOptions {
  timeout?: number;
}

/**
 * The shared runner of both() and differs(): one test that runs `scenario` against each side in
 * turn (node:http first), each in its own Ctx that is cleaned up whatever happens, within the
 * side timeout. `check` sees every side's result as it arrives, with the first side's result.
 */
function sideBySide<T>(
  name: string,
  scenario: (c: Ctx) => Promise<T>,
  opts: BothOptions,
  check: (label: string, result: T, first: { label: string; result: T } | undefined) => void,
  before?: () => void,
) {
  const timeout = opts.timeout ?? SIDE_TIMEOUT;
  it(name, async () => {
    before?.();
    let first: { label: string; result: T } | undefined;
    for (const [label, http] of sides) {
      const c = new Ctx(http, label);
      const run = scenario(c);
      run.catch(() => {});
      let result: T;
      try {
        result = await within(timeout, run, `${label}: scenario "${name}"`);
      } finally {
        await c.cleanup();
      }
      if (process.env.WIREHTTP_DUMP) console.log(`${label} | ${name}\n${JSON.stringify(result, null, 1)}`);
      check(label, result, first);
      first ??= { label, result };
    }
  }, sides.length * timeout + 10_000);
}

/**
 * Runs `scenario` against each side in turn (node:http first) and expects every other side's
 * result to equal node:http's. `sanity` checks node:http's result, so a scenario can't pass by
 * observing nothing on both sides.
 */
export function both<T>(name: string, scenario: (c: Ctx) => Promise<T>, sanity?: (r: T) => void, opts: BothOptions = {}) {
  sideBySide(name, scenario, opts, (label, result, first) => {
    if (!first) sanity?.(result);
    else expect(result, `${label} must behave as ${first.label}`).toEqual(first.result);
  });
}

// ---------------------------------------------------------------------------------------------
// differs(): a deliberate difference, documented in README.md.

const README = `${ROOT}README.md`;
const DELIBERATE_HEADING = '### Deliberate differences from node:http';

/** The bullet headings (the bold text) of README.md's list of deliberate differences from node:http. */
export function deliberateDifferences(): string[] {
  const text = readFileSync(README, 'utf8');
  const at = text.indexOf(`\n${DELIBERATE_HEADING}\n`);
  if (at < 0) return [];
  const rest = text.slice(at + DELIBERATE_HEADING.length + 2);
  const next = rest.search(/^#{1,3} /m); // the next heading ends the section
  const section = next < 0 ? rest : rest.slice(0, next);
  return [...section.matchAll(/^- \*\*(.+?)\*\*/gm)].map((m) => m[1]);
}

export interface Deliberate<T> {
  /** The bullet heading (the bold text, exactly) in README.md's "Deliberate differences from node:http". */
  readme: string;
  /** What node:http does. */
  node: (r: T) => void;
  /** What wirehttp/node does instead. */
  wirehttp: (r: T) => void;
  /** What still holds on every side. */
  each?: (r: T) => void;
  /** What must still be equal on both sides: this projection of the results is compared. */
  same?: (r: T) => unknown;
}

/**
 * A deliberate difference from node:http: runs `scenario` on each side as both() does, then checks
 * each side's result against its own expectation (so the test fails if either side changes) and
 * `each`, and expects `same` of the results to be equal. The difference must be listed in
 * README.md, under its bullet heading `readme`.
 */
export function differs<T>(name: string, scenario: (c: Ctx) => Promise<T>, expectations: Deliberate<T>, opts: BothOptions = {}) {
  const { readme, same } = expectations;
  sideBySide(
    name,
    scenario,
    opts,
    (label, result, first) => {
      const own = label === 'wirehttp/node' ? expectations.wirehttp : expectations.node;
      try {
        expectations.each?.(result);
        own(result);
      } catch (e) {
        if (e instanceof Error) e.message = `${label} (deliberate difference "${readme}"): ${e.message}`;
        throw e;
      }
      if (first && same) expect(same(result), `${label} must still behave as ${first.label} here`).toEqual(same(first.result));
    },
    () => expect(deliberateDifferences(), `README.md lists "${readme}" under "${DELIBERATE_HEADING}"`).toContain(readme),
  );
}

// ---------------------------------------------------------------------------------------------
// Raw sockets.

export const bytes = (s: string) => Buffer.from(s, 'latin1');
export const latin1 = (b: Buffer) => b.toString('latin1');

const DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Replaces well-formed Date header values with <date> (a malformed one stays visible). */
export function maskDate(s: string): string {
  return s.replace(/(^|\r\n|\n)(date: )([^\r\n]*)/gi, (all, pre, name, value) =>
    DATE.test(value) ? `${pre}${name}<date>` : all,
  );
}

export class RawConn {
  readonly chunks: Buffer[] = [];
  received = Buffer.alloc(0);
  ended = false; // 'end' seen (the peer's FIN)
  closed = false;
  error: string | undefined;
  readonly connected: Promise<void>;
  readonly whenClosed: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor(readonly sock: net.Socket) {
    this.connected = new Promise((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    this.whenClosed = new Promise((resolve) => sock.once('close', () => resolve()));
    sock.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.received = Buffer.concat([this.received, d]);
      this.wake();
    });
    sock.on('end', () => {
      this.ended = true;
      this.wake();
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      this.error = e.code ?? e.message;
      this.wake();
    });
    sock.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `cond` holds (checked on every socket event); rejects if the socket closes first. */
  async until(cond: () => boolean, what = 'condition'): Promise<void> {
    while (!cond()) {
      if (this.closed) {
        const t = this.text;
        const shown = t.length > 400 ? `${JSON.stringify(t.slice(0, 400))}… (${t.length} bytes)` : JSON.stringify(t);
        throw new Error(`socket closed before ${what}; received ${shown}`);
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  get text() {
    return latin1(this.received);
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.sock.write(typeof data === 'string' ? bytes(data) : data, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Writes one byte at a time, letting the event loop turn between bytes. */
  async trickle(data: string | Buffer, every = 1) {
    const b = typeof data === 'string' ? bytes(data) : data;
    for (let i = 0; i < b.length; i += every) {
      if (this.sock.destroyed) return;
      await this.write(b.subarray(i, i + every));
      await new Promise((r) => setImmediate(r));
    }
  }

  end() {
    this.sock.end();
  }

  /** Waits until the server closes (FIN or reset); the socket is then destroyed. */
  async closedByServer(): Promise<void> {
    await new Promise<void>((r) => {
      const check = () => (this.ended || this.closed ? r() : this.waiters.push(check));
      check();
    });
    this.sock.destroy();
    await this.whenClosed;
  }

  /** Reads `n` complete responses from the byte stream (see readResponses). */
  async responses(n: number, heads: string[] = []): Promise<ParsedResponse[]> {
    let parsed: ParsedResponse[] = [];
    await this.until(() => {
      parsed = parseResponses(this.text, heads, this.ended || this.closed);
      return parsed.filter((r) => r.status >= 200 || r.status === 101).length >= n;
    }, `${n} response(s)`);
    return parsed;
  }
}

/** Connects, writes `input` (string or chunks), optionally half-closes, reads until the server closes. */
export async function exchange(
  c: Ctx,
  port: number,
  input: string | Buffer | (string | Buffer)[],
  opts: { end?: boolean } = {},
): Promise<{ data: string; closed: boolean }> {
  const conn = await c.connect(port);
  for (const part of Array.isArray(input) ? input : [input]) await conn.write(part);
  if (opts.end) conn.end();
  await conn.closedByServer();
  return { data: maskDate(conn.text), closed: true };
}

// ---------------------------------------------------------------------------------------------
// A small HTTP/1.1 response splitter for pipelined responses on a raw connection.

export interface ParsedResponse {
  raw: string; // masked Date
  status: number;
  head: string;
  body: string;
}

/**
 * Splits a byte stream into responses. `heads` lists the request methods in order (so responses
 * to HEAD carry no body). 1xx responses count as responses of their own. An incomplete last
 * response is left out, unless `eof` and it is close-delimited.
 */
export function parseResponses(text: string, heads: string[] = [], eof = false): ParsedResponse[] {
  const out: ParsedResponse[] = [];
  let at = 0;
  let finals = 0;
  while (at < text.length) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const head = text.slice(at, end + 4);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? NaN);
    const fields = head.split('\r\n').slice(1);
    const field = (n: string) =>
      fields.filter((f) => f.toLowerCase().startsWith(`${n}:`)).map((f) => f.slice(n.length + 1).trim());
    let bodyEnd: number;
    const bodyStart = end + 4;
    const noBody = status < 200 || status === 204 || status === 304 || heads[finals] === 'HEAD';
    if (noBody) bodyEnd = bodyStart;
    else if (field('transfer-encoding').some((v) => /chunked/i.test(v))) {
      let p = bodyStart;
      let done = false;
      for (;;) {
        const le = text.indexOf('\r\n', p);
        if (le < 0) break;
        const size = parseInt(text.slice(p, le), 16);
        if (size === 0) {
          if (text.length < le + 4) break;
          if (text.slice(le + 2, le + 4) === '\r\n') p = le + 4;
          else {
            const te = text.indexOf('\r\n\r\n', le + 2);
            if (te < 0) break;
            p = te + 4;
          }
          done = true;
          break;
        }
        if (text.length < le + 2 + size + 2) break;
        p = le + 2 + size + 2;
      }
      if (!done) break;
      bodyEnd = p;
    } else if (field('content-length').length) {
      bodyEnd = bodyStart + Number(field('content-length')[0]);
      if (text.length < bodyEnd) break;
    } else {
      if (!eof) break;
      bodyEnd = text.length;
    }
    out.push({ raw: maskDate(text.slice(at, bodyEnd)), status, head: maskDate(head), body: text.slice(bodyStart, bodyEnd) });
    if (status >= 200 || status === 101) finals++;
    at = bodyEnd;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Real clients.

export interface ClientResult {
  status: number;
  statusMessage?: string;
  httpVersion?: string;
  rawHeaders: string[];
  body: string;
  trailers?: Record<string, unknown>;
}

const maskRaw = (raw: string[]) => raw.map((v, i) => (i % 2 === 1 && raw[i - 1].toLowerCase() === 'date' && DATE.test(v) ? '<date>' : v));

/** node:http's client (always Node's own client), no agent. */
export function nodeRequest(
  port: number,
  opts: nodeHttp.RequestOptions & { body?: string | Buffer } = {},
): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const { body, ...rest } = opts;
    const req = nodeHttp.request({ host: '127.0.0.1', port, agent: false, ...rest }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          statusMessage: res.statusMessage,
          httpVersion: res.httpVersion,
          rawHeaders: maskRaw(res.rawHeaders),
          body: latin1(Buffer.concat(chunks)),
          trailers: res.trailers,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function run(cmd: string, args: string[], opts: { cwd?: string; timeout?: number } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd ?? ROOT, timeout: opts.timeout ?? 20_000, encoding: 'latin1', maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? ((err as unknown as { code?: unknown }).code as number | null) : 0;
        resolve({ code: typeof code === 'number' ? code : err ? -1 : 0, stdout, stderr });
      },
    );
  });
}

/** The error fields a test compares. */
export function errFields(e: unknown) {
  const err = e as NodeJS.ErrnoException & Record<string, unknown>;
  return { name: err?.name, code: err?.code, message: err?.message, ctor: err?.constructor?.name };
}

/** Resolves after `ms` — used only to let something *not* happen, never to assert a duration. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves on the next emission of `event`. */
export const once = <T = unknown>(emitter: NodeJS.EventEmitter, event: string) =>
  new Promise<T>((r) => emitter.once(event, (...args: unknown[]) => r(args[0] as T)));

// ---------------------------------------------------------------------------------------------
// The client under test: the side's request() against a server both sides share.

/** What became of one client request: its events in order, the response and the error. */
export interface ClientLog {
  log: string[];
  status?: number;
  statusMessage?: string;
  httpVersion?: string;
  rawHeaders?: string[];
  headers?: Record<string, unknown>;
  trailers?: Record<string, unknown>;
  body: string;
  reusedSocket?: boolean;
}

/** Error fields with the port masked (ECONNREFUSED 127.0.0.1:PORT). */
export function clientErr(e: unknown) {
  const err = e as NodeJS.ErrnoException & Record<string, unknown>;
  const mask = (v: unknown) => (typeof v === 'string' ? v.replace(/:\d{2,5}\b/g, ':PORT') : v);
  return { code: err?.code, message: mask(err?.message), ctor: err?.constructor?.name, bytesParsed: err?.bytesParsed, rawPacket: Buffer.isBuffer(err?.rawPacket) ? latin1(err.rawPacket as Buffer) : err?.rawPacket };
}

/**
 * Logs what a user observes of `req` and its response: socket, information (1xx), continue,
 * response, finish, timeout, abort, upgrade/connect, error and close; the response's end,
 * aborted, error and close. Body bytes are joined (chunking is the network's, not the client's).
 */
export function logClient(c: Ctx, req: nodeHttp.ClientRequest, result: ClientLog, opts: { pauseBody?: boolean } = {}) {
  const ev = (...parts: unknown[]) => {
    c.ev(...parts);
    result.log = c.log;
  };
  req.on('socket', () => ev('socket'));
  req.on('information', (info: nodeHttp.InformationEvent) => ev('information', info.statusCode, info.statusMessage, info.rawHeaders));
  req.on('continue', () => ev('continue'));
  req.on('finish', () => ev('finish'));
  req.on('timeout', () => ev('timeout'));
  req.on('abort', () => ev('abort'));
  req.on('error', (e) => ev('error', clientErr(e)));
  req.on('close', () => ev('close', req.destroyed));
  req.on('response', (res: nodeHttp.IncomingMessage) => {
    ev('response', res.statusCode);
    result.status = res.statusCode;
    result.statusMessage = res.statusMessage;
    result.httpVersion = res.httpVersion;
    result.rawHeaders = maskRaw(res.rawHeaders);
    result.headers = { ...res.headers, ...(res.headers.date ? { date: '<date>' } : {}) };
    result.reusedSocket = req.reusedSocket;
    if (!opts.pauseBody) res.on('data', (d: Buffer) => (result.body += latin1(d)));
    res.on('end', () => {
      result.trailers = res.trailers;
      ev('res end', res.complete);
    });
    res.on('aborted', () => ev('res aborted'));
    res.on('error', (e) => ev('res error', clientErr(e)));
    res.on('close', () => ev('res close', res.complete));
  });
}

/**
 * One request through the side's client (`c.http.request`), logged with logClient; resolves when
 * the request has closed and its response (if any) too. `agent` defaults to a fresh keep-alive
 * Agent of the side, destroyed at the end.
 */
export async function clientRequest(
  c: Ctx,
  port: number,
  options: nodeHttp.RequestOptions & { body?: string | Buffer | (string | Buffer)[] } = {},
  opts: { settle?: number; pauseBody?: boolean } = {},
): Promise<ClientLog> {
  const { body, ...rest } = options;
  // No `agent` key: a fresh keep-alive Agent of the side; `agent: undefined` is the globalAgent.
  let agent = rest.agent;
  if (!('agent' in rest)) {
    agent = new c.http.Agent({ keepAlive: true });
    const own = agent;
    c.defer(() => own.destroy());
  }
  const result: ClientLog = { log: c.log, body: '' };
  const req = c.http.request({ host: '127.0.0.1', port, ...rest, agent });
  logClient(c, req, result, opts);
  let responded = false;
  let resClosed = false;
  req.on('response', (res) => {
    responded = true;
    res.on('close', () => (resClosed = true));
  });
  let closed = false;
  req.on('close', () => (closed = true));
  if (Array.isArray(body)) {
    for (const part of body) req.write(part);
    req.end();
  } else {
    req.end(body);
  }
  await c.waitFor(() => closed && (!responded || resClosed), 5000, opts.settle ?? 20);
  return result;
}

/** An Agent's pool as a user sees it: counts per origin (port masked), and the total. */
export function poolOf(agent: nodeHttp.Agent) {
  const count = (set: NodeJS.ReadOnlyDict<unknown[]>) =>
    Object.fromEntries(Object.entries(set).map(([name, list]) => [name.replace(/:\d+:/, ':PORT:'), list!.length]));
  return {
    sockets: count(agent.sockets),
    freeSockets: count(agent.freeSockets),
    requests: count(agent.requests),
    total: (agent as nodeHttp.Agent & { totalSocketCount: number }).totalSocketCount,
  };
}

/** A server that echoes what it got: method, url, headers (raw) and body. */
export function echoServer(c: Ctx, impl: typeof nodeHttp, extra?: (req: nodeHttp.IncomingMessage, res: nodeHttp.ServerResponse) => boolean) {
  const server = c.serverOf(impl, null, (req, res) => {
    if (extra?.(req, res)) return;
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const rawHeaders = req.rawHeaders.map((v, i) => (i % 2 === 1 && /^host$/i.test(req.rawHeaders[i - 1]) ? v.replace(/:\d+$/, ':PORT') : v));
      const text = JSON.stringify({ method: req.method, url: req.url, rawHeaders, body });
      res.setHeader('Content-Type', 'application/json');
      res.end(text);
    });
  });
  return c.listen(server);
}

/**
 * A raw server answering each request head it reads with `answer` (chunks written in separate
 * writes, the event loop turning between them); `close` ends the connection after it.
 */
/** Answers each request head with `answer`'s parts, one write each, a tick apart or `pause` ms apart. */
export async function cannedServer(c: Ctx, answer: string | Buffer | (string | Buffer)[], opts: { close?: boolean; destroy?: boolean; pause?: number } = {}) {
  return c.rawServer((socket) => {
    let seen = '';
    socket.on('data', async (d: Buffer) => {
      seen += latin1(d);
      while (seen.includes('\r\n\r\n')) {
        seen = seen.slice(seen.indexOf('\r\n\r\n') + 4);
        for (const part of Array.isArray(answer) ? answer : [answer]) {
          if (socket.destroyed) return;
          socket.write(part);
          await (opts.pause ? sleep(opts.pause) : new Promise((r) => setImmediate(r)));
        }
        if (opts.destroy) socket.destroy();
        else if (opts.close) socket.end();
      }
    });
    socket.on('end', () => socket.end());
  });
}

export type Answer = string | Buffer | (string | Buffer)[];
export interface RawCase {
  name: string;
  answer: Answer;
  request?: nodeHttp.RequestOptions & { body?: string };
  close?: boolean;
  destroy?: boolean;
  /** Milliseconds between the answer's parts (a peer that sends slowly); default a tick. */
  pause?: number;
  /** What node:http's run must show (so the case can't pass by observing nothing). */
  sanity?: (r: RawResult) => void;
  /** The response is malformed: the HPE_* code both sides report. */
  hpe?: string;
}
export type RawResult = Awaited<ReturnType<typeof clientRequest>> & { pool: ReturnType<typeof poolOf> };

/**
 * One request through each side's client to a raw server answering `answer`; the log, the
 * response and the pool after. With `hpe`, the response is malformed: both sides must report that
 * code on req (or res) with Node's message and a rawPacket, and agree on everything else.
 */
export function rawCase({ name, answer, request, close, destroy, pause, sanity, hpe }: RawCase) {
  const scenario = async (c: Ctx): Promise<RawResult> => {
    const port = await cannedServer(c, answer, { close, destroy, pause });
    const agent = new c.http.Agent({ keepAlive: true });
    c.defer(() => agent.destroy());
    const r = await clientRequest(c, port, { ...request, agent });
    return { ...r, pool: poolOf(agent) };
  };
  if (!hpe) return both(name, scenario, sanity);
  const errorLine = /^((?:res )?error) (\{.*\})$/;
  const reported = (r: RawResult) => {
    const line = r.log.find((l) => errorLine.test(l));
    expect(line, 'an error event').toBeDefined();
    const error = JSON.parse(errorLine.exec(line!)![2]);
    expect(error.code).toBe(hpe);
    expect(error.message).toMatch(/^Parse Error: ./);
    expect(typeof error.bytesParsed).toBe('number');
    expect(typeof error.rawPacket).toBe('string');
    sanity?.(r);
  };
  // Code and message (llhttp's reason) must match Node's. rawPacket and bytesParsed are not
  // compared: wirehttp reports an error in a head that trickles in when the line holding it ends,
  // llhttp at the offending byte, so the read that carries the error can be a later one.
  const comparable = (r: RawResult) => ({ ...r, log: r.log.map((l) => l.replace(errorLine, (_, event, json) => { const e = JSON.parse(json); return `${event} ${e.code} ${e.message}`; })) });
  sideBySide(name, scenario, {}, (label, result, first) => {
    reported(result);
    if (first) expect(comparable(result), `${label} must behave as ${first.label}`).toEqual(comparable(first.result));
  });
}
