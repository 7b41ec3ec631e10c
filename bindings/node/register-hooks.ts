// The import side of wirehttp/register (./register.ts), run by Node's module loader: `http` and
// `node:http` imported from anywhere but wirehttp's own files resolve to wirehttp/node's ESM
// entry (which re-exports the CommonJS build that require() gets).
const HTTP_IDS = new Set(['http', 'node:http']);
/** This file is dist/register-hooks.js: what is in its folder is wirehttp itself. */
const dist = new URL('./', import.meta.url).href;
const entry = new URL('./node.js', import.meta.url).href;

interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  if (HTTP_IDS.has(specifier) && !context.parentURL?.startsWith(dist)) return { url: entry, format: 'module', shortCircuit: true };
  return nextResolve(specifier, context);
}
