// Runs one scenario module in real runtimes and hands back its JSON result (see package.ts for the
// scenario contract): Node, Deno and Bun as programs, workerd as a Worker, Chromium and Firefox on a
// page and in a module Worker. Each imports this package by name from its packed tarball.
export { consumerProject, buildScenario, tempDir, type Target, type BuiltScenario, type BuildOptions, type Outcome } from './package.js';
export { runNode, runDeno, runBun, runtimeVersion, DENO, BUN, type ProcessOptions } from './processes.js';
export { runWorkerd, newestCompatibilityDate, WORKERD, type WorkerdOptions } from './workerd.js';
export { openBrowser, BROWSER_BINARIES, type BrowserName, type BrowserSession } from './browsers.js';
