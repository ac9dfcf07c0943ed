import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults` — the destructive fault suites (*.fault.ts): they stop and restart the
 * machine's PostgreSQL and Redis, so they run one file at a time and never beside `npm test`.
 * The fast, safe fault tests are infra/faults/fast/*.test.ts, part of `npm test`.
 */
export default defineConfig({
  test: {
    include: ['infra/faults/**/*.fault.ts'],
    globalSetup: ['infra/faults/preflight.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: ['default'],
  },
});
