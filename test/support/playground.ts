// Shared by the playground's browser tests: the demo server `npm start` runs (started here as a
// child process on a free port), a probe that drives the page from inside (the same source for
// playwright's Chromium and puppeteer's Firefox), and what Node's own parse gives for each example.
import { spawn, type ChildProcess } from 'node:child_process';
import { parseAll } from '../../bindings/cli/parse.js';
import { httpTextBytes } from '../../bindings/cli/http-text.js';
import { EXAMPLES } from '../../examples/playground/examples.js';

export interface DemoServer {
  origin: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** examples/server.mjs on 127.0.0.1, port 0; resolves with the origin it prints. */
export function startDemoServer(): Promise<DemoServer> {
  const child = spawn(process.execPath, [new URL('../../examples/server.mjs', import.meta.url).pathname], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`examples/server.mjs exited (${code}): ${out}`)));
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/[\d.]+:\d+)\//.exec(out);
      if (match) {
        child.removeAllListeners('exit');
        resolve({
          origin: match[1],
          child,
          stop: () => new Promise((done) => (child.exitCode !== null ? done() : (child.once('exit', () => done()), child.kill('SIGTERM')))),
        });
      }
    });
  });
}

export interface ExampleView {
  name: string;
  summary: string;
  summaryClass: string;
  cards: number;
  startLines: string[];
  rawFieldRows: number[];
  joinedCookie: string | null;
  bodies: string[];
  trailers: string[][];
  errorCode: string | null;
  errorText: string | null;
  marked: string | null;
}

/** Runs in the page: picks each example in turn and reads back what the page shows. */
export const PROBE = `(async () => {
  const select = document.getElementById('example');
  const out = [];
  for (let i = 0; i < select.options.length; i++) {
    select.value = String(i);
    select.dispatchEvent(new Event('change'));
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    const texts = (selector) => Array.from(document.querySelectorAll(selector), (node) => node.textContent);
    const summary = document.getElementById('summary');
    const cookieRow = Array.from(document.querySelectorAll('.message table tr')).find((row) => row.cells[0] && row.cells[0].textContent === 'cookie');
    out.push({
      name: select.options[i].textContent,
      summary: summary.textContent,
      summaryClass: summary.className,
      cards: document.querySelectorAll('.message').length,
      startLines: texts('.message .start-line'),
      rawFieldRows: Array.from(document.querySelectorAll('.message'), (card) => card.querySelectorAll('table')[0].tBodies[0].rows.length),
      joinedCookie: cookieRow ? cookieRow.cells[1].textContent : null,
      bodies: texts('.message pre.body'),
      trailers: Array.from(document.querySelectorAll('.message'), (card) => {
        const heading = Array.from(card.querySelectorAll('h4')).find((h) => h.textContent === 'Trailers');
        return heading ? Array.from(heading.nextElementSibling.tBodies[0].rows, (row) => row.cells[0].textContent + ': ' + row.cells[1].textContent) : [];
      }),
      errorCode: document.querySelector('.error h3') ? document.querySelector('.error h3').textContent : null,
      errorText: document.querySelector('.error p') ? document.querySelector('.error p').textContent : null,
      marked: document.querySelector('mark.bad') ? document.querySelector('mark.bad').textContent : null,
    });
  }
  return out;
})()`;

/** Runs in the page: how many distinct colours a PNG (data URL) has, sampled on a grid. */
export const COLOURS_IN = `(async (url) => {
  const img = new Image();
  img.src = url;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  const data = context.getImageData(0, 0, img.width, img.height).data;
  const seen = new Set();
  for (let y = 0; y < img.height; y += 3) for (let x = 0; x < img.width; x += 3) {
    const i = (y * img.width + x) * 4;
    seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  }
  return { width: img.width, height: img.height, colours: seen.size };
})`;

/** What Node's parse of each example gives: the page must show the same. */
export function expectedViews() {
  return EXAMPLES.map((example) => {
    const bytes = httpTextBytes(example.text.replace(/\n$/, ''));
    const report = parseAll(bytes, example.type, { lenient: Object.fromEntries((example.lenient ?? []).map((flag) => [flag, true])), requestMethod: example.requestMethod ?? 'GET' }, true);
    return { example, report, bytes };
  });
}
