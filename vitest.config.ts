import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['suites/**/*.test.ts'],
    reporters: [
      'default',
      ['junit', { outputFile: 'reports/tests.junit.xml', suiteName: 'sixgate' }],
    ],
    // Two files at a time on the 2-core runners: most of a Docker file's time is the daemon
    // starting containers, so a second file overlaps it (the default here would be one).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
