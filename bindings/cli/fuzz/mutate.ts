// Byte-level mutation of pooled inputs: cheap, so most executions use it; the structure-aware
// generator (generate.ts) supplies fresh material at a lower rate.
type Random = () => number;

const INTERESTING = [0x0d, 0x0a, 0x20, 0x09, 0x3a, 0x3b, 0x2c, 0x22, 0x5c, 0x00, 0x01, 0x7f, 0x80, 0xff, 0x30, 0x39, 0x46, 0x66, 0x2d, 0x3d];
const DICTIONARY = [
  '\r\n', '\r\n\r\n', '\n', '\r', ' ', '\t', ':', ';', ',', 'HTTP/1.1', 'HTTP/1.0', 'chunked', 'Content-Length: ',
  'Transfer-Encoding: ', 'Connection: close\r\n', 'Connection: keep-alive\r\n', 'Upgrade: websocket\r\n', 'Connection: Upgrade\r\n',
  '0\r\n\r\n', 'ffffffff', '00000000000000000001', '99999999999999999999', ' \r\n', 'GET / HTTP/1.1\r\n\r\n', 'HTTP/1.1 200 OK\r\n',
  ';ext="q"', 'Expect: 100-continue\r\n', 'CONNECT ', 'HEAD ', '0\n\n', '\r\n ', '\n\t', ' :', 'Transfer-Encoding: chunked\n',
].map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0)));

const int = (random: Random, n: number) => Math.floor(random() * n);

/**
 * Edits happen in place in one scratch buffer (moves with copyWithin, no allocation per edit);
 * the result is a view of it, valid until the next call — copy it to keep it.
 */
let scratch = new Uint8Array(1 << 16);
let length = 0;

function make(at: number, gap: number): void {
  if (length + gap > scratch.length) {
    const grown = new Uint8Array(Math.max(scratch.length * 2, length + gap));
    grown.set(scratch.subarray(0, length));
    scratch = grown;
  }
  scratch.copyWithin(at + gap, at, length);
  length += gap;
}

function insert(at: number, bytes: Uint8Array): void {
  make(at, bytes.length);
  scratch.set(bytes, at);
}

function remove(at: number, count: number): void {
  scratch.copyWithin(at, at + count, length);
  length -= count;
}

/** One to four random edits of `input`, at most `maxLength` bytes: a view of a scratch buffer (see above). */
export function mutate(random: Random, input: Uint8Array, pool: readonly Uint8Array[], maxLength: number): Uint8Array {
  length = 0;
  make(0, input.length);
  scratch.set(input);
  for (let edits = 1 + int(random, 4); edits > 0; edits--) {
    const at = int(random, length + 1);
    switch (int(random, 9)) {
      case 0:
        if (at < length) scratch[at] = int(random, 256);
        break;
      case 1:
        if (at < length) scratch[at] = INTERESTING[int(random, INTERESTING.length)];
        break;
      case 2:
        make(at, 1);
        scratch[at] = INTERESTING[int(random, INTERESTING.length)];
        break;
      case 3:
        if (at < length) remove(at, 1 + int(random, Math.min(8, length - at)));
        break;
      case 4:
        insert(at, DICTIONARY[int(random, DICTIONARY.length)]);
        break;
      case 5: {
        // Repeat a piece of the input here.
        const from = int(random, length);
        insert(at, scratch.slice(from, from + 1 + int(random, 32)));
        break;
      }
      case 6: {
        // Splice: this input's prefix with another one's suffix (new message sequences).
        const other = pool[int(random, pool.length)];
        const cut = int(random, other.length + 1);
        length = at;
        insert(at, other.subarray(cut));
        break;
      }
      case 7:
        // A bad byte, and the input ends right after it: a head still arriving when it went wrong.
        if (at < length && random() < 0.5) {
          scratch[at] = INTERESTING[int(random, INTERESTING.length)];
          length = at + 1;
        }
        break;
      default:
        // A digit nudged: lengths and chunk sizes off by one.
        if (at < length && scratch[at] >= 0x30 && scratch[at] <= 0x39) scratch[at] = 0x30 + int(random, 10);
    }
  }
  return scratch.subarray(0, Math.min(length, maxLength));
}
