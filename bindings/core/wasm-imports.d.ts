// A .wasm import, as wrangler, workerd and Vercel's edge bundler resolve it: the compiled module.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
declare module '*.wasm?module' {
  const module: WebAssembly.Module;
  export default module;
}
