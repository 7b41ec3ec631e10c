// Browsers: Debian's Chromium (driven by playwright-core) and Debian's Firefox ESR (driven by
// puppeteer-core over WebDriver BiDi; playwright-core can only drive its own patched Firefox).
// A session serves the scenarios' bundles from a loopback server and runs each on the page's main
// thread or in a module Web Worker (where there is no Buffer and no DOM).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { buildScenario, resultOf, type Outcome } from './package.js';

export type BrowserName = 'chromium' | 'firefox';

export const BROWSER_BINARIES: Record<BrowserName, string> = { chromium: '/usr/bin/chromium', firefox: '/usr/bin/firefox-esr' };

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];

const HTML = '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>wirehttp</title></head><body><p>wirehttp</p></body></html>';

// Page-side code as source text: a function passed to evaluate() would carry the test runner's
// transforms (vitest rewrites import()).
/** An expression for the page: imports a built scenario and gives its outcome as JSON text. */
const IN_PAGE = (path: string) => `import(${JSON.stringify(path)}).then(async (m) => JSON.stringify(await m.outcome()))`;

/** An expression for the page: a module Worker imports the scenario and posts its outcome back. */
const IN_WORKER = (path: string) => `new Promise((resolve, reject) => {
  const worker = new Worker(${JSON.stringify(path)}, { type: 'module' });
  worker.onmessage = (event) => { worker.terminate(); resolve(event.data); };
  worker.onerror = (event) => {
    worker.terminate();
    reject(new Error('worker failed: ' + (event.message || 'error event (a module failed to load?)')));
  };
})`;

const WORKER_SOURCE = (entry: string) => `import { outcome } from ${JSON.stringify(entry)};
const out = await outcome();
const inWorker = typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope;
postMessage(JSON.stringify(inWorker ? out : { ok: false, error: 'not in a WorkerGlobalScope' }));
`;

/** The part of a Playwright or Puppeteer page this harness uses. */
interface DrivenPage {
  goto(url: string): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
  on(event: string, listener: (value: any) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface BrowserSession {
  name: BrowserName;
  /** The browser's own version string. */
  version: string;
  /** http://127.0.0.1:port of the session's server. */
  origin: string;
  /** Every URL the page or its workers requested (data: URLs aside). */
  requested: string[];
  /** Page errors and console.error lines seen so far. */
  problems: string[];
  runInPage(scenario: string, input?: unknown): Promise<unknown>;
  runInWorker(scenario: string, input?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** Launches a headless browser with a page open on a loopback server. Close it when done. */
export async function openBrowser(name: BrowserName): Promise<BrowserSession> {
  const routes = new Map<string, string>([['/', HTML]]);
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = routes.get(path);
    if (body === undefined) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const type = path === '/' ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));

  let page: DrivenPage;
  let version: string;
  let closeBrowser: () => Promise<void>;
  try {
    if (name === 'chromium') {
      const browser = await chromium.launch({ executablePath: BROWSER_BINARIES.chromium, headless: true, args: CHROMIUM_ARGS });
      closeBrowser = () => browser.close();
      version = `Chromium ${browser.version()}`;
      page = (await browser.newPage()) as unknown as DrivenPage;
    } else {
      const browser = await puppeteer.launch({ browser: 'firefox', executablePath: BROWSER_BINARIES.firefox, headless: true });
      closeBrowser = () => browser.close();
      version = await browser.version();
      page = (await browser.newPage()) as unknown as DrivenPage;
    }
  } catch (error) {
    await closeServer();
    throw error;
  }

  const requested: string[] = [];
  const problems: string[] = [];
  page.on('pageerror', (error: Error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (msg: { type(): string; text(): string }) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('request', (request: { url(): string }) => {
    if (!request.url().startsWith('data:')) requested.push(request.url()); // the page's inline icon: no network
  });
  await page.goto(`${origin}/`);

  let runs = 0;
  async function serve(scenario: string, input: unknown): Promise<string> {
    const built = await buildScenario(scenario, input, 'browser');
    const base = `/run-${++runs}`;
    routes.set(`${base}/entry.js`, readFileSync(built.entry, 'utf8'));
    routes.set(`${base}/worker.js`, WORKER_SOURCE(`${base}/entry.js`));
    return base;
  }

  return {
    name,
    version,
    origin,
    requested,
    problems,
    async runInPage(scenario, input) {
      const base = await serve(scenario, input);
      const text = (await page.evaluate(IN_PAGE(`${base}/entry.js`))) as string;
      return resultOf(JSON.parse(text) as Outcome, `${name} (page)`);
    },
    async runInWorker(scenario, input) {
      const base = await serve(scenario, input);
      const text = (await page.evaluate(IN_WORKER(`${base}/worker.js`))) as string;
      return resultOf(JSON.parse(text) as Outcome, `${name} (module Worker)`);
    },
    async close() {
      await closeBrowser();
      await closeServer();
    },
  };
}
