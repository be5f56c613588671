import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['suites/**/*.test.ts'],
    reporters: ['default', ['junit', { outputFile: 'reports/tests.junit.xml', suiteName: 'sixgate' }]],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
