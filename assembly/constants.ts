// Constants shared by the wasm parser (AssemblyScript) and the TypeScript bindings.
// This file must stay valid in both languages: const enums and string arrays only.
// Strings only JS needs live in names.ts, so they stay out of the wasm data section.

/** Error codes. Names (ERROR_NAMES in names.ts) follow llhttp / Node so existing handlers keep working. */
export const enum Err {
  OK = 0,
  INTERNAL,
  STRICT,
  CR_EXPECTED,
  LF_EXPECTED,
  UNEXPECTED_CONTENT_LENGTH,
  UNEXPECTED_SPACE,
  CLOSED_CONNECTION,
  INVALID_METHOD,
  INVALID_URL,
  INVALID_CONSTANT,
  INVALID_VERSION,
  INVALID_HEADER_TOKEN,
  INVALID_CONTENT_LENGTH,
  INVALID_CHUNK_SIZE,
  INVALID_STATUS,
  INVALID_EOF_STATE,
  INVALID_TRANSFER_ENCODING,
  HEADER_OVERFLOW,
  CHUNK_EXTENSIONS_OVERFLOW,
}

/**
 * Why the parser stopped at a byte. Several conditions share an error code (as in llhttp),
 * so the reason says which rule was broken. Texts: REASONS in names.ts.
 */
export const enum Why {
  NONE = 0,
  BAD_METHOD,
  BAD_TARGET_CHAR,
  BAD_TARGET_FORM,
  BAD_SCHEME,
  EXPECTED_HTTP,
  BAD_VERSION,
  EXPECTED_CRLF_AFTER_VERSION,
  BAD_STATUS,
  BAD_REASON_CHAR,
  BAD_NAME_CHAR,
  EMPTY_NAME,
  SPACE_BEFORE_FIRST_HEADER,
  OBS_FOLD,
  BAD_VALUE_CHAR,
  LF_EXPECTED,
  CR_EXPECTED,
  EMPTY_CONTENT_LENGTH,
  BAD_CONTENT_LENGTH_CHAR,
  CONTENT_LENGTH_OVERFLOW,
  DUPLICATE_CONTENT_LENGTH,
  TE_WITH_CONTENT_LENGTH,
  TE_NOT_CHUNKED_FINAL,
  BAD_CHUNK_SIZE_CHAR,
  CHUNK_SIZE_OVERFLOW,
  BAD_CHUNK_EXTENSION_CHAR,
  CHUNK_EXTENSIONS_TOO_LONG,
  EXPECTED_CRLF_AFTER_CHUNK,
  HEAD_TOO_LARGE,
  TRAILERS_TOO_LARGE,
  DATA_AFTER_CLOSE,
  EOF_IN_MESSAGE,
  FRAMING_IN_TRAILERS,
  CONTENT_LENGTH_WITH_TE,
  CODING_AFTER_CHUNKED,
  BAD_MAJOR,
  EXPECTED_DOT,
  BAD_MINOR,
  EXPECTED_SPACE_AFTER_VERSION,
  BAD_RESPONSE_STATUS,
  NO_CR_AFTER_RESPONSE_LINE,
  NO_CR_AFTER_VALUE,
  NO_LF_AFTER_VALUE,
  BAD_FIELD_CHAR,
  NO_LF_AFTER_HEADERS,
  NO_CR_AFTER_CHUNK_SIZE,
  NO_LF_AFTER_CHUNK_SIZE,
  NO_CR_AFTER_CHUNK_EXTENSION,
  NO_CR_AFTER_CHUNK_DATA,
  NO_CR_AFTER_CHUNK_EXTENSION_NAME,
  BAD_EXTENSION_NAME_CHAR,
  BAD_EXTENSION_VALUE_CHAR,
  BAD_EXTENSION_QUOTED_CHAR,
  BAD_EXTENSION_QUOTED_PAIR,
  BAD_CHAR_AFTER_EXTENSION_QUOTE,
  BAD_SERVER_CHAR,
  BAD_QUERY_CHAR,
  BAD_URL_CHARS,
  EXPECTED_CRLF_IN_URL,
  MISSING_VERSION,
}

/** Lenient flags: bit values equal Node's HTTPParser.kLenient* so they pass straight through. */
export const enum Lenient {
  HEADERS = 1,
  CHUNKED_LENGTH = 2,
  KEEP_ALIVE = 4,
  TRANSFER_ENCODING = 8,
  VERSION = 16,
  DATA_AFTER_CLOSE = 32,
  OPTIONAL_LF_AFTER_CR = 64,
  OPTIONAL_CRLF_AFTER_CHUNK = 128,
  OPTIONAL_CR_BEFORE_LF = 256,
  SPACES_AFTER_CHUNK_SIZE = 512,
}

/** Per-message flags, written into the head record. */
export const enum Flag {
  KEEP_ALIVE = 1,
  UPGRADE = 2,
  CHUNKED = 4,
  CONTENT_LENGTH = 8,
  TRANSFER_ENCODING = 16,
  CONNECTION_CLOSE = 32,
  CONNECTION_KEEP_ALIVE = 64,
  CONNECTION_UPGRADE = 128,
  UPGRADE_HEADER = 256,
  NON_ASCII = 512,
  OBS_FOLD = 1024,
  SKIP_BODY = 2048,
}

/** Record kinds in the token table. */
export const enum Rec {
  HEAD = 1,
  BODY = 2,
  TRAILERS = 3,
  COMPLETE = 4,
  ERROR = 5,
}

/**
 * Head record layout, in u32 words. Header fields follow as HEADER_WORDS each:
 * [nameStart, nameLen | knownId << NAME_ID_SHIFT | caseForm << NAME_CASE_SHIFT, valueStart, valueLen].
 */
export const enum Head {
  KIND = 0,
  FLAGS,
  START,
  LENGTH,
  METHOD_OR_STATUS,
  TARGET_START,
  TARGET_LENGTH,
  VERSION,
  CONTENT_LENGTH_LO,
  CONTENT_LENGTH_HI,
  HEADER_COUNT,
  WORDS,
}

/** Body record: [kind, start, length]. Message-complete record: [kind, offset after the message]. */

/** Trailer record: [kind, start, length, count, ...fields]. */
export const enum Trailer {
  KIND = 0,
  START,
  LENGTH,
  COUNT,
  WORDS,
}

export const enum Field {
  NAME_START = 0,
  NAME,
  VALUE_START,
  VALUE_LENGTH,
  WORDS,
  NAME_LENGTH_MASK = 0xfffff,
  NAME_ID_SHIFT = 20,
  NAME_ID_MASK = 0xff,
  NAME_CASE_SHIFT = 28, // = NAME_ID_SHIFT + 8: parseFields shifts a lookupHeader result (id | case << 8) once
}

/** How a known header name was spelled: lets JS reuse an interned string instead of slicing. */
export const enum NameCase {
  OTHER = 0,
  LOWER = 1,
  CANONICAL = 2,
}

/** Words of the per-parser state block that JS saves and restores around each call. */
export const enum State {
  PHASE = 0,
  TYPE,
  LENIENT,
  MAX_HEADER_SIZE,
  MESSAGE_FLAGS,
  RESERVED, // keeps the u64 words below 8-byte aligned
  REMAINING_LO, // u64 (even word): body or chunk bytes still to come
  REMAINING_HI,
  CONTENT_LENGTH_LO, // u64 (even word)
  CONTENT_LENGTH_HI,
  CHUNK_EXT_BYTES,
  METHOD,
  STATUS_CODE,
  VERSION,
  DECISION, // JS -> wasm: onHeadersComplete's answer, when JS rewinds to a head's end
  STOP, // wasm -> JS: why execute returned
  ERROR_CODE,
  ERROR_WHY,
  ERROR_AT,
  TABLE_WORDS, // wasm -> JS: words written into the token table
  HEADS_FROM, // wasm -> JS: the input span holding this call's heads, their total size and OR'd flags,
  HEADS_TO, //   so JS can decode several pipelined heads with one call
  HEADS_BYTES,
  HEADS_FLAGS,
  HEADS_COUNT,
  // An incomplete head or trailer section: where its first unjudged line starts (relative to the
  // section; 0 = the start line is not complete) and what parseFields carries across lines, so
  // check() can judge new lines without parsing the section again.
  RESUME_AT,
  RESUME_FLAGS,
  RESUME_FIELD, // last framing field id | (no field line yet) << 8 | (JS -> wasm: end of input) << 16
  WORDS,
}

export const enum Resume {
  FIRST = 0x100,
  /** The field read last has an empty value so far (an obs-fold gives a framing field its value). */
  EMPTY_VALUE = 0x200,
  /** The Connection value read last ends where an obs-fold continues its list. */
  LIST_OPEN = 0x400,
  EOF = 0x10000,
}

/** Parser phases (saved across calls). */
export const enum Phase {
  MESSAGE_START = 0,
  AWAIT_DECISION,
  BODY_LENGTH,
  BODY_UNTIL_EOF,
  CHUNK_SIZE_START,
  CHUNK_SIZE,
  CHUNK_SIZE_SPACES,
  CHUNK_EXT_NAME_START,
  CHUNK_EXT_NAME,
  CHUNK_EXT_VALUE_START,
  CHUNK_EXT_VALUE_TOKEN,
  CHUNK_EXT_VALUE_QUOTED,
  CHUNK_EXT_VALUE_ESCAPE,
  CHUNK_EXT_AFTER_QUOTED,
  CHUNK_SIZE_LF,
  CHUNK_DATA,
  CHUNK_DATA_CR,
  CHUNK_DATA_LF,
  TRAILERS,
  CLOSED,
  UPGRADED,
  FAILED,
}

/** Why execute returned before the end of its input (State.STOP). */
export const enum Stop {
  DONE = 0, // consumed everything it was given
  NEED_MORE, // a head or trailer section is incomplete: JS keeps the bytes from the returned offset
  TABLE_FULL, // drain the token table and call again from the returned offset
  UPGRADED, // the rest of the input belongs to another protocol
  FAILED, // an error record was written
}

export const enum Decision {
  DEFAULT = 0,
  SKIP_BODY = 1,
  UPGRADE = 2,
  NO_UPGRADE = 3,
}

export const enum Limits {
  /** Largest maxHeaderSize accepted: the head must fit in wasm memory whole. */
  MAX_HEADER_SIZE = 131072,
  DEFAULT_MAX_HEADER_SIZE = 16384,
  DEFAULT_MAX_HEADERS_COUNT = 2000,
  /** Node's kMaxChunkExtensionsSize. */
  MAX_CHUNK_EXTENSIONS = 16384,
  INPUT_CAPACITY = 196608,
  /** Bytes between the input buffer and the token table: comparisons may read a u64 / v128 past the input's end. */
  INPUT_SLACK = 64,
  /** Room for the largest possible head: every field at least 4 bytes ("a:\r\n"). */
  TABLE_WORDS = 135168,
  /** Parser state blocks kept in wasm memory (parsers beyond this copy theirs in and out). */
  SLOTS = 4096,
  /** Bytes per state block (State.WORDS words, rounded up to 16). */
  SLOT_BYTES = 112,
  /**
   * Where the scratch state block starts, the slots after it; the input buffer follows them
   * (INPUT_AT = STATE_AT + (SLOTS + 1) * SLOT_BYTES), the token table the input (assembly/index.ts's
   * layout()). Fixed, so JS needs no call to find them; the static tables end below STATE_AT.
   */
  STATE_AT = 32768,
  INPUT_AT = 491632,
}

/** Ids of METHODS entries (names.ts) the parser treats specially. */
export const enum Method {
  HEAD = 2,
  CONNECT = 5,
  OPTIONS = 6,
}

/** Ids of KNOWN_HEADERS entries (names.ts) that framing depends on (id = index + 1). */
export const enum Known {
  CONTENT_LENGTH = 1,
  TRANSFER_ENCODING = 2,
  CONNECTION = 3,
  UPGRADE = 4,
  PROXY_CONNECTION = 5,
}
