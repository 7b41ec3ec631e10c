import type { MessageHead } from '../core/index.js';

/** Which part of a valid HTTP message a Web `Request` / `Response` cannot hold. */
export type NotRepresentableCode = 'METHOD' | 'STATUS' | 'URL' | 'HEADER' | 'BODY';

/**
 * A message that is valid HTTP but that `new Request()` / `new Response()` refuses (CONNECT,
 * TRACE, a 1xx or 600+ status, a target with no URL, a field value the Headers class rejects, a
 * body on GET or 204). Nothing is lost: `head` is the parsed head and `body` its body, unread.
 */
export class NotRepresentableError extends TypeError {
  readonly code: NotRepresentableCode;
  readonly head: MessageHead;
  readonly body: ReadableStream<Uint8Array> | Uint8Array | null;

  constructor(code: NotRepresentableCode, reason: string, head: MessageHead, body: ReadableStream<Uint8Array> | Uint8Array | null) {
    super(`wirehttp: ${reason}`);
    this.name = 'NotRepresentableError';
    this.code = code;
    this.head = head;
    this.body = body;
  }
}
