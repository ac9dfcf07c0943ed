import { loadConfig } from '../../../hosts/platform/config.ts';
import { createPlatform } from '../../../hosts/platform/createPlatform.ts';

/**
 * One more replica of the platform for the load benchmark: a separate process with the same
 * configuration (environment from the parent) sharing only PostgreSQL and Redis, as replicas of
 * the container apps do. Talks to the parent over IPC:
 *   child → parent  { type: 'ready', url }  once it serves HTTP
 *   parent → child  { type: 'stop' }         closes and exits
 */
const keyPrefix = process.env.BENCH_REPLICA_KEY_PREFIX;
const platform = await createPlatform(loadConfig(process.env), keyPrefix ? { keyPrefix } : {});
await platform.start();
const { url } = await platform.listen();
process.on('message', (m: { type?: string }) => {
  if (m.type !== 'stop') return;
  void platform.close().finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready', url });
