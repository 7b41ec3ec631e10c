// npm run bench:parse — wirehttp against Node's built-in llhttp binding, undici's llhttp wasm and
// http-parser-js, side by side in one process, on the pinned corpus in bench/corpus/.
// Every parser makes every string (method, url, each header name and value) and sees every body
// byte; their results must be identical before anything is timed. Reported: messages/s and MB/s
// (median of several runs) and ratios to Node's binding and to undici's wasm; for wirehttp's
// http-parser-js drop-in (HTTPParser), its ratio to http-parser-js and to wirehttp's own HttpParser.
//
//   node bench/parse.mjs [--quick] [--only name,name] [--json file] [--baseline dist-dir]
//
// --baseline: another build's dist/ (say, main's) runs beside this one as "wirehttp baseline",
// for a before/after ratio measured in the same run.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HttpParser } from '../dist/index.js';
import { HTTPParser } from '../dist/http-parser-js.js';

const require = createRequire(import.meta.url);
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');
const FastBuffer = Buffer[Symbol.species];
const { values: args } = parseArgs({
  options: { quick: { type: 'boolean' }, only: { type: 'string' }, json: { type: 'string' }, baseline: { type: 'string' } },
});
const Baseline = args.baseline ? (await import(pathToFileURL(resolve(args.baseline, 'index.js')).href)).HttpParser : undefined;

const CORPUS = ['small-get', 'browser-get', 'post-1k', 'chunked-post', 'pipelined-16', 'response-4k'];
const corpus = CORPUS.filter((n) => !args.only || args.only.split(',').includes(n)).map((name) => {
  const bytes = readFileSync(new URL(`corpus/${name}.http`, import.meta.url));
  return { name, bytes, type: name.startsWith('response') ? 'response' : 'request' };
});

// Each adapter: create(type, onMessage) → { execute(buffer) }. onMessage receives
// { method, url, statusCode, rawHeaders, body } once per message (body as latin1, for checking only).

let sink = 0; // keeps results observable so no work is optimised away

function wirehttpAdapter(Parser) {
  return (type, onMessage) => {
    // The other parsers make strings only (Node builds req.headers later, on first use); so
    // does wirehttp here, as in wirehttp/node. A head's headers object is extra work on top.
    const parser = new Parser(type, { headers: false });
    let head;
    let body = [];
    parser.onHeadersComplete = (h) => {
      head = h;
    };
    parser.onBody = (chunk) => {
      if (onMessage) body.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).latin1Slice());
      else sink += chunk.length;
    };
    parser.onMessageComplete = () => {
      if (onMessage) onMessage({ method: head.method, url: head.url, statusCode: head.statusCode, rawHeaders: head.rawHeaders, body: body.join('') });
      else sink += head.rawHeaders.length;
      body = [];
    };
    return { execute: (buffer) => parser.execute(buffer) };
  };
}

const adapters = {
  wirehttp: wirehttpAdapter(HttpParser),
  ...(Baseline && { 'wirehttp baseline': wirehttpAdapter(Baseline) }),

  'node llhttp'(type, onMessage) {
    const emit = process.emitWarning;
    process.emitWarning = () => {};
    const { HTTPParser } = process.binding('http_parser');
    process.emitWarning = emit;
    const { methods } = require('_http_common');
    const parser = new HTTPParser();
    parser.initialize(type === 'request' ? HTTPParser.REQUEST : HTTPParser.RESPONSE, {}, 0, 0);
    let head;
    let body = [];
    // As lib/_http_common.js: headers may arrive early through kOnHeaders (after trailers, or
    // when there are many), and the method id becomes its name.
    let flushed = [];
    let flushedUrl = '';
    parser[HTTPParser.kOnHeaders] = (headers, url) => {
      flushed.push(...headers);
      flushedUrl += url;
    };
    parser[HTTPParser.kOnHeadersComplete] = (major, minor, rawHeaders, method, url, statusCode) => {
      head = { method: methods[method], url: url || flushedUrl, statusCode, rawHeaders: rawHeaders ?? flushed };
      flushed = [];
      flushedUrl = '';
      return 0;
    };
    parser[HTTPParser.kOnBody] = (chunk) => {
      if (onMessage) body.push(chunk.latin1Slice());
      else sink += chunk.length;
    };
    parser[HTTPParser.kOnMessageComplete] = () => {
      if (onMessage) onMessage({ method: head.method, url: head.url || undefined, statusCode: head.statusCode, rawHeaders: head.rawHeaders, body: body.join('') });
      else sink += head.rawHeaders.length;
      body = [];
      flushed = []; // trailers
      flushedUrl = '';
    };
    return { execute: (buffer) => parser.execute(buffer) };
  },

  'undici wasm'(type, onMessage) {
    return undiciParser(type, onMessage);
  },

  'http-parser-js'(type, onMessage) {
    return httpParserJsStyle(require('http-parser-js').HTTPParser, type, onMessage);
  },

  // wirehttp's http-parser-js drop-in, driven exactly as http-parser-js is above.
  'wirehttp HTTPParser'(type, onMessage) {
    return httpParserJsStyle(HTTPParser, type, onMessage);
  },
};

// As http-parser-js's users drive it: k* slots, the object form of onHeadersComplete, onBody(chunk, start, length).
function httpParserJsStyle(Parser, type, onMessage) {
  Parser.encoding = 'latin1';
  const parser = new Parser(type === 'request' ? Parser.REQUEST : Parser.RESPONSE);
  let head;
  let body = [];
  parser[Parser.kOnHeaders] = () => {};
  parser[Parser.kOnHeadersComplete] = (info) => {
    // A response's info has no method: methods[undefined] would be a megamorphic lookup in both adapters' runs.
    head = { method: info.method === undefined ? undefined : Parser.methods[info.method], url: info.url, statusCode: info.statusCode, rawHeaders: info.headers };
    return 0;
  };
  parser[Parser.kOnBody] = (chunk, start, length) => {
    if (onMessage) body.push(chunk.latin1Slice(start, start + length));
    else sink += length;
  };
  parser[Parser.kOnMessageComplete] = () => {
    if (onMessage) onMessage({ method: type === 'request' ? head.method : undefined, url: head.url || undefined, statusCode: head.statusCode, rawHeaders: head.rawHeaders, body: body.join('') });
    else sink += head.rawHeaders.length;
    body = [];
  };
  return { execute: (buffer) => parser.execute(buffer) };
}

// undici's llhttp wasm, driven as lib/dispatcher/client-h1.js drives it: the chunk is copied into
// wasm memory, llhttp calls back per span, and here each span becomes a latin1 string.
let undiciInstance;
let current;
function undiciParser(type, onMessage) {
  if (!undiciInstance) {
    const span = (kind) => (p, at, length) => {
      current.span(kind, at - current.ptr, length);
      return 0;
    };
    undiciInstance = new WebAssembly.Instance(new WebAssembly.Module(require('undici/lib/llhttp/llhttp_simd-wasm.js')), {
      env: {
        wasm_on_url: span('url'),
        wasm_on_status: span('status'),
        wasm_on_header_field: span('field'),
        wasm_on_header_value: span('value'),
        wasm_on_message_begin: () => current.begin(),
        wasm_on_headers_complete: (p, statusCode) => current.headersComplete(statusCode),
        wasm_on_body: (p, at, length) => current.body(at - current.ptr, length),
        wasm_on_message_complete: () => current.complete(),
      },
    }).exports;
  }
  const llhttp = undiciInstance;
  const constants = require('undici/lib/llhttp/constants.js');
  const methodNames = Object.fromEntries(Object.entries(constants.METHODS).map(([name, id]) => [id, name]));
  const handle = llhttp.llhttp_alloc(type === 'request' ? constants.TYPE.REQUEST : constants.TYPE.RESPONSE);
  let size = 0;
  let ptr = 0;
  let chunk;
  let url = '';
  let rawHeaders = [];
  let headHeaders = [];
  let last = '';
  let statusCode;
  let body = [];
  const state = {
    ptr: 0,
    span(kind, at, length) {
      const text = chunk.latin1Slice(at, at + length);
      if (kind === 'url') url += text;
      else if (kind === 'status') last = 'status';
      else if (kind === last) rawHeaders[rawHeaders.length - 1] += text;
      else rawHeaders.push(text);
      last = kind;
    },
    begin() {
      url = '';
      rawHeaders = [];
      last = '';
      return 0;
    },
    headersComplete(code) {
      statusCode = code;
      headHeaders = rawHeaders;
      rawHeaders = []; // what follows is trailers
      last = '';
      return 0;
    },
    body(at, length) {
      // undici hands each body span up as a Buffer view (new FastBuffer(...) in wasm_on_body).
      const view = new FastBuffer(chunk.buffer, chunk.byteOffset + at, length);
      if (onMessage) body.push(view.latin1Slice());
      else sink += view.length;
      return 0;
    },
    complete() {
      const method = type === 'request' ? methodNames[llhttp.llhttp_get_method(handle)] : undefined;
      if (onMessage) onMessage({ method, url: url || undefined, statusCode: type === 'response' ? statusCode : undefined, rawHeaders: headHeaders, body: body.join('') });
      else sink += headHeaders.length + (method ? 1 : 0);
      body = [];
      return 0;
    },
  };
  return {
    execute(buffer) {
      if (buffer.length > size) {
        if (ptr) llhttp.free(ptr);
        size = Math.ceil(buffer.length / 4096) * 4096;
        ptr = llhttp.malloc(size);
      }
      new Uint8Array(llhttp.memory.buffer, ptr, size).set(buffer);
      chunk = buffer;
      state.ptr = ptr;
      current = state;
      const ret = llhttp.llhttp_execute(handle, ptr, buffer.length);
      if (ret !== 0) throw new Error(`undici llhttp error ${ret}`);
    },
  };
}

// ---- correctness first ------------------------------------------------------------------------

function results(name, item) {
  const out = [];
  const parser = adapters[name](item.type, (m) => out.push(m));
  parser.execute(item.bytes);
  parser.execute(item.bytes); // twice: the parser must be ready for the next message
  return out.map((m) => ({ ...m, statusCode: item.type === 'response' ? m.statusCode : undefined, method: item.type === 'request' ? m.method : undefined }));
}

for (const item of corpus) {
  const reference = JSON.stringify(results('node llhttp', item));
  for (const name of Object.keys(adapters)) {
    const got = JSON.stringify(results(name, item));
    if (got !== reference) {
      let at = 0;
      while (got[at] === reference[at]) at++;
      console.error(`${name} disagrees with Node's llhttp on ${item.name} at character ${at}:\n  ${got.slice(Math.max(0, at - 60), at + 200)}\n  ${reference.slice(Math.max(0, at - 60), at + 200)}`);
      process.exit(1);
    }
  }
}

// ---- timing -----------------------------------------------------------------------------------

const runs = args.quick ? 5 : 15;
const runMs = args.quick ? 50 : 120;

/** Iterations of execute(corpus item) that take about runMs, after warming up. */
function calibrate(parser, item) {
  let iterations = 16;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) parser.execute(item.bytes);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms > runMs / 2) return Math.max(1, Math.round((iterations * runMs) / ms));
    iterations *= 2;
  }
}

// Rounds interleave the parsers (one timed run each per round), so load on a shared machine
// hits all of them alike; ratios are also taken round by round, and their spread reported.
// Each timed run starts from a collected heap, and each round from the next parser in turn:
// otherwise a run pays for the garbage of the run before it (http-parser-js makes the most),
// and always the same parser pays.
function measure(item) {
  const names = Object.keys(adapters);
  const messages = results('node llhttp', item).length / 2;
  const parsers = names.map((name) => adapters[name](item.type, null));
  const iterations = parsers.map((parser) => calibrate(parser, item));
  const rates = names.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < parsers.length; k++) {
      const p = (r + k) % parsers.length;
      collectGarbage();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iterations[p]; i++) parsers[p].execute(item.bytes);
      rates[p].push(iterations[p] / (Number(process.hrtime.bigint() - t0) / 1e9));
    }
  }
  const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];
  const row = { corpus: item.name, bytes: item.bytes.length, rounds: {} };
  names.forEach((name, p) => {
    const perSecond = median(rates[p]);
    row[name] = { messages: perSecond * messages, megabytes: (perSecond * item.bytes.length) / 1e6 };
    row.rounds[name] = rates[p];
  });
  return row;
}

const names = Object.keys(adapters);
const table = [];
for (const item of corpus) {
  table.push(measure(item));
  process.stderr.write('.');
}
process.stderr.write('\n');

const fmt = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${Math.round(n / 1e3)}k`);
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`Parse benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpu}, ${cpus().length} cores`);
console.log('messages/s (MB/s), medians of interleaved rounds; ratios are wirehttp ÷ the other parser, measured in the same run;');
console.log('the HTTPParser columns are medians of per-round ratios (lowest–highest)\n');
const baseline = Baseline ? ['wirehttp baseline'] : [];
console.log(`| corpus | bytes | ${names.join(' | ')} | ÷ node llhttp | ÷ undici wasm | ÷ http-parser-js | HTTPParser ÷ http-parser-js | HTTPParser ÷ wirehttp |${baseline.map((o) => ` ÷ ${o} |`).join('')}`);
console.log(`|---|---:|${names.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|${baseline.map(() => '---:|').join('')}`);
for (const row of table) {
  const cells = names.map((n) => `${fmt(row[n].messages)} (${row[n].megabytes.toFixed(0)})`);
  const ratio = (other, of = 'wirehttp') => `${(row[of].messages / row[other].messages).toFixed(2)}×`;
  // The drop-in's targets: the median of per-round ratios, lowest–highest in brackets.
  const perRound = (other, of) => {
    const list = row.rounds[of].map((rate, r) => rate / row.rounds[other][r]).sort((a, b) => a - b);
    return `${list[list.length >> 1].toFixed(2)}× (${list[0].toFixed(2)}–${list[list.length - 1].toFixed(2)})`;
  };
  const dropIn = [perRound('http-parser-js', 'wirehttp HTTPParser'), perRound('wirehttp', 'wirehttp HTTPParser')];
  console.log(`| ${row.corpus} | ${row.bytes} | ${cells.join(' | ')} | ${ratio('node llhttp')} | ${ratio('undici wasm')} | ${ratio('http-parser-js')} | ${dropIn.join(' | ')} |${baseline.map((o) => ` ${ratio(o)} |`).join('')}`);
}
if (args.json) writeFileSync(args.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu, table }, null, 2));
if (sink === -1) console.log(sink);
