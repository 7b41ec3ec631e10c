import { ERROR_NAMES, REASONS } from '../../assembly/names.js';

/**
 * The only error bad input produces. `code` is the llhttp / Node name for the same condition
 * (HPE_*), `reason` says which rule was broken, `offset` is the absolute byte offset in the
 * stream where parsing stopped.
 */
export class ParseError extends Error {
  readonly code: string;
  readonly reason: string;
  readonly offset: number;

  constructor(code: string, reason: string, offset: number) {
    super(`${code}: ${reason} (at byte ${offset})`);
    this.name = 'ParseError';
    this.code = code;
    this.reason = reason;
    this.offset = offset;
  }

  /** Node's name for the offset (`err.bytesParsed` on its parse errors). */
  get bytesParsed(): number {
    return this.offset;
  }
}

export function parseErrorFromWasm(code: number, why: number, offset: number): ParseError {
  return new ParseError(ERROR_NAMES[code] ?? 'HPE_INTERNAL', REASONS[why] ?? 'Internal error', offset);
}
