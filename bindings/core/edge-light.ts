// The entry for Vercel's edge runtime (export condition `edge-light`): as on Workers, the wasm is a
// module import, spelled with the `?module` suffix its bundler wants.
import wasm from './wirehttp.wasm?module';
import { setModuleLoader } from './wasm.js';

setModuleLoader(() => wasm);

export * from './api.js';
