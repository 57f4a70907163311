import { defineConfig } from 'vitest/config';

// Unit, standards and integration tests. The browser tests live in e2e/ with their own config.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'standards/**/*.test.ts', 'apps/server/test/**/*.test.ts'],
    // the demo world seeded once for the run (test/global-setup.ts); each test server starts from a copy
    globalSetup: ['apps/server/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
