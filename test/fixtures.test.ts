// Every fixture: whole, byte by byte, split at every single point, and in random pieces —
// the log must be identical each time (split invariance).
import { describe, expect, it } from 'vitest';
import { loadFixtures, writeLogs, type Fixture } from './support/fixtures.js';
import { wirehttpLog } from '../bindings/cli/fuzz/events.js';
import { randomCuts, rng } from '../bindings/cli/fuzz/random.js';

const fixtures = loadFixtures();
const byFile = new Map<string, Fixture[]>();
for (const f of fixtures) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);

if (process.env.UPDATE_FIXTURES) {
  for (const [file, cases] of byFile) {
    writeLogs(file, new Map(cases.map((f) => [f.name, wirehttpLog(f.type, f.raw, f.options)])));
  }
}

const run = (f: Fixture, cuts: number[] = []) => wirehttpLog(f.type, f.raw, f.options, cuts);

for (const [file, cases] of byFile) {
  describe(file, () => {
    for (const f of cases) {
      describe(f.name, () => {
        it('whole', () => {
          expect(run(f)).toEqual(f.expected);
        });
        it('byte by byte', () => {
          expect(run(f, Array.from({ length: f.raw.length - 1 }, (_, i) => i + 1))).toEqual(f.expected);
        });
        it('split at every point', () => {
          for (let cut = 1; cut < f.raw.length; cut++) {
            const log = run(f, [cut]);
            if (JSON.stringify(log) !== JSON.stringify(f.expected)) expect({ cut, log }).toEqual({ cut, log: f.expected });
          }
        });
        it('random pieces', () => {
          const random = rng(f.raw.length);
          for (let i = 0; i < 50; i++) {
            const cuts = randomCuts(random, f.raw.length);
            const log = run(f, cuts);
            if (JSON.stringify(log) !== JSON.stringify(f.expected)) expect({ cuts, log }).toEqual({ cuts, log: f.expected });
          }
        });
      });
    }
  });
}

it('has fixtures', () => {
  expect(fixtures.length).toBeGreaterThan(100);
});
