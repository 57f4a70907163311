import { defineConfig } from 'vitest/config';

// The browser walkthrough: per file one server, one chromium, steps in order; two files at a time
// (each its own server on a port the OS gave and its own copy of the data), as the machine's two
// cores are half idle while a browser waits on a server.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    // the demo world seeded once, by a real first start; each file's server starts on a copy
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: true,
    maxWorkers: 2,
    // pages are lazy chunks: after a click the next page may still be on its way, so a poll waits up to 10 s, not 1
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
  },
});
