// The default entry (Node, Deno, Bun, browsers, bundlers): the wasm travels inside the bundle and
// is compiled from those bytes at the first parse.
export * from './api.js';
// After the API, so the bytes sit at the end of the bundle: gzip does a little better that way.
import { WASM_TEXT } from './wasm-binary.generated.js';
import { textToWasm } from './wasm-text.js';
import { setModuleLoader } from './wasm.js';

setModuleLoader(() => new WebAssembly.Module(textToWasm(WASM_TEXT) as Uint8Array<ArrayBuffer>));
