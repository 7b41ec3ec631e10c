// The decode path browsers take (no Buffer): ASCII heads go through TextDecoder, others through
// an exact latin1 decode, so the parser's "saw a byte >= 0x80" flag must be right for every
// byte position. Buffer is hidden before the core loads (vitest isolates each test file).
import { expect, it } from 'vitest';

it('latin1 bytes decode exactly at every position, alone and in pipelined heads, without Buffer', async () => {
  const saved = globalThis.Buffer;
  // @ts-expect-error hiding Node's Buffer, as in a browser
  delete globalThis.Buffer;
  const core = await import('../bindings/core/index.js');
  globalThis.Buffer = saved;

  const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  for (let at = 0; at < 40; at++) {
    const value = 'v'.repeat(at) + '\u00e9' + 'w'.repeat(39 - at);
    const head = `GET /${at} HTTP/1.1\r\nX-Value: ${value}\r\n\r\n`;
    expect(core.parseRequest(text(head)).rawHeaders[1]).toBe(value);
    const urls: string[] = [];
    const parser = new core.HttpParser('request');
    parser.onHeadersComplete = (h) => void urls.push(`${h.url} ${h.rawHeaders[1]}`);
    parser.execute(text(`GET /a HTTP/1.1\r\nX-Value: plain\r\n\r\n${head}GET /c HTTP/1.1\r\nX-Value: plain\r\n\r\n`));
    expect(urls).toEqual(['/a plain', `/${at} ${value}`, '/c plain']);
  }
});
