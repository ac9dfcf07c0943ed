import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleOf, bytesOf, catalogXml, goodId, offersXml } from './testing/generate.ts';
import { OneC } from './testing/oneC.ts';
import { EXCHANGE_PASSWORD, EXCHANGE_USER, startExchange, type ExchangeServer } from './testing/server.ts';

/**
 * A 20,000-good catalog (about 37 MB of import.xml) sent as 1C sends it — in 1 MB parts — and
 * imported step by step: each request reads at most 2,500 elements and answers `progress`, so no
 * request runs long enough for 1C's timeout. The file is never held whole: after every request
 * (collected, so only what is still held counts) the heap holds far less than the file's text
 * would take, and a whole-file DOM several times more.
 */
const GOODS = 20_000;

v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

describe.each(['pglite', 'postgres'] as const)('a 20,000-good exchange on %s', (kind) => {
  let server: ExchangeServer;

  beforeAll(async () => {
    server = await startExchange(kind, {
      stepItems: 2_500,
      env: { ONEC_FILE_LIMIT_MB: '1', ONEC_PRICE_TYPE: 'Розничная' },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('is imported in bounded steps with bounded memory', { timeout: 600_000 }, async () => {
    const client = new OneC(server.base, 'almaty', { user: EXCHANGE_USER, password: EXCHANGE_PASSWORD });
    await client.checkauth();
    await client.init();
    collect();
    const baseline = process.memoryUsage().heapUsed;
    let held = 0;
    const call = client.call.bind(client);
    client.call = async (...args) => {
      const reply = await call(...args);
      collect();
      held = Math.max(held, process.memoryUsage().heapUsed - baseline);
      return reply;
    };
    {
      const parts = await client.uploadStream('import.xml', bytesOf(catalogXml({ goods: GOODS })));
      expect(parts).toBeGreaterThan(30);
      const goods = await client.import('import.xml');
      expect(goods.reply.lines).toEqual(['success']);
      expect(goods.progress.length).toBeGreaterThanOrEqual(GOODS / 2_500);
      await client.uploadStream('offers.xml', bytesOf(offersXml({ goods: GOODS })));
      const offers = await client.import('offers.xml');
      expect(offers.reply.lines).toEqual(['success']);
      expect(offers.progress.length).toBeGreaterThanOrEqual(GOODS / 2_500);
    }
    // the file is ~37 MB of UTF-8, ~70 MB as a JavaScript string
    expect(held / 2 ** 20).toBeLessThan(40);
    await client.call('complete');

    const db = server.database.db;
    const count = await db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('city_id', '=', server.cityId)
      .where('is_available', '=', true)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(GOODS);
    const last = await db
      .selectFrom('products')
      .select(['sku', 'price', 'stock_quantity'])
      .where('external_id', '=', goodId(GOODS - 1))
      .executeTakeFirstOrThrow();
    expect(last.sku).toBe(articleOf(GOODS - 1));
    expect(Number(last.price)).toBe(50_000 + ((GOODS - 1) % 400) * 1_000);
    expect(Number(last.stock_quantity)).toBe((GOODS - 1) % 5);
  });
});
