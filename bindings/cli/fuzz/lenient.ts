// Lenient flag sets for the fuzz oracles, as bit sets (bit i = LENIENT_FLAGS[i], which are also
// Node's kLenient* values, so llhttp gets the same number). Smuggling hides in the framing that
// lenient parsers disagree on: every oracle runs under the flag set drawn for the execution.
import { LENIENT_FLAGS, type LenientFlag } from '../../core/index.js';

export const ALL_LENIENT = (1 << LENIENT_FLAGS.length) - 1;

/** `--lenient`: none, all, random (per execution: none, one flag, or all), or a fixed list. */
export type LenientChoice = 'none' | 'all' | 'random' | LenientFlag[];

export function parseLenientChoice(text: string): LenientChoice {
  if (text === 'none' || text === 'all' || text === 'random') return text;
  const flags = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const flag of flags) {
    if (!(LENIENT_FLAGS as readonly string[]).includes(flag)) throw new RangeError(`unknown lenient flag "${flag}" (known: none, all, random, ${LENIENT_FLAGS.join(', ')})`);
  }
  return flags as LenientFlag[];
}

export function flagBits(flags: readonly LenientFlag[]): number {
  let bits = 0;
  for (const flag of flags) bits |= 1 << LENIENT_FLAGS.indexOf(flag);
  return bits;
}

/** A drawer of flag sets: the same choice and random stream give the same sets. */
export function lenientDrawer(choice: LenientChoice, random: () => number): () => number {
  if (choice === 'none') return () => 0;
  if (choice === 'all') return () => ALL_LENIENT;
  if (choice !== 'random') {
    const bits = flagBits(choice);
    return () => bits;
  }
  // A third strict, a third all flags, a third one flag alone (each flag's own rules, unmasked by the others).
  return () => {
    const r = random() * 3;
    if (r < 1) return 0;
    if (r < 2) return ALL_LENIENT;
    return 1 << Math.floor((r - 2) * LENIENT_FLAGS.length);
  };
}

const descriptions: string[] = [];

/** The readable form of a flag set: "none", "all", or the flags' names (made once per set). */
export function describeLenient(bits: number): string {
  return (descriptions[bits] ??= bits === 0 ? 'none' : bits === ALL_LENIENT ? 'all' : LENIENT_FLAGS.filter((_, i) => bits & (1 << i)).join(','));
}

const optionsCache: Partial<Record<LenientFlag, boolean>>[] = [];

/** The parser option for a flag set (one object per set, reused). */
export function lenientOption(bits: number): Partial<Record<LenientFlag, boolean>> {
  return (optionsCache[bits] ??= Object.fromEntries(LENIENT_FLAGS.filter((_, i) => bits & (1 << i)).map((f) => [f, true])));
}
