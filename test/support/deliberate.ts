// The deliberate differences from Node's llhttp, as predicates over the input. The README's
// "Deliberate differences from llhttp" section lists the same entries; a disagreement that
// matches none of them is a bug.
import { latin1, type MessageType } from './log.js';

export interface Difference {
  id: string;
  /**
   * Whether this input contains the construct. `starts` are the offsets where our parser
   * expected a message to begin (0 and after each completed message).
   */
  matches(type: MessageType, text: string, starts: number[]): boolean;
}

const requestLines = (text: string): string[] =>
  text.split(/\r?\n/).filter((l) => /^[A-Za-z-]+ \S/.test(l) || /^[A-Za-z-]+  /.test(l));

export const DELIBERATE: Difference[] = [
  {
    id: 'http-version',
    // Only HTTP/1.0 and HTTP/1.1 start lines; llhttp accepts HTTP/0.9 (even with no version) and HTTP/2.0.
    matches: (type, text) => /HTTP\/(0\.9|2\.0)/.test(text) || (type === 'request' && requestLines(text).some((l) => !/ HTTP\/\d\.\d/.test(l))),
  },
  {
    id: 'request-line-spaces',
    matches: (type, text) => type === 'request' && /[A-Z]  +[^\s:]|[^\s:]  +HTTP\//.test(text),
  },
  {
    id: 'pri-method',
    // PRI (the HTTP/2 preface) is not in Node's METHODS: wirehttp rejects it as a method.
    matches: (type, text) => type === 'request' && /(^|[\n\x00-\x7f])PRI /.test(text),
  },
  {
    id: 'target-form',
    // asterisk-form only with OPTIONS, authority-form only (and always) with CONNECT
    matches: (type, text) => type === 'request' && (/(^|\n)(?!OPTIONS)[A-Z-]+ \*/.test(text) || /OPTIONS \*[^ ]/.test(text) || /(^|\n)CONNECT /.test(text)),
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
    matches: (type, text) => type === 'response' && /HTTP\/\d\.\d \d{3} [^\r\n]*[\x00-\x08\x0a-\x1f\x7f]/.test(text),
  },
  {
    id: 'no-body-on-1xx',
    matches: (type, text) => type === 'response' && /HTTP\/\d\.\d 1\d\d/.test(text) && /(Content-Length|Transfer-Encoding)/i.test(text),
  },
  {
    id: 'bare-lf-before-request-line',
    // RFC 9112 2.2 asks servers to ignore empty lines (CRLF) before a request; llhttp also skips a bare LF.
    matches: (type, text, starts) => type === 'request' && starts.some((at) => /^(\r\n)*\n/.test(text.slice(at))),
  },
  {
    id: 'http10-transfer-encoding-closes',
    // RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 means faulty framing: close after the message.
    matches: (_type, text) => /HTTP\/1\.0/.test(text) && /Transfer-Encoding/i.test(text),
  },
  {
    id: 'trailing-htab-in-framing-value',
    // RFC 9110 5.5: a field value excludes trailing OWS (SP or HTAB). llhttp strips trailing SP
    // from Content-Length / Transfer-Encoding / Connection values but not HTAB.
    matches: (_type, text) => /(Content-Length|Transfer-Encoding|Connection):[^\r\n]*\t[ \t]*(\r|\n)/i.test(text),
  },
  {
    id: 'te-empty-list-element',
    // RFC 9110 5.6.1: recipients must accept empty list elements ("chunked,"); llhttp rejects some.
    matches: (_type, text) => /Transfer-Encoding:[^\r\n]*(,\s*,|,[ \t]*(\r|\n)|:[ \t]*,)/i.test(text),
  },
  {
    id: 'chunk-extension-name',
    // chunk-ext-name is a token; llhttp accepts an empty one (";=value").
    matches: (_type, text) => /(^|\n)[0-9a-fA-F]+(;[^\r\n]*)?;=/.test(text),
  },
  {
    id: 'errors-after-upgrade-head',
    // Node's binding reports any parse error after the head of an upgrade request as the
    // upgrade point (node_http_parser.cc only raises errors when !parser.upgrade); we report it.
    matches: (type, text) => type === 'request' && /(^|\n)(CONNECT |[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*?Upgrade:)/i.test(text) && /Connection:[^\r\n]*upgrade|(^|\n)CONNECT /i.test(text),
  },
];

/** The deliberate differences that explain a disagreement on this input ([] = a bug); `ours` is our event log. */
export function explain(type: MessageType, bytes: Uint8Array, ours: string[]): string[] {
  const text = latin1(bytes);
  const starts = [0, ...ours.filter((l) => l.startsWith('complete @')).map((l) => Number(l.slice(10)))];
  return DELIBERATE.filter((d) => d.matches(type, text, starts)).map((d) => d.id);
}

/** Both parsers rejected the same messages, only the error code differs. */
export function onlyCodeDiffers(ours: string[], theirs: string[]): boolean {
  return ours.length === theirs.length && ours.at(-1)!.startsWith('error') && theirs.at(-1)!.startsWith('error') &&
    ours.slice(0, -1).every((line, i) => line === theirs[i]);
}
