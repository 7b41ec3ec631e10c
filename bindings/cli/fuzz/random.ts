/** A small seeded PRNG (mulberry32): the same seed gives the same cases on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sorted distinct cut points strictly inside [0, length), splitting it into random pieces. */
export function randomCuts(random: () => number, length: number, maxPieces = 12): number[] {
  if (length < 2) return [];
  const count = Math.floor(random() * Math.min(maxPieces, length));
  const cuts: number[] = [];
  for (let i = 0; i < count; i++) cuts.push(1 + Math.floor(random() * (length - 1)));
  cuts.sort((a, b) => a - b);
  let kept = 0;
  for (let i = 0; i < cuts.length; i++) if (i === 0 || cuts[i] !== cuts[i - 1]) cuts[kept++] = cuts[i];
  cuts.length = kept;
  return cuts;
}
