// The playground page: raw HTTP in, every message parsed by the wasm parser in the browser, the
// result as start line, fields (as sent and joined), body, framing, or the error with its byte.
import { httpTextBytes } from '../../bindings/cli/http-text.js';
import { parseAll, visible, type ParseReport, type ParseType, type ParsedEntry } from '../../bindings/cli/parse.js';
import { LENIENT_FLAGS, headersFromRaw, type LenientFlag } from '../../bindings/core/index.js';
import { EXAMPLES } from './examples.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const exampleSelect = byId<HTMLSelectElement>('example');
const input = byId<HTMLTextAreaElement>('input');
const methodSelect = byId<HTMLSelectElement>('request-method');
const lenientBox = byId<HTMLFieldSetElement>('lenient');
const summary = byId<HTMLParagraphElement>('summary');
const bytesView = byId<HTMLPreElement>('bytes');
const messagesView = byId<HTMLDivElement>('messages');

function element(tag: string, props: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Bytes as the page shows them: controls spelled out, a line break after each LF. */
function shown(bytes: Uint8Array, from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) text += bytes[i] === 0x0a ? '\\n\n' : visible(bytes[i]);
  return text;
}

// Controls.
for (const [i, example] of EXAMPLES.entries()) exampleSelect.append(element('option', { value: String(i), textContent: example.name }));
for (const flag of LENIENT_FLAGS) {
  const box = element('input', { type: 'checkbox', name: flag, value: flag });
  lenientBox.append(element('label', {}, box, ` ${flag}`));
}
const typeInputs = Array.from(document.querySelectorAll<HTMLInputElement>('input[name="type"]'));
const lenientInputs = Array.from(lenientBox.querySelectorAll<HTMLInputElement>('input'));

function loadExample(index: number): void {
  const example = EXAMPLES[index];
  input.value = example.text;
  for (const radio of typeInputs) radio.checked = radio.value === example.type;
  methodSelect.value = example.requestMethod ?? 'GET';
  for (const box of lenientInputs) box.checked = example.lenient?.includes(box.value as LenientFlag) ?? false;
  update();
}

function update(): void {
  const type = (typeInputs.find((radio) => radio.checked)?.value ?? 'request') as ParseType;
  const lenient: Partial<Record<LenientFlag, boolean>> = {};
  for (const box of lenientInputs) if (box.checked) lenient[box.value as LenientFlag] = true;
  byId('method-label').hidden = type === 'request';
  let bytes: Uint8Array;
  try {
    bytes = httpTextBytes(input.value.replace(/\r\n?/g, '\n').replace(/\n$/, ''));
  } catch (error) {
    summary.className = 'bad';
    summary.textContent = `Input: ${(error as Error).message}`;
    bytesView.textContent = '';
    messagesView.replaceChildren();
    return;
  }
  render(bytes, parseAll(bytes, type, { lenient, requestMethod: methodSelect.value }, true));
}

function render(bytes: Uint8Array, report: ParseReport): void {
  const { messages, error } = report;
  const count = `${messages.length} message${messages.length === 1 ? '' : 's'} in ${bytes.length} bytes`;
  summary.className = error ? 'bad' : 'ok';
  summary.textContent = error ? `${count}, then ${error.code} at byte ${error.offset}` : count;

  // The bytes, each message on its own tint, the offending byte marked.
  const spans: (Node | string)[] = [];
  let at = 0;
  messages.forEach((m, i) => {
    spans.push(element('span', { className: `m${i % 2}`, title: `#${i + 1} ${m.type}` }, shown(bytes, m.offset, m.offset + m.length)));
    at = m.offset + m.length;
  });
  if (error) {
    const bad = Math.min(error.offset, bytes.length);
    spans.push(shown(bytes, at, bad));
    spans.push(element('mark', { className: 'bad', title: `${error.code}: ${error.reason}` }, bad < bytes.length ? shown(bytes, bad, bad + 1) : '⟨end of input⟩'));
    if (bad + 1 < bytes.length) spans.push(element('span', { className: 'after-error' }, shown(bytes, bad + 1, bytes.length)));
  } else if (at < bytes.length) {
    spans.push(element('span', { className: 'rest', title: report.trailingBytes ? 'after the switch of protocol: not HTTP' : '' }, shown(bytes, at, bytes.length)));
  }
  bytesView.replaceChildren(...spans);

  const cards: Node[] = messages.map((m, i) => messageCard(m, i));
  if (report.trailingBytes) cards.push(element('p', { className: 'note' }, `${report.trailingBytes} bytes after the switch of protocol (not HTTP).`));
  if (error) {
    cards.push(
      element('section', { className: 'error' },
        element('h3', { textContent: error.code }),
        element('p', { textContent: `${error.reason} — byte ${error.offset}, line ${error.line}, column ${error.column + 1}` }),
        element('pre', { className: 'caret', textContent: `${error.text}\n${' '.repeat(error.column)}^` }),
      ),
    );
  }
  messagesView.replaceChildren(...cards);
}

function table(head: string[], rows: string[][]): HTMLElement {
  return element('table', {},
    element('thead', {}, element('tr', {}, ...head.map((h) => element('th', { textContent: h })))),
    element('tbody', {}, ...rows.map((row) => element('tr', {}, ...row.map((cell) => element('td', { textContent: cell }))))));
}

function pairs(raw: string[]): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < raw.length; i += 2) rows.push([raw[i], raw[i + 1]]);
  return rows;
}

function messageCard(m: ParsedEntry, index: number): HTMLElement {
  const fact = (name: string, value: string) => element('div', {}, element('dt', { textContent: name }), element('dd', { textContent: value }));
  const framing = m.framing === 'content-length' ? `Content-Length: ${m.bodyLength}` : m.framing;
  const joined = Object.entries(headersFromRaw(m.rawHeaders)).map(([name, value]) => [name, Array.isArray(value) ? JSON.stringify(value) : value]);
  const body = m.body ?? new Uint8Array(0);
  const card = element('section', { className: 'message' },
    element('h3', { textContent: `#${index + 1} ${m.type} · bytes ${m.offset}–${m.offset + m.length}` }),
    element('p', { className: 'start-line', textContent: m.startLine }),
    element('dl', { className: 'facts' },
      fact('version', m.version),
      fact('framing', framing),
      fact('body', `${m.bodyLength} bytes`),
      fact('connection', m.keepAlive ? 'keep-alive' : 'close'),
      fact('upgrade', m.upgrade ? 'yes' : 'no')),
    element('h4', { textContent: `Fields as sent (${m.rawHeaders.length / 2})` }),
    table(['name', 'value'], pairs(m.rawHeaders)),
    element('h4', { textContent: 'Fields joined (Node\u2019s rules: lower-case names, duplicates folded)' }),
    table(['name', 'value'], joined),
  );
  if (body.length) card.append(element('h4', { textContent: 'Body' }), element('pre', { className: 'body', textContent: shown(body, 0, Math.min(body.length, 4096)) }));
  if (m.rawTrailers.length) card.append(element('h4', { textContent: 'Trailers' }), table(['name', 'value'], pairs(m.rawTrailers)));
  return card;
}

exampleSelect.addEventListener('change', () => loadExample(Number(exampleSelect.value)));
input.addEventListener('input', update);
methodSelect.addEventListener('change', update);
for (const control of [...typeInputs, ...lenientInputs]) control.addEventListener('change', update);
loadExample(0);
