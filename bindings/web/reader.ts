// Messages read one at a time from a ReadableStream of bytes: each message's head as soon as it
// has arrived, its body as a ReadableStream pulled from the source as it is read (back-pressure
// reaches the source). One parser per stream, reset between messages; bytes read past a
// message's end wait for the next one.
import { HttpParser, ParseError, type MessageEnd, type MessageHead, type MessageType, type ParserOptions } from '../core/index.js';

export interface MessageParts {
  head: MessageHead;
  /** null when the message has no body (none framed, Content-Length: 0, HEAD, 1xx, 204, 304). */
  body: ReadableStream<Uint8Array> | null;
  /** The trailer fields, once the body has been read; rejects if the message fails. */
  trailers: Promise<string[]>;
  /** Settles when the message is done with: read to its end, cancelled, or failed. */
  settled: Promise<void>;
  /** The connection stays open after this message. */
  keepAlive: boolean;
}

export interface NextOptions {
  /** The request this response answers: HEAD responses have no body, a 2xx to CONNECT opens a tunnel. */
  requestMethod?: string;
  /** Called with each interim 1xx response (100 Continue, 103 Early Hints) before the final one. */
  onInformational?: (head: MessageHead) => void;
}

/** Thrown from onMessageComplete to stop the parser at the end of the message. */
const STOP = Symbol('wirehttp: message complete');

const noop = () => {};

class Deferred<T> {
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;
  readonly promise = new Promise<T>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
}

/** The message being read. */
class Current {
  head: MessageHead | undefined = undefined;
  stream: ReadableStream<Uint8Array> | undefined = undefined;
  body: ReadableStreamDefaultController<Uint8Array> | undefined = undefined;
  /** Body bytes were handed out since the last pull. */
  delivered = false;
  complete = false;
  /** Nobody reads the body: drop its bytes. */
  discard = false;
  /** The message is a 1xx interim response: the final one follows on the same parser. */
  interim = false;
  /** The connection changes protocol after this message. */
  switches = false;
  keepAlive = false;
  readonly trailers = new Deferred<string[]>();
  readonly settled = new Deferred<void>();

  constructor(readonly options: NextOptions) {
    this.trailers.promise.catch(noop); // a failure is reported through next() or the body first
  }
}

function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError('wirehttp: the stream gave a chunk that is not bytes');
}

export class MessageReader {
  readonly type: MessageType;
  private readonly source: ReadableStreamDefaultReader<unknown>;
  private readonly parser: HttpParser;
  /** Bytes read past the end of the last message. */
  private leftover: Uint8Array | undefined = undefined;
  /** Bytes given to the parser since its last reset (its offsets count from there). */
  private fed = 0;
  private endOffset = 0;
  private ended = false;
  private failure: unknown = undefined;
  private switched = false;
  private current: Current | undefined = undefined;
  private stepping: Promise<void> | undefined = undefined;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(readable: ReadableStream<unknown>, type: MessageType, options: ParserOptions = {}) {
    this.type = type;
    this.parser = new HttpParser(type, options);
    this.parser.onHeadersComplete = (head) => this.onHead(head);
    this.parser.onBody = (chunk) => this.onBody(chunk);
    this.parser.onMessageComplete = (end) => this.onComplete(end);
    this.source = readable.getReader();
  }

  /**
   * The next message's head and body; null when the stream ends cleanly before another message.
   * Calls run in order; a call made while the previous body is unread drains (and drops) it.
   */
  next(options: NextOptions = {}): Promise<MessageParts | null> {
    const result = this.turn.then(() => this.readHead(options));
    this.turn = result.catch(noop);
    return result;
  }

  /** Why reading stopped (a ParseError, the source's error), if it did. */
  get failed(): unknown {
    return this.failure;
  }

  /** Stops reading: the source is cancelled, a body being read errors. */
  cancel(reason?: unknown): Promise<void> {
    this.fail(reason ?? new TypeError('wirehttp: reading was cancelled'));
    return this.source.cancel(reason).catch(noop);
  }

  private async readHead(options: NextOptions): Promise<MessageParts | null> {
    await this.dropUnread();
    if (this.failure !== undefined) throw this.failure;
    if (this.switched) throw new TypeError('wirehttp: the connection changed protocol after the last message; what follows is not HTTP');
    const m = (this.current = new Current(options));
    while (m.head === undefined) {
      if (this.failure !== undefined) throw this.failure;
      if (this.ended && this.leftover === undefined) {
        m.settled.resolve();
        return null;
      }
      await this.step();
    }
    return { head: m.head, body: m.stream ?? null, trailers: m.trailers.promise, settled: m.settled.promise, keepAlive: m.keepAlive };
  }

  /** Reads the rest of a message nobody finished reading. */
  private async dropUnread(): Promise<void> {
    const m = this.current;
    if (!m || m.complete || this.failure !== undefined) return;
    if (m.body && !m.discard) m.body.error(new TypeError('wirehttp: the next message was read before this body'));
    m.discard = true;
    while (!m.complete && this.failure === undefined) await this.step();
  }

  private async pull(m: Current): Promise<void> {
    m.delivered = false;
    // A pull that enqueues nothing is not called again: keep reading until it does.
    while (!m.delivered && !m.complete && this.failure === undefined) await this.step();
  }

  /** One chunk (or the end of the stream) through the parser. */
  private step(): Promise<void> {
    return (this.stepping ??= this.stepOnce().finally(() => (this.stepping = undefined)));
  }

  private async stepOnce(): Promise<void> {
    const held = this.leftover;
    if (held !== undefined) {
      this.leftover = undefined;
      return this.feed(held);
    }
    if (this.ended) return;
    let read: ReadableStreamReadResult<unknown>;
    try {
      read = await this.source.read();
    } catch (error) {
      return this.fail(error);
    }
    if (read.done) return this.end();
    try {
      this.feed(asBytes(read.value));
    } catch (error) {
      this.fail(error);
    }
  }

  private feed(chunk: Uint8Array): void {
    const start = this.fed;
    this.fed += chunk.length;
    try {
      this.parser.execute(chunk);
    } catch (error) {
      if (error !== STOP) return this.fail(error);
      const rest = this.endOffset - start;
      if (rest < chunk.length) this.leftover = chunk.subarray(rest);
      this.parser.reset();
      this.fed = 0;
    }
  }

  private end(): void {
    this.ended = true;
    try {
      this.parser.finish();
    } catch (error) {
      if (error !== STOP) this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    const m = this.current;
    if (!m || m.complete) return;
    if (m.body && !m.discard) m.body.error(error);
    m.trailers.reject(error);
    m.settled.resolve();
  }

  private onHead(head: MessageHead): boolean | number {
    const m = this.current!;
    const { onInformational } = m.options;
    const requestMethod = m.options.requestMethod?.toUpperCase();
    let noBody = false;
    let decision: boolean | number = false;
    if (this.type === 'response') {
      const status = head.statusCode!;
      if (status < 200 && status !== 101) {
        m.interim = true;
        onInformational?.(head);
        return false; // no body: the parser frames 1xx that way
      }
      if (requestMethod === 'HEAD') decision = true;
      else if (requestMethod === 'CONNECT' && status < 300) decision = 2;
      m.switches = status === 101 || decision === 2;
      noBody = decision !== false || m.switches || status === 204 || status === 304;
      // head.shouldKeepAlive was settled before the HEAD answer: it counts a body read until close.
      m.keepAlive = head.shouldKeepAlive || (decision === true && connectionAllowsReuse(head));
    } else {
      m.switches = head.method === 'CONNECT';
      // A Request has no way to switch protocols: an Upgrade request is read as plain HTTP.
      if (head.upgrade && !m.switches) decision = 3;
      noBody = m.switches || (!head.chunked && !head.contentLength);
      m.keepAlive = head.shouldKeepAlive;
    }
    m.head = head;
    if (!noBody && head.contentLength !== 0) {
      m.stream = new ReadableStream<Uint8Array>(
        {
          start: (controller) => void (m.body = controller),
          pull: () => this.pull(m),
          cancel: () => {
            m.discard = true;
            if (!m.complete) m.settled.resolve(); // the next message may be read now (it drains this one)
          },
        },
        { highWaterMark: 0 },
      );
    }
    return decision;
  }

  private onBody(chunk: Uint8Array): void {
    const m = this.current!;
    if (m.interim || m.discard || !m.body) return;
    m.body.enqueue(chunk);
    m.delivered = true;
  }

  private onComplete(end: MessageEnd): void {
    const m = this.current!;
    if (m.interim) {
      m.interim = false;
      return;
    }
    m.complete = true;
    this.endOffset = end.offset;
    if (m.switches) this.switched = true;
    if (m.body && !m.discard) m.body.close();
    m.trailers.resolve(end.rawTrailers);
    m.settled.resolve();
    throw STOP;
  }
}

/** RFC 9112 §9.3: HTTP/1.1 unless Connection: close; HTTP/1.0 with Connection: keep-alive and no Transfer-Encoding. */
function connectionAllowsReuse(head: MessageHead): boolean {
  const tokens = String(head.headers.connection ?? '').toLowerCase().split(',').map((token) => token.trim());
  if (head.versionMinor >= 1) return !tokens.includes('close');
  return tokens.includes('keep-alive') && head.headers['transfer-encoding'] === undefined;
}

/** Readers per stream, so that successive readRequest / readResponse calls continue where the last stopped. */
const readers = new WeakMap<ReadableStream<unknown>, MessageReader>();

export function readerFor(readable: ReadableStream<unknown>, type: MessageType, options: ParserOptions): MessageReader {
  let reader = readers.get(readable);
  if (!reader) readers.set(readable, (reader = new MessageReader(readable, type, options)));
  else if (reader.type !== type) throw new TypeError(`wirehttp: this stream is already read for ${reader.type}s`);
  return reader;
}

/** What a client gets when the connection ends where a response should start. */
export function closedBeforeResponse(): ParseError {
  return new ParseError('HPE_INVALID_EOF_STATE', 'The connection closed before a response', 0);
}
