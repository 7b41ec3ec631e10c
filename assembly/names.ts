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

/**
 * Why → the reason text: llhttp's for the same condition (Node's err.message is "Parse Error: "
 * + this), ours only where llhttp accepts what we reject.
 */
export const REASONS: string[] = [
  "",
  "Invalid method encountered",
  "Invalid char in url path",
  "Unexpected start char in url",
  "Unexpected char in url schema",
  "Expected HTTP/, RTSP/ or ICE/",
  "Invalid HTTP version",
  "Expected CRLF after version",
  "Invalid status code",
  "Invalid character in reason phrase", // ours: llhttp accepts any byte there
  "Invalid header token",
  "Invalid header token",
  "Unexpected space after start line",
  "Unexpected whitespace after header value",
  "Invalid header value char",
  "Expected LF after CR",
  "Expected CR before LF", // ours: before a start line, where llhttp skips CR and LF
  "Empty Content-Length",
  "Invalid character in Content-Length",
  "Content-Length overflow",
  "Duplicate Content-Length",
  "Transfer-Encoding can't be present with Content-Length",
  "Request has invalid `Transfer-Encoding`",
  "Invalid character in chunk size",
  "Chunk size overflow",
  "Invalid character in chunk extensions",
  "Chunk extensions overflow",
  "Expected LF after chunk data",
  "Header overflow",
  "Header overflow",
  "Data after `Connection: close`",
  "Invalid EOF state",
  "Transfer-Encoding is not allowed in response trailers", // ours: llhttp accepts it
  "Content-Length can't be present with Transfer-Encoding",
  "Invalid `Transfer-Encoding` header value",
  "Invalid major version",
  "Expected dot",
  "Invalid minor version",
  "Expected space after version",
  "Invalid response status",
  "Missing expected CR after response line",
  "Missing expected CR after header value",
  "Missing expected LF after header value",
  "Invalid header field char",
  "Expected LF after headers",
  "Missing expected CR after chunk size",
  "Expected LF after chunk size",
  "Missing expected CR after chunk extension value",
  "Missing expected CR after chunk data",
  "Missing expected CR after chunk extension name",
  "Invalid character in chunk extensions name",
  "Invalid character in chunk extensions value",
  "Invalid character in chunk extensions quoted value",
  "Invalid quoted-pair in chunk extensions quoted value",
  "Invalid character in chunk extensions quote value",
  "Unexpected char in url server",
  "Invalid char in url query",
  "Invalid characters in url",
  "Expected CRLF",
  "Missing HTTP version (HTTP/0.9 request lines are not accepted)", // ours: llhttp accepts them
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
 * and well-known header names from tables it builds from these lists, which JS writes into
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
 * Methods llhttp knows beyond Node's METHODS: never accepted, but an invalid method's error is
 * placed where llhttp places it, after the longest prefix of any method llhttp knows.
 */
export const LLHTTP_ONLY_METHODS: string[] = [
  "PRI", "DESCRIBE", "ANNOUNCE", "SETUP", "PLAY", "PAUSE", "TEARDOWN", "GET_PARAMETER",
  "SET_PARAMETER", "REDIRECT", "RECORD", "FLUSH",
];

/**
 * Header names recognised in wasm, in their usual spelling; id = index + 1 (0 = not known).
 * The framing fields come first so their ids (Known in constants.ts) are fixed.
 */
export const KNOWN_HEADERS: string[] = [
  "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "Proxy-Connection", "Host", "Content-Type",
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
