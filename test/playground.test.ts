// The playground `npm start` serves, in Debian's Chromium (playwright-core): it loads with no
// console error and nothing off loopback, and for every example shows what Node's own parse of
// the same bytes gives (messages, start lines, fields, bodies, trailers, or the error code with
// the offending byte marked). A screenshot taken in the run must not be blank.
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visible } from '../bindings/cli/parse.js';
import { COLOURS_IN, PROBE, expectedViews, startDemoServer, type DemoServer, type ExampleView } from './support/playground.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SCREENSHOT_DIR = new URL('../test-results/', import.meta.url).pathname;

let server: DemoServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const requested: string[] = [];

beforeAll(async () => {
  server = await startDemoServer();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console.error: ${msg.text()}`));
  page.on('request', (request) => void requested.push(request.url()));
  expect((await page.goto(`${server.origin}/`))?.status()).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The checks shared with the Firefox run: the page's view of every example against Node's parse. */
export function checkExamples(views: ExampleView[]): void {
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
  expect(byName('Smuggling: Content-Length and Transfer-Encoding (CL.TE)').marked).toBe('c');
}

describe('the playground in Chromium', () => {
  it('shows, for every example, what Node parses', async () => {
    const views = (await page.evaluate(PROBE)) as ExampleView[];
    checkExamples(views);
  });

  it('re-parses as the input and flags change', async () => {
    await page.selectOption('#example', { label: 'Bare LF line ends, lenient' });
    expect(await page.textContent('#summary')).toMatch(/^1 message in/);
    await page.uncheck('input[value="optionalCrBeforeLf"]');
    expect(await page.textContent('.error h3')).toBe('HPE_INVALID_VERSION'); // a bare LF right after the version
    await page.fill('#input', 'GET / HTTP/1.1\nHost: typed.example\n\n');
    expect(await page.textContent('.message .start-line')).toBe('GET / HTTP/1.1');
    await page.fill('#input', 'G\u00ebT \u2603');
    expect(await page.textContent('#summary')).toMatch(/^Input: not a byte/);
  });

  it('renders a screenshot that is not blank', async () => {
    await page.selectOption('#example', { label: 'Smuggling: Content-Length and Transfer-Encoding (CL.TE)' });
    const png = await page.screenshot({ fullPage: true });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(`${SCREENSHOT_DIR}playground-chromium.png`, png);
    const { colours, width } = (await page.evaluate(`${COLOURS_IN}('data:image/png;base64,${png.toString('base64')}')`)) as { colours: number; width: number };
    expect(width).toBe(1280);
    expect(colours).toBeGreaterThan(20);
  });

  it('loaded with no page error, from loopback only', () => {
    expect(problems).toEqual([]);
    for (const url of requested) expect(url.startsWith(`${server.origin}/`), url).toBe(true);
  });
});
