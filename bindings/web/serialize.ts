// Request / Response → HTTP/1.1 bytes, as a stream: the head, then the body framed by the
// message's own Content-Length when it has one (and held to it), else chunked.
import { latin1Bytes } from '../core/latin1.js';

export interface SerializeResponseOptions {
  /** The request this response answers: for HEAD, the head only (its Content-Length kept). */
  requestMethod?: string;
}

/** Methods whose request, sent with no body, still says Content-Length: 0 (as fetch does). */
const BODY_METHODS = ['POST', 'PUT', 'PATCH'];
/** Framing fields: the serializer writes its own. */
const FRAMING = ['content-length', 'transfer-encoding'];

// Headers names and values are ByteStrings and URLs ASCII: latin1Bytes maps each character to its byte.

function declaredLength(headers: Headers): number | undefined {
  const value = headers.get('content-length');
  return value !== null && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

function fieldLines(headers: Headers, skip: string[]): string {
  let text = '';
  // Each Set-Cookie comes on its own (Fetch's "sort and combine" keeps them apart).
  headers.forEach((value, name) => {
    if (!skip.includes(name)) text += `${name}: ${value}\r\n`;
  });
  return text;
}

/**
 * A message to frame. `length`: the body's declared length (the body must match it), undefined
 * for chunked; `body` null with `head` ending the message.
 */
interface Framing {
  head: string;
  body: ReadableStream<Uint8Array> | null;
  length: number | undefined;
}

/** The head, then the framed body; `prepare` runs at the first read. */
function framed(prepare: () => Framing | Promise<Framing>): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let sent = 0;
  let body: ReadableStream<Uint8Array> | null = null;
  let length: number | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!reader && !body) {
          const message = await prepare();
          ({ body, length } = message);
          controller.enqueue(latin1Bytes(message.head));
          if (!body) controller.close();
          else reader = body.getReader();
          return;
        }
        for (;;) {
          const read = await reader!.read();
          if (read.done) {
            if (length === undefined) controller.enqueue(latin1Bytes('0\r\n\r\n'));
            else if (sent !== length) throw new TypeError(`wirehttp: the body had ${sent} bytes, its Content-Length says ${length}`);
            controller.close();
            return;
          }
          const chunk = read.value;
          if (!(chunk instanceof Uint8Array)) throw new TypeError('wirehttp: a body chunk is not a Uint8Array');
          if (chunk.length === 0) continue;
          sent += chunk.length;
          if (length === undefined) {
            // One piece per chunk (size line, data, CRLF): one write on the socket, not three.
            const size = latin1Bytes(`${chunk.length.toString(16)}\r\n`);
            const piece = new Uint8Array(size.length + chunk.length + 2);
            piece.set(size);
            piece.set(chunk, size.length);
            piece[piece.length - 2] = 13;
            piece[piece.length - 1] = 10;
            controller.enqueue(piece);
          } else {
            if (sent > length) throw new TypeError(`wirehttp: the body is longer than its Content-Length (${length})`);
            controller.enqueue(chunk);
          }
          return;
        }
      },
      cancel(reason) {
        return reader?.cancel(reason) ?? body?.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** The framing lines for a body: Content-Length when declared, else chunked. */
function framing(body: ReadableStream<Uint8Array> | null, length: number | undefined, emptyLength: boolean): string {
  if (!body) return emptyLength ? 'content-length: 0\r\n' : '';
  return length !== undefined ? `content-length: ${length}\r\n` : 'transfer-encoding: chunked\r\n';
}

/**
 * A Request as HTTP/1.1 bytes: origin-form target, Host from the Host field if the Request has
 * one (outside browsers) or else from its URL, the body framed by its Content-Length field when
 * it has one, else chunked.
 */
export function serializeRequest(request: Request): ReadableStream<Uint8Array> {
  const url = new URL(request.url);
  const headers = request.headers;
  const frame = (body: ReadableStream<Uint8Array> | null, length: number | undefined): Framing => ({
    head:
      `${request.method} ${url.pathname}${url.search} HTTP/1.1\r\n` +
      `host: ${headers.get('host') ?? url.host}\r\n` +
      fieldLines(headers, ['host', ...FRAMING]) +
      framing(body, length, BODY_METHODS.includes(request.method)) +
      '\r\n',
    body,
    length,
  });
  // Firefox's Request has no body stream (no `body` property): its bytes come whole, their length known.
  if (request.body === undefined) {
    return framed(async () => {
      const bytes = new Uint8Array(await request.arrayBuffer());
      return bytes.length ? frame(new Response(bytes).body, bytes.length) : frame(null, undefined);
    });
  }
  const body = request.body;
  return framed(() => frame(body, body ? declaredLength(headers) : undefined));
}

/**
 * A Response as HTTP/1.1 bytes: its status and statusText, its fields (every Set-Cookie on its
 * own line), the body framed by its Content-Length field when it has one, else chunked.
 * 204 and 304 carry no framing and no body; HEAD (`requestMethod`) the head alone.
 */
export function serializeResponse(response: Response, options: SerializeResponseOptions = {}): ReadableStream<Uint8Array> {
  const { status, headers } = response;
  const noContent = status === 204 || status === 304;
  const headOnly = noContent || options.requestMethod?.toUpperCase() === 'HEAD';
  const body = response.body;
  const length = declaredLength(headers);
  let head = `HTTP/1.1 ${status} ${response.statusText}\r\n` + fieldLines(headers, FRAMING);
  if (headOnly) {
    // A HEAD response says what a GET would have framed; 204 and 304 say nothing.
    if (!noContent) head += framing(body, length, true);
    void body?.cancel();
    return framed(() => ({ head: head + '\r\n', body: null, length: undefined }));
  }
  return framed(() => ({ head: head + framing(body, length, true) + '\r\n', body, length }));
}
