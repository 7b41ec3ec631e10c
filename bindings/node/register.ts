// wirehttp/register: `node --require wirehttp/register app.js` or `node --import wirehttp/register
// app.mjs` makes every `http` / `node:http` the app and its dependencies load be wirehttp/node,
// without changing their code. Both flags load this CommonJS file and it hooks both loaders:
// require() through Module._load (which answers `node:` ids before any resolution, so
// _resolveFilename would miss them), and import through module.register() (./register-hooks.ts).
// Both lead to dist/node.cjs, which the ESM entry re-exports: one wirehttp/node per process.
// wirehttp's own files (everything in dist/) keep Node's http, which they are built on.
import Module from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const HTTP_IDS = new Set(['http', 'node:http']);
/** This file is dist/register.cjs: what is in its folder is wirehttp itself. */
const dist = __dirname + path.sep;
const entry = path.join(__dirname, 'node.cjs');

type Load = (request: string, parent: { filename?: string | null } | null | undefined, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Load };
const load = moduleInternals._load;
moduleInternals._load = function loadWireHttp(this: unknown, request, parent, isMain) {
  if (HTTP_IDS.has(request) && !parent?.filename?.startsWith(dist)) request = entry;
  return load.call(this, request, parent, isMain);
};

if (typeof Module.register === 'function') {
  Module.register(pathToFileURL(path.join(__dirname, 'register-hooks.js')));
} else {
  process.emitWarning(`wirehttp/register: this Node.js (${process.version}) has no module.register(); only require() is redirected (Node 20.6 or later redirects import too)`);
}
