import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { DatabaseKind } from '../../../storage/db/open.ts';
import { createCity } from '../../../storage/repos/cities.ts';
import { createTestDatabase, type TestDatabase } from '../../../storage/testing.ts';
import { CityDirectory } from '../../platform/cities.ts';
import { onecConfig, type OnecConfig } from '../config.ts';
import { onecRoutes } from '../routes.ts';
import type { AfterApply } from '../../../storage/onec/index.ts';

/**
 * The exchange route alone on a real HTTP server on 127.0.0.1, over a fresh database of either
 * kind with one city, `almaty`: quicker to start than the whole platform, for the many ways a
 * 1C (or someone pretending to be one) can send the wrong thing.
 */
export const EXCHANGE_USER = 'exchange';
export const EXCHANGE_PASSWORD = 'secret-2024';

export type ExchangeServer = {
  base: string;
  database: TestDatabase;
  cityId: string;
  applied: { cityId: string; drops: string[] }[];
  clock: { now: Date };
  close(): Promise<void>;
};

export async function startExchange(
  kind: DatabaseKind,
  options: { env?: Record<string, string>; stepItems?: number; database?: TestDatabase } = {},
): Promise<ExchangeServer> {
  const database = options.database ?? (await createTestDatabase(kind));
  const city = await createCity(database.db, { name: 'Алматы', slug: `almaty` }).catch(async () =>
    database.db.selectFrom('cities').select('id').where('slug', '=', 'almaty').executeTakeFirstOrThrow(),
  );
  const cities = new CityDirectory(database.db);
  await cities.reload();
  const config: OnecConfig = onecConfig({
    ONEC_EXCHANGE_USER: EXCHANGE_USER,
    ONEC_EXCHANGE_PASSWORD: EXCHANGE_PASSWORD,
    ...options.env,
  });
  const clock = { now: new Date() };
  const applied: ExchangeServer['applied'] = [];
  const afterApply: AfterApply = async (cityId, drops) => {
    applied.push({ cityId, drops });
  };
  const app = new Hono();
  const quiet = { info() {}, warn() {}, error() {} };
  app.route(
    '/1c',
    onecRoutes({
      db: database.db,
      config,
      cities,
      afterApply,
      clock: () => clock.now,
      log: quiet,
      ...(options.stepItems ? { stepItems: options.stepItems } : {}),
    }),
  );
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  // a kept-alive connection idle past Node's 5 s default is closed by the server just as the
  // client may start streaming its next part on it (EPIPE); on a loaded machine the gaps between
  // a long bench's phases are that long
  (server as import('node:http').Server).keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    database,
    cityId: city.id,
    applied,
    clock,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.database) await database.close();
    },
  };
}
