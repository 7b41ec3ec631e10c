// A libFuzzer-style target for Jazzer.js / OSS-Fuzz: `fuzz(data)` throws on a finding.
// Runs the crash, split and smuggle oracles (the diff oracle needs Node's own parser; use
// `wirehttp fuzz --oracle diff` for that) on the input as a request and as a response.
import { Oracles } from './oracles.js';
import { rng } from './random.js';

let oracles: Oracles | undefined;

export function fuzz(data: Uint8Array): void {
  // A fixed seed: the cut points depend on the input only, so a crash reproduces.
  oracles ??= new Oracles(new Set(['crash', 'split', 'smuggle']), rng(0x5eed));
  for (const type of ['request', 'response'] as const) {
    const { findings } = oracles.check(type, data);
    if (findings.length > 0) {
      const f = findings[0];
      throw new Error(`wirehttp ${f.oracle} finding (${f.kind}, parsed as a ${type}): ${f.detail}`);
    }
  }
}
