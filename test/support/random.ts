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

/** Sorted distinct cut points splitting [0, length) into random pieces. */
export function randomCuts(random: () => number, length: number, maxPieces = 12): number[] {
  const count = Math.floor(random() * Math.min(maxPieces, length));
  const cuts = new Set<number>();
  for (let i = 0; i < count; i++) cuts.add(1 + Math.floor(random() * Math.max(1, length - 1)));
  return [...cuts].filter((c) => c > 0 && c < length).sort((a, b) => a - b);
}
