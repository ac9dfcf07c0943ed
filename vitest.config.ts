import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'storage/**/*.test.ts', 'hosts/**/*.test.ts', 'infra/**/*.test.ts', 'admin/**/*.test.ts', 'scenarios/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'admin/dist/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
