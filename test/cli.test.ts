// The `wirehttp` command, run as users run it: the built dist/cli.js in a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../bindings/core/index.js';
import { classify, minimize, smuggling } from '../bindings/cli/fuzz/oracles.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/cli.js');

function wirehttp(args: string[], input?: string | Uint8Array) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, input, encoding: 'latin1', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const scratch = mkdtempSync(join(tmpdir(), 'wirehttp-cli-'));
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
  it('a fixed-seed run of 100,000 executions over every oracle finds nothing', () => {
    const corpus = join(scratch, 'corpus');
    const findings = join(scratch, 'findings');
    const r = wirehttp(['fuzz', '--runs', '100000', '--seed', '7', '--workers', '2', '--corpus', corpus, '--findings', findings]);
    expect(r.stdout + r.stderr).toContain('executions: 100,000');
    expect(r.stdout).toMatch(/\| crash \| 0 \|/);
    expect(r.stdout).toMatch(/\| split \| 0 \|/);
    expect(r.stdout).toMatch(/\| diff \| 0 \|/);
    expect(r.stdout).toMatch(/\| smuggle \| 0 \|/);
    expect(r.code).toBe(0);
    expect(readdirSync(findings)).toEqual([]);
    expect(readdirSync(corpus).length).toBeGreaterThan(20); // inputs with new outcomes are kept
  });

  it('--replay runs one input through the oracles', () => {
    const r = wirehttp(['fuzz', '--replay', file('replay.http', 'GET / HTTP/1.1\r\nHost: a\r\n\r\n'), '--type', 'request']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('rejects unknown oracles', () => {
    expect(wirehttp(['fuzz', '--oracle', 'crash,vibes']).code).toBe(2);
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
