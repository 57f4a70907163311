import { defineConfig } from 'vitest/config';

// The browser walkthrough: one server, one chromium, steps in order.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
