// The project's text form of raw HTTP (test fixtures, the playground): each line break is CRLF,
// a line ending in "\" joins the next with nothing between, and \r \n \t \xHH \\ are exact bytes.
// Every character must be a byte (code point below 256).

function unescape(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|r|n|t|\\)/g, (_, e: string) =>
    e === 'r' ? '\r' : e === 'n' ? '\n' : e === 't' ? '\t' : e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16)));
}

/** `lineBreaks: false` adds nothing at line breaks (write \r and \n yourself). */
export function httpTextBytes(body: string, lineBreaks = true): Uint8Array {
  let text: string;
  if (!lineBreaks) {
    text = unescape(body.split('\n').join(''));
  } else {
    text = '';
    for (const line of body.split('\n')) {
      text += line.endsWith('\\') && !line.endsWith('\\\\') ? unescape(line.slice(0, -1)) : unescape(line) + '\r\n';
    }
  }
  return Uint8Array.from(text, (c) => {
    const code = c.charCodeAt(0);
    if (code > 0xff) throw new RangeError(`not a byte: ${JSON.stringify(c)} (write bytes as \\xHH)`);
    return code;
  });
}
