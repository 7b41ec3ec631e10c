// The verdict on the bytes so far, before the input ends: the same however the input was cut,
// and the same as Node's llhttp fed the same pieces (unless a fixture names a deliberate
// difference). An error counts once the line holding it is complete (or at once in a section's
// first 64 bytes), so llhttp, which reports the offending byte, agrees at every line end.
import { describe, expect, it } from 'vitest';
import { loadFixtures } from './support/fixtures.js';
import { llhttpVerdicts, wirehttpVerdicts } from './support/verdict.js';

const fixtures = loadFixtures();
const everyByte = (n: number) => Array.from({ length: n - 1 }, (_, i) => i + 1);

describe('the verdict before finish() does not depend on how the input was cut', () => {
  for (const f of fixtures) {
    it(`${f.file}: ${f.name}`, () => {
      const n = f.raw.length;
      // Byte by byte gives the verdict on every prefix; each prefix fed whole must agree.
      const trickled = wirehttpVerdicts(f.type, f.raw, f.options, everyByte(n));
      for (let k = 1; k <= n; k++) {
        const whole = wirehttpVerdicts(f.type, f.raw.subarray(0, k), f.options)[0];
        if (whole !== trickled[k - 1]) expect({ prefix: k, whole }).toEqual({ prefix: k, whole: trickled[k - 1] });
      }
      for (let cut = 1; cut < n; cut++) {
        const split = wirehttpVerdicts(f.type, f.raw, f.options, [cut]);
        if (split[1] !== trickled[n - 1]) expect({ cut, verdict: split[1] }).toEqual({ cut, verdict: trickled[n - 1] });
      }
    });
  }
});

describe('rejected fixtures: the same verdict as llhttp, whole, byte by byte and at every 2-piece split', () => {
  for (const f of fixtures.filter((f) => f.llhttp === 'same' && f.expected.at(-1)!.startsWith('error'))) {
    it(`${f.file}: ${f.name}`, () => {
      const n = f.raw.length;
      const cutsList = [[], everyByte(n), ...everyByte(n).map((c) => [c])];
      for (const cuts of cutsList) {
        const ours = wirehttpVerdicts(f.type, f.raw, f.options, cuts).at(-1);
        const theirs = llhttpVerdicts(f.type, f.raw, f.options, cuts).at(-1);
        if (ours !== theirs) expect({ cuts: cuts.length > 1 ? 'every byte' : cuts, ours }).toEqual({ cuts: cuts.length > 1 ? 'every byte' : cuts, ours: theirs });
      }
      // And no later than llhttp at each line end on the way (llhttp reports some errors in a
      // line, an empty Content-Length, only at the next line's first byte; we may be earlier).
      // maxHeaderSize counts differently (a listed deliberate difference): only the end counts there.
      if (f.options.maxHeaderSize !== undefined) return;
      const trickledOurs = wirehttpVerdicts(f.type, f.raw, f.options, everyByte(n));
      const trickledTheirs = llhttpVerdicts(f.type, f.raw, f.options, everyByte(n));
      for (let k = 1; k <= n; k++) {
        if (f.raw[k - 1] !== 0x0a || trickledTheirs[k - 1].endsWith(' ok')) continue;
        if (trickledOurs[k - 1] !== trickledTheirs[k - 1]) expect({ prefix: k, ours: trickledOurs[k - 1] }).toEqual({ prefix: k, ours: trickledTheirs[k - 1] });
      }
    });
  }
});
