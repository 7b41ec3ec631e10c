// The entry for Cloudflare Workers (export condition `workerd`): Workers compile no wasm from bytes
// at run time, so the wasm is a module import, which wrangler and workerd hand over compiled.
import wasm from './wirehttp.wasm';
import { setModuleLoader } from './wasm.js';

setModuleLoader(() => wasm);

export * from './api.js';
