// wirehttp's HTTPParser beside http-parser-js and Node's own binding on every fixture, in the
// positional calling form (Node ≥ 0.12's: reading kOnExecute switches to it, process-wide, so
// the object form and the 0.11 accessor mode are in http-parser-js-api.test.ts).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { HTTPParser } from '../bindings/core/index.node.js';
import { nodeParser } from '../bindings/cli/fuzz/llhttp.js';
import { randomCuts, rng } from '../bindings/cli/fuzz/random.js';
import { loadFixtures } from './support/fixtures.js';
import { callbackLog, explainDifference, sansRejectedMessage, sansShapes, type Entry, type ParserClass } from './support/http-parser-js-log.js';

const require = createRequire(import.meta.url);
const httpParserJs = require('http-parser-js').HTTPParser as ParserClass & { kOnExecute: number };
const ours = HTTPParser as unknown as ParserClass;
expect(HTTPParser.kOnExecute).toBe(99);
expect(httpParserJs.kOnExecute).toBe(99);

const fixtures = loadFixtures();
const log = (P: ParserClass, f: (typeof fixtures)[number], cuts: number[] = []) =>
  callbackLog(P, f.type, Buffer.from(f.raw), { ...f.options, viaInitialize: P !== httpParserJs }, cuts);

/** The log as the fixture's event lines (offsets aside): the drop-in reports what the core parser does. */
function eventLines(entries: Entry[], type: 'request' | 'response'): string[] {
  const q = JSON.stringify;
  const out: string[] = [];
  for (const [kind, ...a] of entries) {
    if (kind === 'onHeadersComplete') {
      const [major, minor, headers, method, url, status, message, upgrade, keepAlive] = a as [number, number, string[], number, string, number, string, boolean, boolean];
      out.push(type === 'request' ? `request ${HTTPParser.methods[method]} ${q(url)} HTTP/${major}.${minor}` : `response ${status} ${q(message)} HTTP/${major}.${minor}`);
      out.push(`keep-alive=${keepAlive} upgrade=${upgrade}`);
      for (let i = 0; i < headers.length; i += 2) out.push(`header ${q(headers[i])}: ${q(headers[i + 1])}`);
    } else if (kind === 'body') out.push(`body ${q(a[0])}`);
    else if (kind === 'onHeaders') for (let i = 0; i < (a[0] as string[]).length; i += 2) out.push(`trailer ${q((a[0] as string[])[i])}: ${q((a[0] as string[])[i + 1])}`);
    else if (kind === 'onMessageComplete') out.push('complete');
    else if ((kind === 'execute' || kind === 'finish') && a[0] && typeof a[0] === 'object') out.push(`error ${(a[0] as { code: string }).code}`);
  }
  return out;
}

/** The log without execute()'s byte counts, body pieces joined: what does not depend on where the input was cut. */
function joined(entries: Entry[]): Entry[] {
  const out: Entry[] = [];
  for (const entry of entries) {
    if (entry[0] === 'execute' && typeof entry[1] === 'number') continue;
    const last = out[out.length - 1];
    if (entry[0] === 'body' && last?.[0] === 'body') last[1] = (last[1] as string) + (entry[1] as string);
    else if (last?.[0] === 'body' && out[out.length - 2]?.[0] === entry[0] && String(entry[0]).startsWith('body(')) continue;
    else out.push([...entry]);
  }
  return out;
}

describe('every fixture, positional form', () => {
  const seen = new Map<string, number>();
  for (const f of fixtures) {
    describe(`${f.file}: ${f.name}`, () => {
      it('reports what the core parser reports', () => {
        const ourLog = log(ours, f);
        const lines = eventLines(ourLog, f.type);
        const expected = f.expected.map((l) => l.replace(/ @\d+$/, '')).filter((l) => l !== 'upgraded');
        expect(lines).toEqual(expected);
        const last = ourLog[ourLog.length - 1];
        if (f.expected.some((l) => l.startsWith('upgraded'))) expect(last[0]).toBe('execute');
      });

      it('matches Node’s binding callback for callback, arguments included', () => {
        if (f.llhttp !== 'same') return; // the core's README-listed differences from llhttp
        expect(sansShapes(sansRejectedMessage(log(ours, f)))).toBe(sansShapes(sansRejectedMessage(log(nodeParser() as unknown as ParserClass, f))));
      });

      it('matches http-parser-js, or differs only as the README lists', () => {
        const why = explainDifference(log(ours, f), log(httpParserJs, f), log(nodeParser() as unknown as ParserClass, f), f.llhttp !== 'same');
        if (why === undefined) expect({ ours: log(ours, f), httpParserJs: log(httpParserJs, f) }).toBe('explained by the README');
        seen.set(why!, (seen.get(why!) ?? 0) + 1);
      });

      it('logs the same callbacks however the input is cut', () => {
        const whole = JSON.stringify(joined(log(ours, f)));
        const random = rng(f.raw.length + 7);
        for (let i = 0; i < 8; i++) {
          const split = joined(log(ours, f, randomCuts(random, f.raw.length)));
          // An error's bytesParsed is relative to the chunk that failed.
          const norm = (s: string) => s.replace(/"bytesParsed":\d+/, '');
          expect(norm(JSON.stringify(split))).toBe(norm(whole));
        }
      });
    });
  }

  it('agrees with http-parser-js on every valid fixture it parses correctly', () => {
    expect(seen.get('same')).toBeGreaterThan(45);
  });
});
