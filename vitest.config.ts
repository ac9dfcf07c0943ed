import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'engine/**/*.test.ts',
      'storage/**/*.test.ts',
      'hosts/**/*.test.ts',
      'infra/**/*.test.ts',
      'admin/**/*.test.ts',
      'scenarios/**/*.test.ts',
      'tests/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'admin/dist/**'],
    // stops the run in seconds, naming what is missing, when PostgreSQL, Redis, chromium or the Russian OCR data are not there
    globalSetup: ['infra/testing/preflight.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
