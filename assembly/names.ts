// Names and texts for the constants in constants.ts, for the bindings only: nothing in the
// wasm imports this file, so these strings stay out of its data section. Keep the order of
// each list equal to its enum's (test/api.test.ts checks the lengths).

/** Err → the llhttp / Node code name. */
export const ERROR_NAMES: string[] = [
  "HPE_OK",
  "HPE_INTERNAL",
  "HPE_STRICT",
  "HPE_CR_EXPECTED",
  "HPE_LF_EXPECTED",
  "HPE_UNEXPECTED_CONTENT_LENGTH",
  "HPE_UNEXPECTED_SPACE",
  "HPE_CLOSED_CONNECTION",
  "HPE_INVALID_METHOD",
  "HPE_INVALID_URL",
  "HPE_INVALID_CONSTANT",
  "HPE_INVALID_VERSION",
  "HPE_INVALID_HEADER_TOKEN",
  "HPE_INVALID_CONTENT_LENGTH",
  "HPE_INVALID_CHUNK_SIZE",
  "HPE_INVALID_STATUS",
  "HPE_INVALID_EOF_STATE",
  "HPE_INVALID_TRANSFER_ENCODING",
  "HPE_HEADER_OVERFLOW",
  "HPE_CHUNK_EXTENSIONS_OVERFLOW",
];

/** Why → the reason text. */
export const REASONS: string[] = [
  "",
  "Invalid method",
  "Invalid character in request target",
  "Invalid request target form",
  "Invalid character in URL scheme",
  "Expected HTTP/",
  "Invalid HTTP version",
  "Expected CRLF after version",
  "Invalid status code",
  "Invalid character in reason phrase",
  "Invalid character in header name",
  "Empty header name",
  "Unexpected whitespace before the first header",
  "Obsolete line folding (obs-fold) is not allowed",
  "Invalid character in header value",
  "Expected LF after CR",
  "Expected CR before LF",
  "Empty Content-Length",
  "Invalid character in Content-Length",
  "Content-Length overflow",
  "Duplicate Content-Length",
  "Transfer-Encoding can't be present with Content-Length",
  "Transfer-Encoding must end with chunked in a request",
  "Invalid character in chunk size",
  "Chunk size overflow",
  "Invalid character in chunk extensions",
  "Chunk extensions exceed 16 KiB",
  "Expected CRLF after chunk data",
  "Header section exceeds maxHeaderSize",
  "Trailer section exceeds maxHeaderSize",
  "Data after the connection was closed (Connection: close)",
  "Input ended inside a message",
  "Content-Length and Transfer-Encoding are not allowed in trailers",
];

/** Option names in Lenient bit order (bit i = 1 << i). */
export const LENIENT_NAMES = [
  "headers",
  "chunkedLength",
  "keepAlive",
  "transferEncoding",
  "version",
  "dataAfterClose",
  "optionalLfAfterCr",
  "optionalCrlfAfterChunk",
  "optionalCrBeforeLf",
  "spacesAfterChunkSize",
] as const;

export type LenientFlag = (typeof LENIENT_NAMES)[number];

/**
 * Node's http.METHODS order (llhttp's ids differ; we only need names). The wasm matches methods
 * and well-known header names from tables it builds from these two lists, which JS writes into
 * its memory at instantiation (bindings/core/wasm.ts): as AssemblyScript strings they would be
 * most of the module's data section.
 */
export const METHODS: string[] = [
  "DELETE", "GET", "HEAD", "POST", "PUT", "CONNECT", "OPTIONS", "TRACE", "COPY", "LOCK", "MKCOL",
  "MOVE", "PROPFIND", "PROPPATCH", "SEARCH", "UNLOCK", "BIND", "REBIND", "UNBIND", "ACL", "REPORT",
  "MKACTIVITY", "CHECKOUT", "MERGE", "M-SEARCH", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "PATCH",
  "PURGE", "MKCALENDAR", "LINK", "UNLINK", "SOURCE", "QUERY",
];

/**
 * Header names recognised in wasm, in their usual spelling; id = index + 1 (0 = not known).
 * The framing fields come first so their ids (Known in constants.ts) are fixed.
 */
export const KNOWN_HEADERS: string[] = [
  "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "Host", "Content-Type",
  "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Accept-Charset", "Cookie",
  "Set-Cookie", "Referer", "Authorization", "Proxy-Authorization", "Cache-Control", "Pragma",
  "Origin", "If-Modified-Since", "If-Unmodified-Since", "If-None-Match", "If-Match", "If-Range",
  "Range", "Date", "Server", "Location", "ETag", "Last-Modified", "Expires", "Age", "Vary",
  "Keep-Alive", "Expect", "TE", "Trailer", "Content-Encoding", "Content-Language", "Content-Range",
  "Content-Disposition", "Content-Location", "Access-Control-Allow-Origin",
  "Access-Control-Allow-Credentials", "Access-Control-Allow-Headers", "Access-Control-Allow-Methods",
  "Access-Control-Expose-Headers", "Access-Control-Max-Age", "Access-Control-Request-Headers",
  "Access-Control-Request-Method", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest",
  "Sec-Fetch-User", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform",
  "Upgrade-Insecure-Requests", "DNT", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
  "X-Requested-With", "X-Real-IP", "Forwarded", "Via", "From", "Max-Forwards", "Retry-After",
  "WWW-Authenticate", "Proxy-Authenticate", "Strict-Transport-Security", "Link", "Allow",
  "Accept-Ranges", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions",
  "Sec-WebSocket-Protocol", "Sec-WebSocket-Accept", "Priority", "Content-Security-Policy",
  "X-Content-Type-Options", "X-Frame-Options", "Alt-Svc", "Purpose", "Save-Data",
];
