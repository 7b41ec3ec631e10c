// The deliberate differences from Node's llhttp, as predicates over the input. The README's
// "Deliberate differences from llhttp" section lists the same entries; a disagreement that
// matches none of them is a bug. Both parsers run with the same lenient flags; an entry holds
// under every flag set unless it names the flags that make the difference go away.
import type { LenientFlag } from '../../core/index.js';
import { latin1, type MessageType } from './events.js';
import { flagBits } from './lenient.js';

export interface Difference {
  id: string;
  /**
   * Whether this input contains the construct. `starts` are the offsets where our parser
   * expected a message to begin (0 and after each completed message).
   */
  matches(type: MessageType, text: string, starts: number[]): boolean;
  /**
   * Lenient flags under which the two parsers no longer differ on this construct: with any of
   * them on, the entry explains nothing (a disagreement there is a finding).
   */
  unless?: LenientFlag[];
  /** Lenient flags of which one must be on for the difference to arise (an llhttp quirk only they reach). */
  only?: LenientFlag[];
}

export const DELIBERATE: Difference[] = [
  {
    id: 'http-version',
    // Only HTTP/1.0 and HTTP/1.1 start lines; llhttp accepts HTTP/0.9 and HTTP/2.0 (both parsers
    // accept any single-digit version under the version flag).
    matches: (_type, text) => /HTTP\/(0\.9|2\.0)/.test(text),
    unless: ['version'],
  },
  {
    id: 'http-version',
    // A request line with no version (HTTP/0.9's), which llhttp accepts under every flag.
    matches: (type, text) => type === 'request' && /[A-Z]{3,} \S*(\r?\n|\r|$)/.test(text),
  },
  {
    id: 'request-line-spaces',
    // Two or more SP after the method or before the version, on any line.
    matches: (type, text) => type === 'request' && (/[A-Z-]{3,} {2,}/.test(text) || / {2,}HTTP\/\d/.test(text)),
  },
  {
    id: 'target-fragment',
    // No request-target form carries a fragment (RFC 9112 3.2); llhttp accepts "#" in origin-form.
    matches: (type, text) => type === 'request' && /[A-Z-]+ [^ \r\n]*#/.test(text),
  },
  {
    id: 'bare-cr-in-status-line',
    // A CR not followed by LF is an error here; llhttp tolerates one ending a status line.
    matches: (type, text) => type === 'response' && /HTTP\/\d\.\d [^\r\n]*\r(?!\n)/.test(text),
    unless: ['optionalLfAfterCr'],
  },
  {
    id: 'absolute-form-empty-host',
    // RFC 9110 4.2.1: a recipient must reject an http URI with an empty host; llhttp accepts "http://" and "http:///x".
    matches: (type, text) => type === 'request' && /[A-Za-z]+:\/\/[\/?# ]/.test(text),
  },
  {
    id: 'pri-method',
    // PRI (the HTTP/2 preface) is not in Node's METHODS: wirehttp rejects it as a method.
    matches: (type, text) => type === 'request' && /(^|[\n\x00-\x7f])PRI /.test(text),
  },
  {
    id: 'target-form',
    // asterisk-form only with OPTIONS, authority-form only (and always) with CONNECT
    matches: (type, text) => type === 'request' && (/(?<![A-Z-])(?!OPTIONS )[A-Z-]+ \*/.test(text) || /OPTIONS \*[^ ]/.test(text) || /CONNECT /.test(text)),
  },
  {
    id: 'length-above-2^53',
    matches: (_type, text) => /Content-Length:[ \t]*0*[1-9]\d{15,}/i.test(text) || /(^|\n)0*[0-9a-fA-F]{14,}[\r\n;]/.test(text),
  },
  {
    id: 'status-below-100',
    matches: (type, text) => type === 'response' && /HTTP\/\d\.\d 0\d\d/.test(text),
  },
  {
    id: 'reason-phrase-ctl',
    // CTLs other than the line end's CR and LF (HTAB is allowed); the headers flag allows them.
    matches: (type, text) => type === 'response' && /HTTP\/\d\.\d \d{3} [^\r\n]*[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text),
    unless: ['headers'],
  },
  {
    id: 'no-body-on-1xx',
    matches: (type, text) => type === 'response' && /HTTP\/\d\.\d 1\d\d/.test(text) && /(Content-Length|Transfer-Encoding)/i.test(text),
  },
  {
    id: 'bare-line-end-before-start-line',
    // RFC 9112 2.2: empty lines (CRLF) before a start line are skipped; a bare CR or LF there is an
    // error here, while llhttp skips CR and LF bytes one by one.
    matches: (_type, text, starts) => starts.some((at) => /^(\r\n)*(\n|\r(?!\n)|\r$)/.test(text.slice(at))),
  },
  {
    id: 'empty-transfer-encoding',
    // An empty Transfer-Encoding value is a TE whose final coding is not chunked: a request is
    // rejected (RFC 9112 6.3), a response read until close; llhttp ignores the field.
    matches: (_type, text) => /(^|[\r\n]) ?Transfer-Encoding *:[ \t]*(\r|\n)/i.test(text),
  },
  {
    id: 'http10-transfer-encoding-closes',
    // RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 means faulty framing: close after the message.
    // Under keepAlive both parse on after it, but the keep-alive each reports still differs.
    // (Under the version flag, any version that keeps HTTP/1.0's rules: 0.x and x.0.)
    matches: (_type, text) => /HTTP\/(0\.\d|\d\.0)/.test(text) && /Transfer-Encoding/i.test(text),
  },
  {
    id: 'htab-in-framing-value',
    // RFC 9110 5.5 / 5.6.1: HTAB is whitespace (OWS) around values and list commas; llhttp treats it as
    // part of a Content-Length, Transfer-Encoding or Connection value.
    // (Lenient headers let SP stand before the colon.)
    matches: (_type, text) => /(Content-Length|Transfer-Encoding|Connection) *:[^\r\n]*\t/i.test(text),
  },
  {
    id: 'te-empty-list-element',
    // RFC 9110 5.6.1: recipients must accept empty list elements ("chunked,"); llhttp rejects some.
    // (A leading empty element too: the ":" alternative inside the group could never match.)
    matches: (_type, text) => /Transfer-Encoding:([ \t]*,|[^\r\n]*(,\s*,|,[ \t]*(\r|\n)))/i.test(text),
  },
  {
    id: 'chunk-extension-grammar',
    // chunk-ext = *( ";" token [ "=" ( token / quoted-string ) ] ); llhttp accepts more (";;", ";=v",
    // bytes after a token value). Any size line whose extensions break that grammar.
    matches: (_type, text) => {
      const ext = /^(;[!#$%&'*+.^_`|~0-9A-Za-z-]+(=([!#$%&'*+.^_`|~0-9A-Za-z-]+|"([\t !#-\[\]-~\x80-\xff]|\\[\t -~\x80-\xff])*"))?)*$/;
      for (const m of text.matchAll(/(?:^|[\r\n])[0-9a-fA-F]+[ \t]*(;[^\r\n]*)/g)) if (!ext.test(m[1])) return true;
      return false;
    },
  },
  {
    id: 'chunk-extension-grammar',
    // The same, for a size line that starts right after chunk data (optionalCrlfAfterChunk).
    matches: (_type, text) => /[0-9a-fA-F];(?![!#$%&'*+.^_`|~0-9A-Za-z-])/.test(text) || /;[^\r\n]*=(?![!#$%&'*+.^_`|~0-9A-Za-z"-])/.test(text),
    only: ['optionalCrlfAfterChunk'],
  },
  {
    id: 'framing-field-in-response-trailers',
    // RFC 9110 6.5.1: framing fields do not belong in trailers; a Transfer-Encoding there is an
    // error here in responses too, where llhttp lets it pass.
    // (Any line ends, and the last chunk's size line right after data: lenient flags allow both.)
    matches: (type, text) => type === 'response' && /0[^\r\n]*(\r\n|\r|\n)(?:[^\r\n]+(\r\n|\r|\n))*?Transfer-Encoding *:/i.test(text),
  },
  {
    id: 'errors-after-upgrade-head',
    // Node's binding reports any parse error after the head of an upgrade request as the
    // upgrade point (node_http_parser.cc only raises errors when !parser.upgrade); we report it.
    matches: (type, text) => type === 'request' && /(^|\n)(CONNECT |[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*?Upgrade:)/i.test(text) && /Connection *:[^\r\n]*((\r\n|\r|\n)[ \t][^\r\n]*)*upgrade|(^|\n)CONNECT /i.test(text),
  },
  {
    id: 'length-after-bodiless-close',
    // llhttp keeps the Content-Length of a bodiless response (1xx, 204, 304) that did not keep the
    // connection alive and, reading on under keepAlive, adds the next message's digits to it.
    matches: (type, text) => type === 'response' && /HTTP\/\d\.\d (1\d\d|204|304)[^]*?Content-Length:[ \t]*0*[1-9][^]*HTTP\/\d/i.test(text),
    only: ['keepAlive'],
  },
];

const UNLESS_BITS = DELIBERATE.map((d) => flagBits(d.unless ?? []));
const ONLY_BITS = DELIBERATE.map((d) => flagBits(d.only ?? []));

/**
 * The deliberate differences that explain a disagreement on this input ([] = a bug); `ours` is
 * our event log, `lenient` the flag set both parsers ran with (bits).
 */
export function explain(type: MessageType, bytes: Uint8Array, ours: string[], lenient = 0): string[] {
  const text = latin1(bytes);
  const starts = [0, ...ours.filter((l) => l.startsWith('complete @')).map((l) => Number(l.slice(10)))];
  return DELIBERATE.filter((d, i) => (UNLESS_BITS[i] & lenient) === 0 && (ONLY_BITS[i] === 0 || (ONLY_BITS[i] & lenient) !== 0) &&
    d.matches(type, text, starts)).map((d) => d.id);
}

/** Both parsers rejected the same messages, only the error code differs. */
export function onlyCodeDiffers(ours: string[], theirs: string[]): boolean {
  return ours.length === theirs.length && ours.at(-1)!.startsWith('error') && theirs.at(-1)!.startsWith('error') &&
    ours.slice(0, -1).every((line, i) => line === theirs[i]);
}
