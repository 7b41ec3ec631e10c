// Reads the markdown fixtures in test/fixtures: each "### name" section holds the raw message
// in an ```http block (lines joined with CRLF) or an ```http-raw block (nothing added; write
// \r and \n yourself), optional options as a JSON ```options block, and the expected event
// log in a ```log block. Escapes in http blocks: \r \n \t \xHH \\ ; a line ending in "\" is
// joined to the next without a line break.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageType, RunOptions } from '../../bindings/cli/fuzz/events.js';
import { httpTextBytes } from '../../bindings/cli/http-text.js';

export interface Fixture {
  file: string;
  name: string;
  type: MessageType;
  raw: Uint8Array;
  options: RunOptions;
  /** How llhttp is expected to relate: 'same' outcome, or a README-listed deliberate difference. */
  llhttp: string;
  expected: string[];
}

export const FIXTURE_DIR = new URL('../fixtures/', import.meta.url).pathname;

export function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const file of readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.md')).sort()) {
    const text = readFileSync(join(FIXTURE_DIR, file), 'utf8');
    const defaultType: MessageType = file.startsWith('response') ? 'response' : 'request';
    for (const section of text.split(/^### /m).slice(1)) {
      const name = section.slice(0, section.indexOf('\n')).trim();
      const blocks = [...section.matchAll(/^```([\w-]+)\n([\s\S]*?)^```$/gm)];
      const block = (kind: string) => blocks.find((b) => b[1] === kind)?.[2];
      const http = blocks.find((b) => b[1] === 'http' || b[1] === 'http-raw');
      const log = block('log');
      if (!http || log === undefined) throw new Error(`${file}: "${name}" needs an http block and a log block`);
      const options = JSON.parse(block('options') ?? '{}') as RunOptions & { type?: MessageType; llhttp?: string };
      const { type = defaultType, llhttp = 'same', ...parserOptions } = options;
      out.push({
        file, name, type, llhttp, options: parserOptions,
        raw: httpTextBytes(http[2].replace(/\n$/, ''), http[1] === 'http'),
        expected: log.split('\n').filter((l) => l.trim() !== ''),
      });
    }
  }
  return out;
}

/** Rewrites the log blocks of `file` (UPDATE_FIXTURES=1): review the diff before committing. */
export function writeLogs(file: string, logs: Map<string, string[]>): void {
  const path = join(FIXTURE_DIR, file);
  const text = readFileSync(path, 'utf8');
  const sections = text.split(/^(?=### )/m);
  const out = sections.map((section) => {
    if (!section.startsWith('### ')) return section;
    const name = section.slice(4, section.indexOf('\n')).trim();
    const log = logs.get(name);
    if (!log) return section;
    return section.replace(/^```log\n[\s\S]*?^```$/m, () => '```log\n' + log.map((l) => l + '\n').join('') + '```');
  });
  writeFileSync(path, out.join(''));
}
