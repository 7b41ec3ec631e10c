import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The built package (dist/) is loaded by Node itself, as users load it: import of
    // dist/node.js then gives the CommonJS module object that require() gives, not a copy.
    server: { deps: { external: [/\/dist\//] } },
  },
});
