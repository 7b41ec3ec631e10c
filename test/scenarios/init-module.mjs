// A Worker that loads the wasm itself: the package's default entry (a bundler without the workerd
// condition) and the wasm file imported as a module, handed to init() before the first parse.
import { init, parseRequest } from 'wirehttp';
import wasm from 'wirehttp/wirehttp.wasm';

export default async function run() {
  await init(wasm);
  const head = parseRequest(new TextEncoder().encode('GET /by-hand HTTP/1.1\r\nHost: w\r\n\r\n'));
  return { isModule: wasm instanceof WebAssembly.Module, url: head.url, headers: head.headers };
}
