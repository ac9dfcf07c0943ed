import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../engine/replies.ts';
import { importCatalog } from '../../storage/import/index.ts';
import { getCityBySlug } from '../../storage/repos/cities.ts';
import { createStateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { notifyCatalogChanged } from '../admin/index.ts';
import { loadConfig } from './config.ts';
import { createPlatform, type Platform } from './createPlatform.ts';

/**
 * The rules brain reads the retailer's words: a colour and a category added to the taxonomy are
 * understood as soon as the change is announced — on every replica (two platforms on one database
 * and one Redis), through the web chat, the runtime and the real search.
 */

const quiet = { info() {}, warn() {}, error() {} };
const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery' };
const MESSAGE = 'графитовый стеллаж для книг';

async function boot(kind: 'embedded' | 'production', database: TestDatabase, prefix: string): Promise<Platform> {
  const env = {
    ADMIN_EMAIL: OWNER.email,
    ADMIN_PASSWORD: OWNER.password,
    JWT_SECRET: 'test-secret-test-secret-test-secret',
    ...(kind === 'production' ? { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://unused' } : {}),
  };
  const config = { ...loadConfig(env, []), port: 0, host: '127.0.0.1' };
  const state =
    kind === 'production'
      ? await createStateBackend({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix: prefix })
      : undefined;
  const platform = await createPlatform(config, {
    log: quiet,
    database,
    ocr: false,
    keyPrefix: prefix,
    ...(state ? { state } : {}),
  });
  await platform.start();
  return platform;
}

async function login(platform: Platform): Promise<string> {
  const res = await platform.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

describe.each(['embedded', 'production'] as const)('the catalog’s words on the %s backend', (kind) => {
  let database: TestDatabase;
  const replicas: Platform[] = [];
  const tokens = new Map<Platform, string>();
  let shopper = 0;

  /** the SKUs one replica shows a new shopper for `text` */
  async function shown(platform: Platform, text: string): Promise<string[]> {
    const res = await platform.app.request('/api/chat/almaty', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(platform)}` },
      body: JSON.stringify({ userId: `words-${kind}-${shopper++}`, text }),
    });
    expect(res.status).toBe(200);
    const replies = ((await res.json()) as { replies: Reply[] }).replies;
    return replies.flatMap((r) => (r.type === 'products' ? r.items.map((p) => p.sku) : []));
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind === 'embedded' ? 'pglite' : 'postgres');
    const prefix = `zt:${randomBytes(4).toString('hex')}:`;
    replicas.push(await boot(kind, database, prefix));
    // a second replica shares the database and the state store; in-process state has only one
    if (kind === 'production') replicas.push(await boot(kind, database, prefix));
    for (const platform of replicas) tokens.set(platform, await login(platform));
  });
  afterAll(async () => {
    for (const platform of replicas) await platform.close();
    await database?.close();
  });

  it('understands «графитовый стеллаж для книг» once the taxonomy has them and the change is announced', async () => {
    const db = database.db;
    const city = (await getCityBySlug(db, 'almaty'))!;
    await db
      .insertInto('categories')
      .values({
        slug: 'bookcases',
        name_ru: 'Стеллажи для книг',
        name_en: 'Bookcases',
        synonyms: JSON.stringify(['стеллаж для книг']),
        position: 100,
      })
      .execute();
    await db
      .insertInto('attribute_values')
      .values({ attribute_key: 'color', value: 'graphite', name_ru: 'Графитовый', synonyms: '[]', position: 100 })
      .execute();
    const rows = [
      'BK-1,Стеллаж «Опус»,,89000,bookcases,graphite,,,1',
      'BK-2,Стеллаж «Опус»,,89000,bookcases,white,,,1',
    ];
    const imported = await importCatalog(db, {
      cityId: city.id,
      source: `sku,name,description,price,category,color,material,image_url,is_available\n${rows.join('\n')}`,
      format: 'csv',
    });
    expect(imported).toMatchObject({ imported: 2, errors: [], created: [] });

    const last = replicas.at(-1)!;
    // before the announcement the words mean what the demo taxonomy says: grey shelves
    expect(await shown(last, MESSAGE)).not.toEqual(['BK-1']);

    await notifyCatalogChanged(replicas[0]!.state.pubsub, { reason: 'edit' });
    const deadline = Date.now() + 10_000;
    let skus: string[] = [];
    while (Date.now() < deadline) {
      skus = await shown(last, MESSAGE);
      if (skus.length === 1 && skus[0] === 'BK-1') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // category bookcases and colour graphite: the white one of the same kind is not offered
    expect(skus).toEqual(['BK-1']);
    for (const platform of replicas) expect(await shown(platform, 'графитовые стеллажи для книг')).toEqual(['BK-1']);
  });
});
