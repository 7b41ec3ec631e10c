// The default entry (Node, Deno, Bun, browsers, bundlers): the wasm travels inside the bundle and
// is compiled from those bytes at the first parse.
export * from './api.js';
// After the API, so the bytes sit at the end of the bundle: gzip does a little better that way.
import { latin1Bytes } from './latin1.js';
import { WASM_LATIN1 } from './wasm-binary.generated.js';
import { setModuleLoader } from './wasm.js';

setModuleLoader(() => new WebAssembly.Module(latin1Bytes(WASM_LATIN1) as Uint8Array<ArrayBuffer>));
