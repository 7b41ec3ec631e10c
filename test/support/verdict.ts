// The verdict on the bytes so far, before the input ends (no finish()): how many messages
// completed and whether the parser has failed, with which code. For wirehttp and for Node's
// llhttp fed the same pieces, so the two can be compared on every prefix and every split.
import { HttpParser, ParseError } from '../../bindings/core/index.js';
import { lenientBits } from '../../bindings/core/internal.js';
import type { MessageType, RunOptions } from '../../bindings/cli/fuzz/events.js';
import { nodeParser } from '../../bindings/cli/fuzz/llhttp.js';

/** Node's parser class: the fuzzer's llhttp driver loads it (one loader for both). */
export { nodeParser as nodeParserClass } from '../../bindings/cli/fuzz/llhttp.js';

/**
 * Verdicts after each piece: `"<messages completed> ok"` or `"<messages> HPE_… <reason>"` (the
 * reason as Node's err.reason shows it); pieces end at `cuts` and at the end.
 */
export type Verdicts = string[];

function pieces(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  return out;
}

/** Responses answer a GET unless options say otherwise; an upgrade stops both parsers' verdicts at "upgraded". */
export function wirehttpVerdicts(type: MessageType, bytes: Uint8Array, options: RunOptions = {}, cuts: number[] = []): Verdicts {
  const { requestMethod, ...parserOptions } = options;
  const parser = new HttpParser(type, parserOptions);
  let messages = 0;
  parser.onHeadersComplete = (h) => (type === 'response' && requestMethod === 'HEAD') || undefined;
  parser.onMessageComplete = () => void messages++;
  const out: Verdicts = [];
  let failed: string | undefined;
  for (const piece of pieces(bytes, cuts)) {
    if (failed === undefined) {
      const used = parser.tryExecute(piece);
      if (used instanceof ParseError) failed = `${used.code} ${used.reason}`;
      else if (used < piece.length || parser.upgraded) failed = 'upgraded';
    }
    out.push(`${messages} ${failed ?? 'ok'}`);
  }
  return out;
}

export function llhttpVerdicts(type: MessageType, bytes: Uint8Array, options: RunOptions = {}, cuts: number[] = []): Verdicts {
  const HTTPParser = nodeParser();
  const parser = new HTTPParser();
  parser.initialize(type === 'request' ? HTTPParser.REQUEST : HTTPParser.RESPONSE, {}, options.maxHeaderSize ?? 16384, lenientBits(options.lenient));
  let messages = 0;
  let upgrade = false;
  parser[HTTPParser.kOnHeadersComplete] = (_a: number, _b: number, _h: unknown, _m: number, _u: unknown, status: number, _s: unknown, up: boolean) => {
    upgrade = up || (type === 'response' && status === 101);
    return type === 'response' && options.requestMethod === 'HEAD' ? 1 : 0;
  };
  parser[HTTPParser.kOnMessageComplete] = () => void messages++;
  const out: Verdicts = [];
  let failed: string | undefined;
  for (const piece of pieces(bytes, cuts)) {
    if (failed === undefined) {
      const r = parser.execute(piece);
      if (r instanceof Error) failed = `${(r as Error & { code: string }).code} ${(r as Error & { reason: string }).reason}`;
      else if (r < piece.length || (upgrade && messages > 0)) failed = 'upgraded';
    }
    out.push(`${messages} ${failed ?? 'ok'}`);
  }
  return out;
}
