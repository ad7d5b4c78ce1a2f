import { defineConfig } from 'vitest/config';

// Integration tests spawn real processes and servers; two cores is the CI machine size, so keep
// parallelism modest and timeouts generous rather than racing the machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/soak/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
