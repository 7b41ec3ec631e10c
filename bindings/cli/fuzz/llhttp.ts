// Node's own parser (llhttp, through process.binding('http_parser')) producing the same event
// log as wirehttpLog, for the differential suites.
import { lenientBits } from '../../core/internal.js';
import { headLines, latin1, responseDecision, type MessageType, type RunOptions } from './events.js';

interface NodeHTTPParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenientFlags: number): void;
  execute(data: Uint8Array): number | Error;
  finish(): number | Error | undefined;
  [key: number]: unknown;
}
interface NodeHTTPParserClass {
  new (): NodeHTTPParser;
  REQUEST: number;
  RESPONSE: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kOnExecute: number;
}

let binding: NodeHTTPParserClass | undefined;
const reused: Partial<Record<MessageType, NodeHTTPParser>> = {};

/** Node's parser class, loaded on first use (process.binding is deprecated; its notice is silenced). */
export function nodeParser(): NodeHTTPParserClass {
  if (!binding) {
    const emitWarning = process.emitWarning;
    process.emitWarning = () => {};
    try {
      binding = (process as unknown as { binding(name: string): { HTTPParser: NodeHTTPParserClass } }).binding('http_parser').HTTPParser;
    } finally {
      process.emitWarning = emitWarning;
    }
  }
  return binding;
}


/** The event log of Node's llhttp for the same input (offsets are not comparable and omitted). */
export function llhttpLog(type: MessageType, bytes: Uint8Array, options: RunOptions = {}, cuts: number[] = []): string[] {
  const lines: string[] = [];
  let body = '';
  const push = (line: string) => {
    if (body) lines.push(`body ${JSON.stringify(body)}`);
    body = '';
    lines.push(line);
  };
  const HTTPParser = nodeParser();
  // One parser per type, re-initialized (as Node's own parser pool does): a new native parser per
  // call is only freed after GC callbacks that a busy loop never lets run.
  const parser = (reused[type] ??= new HTTPParser());
  parser.initialize(type === 'request' ? HTTPParser.REQUEST : HTTPParser.RESPONSE, {}, options.maxHeaderSize ?? 16384, lenientBits(options.lenient) /* our bits are Node's kLenient* values */);
  let pendingHeaders: string[] = [];
  let pendingUrl = '';
  // llhttp leaves the HTTP state after an upgrade (and errors on finish then): stop feeding it.
  let upgradeDue = false;
  let upgraded = false;
  parser[HTTPParser.kOnHeaders] = (headers: string[], url: string) => {
    pendingHeaders = pendingHeaders.concat(headers);
    pendingUrl += url;
  };
  parser[HTTPParser.kOnHeadersComplete] = (
    versionMajor: number, versionMinor: number, headers: string[] | undefined, method: number, url: string | undefined,
    statusCode: number, statusMessage: string, upgrade: boolean, shouldKeepAlive: boolean,
  ) => {
    const rawHeaders = headers ?? pendingHeaders;
    const head = {
      method: type === 'request' ? METHOD_NAMES[method] : undefined,
      url: type === 'request' ? (url || pendingUrl) : undefined,
      statusCode: type === 'response' ? statusCode : undefined,
      statusMessage: type === 'response' ? statusMessage : undefined,
      versionMajor, versionMinor, shouldKeepAlive, upgrade, rawHeaders,
    };
    pendingHeaders = [];
    pendingUrl = '';
    for (const line of headLines(head)) push(line);
    const decision = type === 'response' ? (responseDecision(options.requestMethod, statusCode) ?? 0) : 0;
    upgradeDue = upgrade || decision === 2 || (type === 'response' && statusCode === 101);
    return decision;
  };
  parser[HTTPParser.kOnBody] = (b: Uint8Array) => {
    body += latin1(b);
  };
  parser[HTTPParser.kOnMessageComplete] = () => {
    if (pendingHeaders.length) {
      for (let i = 0; i < pendingHeaders.length; i += 2) push(`trailer ${JSON.stringify(pendingHeaders[i])}: ${JSON.stringify(pendingHeaders[i + 1])}`);
      pendingHeaders = [];
    }
    push('complete');
    pendingUrl = ''; // llhttp passes a stale URL with trailers; Node's parserOnMessageComplete drops it too
    upgraded = upgradeDue;
  };
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    const piece = bytes.subarray(from, cut);
    const r = parser.execute(piece);
    if (r instanceof Error) {
      push(`error ${(r as Error & { code: string }).code}`);
      return lines;
    }
    if (r < piece.length || (upgraded && cut < bytes.length)) {
      push('upgraded');
      return lines;
    }
    from = cut;
  }
  if (upgraded) return lines;
  const f = parser.finish();
  if (f instanceof Error) push(`error ${(f as Error & { code: string }).code}`);
  else if (body) lines.push(`body ${JSON.stringify(body)}`);
  return lines;
}

// llhttp's method ids, in its enum order (node:_http_common's `methods` lists a subset).
const METHOD_NAMES: string[] = [
    'DELETE', 'GET', 'HEAD', 'POST', 'PUT', 'CONNECT', 'OPTIONS', 'TRACE', 'COPY', 'LOCK', 'MKCOL', 'MOVE',
    'PROPFIND', 'PROPPATCH', 'SEARCH', 'UNLOCK', 'BIND', 'REBIND', 'UNBIND', 'ACL', 'REPORT', 'MKACTIVITY',
    'CHECKOUT', 'MERGE', 'M-SEARCH', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'PATCH', 'PURGE', 'MKCALENDAR',
    'LINK', 'UNLINK', 'SOURCE', 'PRI', 'DESCRIBE', 'ANNOUNCE', 'SETUP', 'PLAY', 'PAUSE', 'TEARDOWN',
  'GET_PARAMETER', 'SET_PARAMETER', 'REDIRECT', 'RECORD', 'FLUSH', 'QUERY',
];
