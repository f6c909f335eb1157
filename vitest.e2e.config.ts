import { defineConfig } from 'vitest/config';

/** Browser tests (playwright-core + Debian chromium) against the real app on a random port. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
