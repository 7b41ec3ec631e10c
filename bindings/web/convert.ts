// Parsed heads → WHATWG Request / Response. What those types cannot hold is refused with a
// NotRepresentableError (see README, "wirehttp/web"); what they silently change (field case,
// order, duplicates; fields a browser forbids) stays reachable through rawHead().
import type { MessageHead } from '../core/index.js';
import { NotRepresentableError } from './errors.js';

export type BodySource = ReadableStream<Uint8Array> | Uint8Array | null | undefined;

/** A parsed message: a MessageHead, or parseRequest/parseResponse's result (body and trailers included). */
export type ParsedLike = MessageHead & { body?: BodySource; rawTrailers?: string[] };

export interface ToRequestOptions {
  /**
   * Scheme and authority for origin-form targets (`/path`): its origin is used and the Host field
   * only checked. Without it, `http://` + the Host field. Absolute-form targets are used as sent.
   */
  baseUrl?: string | URL;
}

interface RawParts {
  head: MessageHead;
  trailers: Promise<string[]>;
}

const raw = new WeakMap<Request | Response, RawParts>();

/** The head a Request / Response was made from (as sent: names' case, order, duplicates, every field). */
export function rawHead(message: Request | Response): MessageHead | undefined {
  return raw.get(message)?.head;
}

/** The trailer fields ([name, value, …]) of a message made here, once its body has been read to the end. */
export function rawTrailers(message: Request | Response): Promise<string[]> | undefined {
  return raw.get(message)?.trailers;
}

function remember<T extends Request | Response>(message: T, head: MessageHead, trailers: Promise<string[]>): T {
  raw.set(message, { head, trailers });
  return message;
}

/** Methods `new Request()` throws on (forbidden methods, Fetch §2.2.1). */
const REFUSED_METHODS = ['CONNECT', 'TRACE', 'TRACK'];
/** Statuses whose Response must have a null body (Fetch's "null body status"). */
const NULL_BODY_STATUSES = [101, 103, 204, 205, 304];
/** reason-phrase (RFC 9112 §4): a Response refuses anything else in statusText. */
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** A Host field value that can stand between `http://` and a path: host (reg-name, IPv4, IP-literal) and port. */
const HOST = /^(?:\[[0-9A-Za-z.:%_~-]+\]|[0-9A-Za-z.!$&'()*+,;=%_~-]+)(?::\d*)?$/;

let streamBodies: boolean | undefined;

/**
 * Whether `new Request()` takes a ReadableStream body. Firefox does not: it turns the stream into
 * the text "[object ReadableStream]" (and so adds a text/plain Content-Type, which is the tell).
 */
export function requestStreamsSupported(): boolean {
  return (streamBodies ??= !new Request('http://localhost/', { method: 'POST', body: new ReadableStream(), duplex: 'half' } as RequestInit).headers.has('content-type'));
}

function bodyInit(body: BodySource): ReadableStream<Uint8Array> | Uint8Array | null {
  if (!body) return null;
  return body instanceof Uint8Array && body.length === 0 ? null : body;
}

function headersOf(head: MessageHead, body: BodySource): Headers {
  const headers = new Headers();
  const fields = head.rawHeaders;
  for (let i = 0; i < fields.length; i += 2) {
    try {
      headers.append(fields[i], fields[i + 1]);
    } catch {
      // A value parsed under a lenient flag can hold bytes (NUL) the Headers class rejects.
      throw new NotRepresentableError('HEADER', `the ${fields[i]} field's value is not a valid Headers value`, head, body ?? null);
    }
  }
  return headers;
}

function requestUrl(head: MessageHead, body: BodySource, options: ToRequestOptions): string {
  const target = head.url!;
  const fail = (reason: string): never => {
    throw new NotRepresentableError('URL', reason, head, body ?? null);
  };
  if (target[0] !== '/' && target !== '*') {
    try {
      return new URL(target).href; // absolute-form (the parser allows no other form here)
    } catch {
      return fail(`the target ${target} is not a URL`);
    }
  }
  let origin: string;
  if (options.baseUrl !== undefined) {
    origin = new URL(options.baseUrl).origin;
  } else {
    const hosts: string[] = [];
    for (let i = 0; i < head.rawHeaders.length; i += 2) {
      if (head.rawHeaders[i].length === 4 && head.rawHeaders[i].toLowerCase() === 'host') hosts.push(head.rawHeaders[i + 1]);
    }
    if (hosts.length !== 1) fail(hosts.length ? 'more than one Host field' : 'an origin-form target needs a Host field or the baseUrl option');
    if (!HOST.test(hosts[0])) fail(`the Host field ${JSON.stringify(hosts[0])} is not a host[:port]`);
    origin = `http://${hosts[0]}`;
  }
  // Joined, not resolved: a target starting with "//" is a path, not another authority.
  // The asterisk-form (OPTIONS *) has no URL; it becomes the origin itself (rawHead keeps "*").
  try {
    return new URL(origin + (target === '*' ? '/' : target)).href;
  } catch {
    return fail(`${origin}${target} is not a URL`);
  }
}

/** A parsed request (parseRequest's result, or a head and its body) as a WHATWG Request. Throws NotRepresentableError for what a Request cannot hold. */
export function toRequest(message: ParsedLike, options: ToRequestOptions = {}): Request {
  return requestFrom(message, message.body, Promise.resolve(message.rawTrailers ?? []), options);
}

/** A parsed response as a WHATWG Response. Throws NotRepresentableError for what a Response cannot hold. */
export function toResponse(message: ParsedLike): Response {
  return responseFrom(message, message.body, Promise.resolve(message.rawTrailers ?? []));
}

export function requestFrom(head: MessageHead, source: BodySource, trailers: Promise<string[]>, options: ToRequestOptions): Request {
  const method = head.method!;
  const body = bodyInit(source);
  if (REFUSED_METHODS.includes(method)) throw new NotRepresentableError('METHOD', `new Request() refuses the method ${method}`, head, body);
  if (body && (method === 'GET' || method === 'HEAD')) throw new NotRepresentableError('BODY', `a ${method} Request cannot have a body`, head, body);
  if (body instanceof ReadableStream && !requestStreamsSupported()) {
    throw new NotRepresentableError('BODY', 'a Request here cannot take a streamed body (read it into bytes first)', head, body);
  }
  const url = requestUrl(head, body, options);
  const init = { method, headers: headersOf(head, body), body, duplex: 'half' } as RequestInit;
  return remember(new Request(url, init), head, trailers);
}

export function responseFrom(head: MessageHead, source: BodySource, trailers: Promise<string[]>): Response {
  const status = head.statusCode!;
  const body = bodyInit(source);
  if (status < 200 || status > 599) {
    throw new NotRepresentableError('STATUS', `a Response cannot have the status ${status} (only 200–599)`, head, body);
  }
  if (body && NULL_BODY_STATUSES.includes(status)) {
    throw new NotRepresentableError('BODY', `a ${status} Response cannot have a body`, head, body);
  }
  // A reason phrase with CTLs (lenient parsing) is refused by Response: rawHead keeps it.
  const statusText = REASON_PHRASE.test(head.statusMessage!) ? head.statusMessage : '';
  return remember(new Response(body as BodyInit | null, { status, statusText, headers: headersOf(head, body) }), head, trailers);
}
