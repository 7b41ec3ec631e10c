// Real consumers of http-parser-js — websocket-driver (its server parses requests, its client
// responses) and faye-websocket — with http-parser-js replaced by wirehttp's package root (a
// require hook doing what npm `overrides` does), against ws over loopback sockets: the same
// transcript as with http-parser-js itself.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const SUPPORT = new URL('./support/', import.meta.url).pathname;

async function transcript(override: boolean): Promise<Record<string, unknown>> {
  const args = [...(override ? ['-r', './http-parser-js-override.cjs'] : []), 'websocket-consumers.cjs'];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: SUPPORT, encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(stdout);
}

it('websocket-driver and faye-websocket on wirehttp: handshake, messages both ways, close — as on http-parser-js', async () => {
  const [theirs, ours] = await Promise.all([transcript(false), transcript(true)]);
  expect(theirs.parser).toBe('http-parser-js');
  expect(ours.parser).toBe('wirehttp');
  expect(ours.parsed).toBe(true);
  const { parser: _a, ...expected } = theirs;
  const { parser: _b, ...got } = ours;
  expect(got).toEqual(expected);
  // And what each scenario shows, so that a failure on both sides cannot pass.
  expect(got.fayeClientWsServer).toEqual([
    'ws server: connection /chat?room=1', 'faye client: open  101', 'faye client: message hello from ws',
    'ws server: message text from faye', 'faye client: message echo from faye', 'ws server: message binary bytes from faye',
    'faye client: message binary 1,2,3', 'faye client: close 1000 bye', 'ws server: close 1000 bye',
  ]);
  expect(got.driverServerWsClient).toEqual([
    'driver server: connect /feed websocket=true 13', 'ws client: message hello from driver', 'driver server: message from ws',
    'ws client: message echo from ws', 'driver server: message binary 4,5', 'ws client: message binary 9,8,7',
    'driver server: close 1000 done', 'ws client: close 1000 done',
  ]);
  expect(got.headAndFrameTogether).toEqual(['faye client: open 101 yes', 'faye client: message in the same packet', 'faye client: close 1000']);
  expect(got.badHandshake).toEqual(['faye client: error Error during WebSocket handshake: Parse Error', 'faye client: close 1002']);
});
