import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { TEST_REDIS_URL } from '../testServices.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { createStateBackend } from './index.ts';
import type { StateBackend } from './types.ts';

/**
 * Both state backends for a test file, for `describe.each`: the embedded one on a PGlite database
 * the file shares, and Redis. Every `open()` gets keys of its own, so tests never see each other's.
 */
export function eachStateBackend(name: string): [string, () => Promise<StateBackend>][] {
  let pglite: TestDatabase | undefined;
  beforeAll(async () => {
    pglite = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await pglite?.close();
  });
  const keyPrefix = () => `${name}-${randomUUID().slice(0, 8)}:`;
  return [
    ['embedded', () => createStateBackend({ db: pglite!.db, keyPrefix: keyPrefix() })],
    ['redis', () => createStateBackend({ redisUrl: TEST_REDIS_URL, keyPrefix: keyPrefix() })],
  ];
}
