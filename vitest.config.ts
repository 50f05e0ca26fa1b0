import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One temporary root for the run, removed at its end; and the browser tests
    // drive the built viewer, so it is built once, before any file runs.
    globalSetup: ['tests/temp-root.ts', 'tests/browser/global-setup.ts'],
    // Browser and multi-process tests start servers and child processes; two
    // cores are all this project may assume.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results/results.json' },
  },
});
