// The HTTP/1.x grammar (RFC 9112), in one file.
//
// Heads (start line + field section) and trailer sections are parsed whole: the caller hands
// them over once their empty line has arrived, so head parsing needs no resumable state and
// reads like the RFC. Bodies stream: Content-Length, chunked (a resumable state machine,
// since a chunk-size line may be split anywhere) and read-until-close.
//
// Nothing here allocates. Results go into the token table (see constants.ts for its layout);
// offsets in it are relative to the start of the input buffer.

import {
  Err, Why, Lenient, Flag, Rec, Head, Trailer, Field, State, Phase, Stop, Decision, Limits,
  Method, Known, Resume,
} from "./constants";
import { findSpecial, findNonToken, findByte, seenHighBits, resetSeenHighBits } from "./simd";
import {
  CLASS, isToken, isHex, hexValue, lookupMethod, methodPrefixLength, lookupHeader,
  isClose, isKeepAlive, isUpgrade, isChunked,
} from "./tables";

const CR: u32 = 0x0d;
const LF: u32 = 0x0a;
const SP: u32 = 0x20;
const HTAB: u32 = 0x09;

/** Largest Content-Length / chunk size: JS numbers stay exact up to 2^53 - 1. */
const MAX_LENGTH: u64 = 0x1fffffffffffff;

// Sentinels returned instead of a position (positions are always above the input start).
const INCOMPLETE: usize = 0;
const FAILED: usize = 1;
const TABLE_FULL: usize = 2;

/** Words a single step of the main loop may write outside a head. */
const STEP_RESERVE: i32 = 8;

/**
 * An error in a head or trailer section counts once the line holding it is complete, or at once
 * when it lies in the section's first EARLY bytes (a bad method, most start lines): JS parses
 * again at each line end and while a section is shorter than this, so on any prefix the verdict
 * is the same however the bytes were split, and a trickled section costs linear work.
 */
const EARLY: usize = 64;

// ---- the call's context ----------------------------------------------------------------------

// Fixed addresses (Limits, assembly/index.ts's layout()).
const input: usize = <usize>Limits.INPUT_AT;
const table: usize = <usize>Limits.INPUT_AT + <usize>Limits.INPUT_CAPACITY + <usize>Limits.INPUT_SLACK;
const tableCapacity: i32 = Limits.TABLE_WORDS;
let tw: i32 = 0; // words written into the table this call
let st: usize = 0; // the calling parser's state block

let isResponse = false;
let lenient: u32 = 0;
let maxHeaderSize: usize = 0;

let errCode: i32 = 0;
let errWhy: i32 = 0;
let errAt: usize = 0;

// Where parseFields was when it stopped: the start of the line it was in (0: still in the start
// line) and what it carries from line to line (Resume.FIRST included). check() resumes a section from there.
let resumeLine: usize = 0;
let resumeKnown: u32 = 0;
/** check() is judging lines only: field records are scratch. */
let checking = false;
/** The input has ended: a section's last line is as complete as it will get. */
let atEof = false;

// Heads parsed in this call (reported so JS can decode them with one call).
let headsFrom: usize = 0;
let headsTo: usize = 0;
let headsBytes: u32 = 0;
let headsFlags: u32 = 0;
let headsCount: u32 = 0;

// Message being framed (kept in the state block between calls).
let flags: u32 = 0;
let method: i32 = -1;
let statusCode: u32 = 0;
let versionMajor: u32 = 0;
let versionMinor: u32 = 0;
let contentLength: u64 = 0;

// @ts-ignore: decorator
@inline function byte(p: usize): u32 {
  return <u32>load<u8>(p);
}

// @ts-ignore: decorator
@inline function word(i: i32): u32 {
  return wordAt(st, i);
}

// @ts-ignore: decorator
@inline function setWord(i: i32, v: u32): void {
  setWordAt(st, i, v);
}

// The same at a state block in a local: V8 loads a global again after every store, so the many
// words loadState() and saveState() move read `st` once.
// @ts-ignore: decorator
@inline function wordAt(s: usize, i: i32): u32 {
  return load<u32>(s + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function setWordAt(s: usize, i: i32, v: u32): void {
  store<u32>(s + (<usize>i << 2), v);
}

// @ts-ignore: decorator
@inline function put(v: u32): void {
  store<u32>(table + (<usize>tw << 2), v);
  tw++;
}

// @ts-ignore: decorator
@inline function putAt(index: i32, v: u32): void {
  store<u32>(table + (<usize>index << 2), v);
}

// @ts-ignore: decorator
@inline function rel(p: usize): u32 {
  return <u32>(p - input);
}

// @ts-ignore: decorator
@inline function allowed(flag: u32): bool {
  return (lenient & flag) != 0;
}

function fail(code: Err, why: Why, at: usize): usize {
  errCode = code;
  errWhy = why;
  errAt = at;
  return FAILED;
}

/**
 * The end of a line at p (which holds CR or LF). Returns the position after it, INCOMPLETE,
 * or FAILED with `bareLf` for a bare LF or `lonelyCr` for a CR without LF (codes as llhttp's).
 * `crAlone` is the lenient flag that lets a CR end this line on its own, as in llhttp: a start
 * line or the empty line (optionalLfAfterCr), an empty field value (headers), else none.
 */
function lineEnd(p: usize, end: usize, bareLf: Err, bareLfWhy: Why, lonelyCr: Err, lonelyCrWhy: Why, crAlone: u32): usize {
  if (byte(p) == CR) {
    if (p + 1 >= end) return INCOMPLETE;
    if (byte(p + 1) == LF) return p + 2;
    if (allowed(crAlone)) return p + 1;
    return fail(lonelyCr, lonelyCrWhy, p + 1);
  }
  if (allowed(Lenient.OPTIONAL_CR_BEFORE_LF)) return p + 1;
  // llhttp reports a bare LF past it, except after a field value (where it only peeks at it).
  return fail(bareLf, bareLfWhy, bareLfWhy == Why.NO_CR_AFTER_VALUE ? p : p + 1);
}

/**
 * The end of a request line. llhttp reads a bare LF here (optionalCrBeforeLf) as the CR: an LF
 * must still follow it, unless optionalLfAfterCr.
 */
function requestLineEnd(p: usize, end: usize): usize {
  if (byte(p) == LF && !allowed(Lenient.OPTIONAL_CR_BEFORE_LF)) return fail(Err.INVALID_VERSION, Why.EXPECTED_CRLF_AFTER_VERSION, p + 1);
  if (p + 1 >= end) return INCOMPLETE;
  if (byte(p + 1) == LF) return p + 2;
  if (allowed(Lenient.OPTIONAL_LF_AFTER_CR)) return p + 1;
  return fail(Err.STRICT, Why.EXPECTED_CRLF_AFTER_VERSION, p + 1);
}

// ---- start lines -----------------------------------------------------------------------------

/** "HTTP/" DIGIT "." DIGIT */
function parseVersion(p: usize, end: usize): usize {
  // The usual HTTP/1.1 or HTTP/1.0, whole: one comparison (the two differ in the last bit).
  if (p + 8 <= end && (load<u64>(p) & 0xfeffffffffffffff) == 0x302e312f50545448) {
    versionMajor = 1;
    versionMinor = byte(p + 7) & 1;
    return p + 8;
  }
  const prefix: u64 = 0x2f50545448; // "HTTP/" little-endian
  for (let i: usize = 0; i < 5; i++) {
    if (p + i >= end) return INCOMPLETE;
    if (<u64>byte(p + i) != ((prefix >> (i << 3)) & 0xff)) {
      return fail(Err.INVALID_CONSTANT, Why.EXPECTED_HTTP, p + i);
    }
  }
  p += 5;
  if (p + 3 > end) {
    // Validate what has arrived so errors do not wait for more input.
    if (p < end && !isDigit(byte(p))) return fail(Err.INVALID_VERSION, Why.BAD_MAJOR, p);
    if (p + 1 < end && byte(p + 1) != 0x2e) return fail(Err.INVALID_VERSION, Why.EXPECTED_DOT, p + 1);
    return INCOMPLETE;
  }
  const major = byte(p) - 0x30;
  const minor = byte(p + 2) - 0x30;
  // Blame the first bad byte in order, whatever has arrived (split invariance).
  if (major > 9) return fail(Err.INVALID_VERSION, Why.BAD_MAJOR, p);
  if (byte(p + 1) != 0x2e) return fail(Err.INVALID_VERSION, Why.EXPECTED_DOT, p + 1);
  if (minor > 9) return fail(Err.INVALID_VERSION, Why.BAD_MINOR, p + 2);
  if (!allowed(Lenient.VERSION) && !(major == 1 && minor <= 1)) {
    return fail(Err.INVALID_VERSION, Why.BAD_VERSION, p + 3); // llhttp checks it after the minor digit
  }
  versionMajor = major;
  versionMinor = minor;
  return p + 3;
}

// @ts-ignore: decorator
@inline function isDigit(c: u32): bool {
  return c - 0x30 <= 9;
}

// @ts-ignore: decorator
@inline function isAlpha(c: u32): bool {
  return (c | 0x20) - 0x61 <= 25;
}

/**
 * request-target forms (RFC 9112 §3.2): origin-form "/…", absolute-form "scheme://…",
 * authority-form "host:port" (CONNECT only), asterisk-form "*" (OPTIONS only).
 * The bytes were already checked for SP, CTLs, DEL and non-ASCII.
 */
function checkTarget(t: usize, n: usize): usize {
  const c = byte(t);
  if (method == Method.CONNECT) {
    // authority-form: uri-host ":" port (no userinfo)
    let colon: usize = 0;
    for (let i: usize = 0; i < n; i++) {
      const b = byte(t + i);
      if (!isAuthorityChar(b) || b == 0x40) return fail(Err.INVALID_URL, Why.BAD_TARGET_FORM, t + i);
      if (b == 0x3a) colon = i;
    }
    if (colon == 0 || colon + 1 == n) return fail(Err.INVALID_URL, Why.BAD_TARGET_FORM, t + colon);
    for (let i = colon + 1; i < n; i++) {
      if (!isDigit(byte(t + i))) return fail(Err.INVALID_URL, Why.BAD_TARGET_FORM, t + i);
    }
    return t + n;
  }
  if (c == 0x2f) return t + n;
  if (c == 0x2a) {
    if (n == 1 && method == Method.OPTIONS) return t + n;
    return fail(Err.INVALID_URL, Why.BAD_TARGET_FORM, t);
  }
  // absolute-form: a scheme of letters (http, https, ws, wss — llhttp allows no more), "://",
  // then a non-empty authority (RFC 9110 4.2.1: an http URI with an empty host is invalid).
  if (!isAlpha(c)) return fail(Err.INVALID_URL, Why.BAD_TARGET_FORM, t);
  let i: usize = 1;
  while (i < n && isAlpha(byte(t + i))) i++;
  if (i + 3 > n || byte(t + i) != 0x3a || byte(t + i + 1) != 0x2f || byte(t + i + 2) != 0x2f) {
    return fail(Err.INVALID_URL, Why.BAD_SCHEME, t + (i < n ? i : n - 1));
  }
  const authority = i + 3;
  for (i = authority; i < n; i++) {
    const b = byte(t + i);
    if (b == 0x2f || b == 0x3f || b == 0x23) break;
    if (!isAuthorityChar(b)) return fail(Err.INVALID_URL, Why.BAD_SERVER_CHAR, t + i);
  }
  if (i == authority) return fail(Err.INVALID_URL, Why.BAD_TARGET_FORM, t + i);
  return t + n;
}

/** RFC 3986 authority bytes: unreserved, pct-encoded, sub-delims, ":", "@", "[", "]". */
function isAuthorityChar(b: u32): bool {
  if (isAlpha(b) || isDigit(b)) return true;
  // - . _ ~ % ! $ & ' ( ) * + , ; = : @ [ ]
  return b == 0x2d || b == 0x2e || b == 0x5f || b == 0x7e || b == 0x25 || b == 0x21 || b == 0x24 ||
    (b >= 0x26 && b <= 0x2c) || b == 0x3b || b == 0x3d || b == 0x3a || b == 0x40 || b == 0x5b || b == 0x5d;
}

/**
 * A CTL, DEL or non-ASCII byte at p in the target starting at t, reported as llhttp reports it:
 * HTAB and FF one byte on, a CR at the byte after it, and a reason naming the part it fell in.
 */
function badTargetByte(t: usize, p: usize, end: usize): usize {
  const c = byte(p);
  if (c == HTAB || c == 0x0c) return fail(Err.INVALID_URL, Why.BAD_URL_CHARS, p + 1);
  if (c == CR || c == LF) {
    // CRLF or LF here is a version-less (HTTP/0.9) request line, which llhttp accepts and we do not.
    if (c == CR && p + 1 >= end) return INCOMPLETE;
    if (c == LF || byte(p + 1) == LF) return fail(Err.INVALID_URL, Why.MISSING_VERSION, p);
    return fail(Err.INVALID_URL, Why.EXPECTED_CRLF_IN_URL, p + 1);
  }
  if (p == t) return fail(Err.INVALID_URL, Why.BAD_TARGET_FORM, p);
  let why = Why.BAD_TARGET_CHAR;
  let q = t;
  if (byte(t) != 0x2f && byte(t) != 0x2a) {
    // absolute-form: still in the authority until the first "/" or "?" after "//"
    while (q < p && byte(q) != 0x3a) q++;
    if (q >= p) return fail(Err.INVALID_URL, Why.BAD_SCHEME, p);
    q += 3;
    while (q < p && byte(q) != 0x2f && byte(q) != 0x3f) q++;
    if (q >= p) why = Why.BAD_SERVER_CHAR;
  }
  for (; q < p; q++) {
    if (byte(q) == 0x3f) {
      why = Why.BAD_QUERY_CHAR;
      break;
    }
  }
  return fail(Err.INVALID_URL, why, p);
}

/** request-line = method SP request-target SP HTTP-version CRLF */
function parseRequestLine(p: usize, end: usize, rec: i32): usize {
  const m = p;
  p = findNonToken(p, end, CLASS);
  if (p == end) {
    // Fail early when what has arrived cannot begin any method.
    const known = methodPrefixLength(m, p - m);
    return known < p - m ? fail(Err.INVALID_METHOD, Why.BAD_METHOD, m + known) : INCOMPLETE;
  }
  method = byte(p) == SP ? lookupMethod(m, p - m) : -1;
  if (method < 0) return fail(Err.INVALID_METHOD, Why.BAD_METHOD, m + methodPrefixLength(m, p - m));
  p++;

  const t = p;
  p = findSpecial(p, end, 0x21, true);
  if (p == end) return INCOMPLETE;
  if (byte(p) != SP) return badTargetByte(t, p, end);
  if (p == t) return fail(Err.INVALID_URL, Why.BAD_TARGET_FORM, p);
  // No request-target form carries a fragment (RFC 9112 3.2).
  const hash = findByte(t, p, 0x23);
  if (hash < p) return fail(Err.INVALID_URL, Why.BAD_TARGET_CHAR, hash);
  if (checkTarget(t, p - t) == FAILED) return FAILED;
  const at = table + (<usize>rec << 2); // (as in parseHead)
  store<u32>(at, <u32>method, Head.METHOD_OR_STATUS << 2);
  store<u32>(at, rel(t), Head.TARGET_START << 2);
  store<u32>(at, <u32>(p - t), Head.TARGET_LENGTH << 2);
  p++;

  p = parseVersion(p, end);
  if (p <= TABLE_FULL) return p;
  if (p == end) return INCOMPLETE;
  const c = byte(p);
  if (c != CR && c != LF) return fail(Err.INVALID_VERSION, Why.EXPECTED_CRLF_AFTER_VERSION, p);
  return requestLineEnd(p, end);
}

/** status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF (the SP before an empty reason may be missing) */
function parseStatusLine(p: usize, end: usize, rec: i32): usize {
  p = parseVersion(p, end);
  if (p <= TABLE_FULL) return p;
  if (p == end) return INCOMPLETE;
  if (byte(p) != SP) return fail(Err.INVALID_VERSION, Why.EXPECTED_SPACE_AFTER_VERSION, p);
  p++;
  let code: u32 = 0;
  for (let i = 0; i < 3; i++) {
    if (p == end) return INCOMPLETE;
    const d = byte(p) - 0x30;
    if (d > 9 || (i == 0 && d == 0)) return fail(Err.INVALID_STATUS, Why.BAD_STATUS, p);
    code = code * 10 + d;
    p++;
  }
  statusCode = code;
  const at = table + (<usize>rec << 2); // (as in parseHead)
  store<u32>(at, code, Head.METHOD_OR_STATUS << 2);
  if (p == end) return INCOMPLETE;
  let c = byte(p);
  let reason = p;
  if (c == SP) {
    reason = ++p;
    while (true) {
      p = findSpecial(p, end, 0x20, false);
      if (p == end) return INCOMPLETE;
      c = byte(p);
      if (((<u32>0x2400 >> c) & 1) != 0) break; // CR or LF (as in scanValue)
      if (c != HTAB && !allowed(Lenient.HEADERS)) return fail(Err.INVALID_STATUS, Why.BAD_REASON_CHAR, p);
      p++;
    }
  } else if (c != CR && c != LF) {
    return fail(Err.INVALID_STATUS, Why.BAD_RESPONSE_STATUS, p);
  }
  store<u32>(at, rel(reason), Head.TARGET_START << 2);
  store<u32>(at, <u32>(p - reason), Head.TARGET_LENGTH << 2);
  if (p + 1 < end && load<u16>(p) == 0x0a0d) return p + 2; // the usual CRLF, without a call
  const noReason = reason == p && c != SP;
  // Where a CR may end the status line alone, llhttp takes a second CR right after it as its LF.
  if (c == CR && p + 1 < end && byte(p + 1) == CR && allowed(Lenient.OPTIONAL_LF_AFTER_CR)) return p + 2;
  return lineEnd(p, end, noReason ? Err.INVALID_STATUS : Err.CR_EXPECTED, noReason ? Why.BAD_RESPONSE_STATUS : Why.NO_CR_AFTER_RESPONSE_LINE,
    Err.STRICT, Why.LF_EXPECTED, Lenient.OPTIONAL_LF_AFTER_CR);
}

// ---- field sections --------------------------------------------------------------------------

/** Content-Length = 1*DIGIT; a second Content-Length field is rejected even when equal (as llhttp). */
function onContentLength(v: usize, n: usize): usize {
  if (flags & Flag.CONTENT_LENGTH) return fail(Err.UNEXPECTED_CONTENT_LENGTH, Why.DUPLICATE_CONTENT_LENGTH, v);
  if ((flags & Flag.TRANSFER_ENCODING) != 0 && !allowed(Lenient.CHUNKED_LENGTH)) {
    return fail(Err.INVALID_CONTENT_LENGTH, Why.CONTENT_LENGTH_WITH_TE, v);
  }
  if (n == 0) return fail(Err.INVALID_CONTENT_LENGTH, Why.EMPTY_CONTENT_LENGTH, v);
  let value: u64 = 0;
  for (let i: usize = 0; i < n; i++) {
    const d = <u64>(byte(v + i) - 0x30);
    if (d > 9) return fail(Err.INVALID_CONTENT_LENGTH, Why.BAD_CONTENT_LENGTH_CHAR, v + i);
    value = value * 10 + d;
    if (value > MAX_LENGTH) return fail(Err.INVALID_CONTENT_LENGTH, Why.CONTENT_LENGTH_OVERFLOW, v + i);
  }
  flags |= Flag.CONTENT_LENGTH;
  contentLength = value;
  return v + n;
}

/**
 * Walks a comma-separated list (RFC 9110 §5.6.1: empty elements allowed, OWS around commas),
 * calling `onElement` for each non-empty element. Returns FAILED if a callback failed.
 */
function forEachElement(v: usize, n: usize, kind: i32): usize {
  const end = v + n;
  let p = v;
  while (p < end) {
    while (p < end && (byte(p) == 0x2c || byte(p) == SP || byte(p) == HTAB)) p++;
    const s = p;
    p = findByte(p, end, 0x2c); // (a byte loop cost ~8 instructions a byte: "keep-alive", "chunked")
    let e = p;
    while (e > s && (byte(e - 1) == SP || byte(e - 1) == HTAB)) e--;
    if (e > s && onElement(kind, s, e - s) == FAILED) return FAILED;
  }
  return end;
}

function onElement(kind: i32, s: usize, n: usize): usize {
  if (kind == Known.CONNECTION) {
    if (isClose(s, n)) flags |= Flag.CONNECTION_CLOSE;
    else if (isKeepAlive(s, n)) flags |= Flag.CONNECTION_KEEP_ALIVE;
    else if (isUpgrade(s, n)) flags |= Flag.CONNECTION_UPGRADE;
    return s + n;
  }
  // Transfer-Encoding: chunked must be the final coding, and only once.
  if (flags & Flag.CHUNKED) {
    if (!isResponse && !allowed(Lenient.TRANSFER_ENCODING)) {
      return fail(Err.INVALID_TRANSFER_ENCODING, Why.CODING_AFTER_CHUNKED, s);
    }
    flags &= ~Flag.CHUNKED;
  }
  if (isChunked(s, n)) flags |= Flag.CHUNKED;
  return s + n;
}

/**
 * Framing fields are acted on as they are parsed. Content-Length and Transfer-Encoding in
 * trailers are rejected and Connection there still counts, as in llhttp.
 */
function onFramingField(id: u32, v: usize, n: usize, inTrailers: bool): usize {
  // llhttp reads a list value as plain text from the element holding a control byte (lenient
  // headers): that element is no known token, and the elements after it are not read.
  if (valueCtl >= v && valueCtl < v + n && id != Known.CONTENT_LENGTH) {
    let e = valueCtl;
    while (e < v + n && byte(e) != 0x2c) e++;
    n = e - v;
  }
  // Proxy-Connection counts as Connection, as in llhttp (and so in Node).
  if (id == Known.CONNECTION || id == Known.PROXY_CONNECTION) return forEachElement(v, n, Known.CONNECTION);
  if (id == Known.UPGRADE) {
    // An empty Upgrade names no protocol: llhttp does not count it either.
    if (!inTrailers && n > 0) flags |= Flag.UPGRADE_HEADER;
    return v + n;
  }
  if (inTrailers) {
    // llhttp rejects these only by its framing rules, which the lenient flags lift: a
    // Content-Length beside the chunked coding (chunkedLength), a coding after chunked in a
    // request (transferEncoding). They change nothing once the body has been read.
    const lifted = id == Known.CONTENT_LENGTH
      ? allowed(Lenient.CHUNKED_LENGTH)
      : !isResponse && allowed(Lenient.TRANSFER_ENCODING) && ((flags & Flag.CONTENT_LENGTH) == 0 || allowed(Lenient.CHUNKED_LENGTH));
    if (!lifted) {
      if (id == Known.CONTENT_LENGTH) return fail(Err.INVALID_CONTENT_LENGTH, Why.CONTENT_LENGTH_WITH_TE, v);
      return fail(Err.INVALID_TRANSFER_ENCODING, isResponse ? Why.FRAMING_IN_TRAILERS : Why.CODING_AFTER_CHUNKED, v);
    }
    if (id == Known.CONTENT_LENGTH) {
      const framing = flags;
      const r = onContentLength(v, n);
      flags = framing | (flags & Flag.CONTENT_LENGTH);
      return r;
    }
    return v + n;
  }
  if (id == Known.CONTENT_LENGTH) return onContentLength(v, n);
  if ((flags & Flag.CONTENT_LENGTH) != 0 && !allowed(Lenient.CHUNKED_LENGTH)) {
    return fail(Err.INVALID_TRANSFER_ENCODING, Why.TE_WITH_CONTENT_LENGTH, v);
  }
  flags |= Flag.TRANSFER_ENCODING;
  return forEachElement(v, n, Known.TRANSFER_ENCODING);
}

/**
 * field-line = field-name ":" OWS field-value OWS, up to and including the empty line.
 * Records every field after the word at `countAt` (maxHeadersCount only limits the JS
 * headers object, as in Node); returns the position after the empty line.
 */
function parseFields(p: usize, end: usize, countAt: i32, framing: bool, lastKnown: u32): usize {
  // `framing` is false for trailers. The write index lives in a local here (the hot loop).
  let w = tw;
  valueCtl = 0;
  let count: u32 = 0;
  // llhttp (lenient headers) skips one SP before the first field: decided once, outside the loop.
  // `lastKnown` carries Resume.FIRST until the first field is recorded (one word to save per line).
  let spaceFirst = (lastKnown & Resume.FIRST) != 0 && framing && allowed(Lenient.HEADERS);
  while (true) {
    resumeLine = p;
    resumeKnown = lastKnown;
    if (p >= end) return INCOMPLETE;
    let c = byte(p);
    // Line starts other than a field name's (an empty line, obs-fold, a space) are all <= SP:
    // one comparison keeps the usual line off their tests.
    let fold = false;
    if (c <= SP) {
      if (c == SP && spaceFirst) {
        // llhttp (lenient headers) skips one SP before the first field.
        if (p + 1 >= end) return INCOMPLETE;
        c = byte(++p);
        if (c == SP || c == HTAB) return fail(Err.INVALID_HEADER_TOKEN, Why.BAD_NAME_CHAR, p);
      }
      if (c == CR || c == LF) {
        const after = c == CR && p + 1 < end && byte(p + 1) == LF ? p + 2 : lineEnd(p, end, Err.INVALID_HEADER_TOKEN, Why.BAD_FIELD_CHAR, Err.STRICT, Why.NO_LF_AFTER_HEADERS, Lenient.OPTIONAL_LF_AFTER_CR);
        if (after > TABLE_FULL) {
          putAt(countAt, count);
          tw = w;
        }
        return after;
      }
      if (c == SP || c == HTAB) {
        // A line starting with whitespace: obs-fold, or junk before the first field.
        if (lastKnown & Resume.FIRST) {
          return fail(framing ? Err.UNEXPECTED_SPACE : Err.INVALID_HEADER_TOKEN, Why.SPACE_BEFORE_FIRST_HEADER, p);
        }
        if (!allowed(Lenient.HEADERS)) return fail(Err.INVALID_HEADER_TOKEN, Why.OBS_FOLD, p);
        fold = true;
      }
    }

    // One scanValue call site for field lines and obs-fold lines alike: it is inlined, and a
    // second copy for the (lenient-only) fold would cost 0.2 KB of gzipped wasm.
    // (A fold line has no name: nameLength stays 0 for it, and only for it.)
    const name = p;
    let nameLength: usize = 0;
    let known: u32 = 0;
    let id: u32 = 0;
    if (!fold) {
      p = findNonToken(p, end, CLASS);
      if (p == end) return INCOMPLETE;
      // One call site: binaryen inlines it.
      known = lookupHeader(name, p - name);
      if (byte(p) != 0x3a) {
        // llhttp (lenient headers) lets SP stand between a framing field's name and its colon.
        const framingName = (known & 0xff) - 1 < <u32>Known.PROXY_CONNECTION;
        if (byte(p) != SP || !framingName || !allowed(Lenient.HEADERS)) {
          return fail(Err.INVALID_HEADER_TOKEN, byte(p) == SP && framingName ? Why.BAD_FIELD_CHAR : Why.BAD_NAME_CHAR, p);
        }
        while (p < end && byte(p) == SP) p++;
        if (p == end) return INCOMPLETE;
        if (byte(p) == 0x3a) {
          known &= 0xff; // the name is sent with its spaces (as llhttp reports it): slice it
        } else {
          // A token after the spaces makes it an ordinary field's name, as in llhttp.
          const rest = p;
          while (p < end && isToken(byte(p))) p++;
          if (p == end) return INCOMPLETE;
          if (p == rest || byte(p) != 0x3a) return fail(Err.INVALID_HEADER_TOKEN, Why.BAD_NAME_CHAR, p);
          known = 0;
        }
      }
      nameLength = p - name;
      if (nameLength == 0) return fail(Err.INVALID_HEADER_TOKEN, Why.EMPTY_NAME, p);
      p++;
      // OWS: nearly always one SP. (The byte at `end` may be read: the input buffer has slack.)
      if (p < end && byte(p) == SP) p++;
      if (byte(p) <= SP) while (p < end && (byte(p) == SP || byte(p) == HTAB)) p++;
      id = known & 0xff;
    }
    const value = p;
    const r = scanValue(p, end, id, nameLength != 0 || (lastKnown & Resume.EMPTY_VALUE) != 0);
    if (r <= TABLE_FULL) return r;
    if (nameLength == 0) {
      let v = p;
      while (v < valueEnd && (byte(v) == SP || byte(v) == HTAB)) v++;
      const id = lastKnown & 0xff;
      if (id - 1 < <u32>Known.PROXY_CONNECTION && (lastKnown & Resume.EMPTY_VALUE) != 0) {
        // llhttp reads a fold after a framing field's empty value as the value itself.
        if (v == valueEnd && r >= end) return INCOMPLETE;
        if (v < valueEnd || (byte(r) != SP && byte(r) != HTAB)) {
          lastKnown = id | (v == valueEnd ? Resume.EMPTY_VALUE : 0) | connectionListOpen(id, v, valueEnd);
          if (onFramingField(id, v, valueEnd - v, !framing) == FAILED) return FAILED;
        }
      } else {
        if (v < valueEnd) lastKnown &= ~Resume.EMPTY_VALUE;
        if (id - 1 < <u32>Known.PROXY_CONNECTION) {
          if (onFoldedFramingField(lastKnown, v, valueEnd - v, framing) == FAILED) return FAILED;
          if ((lastKnown & Resume.LIST_OPEN) != 0 && v < valueEnd) lastKnown = (lastKnown & ~Resume.LIST_OPEN) | connectionListOpen(id, v, valueEnd);
        }
      }
      // Stretch the previous value over the fold; JS removes the line breaks. (check() may
      // start at a fold, with the field's record in an earlier call.) A fold of whitespace
      // alone adds nothing, as in llhttp.
      if (w > tw && valueEnd > p) {
        const at = w - Field.WORDS;
        const start = <usize>load<u32>(table + (<usize>(at + Field.VALUE_START) << 2)) + input;
        putAt(at + Field.VALUE_LENGTH, <u32>(valueEnd - start));
      }
      flags |= Flag.OBS_FOLD;
      p = r;
      continue;
    }
    p = r;

    const emptyValue = valueEnd == value;
    lastKnown = id | (<u32>emptyValue * Resume.EMPTY_VALUE); // a shift, not a select
    if (id - 1 < <u32>Known.PROXY_CONNECTION) {
      let deferred = false;
      if (emptyValue && allowed(Lenient.HEADERS)) {
        // An empty value may yet be given by an obs-fold (see above): wait for the next line.
        if (p >= end) return INCOMPLETE;
        deferred = byte(p) == SP || byte(p) == HTAB;
      }
      if (allowed(Lenient.HEADERS)) lastKnown |= connectionListOpen(id, value, valueEnd);
      if (!deferred && onFramingField(id, value, valueEnd - value, !framing) == FAILED) {
        // llhttp tells Content-Length and Transfer-Encoding apart once it has read the colon.
        if (errWhy == Why.TE_WITH_CONTENT_LENGTH || errWhy == Why.CONTENT_LENGTH_WITH_TE) errAt = name + nameLength + 1;
        return FAILED;
      }
    }
    if (w + Field.WORDS > tableCapacity) {
      if (!checking) return TABLE_FULL;
      w = tw; // the records are scratch: write over them
    }
    const slot = table + (<usize>w << 2);
    store<u32>(slot, rel(name));
    // `known` is the id with the NameCase at bits 8..: one shift places both (NAME_CASE_SHIFT is
    // NAME_ID_SHIFT + 8).
    store<u32>(slot, <u32>nameLength | (known << Field.NAME_ID_SHIFT), 4);
    store<u32>(slot, rel(value), 8);
    store<u32>(slot, <u32>(valueEnd - value), 12);
    w += Field.WORDS;
    count++;
    spaceFirst = false;
  }
  return FAILED;
}

/** End of the value scanned last, trailing OWS excluded. */
let valueEnd: usize = 0;
/** The first control byte in a value (lenient headers), or 0: reset per field section. */
let valueCtl: usize = 0;

function trimEnd(from: usize, e: usize): usize {
  while (e > from && (byte(e - 1) == SP || byte(e - 1) == HTAB)) e--;
  return e;
}

/** Scans a field value from p through its line end; sets valueEnd, returns the next line's start. */
// @ts-ignore: decorator
@inline function scanValue(p: usize, end: usize, id: u32, emptyBefore: bool): usize {
  const value = p;
  let c: u32 = 0;
  while (true) {
    p = findSpecial(p, end, 0x20, false);
    if (p >= end) return INCOMPLETE;
    c = byte(p);
    // CR or LF, in one test: c is a CTL or DEL here, and the shift takes its low 5 bits (DEL: bit 31).
    if (((<u32>0x2400 >> c) & 1) != 0) break;
    if (c != HTAB) {
      if (!allowed(Lenient.HEADERS)) {
        if (id == Known.CONTENT_LENGTH) return fail(Err.INVALID_CONTENT_LENGTH, Why.BAD_CONTENT_LENGTH_CHAR, p);
        return fail(Err.INVALID_HEADER_TOKEN, Why.BAD_VALUE_CHAR, p);
      }
      // llhttp's lenient value scan, entered at a control byte, runs to the first CR or LF and
      // takes a bare LF there as the line end.
      valueCtl = p;
      let q = p + 1;
      while (q < end && byte(q) != CR && byte(q) != LF) q++;
      if (q >= end) return INCOMPLETE;
      if (byte(q) == LF) {
        valueEnd = trimEnd(value, q);
        return q + 1;
      }
      p = q;
      break;
    }
    p++;
  }
  // Most values end in a visible byte (and an empty one after the colon): no trailing OWS to trim.
  valueEnd = byte(p - 1) > SP ? p : trimEnd(value, p);
  if (p + 1 < end && load<u16>(p) == 0x0a0d) return p + 2;
  // llhttp's codes differ for an empty value's line end, and lenient headers let a CR end it alone.
  const empty = valueEnd == value && emptyBefore; // (a fold's value starts with its whitespace)
  if (empty) return lineEnd(p, end, Err.INVALID_HEADER_TOKEN, Why.BAD_VALUE_CHAR, Err.STRICT, Why.LF_EXPECTED, Lenient.HEADERS);
  return lineEnd(p, end, Err.CR_EXPECTED, Why.NO_CR_AFTER_VALUE, Err.LF_EXPECTED, Why.NO_LF_AFTER_VALUE, 0);
}

/**
 * An obs-fold line (lenient headers) continuing a framing field after a non-empty value, read as
 * llhttp reads it: a folded Content-Length is a second one; a fold may continue a Connection list
 * (see connectionListOpen); a Transfer-Encoding fold is plain text, after which chunked no longer
 * counts. `known`: the field's id with its Resume bits.
 */
function onFoldedFramingField(known: u32, v: usize, n: usize, framing: bool): usize {
  const id = known & 0xff;
  if (id == Known.CONTENT_LENGTH) return fail(Err.UNEXPECTED_CONTENT_LENGTH, Why.DUPLICATE_CONTENT_LENGTH, v);
  if (known & Resume.LIST_OPEN) return forEachElement(v, n, Known.CONNECTION);
  // llhttp reads a fold of a Transfer-Encoding value as plain text: chunked no longer counts.
  if (id == Known.TRANSFER_ENCODING && framing) flags &= ~Flag.CHUNKED;
  return v + n;
}

/**
 * Resume.LIST_OPEN if an obs-fold after this Connection value [v, e) goes on with its list, as
 * in llhttp: after a comma or an unknown token; not after a known token (close, keep-alive,
 * upgrade) or text that starts with one, where llhttp reads the fold as plain text.
 */
function connectionListOpen(id: u32, v: usize, e: usize): u32 {
  if (id != Known.CONNECTION && id != Known.PROXY_CONNECTION) return 0;
  let s = e;
  while (s > v && byte(s - 1) != 0x2c) s--;
  while (s < e && (byte(s) == SP || byte(s) == HTAB)) s++;
  const n = e - s;
  if ((n >= 5 && isClose(s, 5)) || (n >= 7 && isUpgrade(s, 7)) || (n >= 10 && isKeepAlive(s, 10))) return 0;
  return Resume.LIST_OPEN;
}

// ---- messages --------------------------------------------------------------------------------

/** Parses a whole head at [start, end); on success the head record is in the table. */
function parseHead(start: usize, end: usize): usize {
  const rec = tw;
  if (rec + Head.WORDS > tableCapacity) return TABLE_FULL;
  tw += Head.WORDS;
  flags = 0;
  method = -1;
  statusCode = 0;
  contentLength = 0;
  resetSeenHighBits();

  resumeLine = 0;
  let p = isResponse ? parseStatusLine(start, end, rec) : parseRequestLine(start, end, rec);
  if (p > TABLE_FULL) p = parseFields(p, end, rec + Head.HEADER_COUNT, true, Resume.FIRST);
  if (p <= TABLE_FULL) {
    tw = rec;
    return p;
  }

  if ((flags & Flag.TRANSFER_ENCODING) != 0) {
    if (!isResponse && (flags & Flag.CHUNKED) == 0 && !allowed(Lenient.TRANSFER_ENCODING) && !allowed(Lenient.CHUNKED_LENGTH)) {
      tw = rec;
      return fail(Err.INVALID_TRANSFER_ENCODING, Why.TE_NOT_CHUNKED_FINAL, p - 1);
    }
  }
  if ((flags & Flag.UPGRADE_HEADER) != 0 && (flags & Flag.CONNECTION_UPGRADE) != 0) {
    if (!isResponse || statusCode == 101) flags |= Flag.UPGRADE;
  } else if (method == Method.CONNECT) {
    flags |= Flag.UPGRADE;
  }
  if (seenHighBits & 0x80) flags |= Flag.NON_ASCII;
  if (shouldKeepAlive()) flags |= Flag.KEEP_ALIVE;

  // The record's words at immediate offsets from one address (putAt reloads `table` for each).
  const at = table + (<usize>rec << 2);
  store<u32>(at, Rec.HEAD, Head.KIND << 2);
  store<u32>(at, flags, Head.FLAGS << 2);
  if (headsBytes == 0) headsFrom = start;
  headsTo = p;
  headsBytes += <u32>(p - start);
  headsFlags |= flags;
  headsCount++;
  store<u32>(at, rel(start), Head.START << 2);
  store<u32>(at, <u32>(p - start), Head.LENGTH << 2);
  if (!isResponse) store<u32>(at, <u32>method, Head.METHOD_OR_STATUS << 2);
  store<u32>(at, (versionMajor << 8) | versionMinor, Head.VERSION << 2);
  store<u64>(at, contentLength, Head.CONTENT_LENGTH_LO << 2); // and _HI, the word after it
  return p;
}

/** Response whose body is delimited by the connection closing (RFC 9112 §6.3 rule 8). */
function needsEof(): bool {
  if (!isResponse) return false;
  if (statusCode < 200 || statusCode == 204 || statusCode == 304 || (flags & Flag.SKIP_BODY) != 0) return false;
  if ((flags & Flag.TRANSFER_ENCODING) != 0 && (flags & Flag.CHUNKED) == 0) return true;
  return (flags & (Flag.CHUNKED | Flag.CONTENT_LENGTH)) == 0;
}

function shouldKeepAlive(): bool {
  if (versionMajor > 0 && versionMinor > 0) {
    if (flags & Flag.CONNECTION_CLOSE) return false;
  } else {
    if ((flags & Flag.CONNECTION_KEEP_ALIVE) == 0) return false;
    // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing; close after it.
    if (flags & Flag.TRANSFER_ENCODING) return false;
  }
  return !needsEof();
}

/** Chooses the body framing once onHeadersComplete has answered; returns the next phase. */
function frame(decision: u32): u32 {
  if (decision == Decision.SKIP_BODY) flags |= Flag.SKIP_BODY;
  else if (decision == Decision.UPGRADE) flags |= Flag.UPGRADE | Flag.SKIP_BODY;
  else if (decision == Decision.NO_UPGRADE) flags &= ~Flag.UPGRADE;
  const hasBody = (flags & Flag.CHUNKED) != 0 || contentLength > 0;
  if ((flags & Flag.UPGRADE) != 0 && (method == Method.CONNECT || (flags & Flag.SKIP_BODY) != 0 || !hasBody)) {
    return Phase.UPGRADED;
  }
  if (isResponse && statusCode == 101 && decision != Decision.NO_UPGRADE) {
    flags |= Flag.UPGRADE;
    return Phase.UPGRADED;
  }
  if ((flags & Flag.SKIP_BODY) != 0 || (isResponse && (statusCode < 200 || statusCode == 204 || statusCode == 304))) {
    return Phase.MESSAGE_START;
  }
  if (flags & Flag.CHUNKED) return Phase.CHUNK_SIZE_START;
  if (flags & Flag.TRANSFER_ENCODING) return Phase.BODY_UNTIL_EOF;
  if (flags & Flag.CONTENT_LENGTH) return contentLength > 0 ? Phase.BODY_LENGTH : Phase.MESSAGE_START;
  return isResponse ? Phase.BODY_UNTIL_EOF : Phase.MESSAGE_START;
}

/** After a head at p: a message without a body completes at once. */
function startBody(decision: u32, p: usize): void {
  phase = frame(decision);
  if (phase == Phase.BODY_LENGTH) remaining = contentLength;
  else if (phase == Phase.MESSAGE_START || phase == Phase.UPGRADED) phase = complete(p);
}

/** Writes the message-complete record and picks what may follow it on this connection. */
function complete(p: usize): u32 {
  put(Rec.COMPLETE);
  put(rel(p));
  if (flags & Flag.UPGRADE) return Phase.UPGRADED;
  if (!shouldKeepAlive() && !allowed(Lenient.KEEP_ALIVE)) return Phase.CLOSED;
  return Phase.MESSAGE_START;
}

/**
 * Skips empty lines before a message (RFC 9112 §2.2). Returns the first other byte,
 * INCOMPLETE when a CR ends the input, or FAILED for a bare CR.
 */
function skipEmptyLines(p: usize, end: usize): usize {
  while (p < end) {
    const c = byte(p);
    if (c == LF) {
      if (!allowed(Lenient.OPTIONAL_CR_BEFORE_LF)) return fail(Err.CR_EXPECTED, Why.CR_EXPECTED, p);
      p++;
    } else if (c == CR) {
      if (p + 1 == end) return INCOMPLETE;
      if (byte(p + 1) != LF) return fail(Err.LF_EXPECTED, Why.LF_EXPECTED, p + 1);
      p += 2;
    } else {
      break;
    }
  }
  return p;
}

// ---- incomplete sections ---------------------------------------------------------------------

/**
 * Whether the line holding the error at `at` is complete within [start, end): an LF, or a CR with
 * a byte after it, at or after `at`, or the error is the byte after a CR or LF (a lenient line
 * end, or a line's first byte). JS parses again at exactly these points (HttpParser.nextStep).
 */
function lineComplete(at: usize, start: usize, end: usize): bool {
  if (at > start && (byte(at - 1) == CR || byte(at - 1) == LF)) return true;
  for (let q = at; q < end; q++) {
    const c = byte(q);
    if (c == LF || (c == CR && q + 1 < end)) return true;
  }
  return false;
}

/**
 * The result of parsing a section at [start, end) that FAILED, with an error in a line still
 * arriving held back (see EARLY). `head`: a head (else a trailer section) — EARLY applies to it.
 */
function settle(start: usize, end: usize, head: bool): usize {
  if (atEof || lineComplete(errAt, start, end)) return FAILED;
  if (head && end - start <= EARLY) return FAILED;
  const line = resumeLine;
  const known = resumeKnown;
  const lineFlags = flags;
  if (head && parseHead(start, start + EARLY) == FAILED) return FAILED;
  resumeLine = line;
  resumeKnown = known;
  flags = lineFlags;
  errCode = 0;
  return INCOMPLETE;
}

/** Records where check() resumes the incomplete section that starts at `start`. */
function saveResume(start: usize): void {
  setWord(State.RESUME_AT, resumeLine > start ? <u32>(resumeLine - start) : 0);
  setWord(State.RESUME_FLAGS, flags);
  setWord(State.RESUME_FIELD, resumeKnown);
}

/**
 * Judges the lines of an incomplete section that JS holds, from State.RESUME_AT: the input is
 * the section from there. Writes nothing JS reads but the state's resume words, STOP and the
 * error: NEED_MORE (RESUME_AT moved on), FAILED, or DONE when the section is complete (JS then
 * parses it whole).
 */
function check(length: u32): void {
  const end = input + <usize>length;
  const field = word(State.RESUME_FIELD);
  flags = word(State.RESUME_FLAGS);
  checking = true;
  let r = parseFields(input, end, 0, phase == Phase.MESSAGE_START, field & (0xff | Resume.FIRST | Resume.EMPTY_VALUE | Resume.LIST_OPEN));
  checking = false;
  // The input starts at a line start past RESUME_AT 0, so the byte before it (unseen here) ended
  // a line: an error on the first byte counts at once, as it does when the section is fed whole.
  const afterLineEnd = r == FAILED && errAt == input && word(State.RESUME_AT) > 0;
  if (r == FAILED && !afterLineEnd) r = settle(input, end, false);
  let stop = Stop.DONE;
  if (r == INCOMPLETE) {
    stop = Stop.NEED_MORE;
    const at = word(State.RESUME_AT);
    saveResume(input);
    setWord(State.RESUME_AT, at + rel(resumeLine));
  } else if (r == FAILED) {
    stop = Stop.FAILED;
    setWord(State.ERROR_CODE, <u32>errCode);
    setWord(State.ERROR_WHY, <u32>errWhy);
    setWord(State.ERROR_AT, rel(errAt));
  }
  setWord(State.TABLE_WORDS, 0);
  setWord(State.STOP, stop);
}

// ---- the entry points ------------------------------------------------------------------------

let phase: u32 = 0;
let remaining: u64 = 0;
let chunkExtBytes: u32 = 0;

function loadState(): void {
  const s = st;
  phase = wordAt(s, State.PHASE);
  isResponse = wordAt(s, State.TYPE) != 0;
  lenient = wordAt(s, State.LENIENT);
  maxHeaderSize = <usize>wordAt(s, State.MAX_HEADER_SIZE);
  flags = wordAt(s, State.MESSAGE_FLAGS);
  remaining = load<u64>(s + (<usize>State.REMAINING_LO << 2));
  chunkExtBytes = wordAt(s, State.CHUNK_EXT_BYTES);
  method = <i32>wordAt(s, State.METHOD);
  statusCode = wordAt(s, State.STATUS_CODE);
  versionMajor = wordAt(s, State.VERSION) >> 8;
  versionMinor = wordAt(s, State.VERSION) & 0xff;
  contentLength = load<u64>(s + (<usize>State.CONTENT_LENGTH_LO << 2));
  tw = 0;
  errCode = 0;
  atEof = (wordAt(s, State.RESUME_FIELD) & Resume.EOF) != 0;
  headsBytes = 0;
  headsFlags = 0;
  headsCount = 0;
}

function saveState(stop: Stop): void {
  const s = st;
  setWordAt(s, State.PHASE, phase);
  setWordAt(s, State.MESSAGE_FLAGS, flags);
  store<u64>(s + (<usize>State.REMAINING_LO << 2), remaining);
  setWordAt(s, State.CHUNK_EXT_BYTES, chunkExtBytes);
  setWordAt(s, State.METHOD, <u32>method);
  setWordAt(s, State.STATUS_CODE, statusCode);
  setWordAt(s, State.VERSION, (versionMajor << 8) | versionMinor);
  store<u64>(s + (<usize>State.CONTENT_LENGTH_LO << 2), contentLength);
  setWordAt(s, State.TABLE_WORDS, <u32>tw);
  setWordAt(s, State.HEADS_FROM, headsBytes ? rel(headsFrom) : 0);
  setWordAt(s, State.HEADS_TO, headsBytes ? rel(headsTo) : 0);
  setWordAt(s, State.HEADS_BYTES, headsBytes);
  setWordAt(s, State.HEADS_FLAGS, headsFlags);
  setWordAt(s, State.HEADS_COUNT, headsCount);
  setWordAt(s, State.STOP, stop);
  if (stop == Stop.FAILED && errCode != 0) {
    setWordAt(s, State.ERROR_CODE, <u32>errCode);
    setWordAt(s, State.ERROR_WHY, <u32>errWhy);
    setWordAt(s, State.ERROR_AT, rel(errAt));
  }
}

/** After the chunk-size line: data follows, or the trailer section after the last chunk. */
function chunkSizeLineDone(): u32 {
  chunkExtBytes = 0;
  return remaining == 0 ? Phase.TRAILERS : Phase.CHUNK_DATA;
}

/**
 * One byte of the chunked framing outside chunk data (size line, extensions, the CRLF after
 * data). Returns the next phase, or Phase.FAILED with the error set. `again` is set when the
 * byte must be read again in the new phase (a lenient missing CRLF).
 */
let again = false;

function chunkByte(c: u32, p: usize): u32 {
  again = false;
  if (phase == Phase.CHUNK_SIZE_START) {
    if (isHex(c)) {
      remaining = <u64>hexValue(c);
      return Phase.CHUNK_SIZE;
    }
    fail(Err.INVALID_CHUNK_SIZE, Why.BAD_CHUNK_SIZE_CHAR, p);
    return Phase.FAILED;
  }
  if (phase == Phase.CHUNK_SIZE) {
    if (isHex(c)) {
      if (remaining > (MAX_LENGTH >> 4)) {
        fail(Err.INVALID_CHUNK_SIZE, Why.CHUNK_SIZE_OVERFLOW, p);
        return Phase.FAILED;
      }
      remaining = (remaining << 4) | <u64>hexValue(c);
      return Phase.CHUNK_SIZE;
    }
    if ((c == SP || c == HTAB) && allowed(Lenient.SPACES_AFTER_CHUNK_SIZE)) return Phase.CHUNK_SIZE_SPACES;
    return chunkSizeEnd(c, p, true);
  }
  if (phase == Phase.CHUNK_SIZE_SPACES) {
    if (c == SP || c == HTAB) return Phase.CHUNK_SIZE_SPACES;
    return chunkSizeEnd(c, p, true);
  }
  if (phase == Phase.CHUNK_SIZE_LF) {
    if (c == LF) return chunkSizeLineDone();
    if (!allowed(Lenient.OPTIONAL_LF_AFTER_CR)) {
      fail(Err.STRICT, Why.NO_LF_AFTER_CHUNK_SIZE, p);
      return Phase.FAILED;
    }
    again = true;
    return chunkSizeLineDone();
  }
  if (phase == Phase.CHUNK_DATA_CR) {
    if (c == CR) return Phase.CHUNK_DATA_LF;
    if (c == LF) {
      if (allowed(Lenient.OPTIONAL_CR_BEFORE_LF)) return Phase.CHUNK_SIZE_START;
      fail(Err.CR_EXPECTED, Why.NO_CR_AFTER_CHUNK_DATA, p + 1);
      return Phase.FAILED;
    }
    if (allowed(Lenient.OPTIONAL_CRLF_AFTER_CHUNK)) {
      again = true;
      return Phase.CHUNK_SIZE_START;
    }
    fail(Err.STRICT, Why.EXPECTED_CRLF_AFTER_CHUNK, p);
    return Phase.FAILED;
  }
  if (phase == Phase.CHUNK_DATA_LF) {
    if (c == LF) return Phase.CHUNK_SIZE_START;
    // llhttp: with optionalCrlfAfterChunk a CR alone ends chunk data too.
    if (allowed(Lenient.OPTIONAL_CRLF_AFTER_CHUNK)) {
      again = true;
      return Phase.CHUNK_SIZE_START;
    }
    fail(Err.STRICT, Why.EXPECTED_CRLF_AFTER_CHUNK, p);
    return Phase.FAILED;
  }
  return chunkExtensionByte(c, p);
}

/**
 * What may end a chunk size: extensions, or the line end. Right after the size (`afterSize`),
 * llhttp reads a bare LF (optionalCrBeforeLf) as the CR: an LF must still follow, unless
 * optionalLfAfterCr; after extensions it ends the line.
 */
function chunkSizeEnd(c: u32, p: usize, afterSize: bool): u32 {
  if (c == 0x3b) return extensionStart(p);
  if (c == CR) return Phase.CHUNK_SIZE_LF;
  if (c == LF) {
    if (allowed(Lenient.OPTIONAL_CR_BEFORE_LF)) return afterSize ? Phase.CHUNK_SIZE_LF : chunkSizeLineDone();
    if (afterSize) fail(Err.CR_EXPECTED, Why.NO_CR_AFTER_CHUNK_SIZE, p + 1);
    else fail(Err.CR_EXPECTED, phase == Phase.CHUNK_EXT_NAME ? Why.NO_CR_AFTER_CHUNK_EXTENSION_NAME : Why.NO_CR_AFTER_CHUNK_EXTENSION, p);
    return Phase.FAILED;
  }
  fail(Err.INVALID_CHUNK_SIZE, Why.BAD_CHUNK_SIZE_CHAR, p);
  return Phase.FAILED;
}

function extensionStart(p: usize): u32 {
  if (++chunkExtBytes > <u32>Limits.MAX_CHUNK_EXTENSIONS) {
    fail(Err.CHUNK_EXTENSIONS_OVERFLOW, Why.CHUNK_EXTENSIONS_TOO_LONG, p);
    return Phase.FAILED;
  }
  return Phase.CHUNK_EXT_NAME_START;
}

/** chunk-ext = *( ";" chunk-ext-name [ "=" chunk-ext-val ] ), token or quoted-string values, no BWS (as llhttp). */
function chunkExtensionByte(c: u32, p: usize): u32 {
  if (++chunkExtBytes > <u32>Limits.MAX_CHUNK_EXTENSIONS) {
    fail(Err.CHUNK_EXTENSIONS_OVERFLOW, Why.CHUNK_EXTENSIONS_TOO_LONG, p);
    return Phase.FAILED;
  }
  const tokenChar = isToken(c);
  const ends = c == 0x3b || c == CR || c == LF;
  // qdtext / quoted-pair bytes: HTAB, SP, VCHAR, obs-text
  const quotable = c == HTAB || (c >= SP && c != 0x7f);
  if (phase == Phase.CHUNK_EXT_NAME_START) {
    if (tokenChar) return Phase.CHUNK_EXT_NAME;
  } else if (phase == Phase.CHUNK_EXT_NAME) {
    if (tokenChar) return Phase.CHUNK_EXT_NAME;
    if (c == 0x3d) return Phase.CHUNK_EXT_VALUE_START;
    if (ends) return chunkSizeEnd(c, p, false);
  } else if (phase == Phase.CHUNK_EXT_VALUE_START) {
    if (c == 0x22) return Phase.CHUNK_EXT_VALUE_QUOTED;
    if (tokenChar) return Phase.CHUNK_EXT_VALUE_TOKEN;
  } else if (phase == Phase.CHUNK_EXT_VALUE_TOKEN) {
    if (tokenChar) return Phase.CHUNK_EXT_VALUE_TOKEN;
    if (ends) return chunkSizeEnd(c, p, false);
  } else if (phase == Phase.CHUNK_EXT_VALUE_QUOTED) {
    if (c == 0x22) return Phase.CHUNK_EXT_AFTER_QUOTED;
    if (c == 0x5c) return Phase.CHUNK_EXT_VALUE_ESCAPE;
    if (quotable) return Phase.CHUNK_EXT_VALUE_QUOTED;
  } else if (phase == Phase.CHUNK_EXT_VALUE_ESCAPE) {
    if (quotable) return Phase.CHUNK_EXT_VALUE_QUOTED;
  } else if (phase == Phase.CHUNK_EXT_AFTER_QUOTED) {
    if (ends) return chunkSizeEnd(c, p, false);
  }
  fail(Err.STRICT, extensionWhy(c), p);
  return Phase.FAILED;
}

/** llhttp's reason for a bad byte in chunk extensions, by where it fell. */
function extensionWhy(c: u32): Why {
  if (phase == Phase.CHUNK_EXT_NAME_START) return c == SP || c == CR ? Why.BAD_CHUNK_EXTENSION_CHAR : Why.BAD_EXTENSION_NAME_CHAR;
  if (phase == Phase.CHUNK_EXT_NAME) return Why.BAD_EXTENSION_NAME_CHAR;
  if (phase == Phase.CHUNK_EXT_VALUE_QUOTED) return Why.BAD_EXTENSION_QUOTED_CHAR;
  if (phase == Phase.CHUNK_EXT_VALUE_ESCAPE) return Why.BAD_EXTENSION_QUOTED_PAIR;
  if (phase == Phase.CHUNK_EXT_AFTER_QUOTED) return Why.BAD_CHAR_AFTER_EXTENSION_QUOTE;
  return Why.BAD_EXTENSION_VALUE_CHAR;
}

/** The chunked framing (size line, extensions, CRLF after data) a byte at a time from p. */
function chunkFraming(p: usize, end: usize): usize {
  while (p < end) {
    const next = chunkByte(byte(p), p);
    if (next == Phase.FAILED) {
      phase = Phase.FAILED;
      return p;
    }
    if (!again) p++;
    phase = next;
    if (phase == Phase.CHUNK_DATA || phase == Phase.TRAILERS) break;
  }
  return p;
}

/**
 * The one entry point, for the parser whose state block is at `state`: with `start` ≥ 0, parses
 * input[start, length) and returns the offset it stopped at (State.STOP says why; see Stop in
 * constants.ts for what the caller does next); with `start` -1, the end of input (finish());
 * with -2, judges the pending section's new lines (check()). One export, so the state is loaded
 * in one place.
 */
export function execute(state: usize, start: i32, length: u32): u32 {
  st = state;
  loadState();
  if (start < 0) {
    if (start == -1) finish();
    else check(length);
    return 0;
  }
  let p = input + <usize>start;
  const end = input + <usize>length;
  let stop = Stop.DONE;

  while (true) {
    if (tw + STEP_RESERVE > tableCapacity) {
      stop = Stop.TABLE_FULL;
      break;
    }
    if (phase == Phase.MESSAGE_START) {
      const s = skipEmptyLines(p, end);
      if (s == INCOMPLETE) { stop = Stop.NEED_MORE; break; }
      if (s == FAILED) { phase = Phase.FAILED; continue; }
      p = s;
      if (p == end) break;
      const limit = end - p > maxHeaderSize ? p + maxHeaderSize : end;
      let r = parseHead(p, limit);
      if (r == FAILED) r = settle(p, limit, true);
      if (r == INCOMPLETE) {
        if (limit < end) {
          fail(Err.HEADER_OVERFLOW, Why.HEAD_TOO_LARGE, limit);
          phase = Phase.FAILED;
          continue;
        }
        saveResume(p);
        stop = Stop.NEED_MORE;
        break;
      }
      if (r == TABLE_FULL) { stop = Stop.TABLE_FULL; break; }
      if (r == FAILED) { phase = Phase.FAILED; continue; }
      p = r;
      // Framing as the head says. If onHeadersComplete answers otherwise (a response to HEAD,
      // a CONNECT tunnel, a declined upgrade), JS rewinds to the head's end and resumes in
      // AWAIT_DECISION with the answer: the head record holds all the state that needs.
      startBody(Decision.DEFAULT, p);
      continue;
    }

    switch (phase) {
      case Phase.AWAIT_DECISION: {
        startBody(word(State.DECISION), p);
        setWord(State.DECISION, Decision.DEFAULT);
        continue;
      }
      case Phase.BODY_LENGTH: {
        // JS may have handed out body bytes itself (State.REMAINING counts down to 0 then).
        if (remaining == 0) {
          phase = complete(p);
          continue;
        }
        if (p == end) break;
        const avail = <u64>(end - p);
        const n = avail < remaining ? avail : remaining;
        put(Rec.BODY);
        put(rel(p));
        put(<u32>n);
        p += <usize>n;
        remaining -= n;
        if (remaining == 0) phase = complete(p);
        continue;
      }
      case Phase.BODY_UNTIL_EOF: {
        if (p == end) break;
        put(Rec.BODY);
        put(rel(p));
        put(<u32>(end - p));
        p = end;
        break;
      }
      case Phase.CHUNK_DATA: {
        if (remaining == 0) {
          phase = Phase.CHUNK_DATA_CR;
          continue;
        }
        if (p == end) break;
        const avail = <u64>(end - p);
        const n = avail < remaining ? avail : remaining;
        put(Rec.BODY);
        put(rel(p));
        put(<u32>n);
        p += <usize>n;
        remaining -= n;
        if (remaining == 0) phase = Phase.CHUNK_DATA_CR;
        continue;
      }
      case Phase.TRAILERS: {
        if (p == end) break;
        const rec = tw;
        tw += Trailer.WORDS;
        const limit = end - p > maxHeaderSize ? p + maxHeaderSize : end;
        // The section is parsed again whole once it has arrived: a Content-Length read in a
        // part of it must not stay in the message's flags (it would count twice then).
        const messageFlags = flags;
        let r = parseFields(p, limit, rec + Trailer.COUNT, false, Resume.FIRST);
        if (r == FAILED) r = settle(p, limit, false);
        if (r == INCOMPLETE) {
          tw = rec;
          saveResume(p);
          flags = messageFlags;
          if (limit < end) {
            fail(Err.HEADER_OVERFLOW, Why.TRAILERS_TOO_LARGE, limit);
            phase = Phase.FAILED;
            continue;
          }
          stop = Stop.NEED_MORE;
          break;
        }
        if (r == TABLE_FULL) { tw = rec; flags = messageFlags; stop = Stop.TABLE_FULL; break; }
        if (r == FAILED) { tw = rec; phase = Phase.FAILED; continue; }
        putAt(rec + Trailer.KIND, Rec.TRAILERS);
        putAt(rec + Trailer.START, rel(p));
        putAt(rec + Trailer.LENGTH, <u32>(r - p));
        p = r;
        phase = complete(p);
        continue;
      }
      case Phase.CLOSED: {
        // Line ends after the last message are ignored one byte at a time (a CRLF may be split).
        while (p < end && (byte(p) == CR || byte(p) == LF)) p++;
        if (p == end) break;
        if (allowed(Lenient.DATA_AFTER_CLOSE)) { p = end; break; }
        fail(Err.CLOSED_CONNECTION, Why.DATA_AFTER_CLOSE, p);
        phase = Phase.FAILED;
        continue;
      }
      case Phase.UPGRADED: {
        stop = Stop.UPGRADED;
        break;
      }
      case Phase.FAILED: {
        stop = Stop.FAILED;
        break;
      }
      case Phase.CHUNK_DATA_CR: {
        // Fast path for the usual CRLF after data; anything else goes byte at a time below.
        if (p + 2 <= end && byte(p) == CR && byte(p + 1) == LF) {
          p += 2;
          phase = Phase.CHUNK_SIZE_START;
          continue;
        }
        p = chunkFraming(p, end);
        if (phase == Phase.FAILED || p < end) continue;
        break;
      }
      case Phase.CHUNK_SIZE_START: {
        // Fast path for a plain size line: HEXDIG* CRLF.
        let q = p;
        let size: u64 = 0;
        while (q < end && q - p < 13 && isHex(byte(q))) {
          size = (size << 4) | <u64>hexValue(byte(q));
          q++;
        }
        if (q > p && q + 2 <= end && byte(q) == CR && byte(q + 1) == LF) {
          p = q + 2;
          remaining = size;
          phase = chunkSizeLineDone();
          continue;
        }
        p = chunkFraming(p, end);
        if (phase == Phase.FAILED || p < end) continue;
        break;
      }
      default: {
        p = chunkFraming(p, end);
        if (phase == Phase.FAILED || p < end) continue;
        break;
      }
    }
    break;
  }
  saveState(stop);
  return rel(p);
}

/** End of input. Completes a read-until-close body; a message cut short is an error. */
function finish(): void {
  let stop = Stop.DONE;
  if (phase == Phase.BODY_UNTIL_EOF) {
    phase = complete(input);
    // Nothing may follow a body that ended with the connection.
    phase = Phase.CLOSED;
  } else if (phase == Phase.FAILED) {
    stop = Stop.FAILED;
  } else if (phase != Phase.MESSAGE_START && phase != Phase.CLOSED && phase != Phase.UPGRADED) {
    fail(Err.INVALID_EOF_STATE, Why.EOF_IN_MESSAGE, input);
    phase = Phase.FAILED;
    stop = Stop.FAILED;
  }
  saveState(stop);
}
