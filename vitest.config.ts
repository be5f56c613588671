import { defineConfig } from 'vitest/config';
import LongestFirst from './suites/support/sequencer.ts';

export default defineConfig({
  test: {
    include: ['suites/**/*.test.ts'],
    reporters: [
      'default',
      ['junit', { outputFile: 'reports/tests.junit.xml', suiteName: 'sixgate' }],
      // Per-file times with hooks, for scripts/test-durations.mjs.
      ['json', { outputFile: 'reports/tests.json' }],
    ],
    sequence: { sequencer: LongestFirst },
    // Two files at a time on the 2-core runners: most of a Docker file's time is the daemon
    // starting containers, so a second file overlaps it (the default here would be one).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
