// The fuzz oracles: what counts as a finding for one input.
//   crash    anything but ParseError escapes (a wasm trap included), or wasm memory grows
//   split    feeding the input in pieces changes any event, or where the input left the parser
//            before finish() (an error and its offset, or waiting for more)
//   diff     Node's llhttp, given the same lenient flags, disagrees beyond the README's deliberate differences
//   smuggle  a request was accepted carrying CL + TE, a TE not ending in chunked, or conflicting CLs
//            (unless a lenient flag in force allows that very thing)
// Every oracle runs under the lenient flag set drawn for the execution (lenient.ts).
import { home } from '../../core/wasm.js';
import type { MessageHead } from '../../core/index.js';
import { explain, onlyCodeDiffers } from './deliberate.js';
import { outcome, wirehttpLog, type MessageType } from './events.js';
import { flagBits, describeLenient, lenientDrawer, lenientOption, type LenientChoice } from './lenient.js';
import { llhttpLog } from './llhttp.js';
import { randomCuts } from './random.js';
import { Tracer, sameEvents, splitDifference, signature, type Trace } from './trace.js';

export const ORACLES = ['crash', 'split', 'diff', 'smuggle'] as const;
export type OracleName = (typeof ORACLES)[number];

export type Severity = 'high' | 'medium' | 'low';

export interface Finding {
  oracle: OracleName;
  /** What exactly happened: exception, memory-growth, before-finish, split-mismatch, accept-reject, boundaries, header-values, cl-and-te, te-not-chunked, conflicting-cl. */
  kind: string;
  severity: Severity;
  detail: string;
  type: MessageType;
  /** The lenient flags both parsers ran with: "none", "all", or the flags' names. */
  lenient: string;
  input: Uint8Array;
  /** Both parsers' outcomes (diff), or the whole and split event traces (split). */
  ours?: unknown;
  theirs?: unknown;
  cuts?: number[];
}

export interface Verdict {
  findings: Finding[];
  /** How the input ended, for counting distinct behaviours (see describeSignature). */
  signature: number;
  /** Disagreements with llhttp that a README-listed deliberate difference accounts for. */
  deliberate: number;
  /** Disagreements where both rejected the same message with different codes. */
  codeOnly: number;
  /** The lenient flag set this execution ran under (bits, as lenientBits gives them). */
  lenient: number;
}

interface Tracers {
  whole: Record<MessageType, Tracer>;
  /** The whole feed with heads' headers objects built, for one execution in HEADERS_EVERY. */
  wholeWithHeaders: Record<MessageType, Tracer>;
  split: Record<MessageType, Tracer>;
}

/**
 * Building the headers objects costs more than the parse of a fuzz input (about 40% of a
 * crash,split execution); the crash oracle covers that code on every 16th execution.
 */
const HEADERS_EVERY = 16;

export class Oracles {
  /** Parsers per lenient flag set (indexed by its bits), made on first use. */
  private readonly tracers: Tracers[] = [];
  private readonly memoryBytes = home().exports.memory.buffer.byteLength;
  private readonly drawLenient: () => number;
  private executions = 0;

  constructor(readonly selected: ReadonlySet<OracleName>, private readonly random: () => number, lenient: LenientChoice = 'none') {
    this.drawLenient = lenientDrawer(lenient, random);
  }

  private tracersFor(bits: number): Tracers {
    let t = this.tracers[bits];
    if (!t) {
      // Traces compare raw fields only: headers objects are built for the crash oracle alone.
      const pair = (headers: boolean) => {
        const options = { lenient: lenientOption(bits), headers };
        return { request: new Tracer('request', options), response: new Tracer('response', options) };
      };
      t = this.tracers[bits] = { whole: pair(false), wholeWithHeaders: pair(true), split: pair(false) };
    }
    return t;
  }

  /** Runs the selected oracles on one input, under `lenient` (bits) or a flag set drawn now. */
  check(type: MessageType, input: Uint8Array, cuts?: number[], lenient = this.drawLenient()): Verdict {
    const findings: Finding[] = [];
    const tracers = this.tracersFor(lenient);
    const whole = (++this.executions % HEADERS_EVERY === 0 ? tracers.wholeWithHeaders : tracers.whole)[type].run(input);
    const verdict: Verdict = { findings, signature: signature(type, whole), deliberate: 0, codeOnly: 0, lenient };
    const flags = describeLenient(lenient);
    this.checkCrash(type, input, whole, flags, findings);
    if (this.selected.has('split')) {
      const at = cuts ?? randomCuts(this.random, input.length, 4);
      if (at.length === 0 && input.length > 1) at.push(1 + Math.floor(this.random() * (input.length - 1)));
      const pieces = tracers.split[type].run(input, at);
      this.checkCrash(type, input, pieces, flags, findings);
      if (!pieces.crash && !whole.crash && !sameEvents(whole.events, pieces.events)) {
        const { beforeFinish, detail } = splitDifference(whole, pieces);
        const kind = beforeFinish ? 'before-finish' : 'split-mismatch';
        const cutText = at.length === input.length - 1 ? 'cut byte by byte' : `cut at ${at.join(',')}`;
        findings.push({ oracle: 'split', kind, severity: 'high', detail: `${cutText}: ${detail}`, type, lenient: flags, input, ours: whole.events.slice(), theirs: pieces.events.slice(), cuts: at });
      }
    }
    if (this.selected.has('smuggle') && type === 'request') {
      for (const head of whole.heads) {
        const problem = smuggling(head, lenient);
        if (problem) findings.push({ oracle: 'smuggle', kind: problem, severity: 'high', detail: `accepted a request with ${problem}: ${JSON.stringify(head.rawHeaders)}`, type, lenient: flags, input });
      }
    }
    if (this.selected.has('diff')) this.checkDiff(type, input, lenient, verdict);
    return verdict;
  }

  private checkCrash(type: MessageType, input: Uint8Array, trace: Trace, lenient: string, findings: Finding[]): void {
    if (!this.selected.has('crash')) return;
    if (trace.crash !== undefined) {
      const e = trace.crash as Error;
      findings.push({ oracle: 'crash', kind: 'exception', severity: 'high', detail: `${e?.name ?? typeof e}: ${e?.message ?? String(e)}`, type, lenient, input });
    }
    if (home().exports.memory.buffer.byteLength !== this.memoryBytes) {
      findings.push({ oracle: 'crash', kind: 'memory-growth', severity: 'high', detail: 'wasm memory grew', type, lenient, input });
    }
  }

  private checkDiff(type: MessageType, input: Uint8Array, lenient: number, verdict: Verdict): void {
    // Both parsers get the same flags (llhttp's kLenient* values are our bits).
    const options = { lenient: lenientOption(lenient) };
    const log = wirehttpLog(type, input, options);
    const ours = outcome(log);
    const theirs = outcome(llhttpLog(type, input, options));
    if (ours.length === theirs.length && ours.every((line, i) => line === theirs[i])) return;
    if (explain(type, input, log, lenient).length > 0) {
      verdict.deliberate++;
      return;
    }
    if (onlyCodeDiffers(ours, theirs)) {
      verdict.codeOnly++;
      return;
    }
    verdict.findings.push({ oracle: 'diff', ...classify(ours, theirs), type, lenient: describeLenient(lenient), input, ours, theirs });
  }
}

const CHUNKED_LENGTH = flagBits(['chunkedLength']);
const TRANSFER_ENCODING = flagBits(['transferEncoding']);

/**
 * Why an accepted request head is a smuggling risk, or '' when it is not. A lenient flag in
 * `lenient` (bits) that allows the very construct excuses it, as llhttp's flags do:
 * chunkedLength (CL with TE; also a TE not ending in chunked), transferEncoding (a TE not
 * ending in chunked).
 */
export function smuggling(head: MessageHead, lenient = 0): string {
  let lengths = 0;
  let distinctLength = '';
  let conflicting = false;
  let codings = '';
  for (let i = 0; i < head.rawHeaders.length; i += 2) {
    const name = head.rawHeaders[i].toLowerCase();
    const value = head.rawHeaders[i + 1].trim();
    if (name === 'content-length') {
      lengths++;
      if (distinctLength && distinctLength !== value) conflicting = true;
      distinctLength = value;
    } else if (name === 'transfer-encoding') {
      codings += (codings ? ',' : '') + value;
    }
  }
  if (lengths > 0 && codings && !(lenient & CHUNKED_LENGTH)) return 'cl-and-te';
  const list = codings.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean);
  if (codings && list[list.length - 1] !== 'chunked' && !(lenient & (TRANSFER_ENCODING | CHUNKED_LENGTH))) return 'te-not-chunked';
  if (conflicting) return 'conflicting-cl';
  return '';
}

const completed = (lines: string[]) => lines.filter((l) => !l.startsWith('error') && l !== 'upgraded');
const isError = (lines: string[]) => lines.length > 0 && lines[lines.length - 1].startsWith('error');

/** Classifies a disagreement: boundaries or bodies first (what smuggling exploits), then verdicts, then values. */
export function classify(ours: string[], theirs: string[]): { kind: string; severity: Severity; detail: string } {
  const messages = (lines: string[]) => lines.filter((l) => l.startsWith('complete')).length;
  // Trailers included: a message that ends before or after a trailer section ends at another byte.
  const frame = (lines: string[]) => completed(lines).filter((l) => l.startsWith('complete') || l.startsWith('body') || l.startsWith('trailer') || l.startsWith('request') || l.startsWith('response'));
  const a = frame(ours);
  const b = frame(theirs);
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    if (a[i] !== b[i]) return { kind: 'boundaries', severity: 'high', detail: `message boundaries or body bytes differ: ${a[i]} vs ${b[i]}` };
  }
  if (isError(ours) !== isError(theirs)) {
    const stricter = isError(ours) ? 'wirehttp' : 'llhttp';
    // The lenient side parsed messages the strict side refused: check they are the same ones.
    return { kind: 'accept-reject', severity: stricter === 'llhttp' ? 'high' : 'medium', detail: `${stricter} rejects (${isError(ours) ? ours.at(-1) : theirs.at(-1)}); ${messages(ours)} vs ${messages(theirs)} messages completed` };
  }
  if (a.length !== b.length) return { kind: 'boundaries', severity: 'high', detail: `${messages(ours)} vs ${messages(theirs)} messages completed` };
  return { kind: 'header-values', severity: 'medium', detail: 'same messages, different start lines or header values' };
}

/**
 * Shrinks a failing input while `stillFails` holds (chunk removal, halving the chunk size down to
 * one byte). Bounded to `budget` checks.
 */
export function minimize(input: Uint8Array, stillFails: (candidate: Uint8Array) => boolean, budget = 4000): Uint8Array {
  let best = input;
  let checks = 0;
  for (let size = Math.max(1, best.length >> 1); size >= 1 && checks < budget; size >>= 1) {
    for (let at = 0; at + size <= best.length && checks < budget; ) {
      const candidate = new Uint8Array(best.length - size);
      candidate.set(best.subarray(0, at));
      candidate.set(best.subarray(at + size), at);
      checks++;
      if (candidate.length > 0 && stillFails(candidate)) best = candidate;
      else at += size;
    }
  }
  return best;
}
