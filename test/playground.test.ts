// The playground `npm start` serves, in Debian's Chromium (playwright-core) and Firefox ESR
// (puppeteer-core): it loads with no console error and nothing off loopback, and for every example
// shows what Node's own parse of the same bytes gives (messages, start lines, fields, bodies,
// trailers, or the error code with the offending byte marked); it re-parses as input and flags
// change. A screenshot taken in the run must not be blank (test-results/playground-*.png).
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visible } from '../bindings/cli/parse.js';
import { COLOURS_IN, PROBE, expectedViews, startDemoServer, type DemoServer, type ExampleView } from './support/playground.js';
import { BROWSER_BINARIES, type BrowserName } from './support/runtimes/index.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT_DIR = new URL('../test-results/', import.meta.url).pathname;
const VIEWPORT = { width: 1280, height: 900 };

/** What both drivers' pages offer that the test uses. */
interface PlaygroundPage {
  evaluate(expression: string): Promise<unknown>;
  screenshot(): Promise<Uint8Array>;
  close(): Promise<void>;
  problems: string[];
  requested: string[];
}

async function openPage(name: BrowserName, url: string): Promise<PlaygroundPage> {
  const problems: string[] = [];
  const requested: string[] = [];
  const watch = (page: { on(event: string, listener: (value: any) => void): unknown }) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    page.on('pageerror', (error: Error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (msg: { type(): string; text(): string }) => void (msg.type() === 'error' && problems.push(`console.error: ${msg.text()}`)));
    page.on('request', (request: { url(): string }) => void (request.url().startsWith('data:') || requested.push(request.url())));
  };
  if (name === 'chromium') {
    const browser = await chromium.launch({ executablePath: BROWSER_BINARIES.chromium, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: VIEWPORT });
    watch(page);
    expect((await page.goto(url))?.status()).toBe(200);
    return { evaluate: (e) => page.evaluate(e), screenshot: () => page.screenshot({ fullPage: true }), close: () => browser.close(), problems, requested };
  }
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: BROWSER_BINARIES.firefox, headless: true });
  const page = await browser.newPage();
  await page.setViewport(VIEWPORT);
  watch(page as never);
  expect((await page.goto(url))?.status()).toBe(200);
  return { evaluate: (e) => page.evaluate(e), screenshot: () => page.screenshot({ fullPage: true }), close: () => browser.close(), problems, requested };
}

/** In the page: sets a control as a user would (value, then the event the page listens to), and reads back. */
const SET = (selector: string, property: 'value' | 'checked', value: string | boolean, event: string, read: string) => `(async () => {
  const control = document.querySelector(${JSON.stringify(selector)});
  control.${property} = ${JSON.stringify(value)};
  control.dispatchEvent(new Event(${JSON.stringify(event)}));
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const shown = document.querySelector(${JSON.stringify(read)});
  return shown ? shown.textContent : null;
})()`;

let server: DemoServer;

beforeAll(async () => {
  server = await startDemoServer();
});

afterAll(async () => {
  await server?.stop();
});

/** The page's view of every example against Node's parse of the same bytes. */
function checkExamples(views: ExampleView[]): void {
  const expected = expectedViews();
  expect(views.map((v) => v.name)).toEqual(expected.map((e) => e.example.name));
  views.forEach((view, i) => {
    const { example, report, bytes } = expected[i];
    const label = example.name;
    expect(report.messages.length, label).toBe(example.expect.messages);
    expect(report.error?.code, label).toBe(example.expect.error);
    expect(view.cards, label).toBe(report.messages.length);
    expect(view.startLines, label).toEqual(report.messages.map((m) => m.startLine));
    expect(view.rawFieldRows, label).toEqual(report.messages.map((m) => m.rawHeaders.length / 2));
    expect(view.summaryClass, label).toBe(report.error ? 'bad' : 'ok');
    if (report.error) {
      expect(view.errorCode, label).toBe(report.error.code);
      expect(view.errorText, label).toContain(`${report.error.reason} — byte ${report.error.offset}`);
      const at = report.error.offset;
      expect(view.marked, label).toBe(at < bytes.length ? visible(bytes[at]).replace('\\n', '\\n\n') : '⟨end of input⟩');
    } else {
      expect(view.errorCode, label).toBeNull();
      expect(view.marked, label).toBeNull();
    }
  });
  const byName = (name: string) => views.find((v) => v.name === name)!;
  expect(byName('GET from a browser').joinedCookie).toBe('session=abc123; theme=dark');
  expect(byName('Chunked upload with trailers').bodies).toEqual(['hello, world']);
  expect(byName('Chunked upload with trailers').trailers).toEqual([['X-Checksum: sha256=abc123']]);
  expect(byName('Pipelined requests').startLines).toEqual(['GET /one HTTP/1.1', 'GET /two HTTP/1.1', 'DELETE /three HTTP/1.1']);
  expect(byName('Response to HEAD').bodies).toEqual([]);
  // Where llhttp stops on a CL.TE conflict: right after the colon of the second framing field.
  expect(byName('Smuggling: Content-Length and Transfer-Encoding (CL.TE)').marked).toBe(' ');
}

for (const name of ['chromium', 'firefox'] as const) {
  describe(`the playground in ${name}`, () => {
    let page: PlaygroundPage;
    beforeAll(async () => {
      page = await openPage(name, `${server.origin}/`);
    }, 120_000);
    afterAll(async () => {
      await page?.close();
    });

    it('shows, for every example, what Node parses', async () => {
      checkExamples((await page.evaluate(PROBE)) as ExampleView[]);
    });

    it('re-parses as the input and flags change', async () => {
      const lenientExample = String(expectedViews().findIndex((e) => e.example.name === 'Bare LF line ends, lenient'));
      expect(await page.evaluate(SET('#example', 'value', lenientExample, 'change', '#summary'))).toMatch(/^1 message in/);
      // A bare LF right after the version, strict again.
      expect(await page.evaluate(SET('input[value="optionalCrBeforeLf"]', 'checked', false, 'change', '.error h3'))).toBe('HPE_INVALID_VERSION');
      expect(await page.evaluate(SET('#input', 'value', 'GET / HTTP/1.1\r\nHost: typed.example\r\n\r\n', 'input', '.message .start-line'))).toBe('GET / HTTP/1.1');
      expect(await page.evaluate(SET('#input', 'value', 'G\u00ebT \u2603', 'input', '#summary'))).toMatch(/^Input: not a byte/);
    });

    it('renders a screenshot that is not blank', async () => {
      const smuggling = String(expectedViews().findIndex((e) => e.example.name.startsWith('Smuggling: Content-Length and')));
      await page.evaluate(SET('#example', 'value', smuggling, 'change', '#summary'));
      const png = Buffer.from(await page.screenshot());
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      writeFileSync(`${SCREENSHOT_DIR}playground-${name}.png`, png);
      const { colours, width } = (await page.evaluate(`${COLOURS_IN}('data:image/png;base64,${png.toString('base64')}')`)) as { colours: number; width: number };
      expect(width).toBe(VIEWPORT.width);
      expect(colours).toBeGreaterThan(20);
    });

    it('loaded with no page error, from loopback only', () => {
      expect(page.problems).toEqual([]);
      expect(page.requested.length).toBeGreaterThan(0);
      for (const url of page.requested) expect(url.startsWith(`${server.origin}/`), url).toBe(true);
    });
  });
}
