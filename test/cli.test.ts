// The `wirehttp` command, run as users run it: the built dist/cli.js in a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../bindings/core/index.js';
import { explain } from '../bindings/cli/fuzz/deliberate.js';
import { latin1, outcome } from '../bindings/cli/fuzz/events.js';
import { ALL_LENIENT, describeLenient, flagBits, lenientDrawer, lenientOption, parseLenientChoice } from '../bindings/cli/fuzz/lenient.js';
import { llhttpLog } from '../bindings/cli/fuzz/llhttp.js';
import { classify, minimize, Oracles, smuggling } from '../bindings/cli/fuzz/oracles.js';
import { rng } from '../bindings/cli/fuzz/random.js';
import { generateMessages } from '../bindings/cli/fuzz/generate.js';
import { Event, splitDifference, Tracer, type Trace } from '../bindings/cli/fuzz/trace.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/cli.js');

function wirehttp(args: string[], input?: string | Uint8Array) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, input, encoding: 'latin1', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Inside the folder the global setup removes at the end, so no run leaves files behind.
const scratch = mkdtempSync(join(process.env.WIREHTTP_TEST_TMP ?? tmpdir(), 'wirehttp-cli-'));
const file = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, Buffer.from(text, 'latin1'));
  return path;
};

describe('wirehttp parse', () => {
  const capture = file('capture.http', 'GET /hello HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello' +
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nworld\r\n0\r\nX-Sum: 1\r\n\r\n');

  it('prints every message, a request and a response, in a readable layout', () => {
    const r = wirehttp(['parse', capture]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('#1 request  GET /hello HTTP/1.1');
    expect(r.stdout).toContain('  Host: example.com');
    expect(r.stdout).toContain('  body: 5 bytes (content-length)');
    expect(r.stdout).toContain('#2 response  HTTP/1.1 200 OK');
    expect(r.stdout).toContain('  body: 5 bytes (chunked)');
    expect(r.stdout).toContain('  trailer X-Sum: 1');
    expect(r.stdout).not.toContain('\x1b['); // no colours when piped
  });

  it('--json, from stdin', () => {
    const r = wirehttp(['parse', '--json', '-'], readFileSync(capture));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.messages.map((m: { type: string; framing: string; bodyLength: number }) => [m.type, m.framing, m.bodyLength]))
      .toEqual([['request', 'content-length', 5], ['response', 'chunked', 5]]);
    expect(report.messages[1].rawTrailers).toEqual(['X-Sum', '1']);
  });

  it('a smuggling attempt: the code, the reason and a caret under the byte; exit 1', () => {
    const r = wirehttp(['parse', file('smuggle.http', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('error HPE_INVALID_TRANSFER_ENCODING'));
    expect(lines[at]).toContain("Transfer-Encoding can't be present with Content-Length (byte 63, line 4)");
    expect(lines[at + 1]).toBe('  Transfer-Encoding: chunked\\r\\n');
    // After the colon, where llhttp (and so Node's bytesParsed) puts it.
    expect(lines[at + 2]).toBe(`  ${' '.repeat('Transfer-Encoding:'.length)}^`);
  });

  it('--lenient and --max-header-size reach the parser', () => {
    const folded = file('folded.http', 'GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n');
    expect(wirehttp(['parse', folded]).code).toBe(1);
    expect(wirehttp(['parse', '--lenient', 'headers', folded]).code).toBe(0);
    expect(wirehttp(['parse', '--max-header-size', '10', capture]).stdout).toContain('HPE_HEADER_OVERFLOW');
  });

  it('usage errors exit 2 and say so on stderr', () => {
    for (const args of [['parse', '--type', 'both', capture], ['parse', '--lenient', 'nope', capture], ['parse', '--bogus'], ['nope']]) {
      const r = wirehttp(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^wirehttp: /);
    }
  });

  it('--help for the command and every subcommand', () => {
    for (const args of [['--help'], ['parse', '--help'], ['fuzz', '--help'], ['bench', '--help']]) {
      const r = wirehttp(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/usage: wirehttp/);
    }
    expect(wirehttp(['bench', '--help']).stdout).toContain('parse');
  });
});

describe('wirehttp fuzz', () => {
  // Every oracle, strict and under the lenient flag sets (per execution none, one flag or all).
  it('a fixed-seed run of 100,000 executions over every oracle (strict) finds nothing', () => {
    const corpus = join(scratch, 'corpus');
    const findings = join(scratch, 'findings');
    const r = wirehttp(['fuzz', '--runs', '100000', '--seed', '7', '--workers', '2', '--lenient', 'none', '--corpus', corpus, '--findings', findings]);
    expect(r.stdout + r.stderr).toContain('executions: 100,000');
    for (const oracle of ['crash', 'split', 'diff', 'smuggle']) expect(r.stdout).toMatch(new RegExp(`\\| ${oracle} \\| 0 \\|`));
    expect(r.code).toBe(0);
    expect(readdirSync(findings)).toEqual([]);
    expect(readdirSync(corpus).length).toBeGreaterThan(20); // inputs with new outcomes are kept
  });

  it('a fixed-seed run of 100,000 executions over every oracle under the lenient flag sets finds nothing', () => {
    const r = wirehttp(['fuzz', '--runs', '100000', '--seed', '7', '--workers', '2']);
    expect(r.stdout).toContain(' lenient random');
    for (const oracle of ['crash', 'split', 'diff', 'smuggle']) expect(r.stdout).toMatch(new RegExp(`\\| ${oracle} \\| 0 \\|`));
    expect(r.code).toBe(0);
  });

  it('--replay runs one input through the oracles', () => {
    const r = wirehttp(['fuzz', '--replay', file('replay.http', 'GET / HTTP/1.1\r\nHost: a\r\n\r\n'), '--type', 'request']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('rejects unknown oracles, lenient flags, and a --wasm that is missing or not a wirehttp build', () => {
    expect(wirehttp(['fuzz', '--oracle', 'crash,vibes']).code).toBe(2);
    expect(wirehttp(['fuzz', '--lenient', 'headers,vibes']).stderr).toContain('unknown lenient flag "vibes"');
    expect(wirehttp(['fuzz', '--wasm', join(scratch, 'nope.wasm')]).code).toBe(2);
    // The smallest valid module: it instantiates, but exports no parser.
    const empty = join(scratch, 'empty.wasm');
    writeFileSync(empty, Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
    const r = wirehttp(['fuzz', '--wasm', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--wasm');
  });

  it('--wasm fuzzes the given parser build, --lenient picks the flag sets', () => {
    const r = wirehttp(['fuzz', '--oracle', 'crash', '--runs', '3000', '--seed', '3', '--workers', '1', '--wasm', join(ROOT, 'build/wirehttp-scalar.wasm'), '--lenient', 'headers,optionalCrBeforeLf']);
    expect(r.stdout).toMatch(/lenient headers,optionalCrBeforeLf \S+ wasm \S+wirehttp-scalar.wasm/);
    expect(r.stdout).toMatch(/\| crash \| 0 \|/);
    expect(r.code).toBe(0);
  });
});

describe('the fuzz target for Jazzer.js / OSS-Fuzz', () => {
  const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  it('wirehttp/fuzz exports fuzz(data) for ESM and CommonJS', () => {
    const esm = run(['--input-type=module', '-e', "import { fuzz } from 'wirehttp/fuzz'; fuzz(new TextEncoder().encode('GET / HTTP/1.1\\r\\n\\r\\n')); fuzz(new Uint8Array([0, 255, 13, 10])); console.log('ok')"]);
    expect(esm.stdout.trim()).toBe('ok');
    const cjs = run(['-e', "const { fuzz } = require('wirehttp/fuzz'); fuzz(Buffer.from('HTTP/1.1 200 OK\\r\\nContent-Length: 1\\r\\n\\r\\nx')); console.log('ok')"]);
    expect(cjs.stdout.trim()).toBe('ok');
  });
});

describe('lenient flag sets', () => {
  it('random draws none, each flag alone, and all; a list is one fixed set', () => {
    const draw = lenientDrawer('random', rng(9));
    const seen = new Set(Array.from({ length: 3000 }, draw));
    expect([...seen].sort((a, b) => a - b)).toEqual([0, ...Array.from({ length: 10 }, (_, i) => 1 << i), ALL_LENIENT].sort((a, b) => a - b));
    expect(lenientDrawer(parseLenientChoice('headers,version'), rng(1))()).toBe(flagBits(['headers', 'version']));
    expect(describeLenient(flagBits(['headers', 'version']))).toBe('headers,version');
    expect(() => parseLenientChoice('headers,vibes')).toThrow(/vibes/);
  });

  it("llhttp gets the same flags: a bare-LF chunked request with a trailer parses under all, fails strict", () => {
    const input = new TextEncoder().encode('POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\nBaz: ghi\n\n');
    expect(outcome(llhttpLog('request', input)).at(-1)).toMatch(/^error/);
    expect(outcome(llhttpLog('request', input, { lenient: lenientOption(ALL_LENIENT) }))).toEqual([
      'request POST "/" HTTP/1.1', 'keep-alive=true upgrade=false', 'header "Transfer-Encoding": "chunked"', 'body "abc"', 'trailer "Baz": "ghi"', 'complete',
    ]);
  });

  it('a deliberate difference explains nothing under the flags that make it go away', () => {
    const http2 = new TextEncoder().encode('GET / HTTP/2.0\r\n\r\n');
    expect(explain('request', http2, [])).toEqual(['http-version']);
    expect(explain('request', http2, [], flagBits(['version']))).toEqual([]);
    expect(explain('request', http2, [], ALL_LENIENT)).toEqual([]);
    expect(explain('request', new TextEncoder().encode('POST / HTTP/1.1\r\nTransfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n'), [])).toEqual(['te-empty-list-element']);
    // A reason phrase's own line end is no CTL.
    expect(explain('response', new TextEncoder().encode('HTTP/1.1 200 OK\r\n\r\n'), [])).toEqual([]);
  });

  it('smuggling() excuses only what a flag in force allows', () => {
    const head = (raw: string[]) => ({ rawHeaders: raw }) as never;
    const clte = head(['Content-Length', '1', 'Transfer-Encoding', 'chunked']);
    expect(smuggling(clte, flagBits(['chunkedLength']))).toBe('');
    expect(smuggling(clte, flagBits(['transferEncoding']))).toBe('cl-and-te');
    expect(smuggling(head(['Transfer-Encoding', 'gzip']), flagBits(['transferEncoding']))).toBe('');
    expect(smuggling(head(['Transfer-Encoding', 'gzip']), flagBits(['chunkedLength']))).toBe(''); // llhttp's flag allows it too
    expect(smuggling(head(['Transfer-Encoding', 'gzip']), flagBits(['headers']))).toBe('te-not-chunked');
    expect(smuggling(head(['Content-Length', '1', 'content-length', '2']), ALL_LENIENT)).toBe('conflicting-cl');
  });

  it('the generator writes whole messages with bare line ends, and heads cut off after a bad byte', () => {
    const random = rng(4);
    const texts = Array.from({ length: 3000 }, () => latin1(generateMessages(random, 'request', 0.4)));
    expect(texts.some((t) => /chunked\n\n[0-9a-f]+\n[x]+\n0\n[^\r]*\n$/i.test(t))).toBe(true);
    expect(texts.some((t) => /Transfer-Encoding:\s*\r?\n[ \t]/i.test(t) || /transfer-encoding: [^\r\n]*,\r?\n[ \t]/i.test(t))).toBe(true);
    expect(texts.some((t) => !/(\r?\n){2}/.test(t) && /[\x00\x01\x7f\xff\x80]..?$/.test(t))).toBe(true);
  });

  it('a diff verdict carries the flag set it ran under; findings name it', () => {
    const oracles = new Oracles(new Set(['diff']), rng(1), 'all');
    const verdict = oracles.check('request', new TextEncoder().encode('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
    expect(verdict.lenient).toBe(ALL_LENIENT);
    expect(verdict.findings).toEqual([]);
  });
});

describe('split oracle: how the input left the parser before finish()', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  const inputEnd = (t: Trace) => t.events.slice(t.inputEnd, t.inputEnd + 3);

  it('records waiting for more, or the error and its offset, before finish() re-parses', () => {
    const tracer = new Tracer('request');
    const unfinished = tracer.run(bytes('GET / HTTP/1.1\r\nHost: a\r\n'));
    expect(inputEnd(unfinished)).toEqual([Event.INPUT_END, -1, -1]);
    expect(unfinished.end).toBe('HPE_INVALID_EOF_STATE');
    const done = tracer.run(bytes('GET / HTTP/1.1\r\n\r\nG'));
    expect(done.messages).toBe(1);
    expect(done.events.indexOf(Event.COMPLETE)).toBeLessThan(done.inputEnd);
    const bad = tracer.run(bytes('GET / HTTP/1.1\r\nHost: a\r\n\r\nG\x00T / HTTP/1.1\r\n'));
    expect(inputEnd(bad).slice(2)).toEqual([28]);
    expect(inputEnd(bad)[1]).toBeGreaterThanOrEqual(0);
  });

  it('a difference at or before that point is before-finish; one after it is a split mismatch', () => {
    const trace = (events: (number | string)[], inputEnd: number, end: string): Trace => ({ events, inputEnd, end, heads: [], messages: 0 });
    const failedEarly = trace([Event.INPUT_END, 13, 30, Event.ERROR, 'HPE_INVALID_CONTENT_LENGTH', 30], 0, 'HPE_INVALID_CONTENT_LENGTH');
    const waited = trace([Event.INPUT_END, -1, -1, Event.ERROR, 'HPE_INVALID_CONTENT_LENGTH', 30], 0, 'HPE_INVALID_CONTENT_LENGTH');
    expect(splitDifference(failedEarly, waited)).toEqual({
      beforeFinish: true,
      detail: 'before finish(): whole failed HPE_INVALID_CONTENT_LENGTH @30, split no error, waiting for more; at the end whole HPE_INVALID_CONTENT_LENGTH, split HPE_INVALID_CONTENT_LENGTH',
    });
    const laterCode = trace([Event.INPUT_END, -1, -1, Event.ERROR, 'HPE_INVALID_EOF_STATE', 30], 0, 'HPE_INVALID_EOF_STATE');
    expect(splitDifference(waited, laterCode).beforeFinish).toBe(false);
  });

  it('a head that breaks mid-way: any whole/byte-by-byte difference is reported as before-finish', () => {
    // (The parser before issue 11's fixes waited for more when fed byte by byte; fixed, it agrees.)
    const oracles = new Oracles(new Set(['split']), rng(1));
    const input = bytes('PUT /url HTTP/1.1\r\nContent-Length: 1000000000000000000000\r\n');
    const cuts = Array.from({ length: input.length - 1 }, (_, i) => i + 1);
    const kinds = oracles.check('request', input, cuts).findings.map((f) => f.kind);
    expect(kinds.every((k) => k === 'before-finish')).toBe(true);
  });
});

describe('oracle helpers', () => {
  it('smuggling() flags what a strict parser must not accept', () => {
    const head = (raw: string[]) => ({ rawHeaders: raw }) as never;
    expect(smuggling(head(['Content-Length', '1', 'Transfer-Encoding', 'chunked']))).toBe('cl-and-te');
    expect(smuggling(head(['Transfer-Encoding', 'chunked, gzip']))).toBe('te-not-chunked');
    expect(smuggling(head(['Content-Length', '1', 'content-length', '2']))).toBe('conflicting-cl');
    expect(smuggling(head(['Transfer-Encoding', 'gzip', 'Transfer-Encoding', 'chunked']))).toBe('');
    expect(smuggling(parseRequest(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: a\r\n\r\n')))).toBe('');
  });

  it('classify() ranks boundary differences above verdicts and values', () => {
    const a = ['request GET "/" HTTP/1.1', 'complete', 'request GET "/x" HTTP/1.1', 'complete'];
    expect(classify(a, ['request GET "/" HTTP/1.1', 'body "x"', 'complete']).kind).toBe('boundaries');
    expect(classify(a, [...a.slice(0, 2), 'error HPE_INVALID_METHOD'])).toMatchObject({ kind: 'accept-reject', severity: 'high' });
    expect(classify([...a.slice(0, 2), 'error HPE_INVALID_METHOD'], a)).toMatchObject({ kind: 'accept-reject', severity: 'medium' });
    // llhttp's "Only LFs present (lenient)": one side ends the message before the trailer section.
    const chunked = ['request POST "/" HTTP/1.1', 'body "abc"'];
    expect(classify([...chunked, 'complete', 'error HPE_INVALID_METHOD'], [...chunked, 'trailer "Baz": "ghi"', 'complete'])).toMatchObject({ kind: 'boundaries', severity: 'high' });
    expect(classify(['request GET "/" HTTP/1.1', 'header "A": "1"', 'complete'], ['request GET "/" HTTP/1.1', 'header "A": "2"', 'complete']).kind).toBe('header-values');
  });

  it('minimize() shrinks an input while the failure holds', () => {
    const input = new TextEncoder().encode('GET / HTTP/1.1\r\nX-Padding: aaaaaaaaaaaaaaaa\r\nX-Bad: \x01\r\n\r\n');
    const fails = (c: Uint8Array) => c.includes(1) && c.includes(0x58);
    const small = minimize(input, fails);
    expect(fails(small)).toBe(true);
    expect(small.length).toBeLessThanOrEqual(3);
  });
});

describe('wirehttp bench', () => {
  it('runs a benchmark script from bench/ and prints its table', () => {
    const r = wirehttp(['bench', 'parse', '--quick', '--only', 'small-get']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\| small-get \| 35 \|/);
    expect(wirehttp(['bench', 'nope']).code).toBe(2);
  });
});
