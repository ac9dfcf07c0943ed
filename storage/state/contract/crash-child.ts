/*
 * Child process for the crash tests: opens a state backend, does some work, reports on stdout,
 * and waits to be killed with SIGKILL (no close(), no flush — a real crash).
 *   node --import tsx crash-child.ts '<json config>'
 */
import { tmpdir } from 'node:os';
import { openDatabase } from '../../db/open.ts';
import { createStateBackend, type StateBackendOptions } from '../index.ts';

type Config = {
  redisUrl?: string;
  databaseUrl?: string;
  /** embedded PGlite in this directory (the `npm start` default) */
  dataDir?: string;
  keyPrefix: string;
  mode: 'schedule' | 'hang';
  timers: StateBackendOptions['timers'];
};

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const db = config.databaseUrl
  ? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: tmpdir(), migrate: false, poolSize: 2 })).db
  : config.dataDir
    ? (await openDatabase({ dataDir: config.dataDir })).db
    : undefined;
const state = await createStateBackend({
  ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
  ...(db ? { db } : {}),
  keyPrefix: config.keyPrefix,
  timers: config.timers,
});

if (config.mode === 'schedule') {
  await state.inbox.accept('tg:almaty:7', { id: 'update-1', payload: '{"text":"диван"}' });
  await state.inbox.accept('tg:almaty:7', { id: 'update-2', payload: '{"text":"серый"}' });
  await state.timers.schedule('tg:almaty:7:idle', new Date(Date.now() + 200), 'idle');
  console.log('ready');
} else {
  await state.timers.schedule('tg:almaty:8:reminder', new Date(Date.now() - 1), 'reminder');
  await state.timers.start(async (timer) => {
    console.log(`handling ${timer.id}`);
    await new Promise(() => {}); // never finishes: the process dies mid-handler
  });
}
setInterval(() => {}, 60_000);
