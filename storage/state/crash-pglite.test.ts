import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/open.ts';
import { crashSuite, FAST_RECOVERY } from './contract/crash.ts';
import { createStateBackend } from './index.ts';

// The `npm start` default: PGlite in a data directory, SIGKILLed and reopened.
crashSuite({
  name: 'embedded/PGlite on disk',
  slow: true,
  async setup() {
    const dataDir = mkdtempSync(join(tmpdir(), 'zeta-crash-'));
    const keyPrefix = 'zeta:';
    return {
      childConfig: { dataDir, keyPrefix, timers: FAST_RECOVERY },
      open: async () => {
        const opened = await openDatabase({ dataDir });
        const state = await createStateBackend({ db: opened.db, keyPrefix, timers: FAST_RECOVERY });
        return { ...state, close: async () => (await state.close(), await opened.close()) };
      },
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  },
});
