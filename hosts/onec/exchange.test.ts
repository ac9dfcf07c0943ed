import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlert } from '../../storage/repos/alerts.ts';
import { createStateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { loadConfig } from '../platform/config.ts';
import { readLocalMedia } from '../platform/media.ts';
import { PlaceholderPictures } from '../platform/placeholder.ts';
import { createPlatform, type Platform } from '../platform/createPlatform.ts';
import { filesOf, OneC } from './testing/oneC.ts';
import { zipOf } from './testing/zip.ts';

/**
 * A retailer's 1C exchanging its catalog with the platform exactly as «Обмен с сайтом» does, over
 * real HTTP, on both backends: a full 2.10 package split over files (applied whole at `complete`),
 * a changes-only 2.05 exchange in windows-1251 (applied file by file; its price drop alerts a
 * shopper), a full 2.08 package sent as one zip (a good it no longer names goes unavailable), and
 * a file that breaks off midway (failure, catalog unchanged).
 */
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const USER = '1c-exchange';
const PASSWORD = 'Обмен-2024!';
const quiet = { info() {}, warn() {}, error() {} };
const ID = {
  A: 'a6c3410f-e812-5c3f-be97-f63c25384f9b',
  B: 'e1b39087-15d0-5c2c-ac77-a1c571ffebc7',
  C: 'ed266974-da39-5466-92a2-dff926281345',
  D: '9336c91d-968e-5bf4-89d3-5bda709fab6e',
  E: '800f67f6-7028-58b6-92e4-61d2eb470577',
  F: '53ea121b-b400-5e37-a55d-618547da4a05',
  G2: '49f5b66b-6b73-5370-ad11-e22655ab254e',
  G6: '57399d82-ff38-5e98-b5e7-4481a81c88eb',
};

describe.each(['pglite', 'postgres'] as const)('the 1C exchange on %s', (kind) => {
  let database: TestDatabase;
  let platform: Platform;
  let base: string;
  let cityId: string;
  const prefix = `zt1c:${randomBytes(4).toString('hex')}:`;
  const oneC = () => new OneC(base, 'almaty', { user: USER, password: PASSWORD });
  const db = () => platform.db.db;
  const product = (ext: string) =>
    db()
      .selectFrom('products')
      .selectAll()
      .where('city_id', '=', cityId)
      .where('external_id', '=', ext)
      .executeTakeFirst();
  const catalogSnapshot = () =>
    db()
      .selectFrom('products')
      .select(['sku', 'name', 'price', 'old_price', 'is_available', 'stock_quantity', 'category', 'external_id'])
      .where('city_id', '=', cityId)
      .orderBy('sku')
      .execute();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = {
      ...loadConfig({
        ONEC_EXCHANGE_USER: USER,
        ONEC_EXCHANGE_PASSWORD: PASSWORD,
        ONEC_PRICE_TYPE: 'almaty=Розничная',
        ...(kind === 'postgres' ? { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://unused' } : {}),
      }),
      port: 0,
      host: '127.0.0.1',
    };
    const state =
      kind === 'postgres'
        ? await createStateBackend({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix: prefix })
        : undefined;
    platform = await createPlatform(config, {
      log: quiet,
      database,
      ocr: false,
      keyPrefix: prefix,
      ...(state ? { state } : {}),
    });
    await platform.start();
    base = (await platform.listen()).url;
    cityId = (await db().selectFrom('cities').select('id').where('slug', '=', 'almaty').executeTakeFirstOrThrow()).id;
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
    await database?.close();
  });

  it('refuses wrong credentials with 401 and any step without the session cookie', async () => {
    const stranger = new OneC(base, 'almaty', { user: USER, password: 'guess' });
    const refused = await stranger.checkauth();
    expect(refused.status).toBe(401);
    expect(refused.lines[0]).toBe('failure');
    const noCookie = await oneC().call('init');
    expect(noCookie.status).toBe(401);
    expect(noCookie.lines).toEqual(['failure', 'no exchange session: call mode=checkauth first and send its cookie']);
    const forged = oneC();
    forged.cookie = `ZETA1C=${'0'.repeat(48)}`;
    expect((await forged.call('init')).status).toBe(401);
  });

  it('takes a full 2.10 package split over files and applies it whole at complete', async () => {
    const client = oneC();
    const auth = await client.checkauth();
    expect(auth.lines[0]).toBe('success');
    expect(auth.lines[1]).toBe('ZETA1C');
    expect(auth.lines[2]).toMatch(/^[0-9a-f]{48}$/);
    expect((await client.init()).lines).toEqual(['zip=yes', `file_limit=${16 * 1024 * 1024}`]);
    const files = filesOf(`${FIXTURES}v2.10`);
    for (const file of files) {
      // parts of 700 bytes: every file arrives in several requests, appended in order
      const replies = await client.upload(file.name, file.bytes, 700);
      expect(replies.every((r) => r.lines[0] === 'success')).toBe(true);
    }
    const xml = files.map((f) => f.name).filter((n) => n.endsWith('.xml'));
    for (const name of xml) expect((await client.import(name)).reply.lines).toEqual(['success']);
    // staged, not applied: the package is applied as one at its end
    expect(await product(ID.A)).toBeUndefined();
    expect((await client.untilDone('deactivate')).reply.lines).toEqual(['success']);
    expect((await client.untilDone('complete')).reply.lines).toEqual(['success']);

    const sofa = await db()
      .selectFrom('categories')
      .selectAll()
      .where('external_id', '=', ID.G2)
      .executeTakeFirstOrThrow();
    expect(sofa.slug).toBe('sofa'); // «Диваны» took over the category the bot already knows
    const shelves = await db()
      .selectFrom('categories')
      .selectAll()
      .where('slug', '=', 'stellazhi-dlya-knig')
      .executeTakeFirstOrThrow();
    expect(shelves.name_ru).toBe('Стеллажи для книг');
    expect(shelves.parent_slug).toBe('mebel-dlya-doma');
    const mechanism = await db()
      .selectFrom('attributes')
      .selectAll()
      .where('name_ru', '=', 'Механизм трансформации')
      .executeTakeFirstOrThrow();
    expect(mechanism.kind).toBe('enum');
    const values = await db()
      .selectFrom('attribute_values')
      .select(['value', 'name_ru'])
      .where('attribute_key', '=', mechanism.key)
      .orderBy('value')
      .execute();
    expect(values.map((v) => v.name_ru)).toEqual(['Аккордеон', 'Еврокнижка']);

    const orion = (await product(ID.A))!;
    expect(orion.sku).toBe('УД-0042');
    expect(orion.name).toBe('Диван угловой «Орион»');
    expect(Number(orion.price)).toBe(249990); // Розничная, not the first declared (Оптовая)
    expect(orion.is_available).toBe(true);
    expect(Number(orion.stock_quantity)).toBe(5);
    expect(orion.category).toBe('sofa');
    expect(orion.color).toBe('grey');
    expect(orion.attributes).toMatchObject({
      [mechanism.key]: 'evroknizhka',
      'shirina-sm': 245,
      'strana-proizvodstva': 'Казахстан',
    });
    expect(orion.images).toHaveLength(2);
    expect(orion.image_url).toBe(orion.images[0]);
    const stock = await db()
      .selectFrom('product_stock')
      .select(['warehouse', 'quantity'])
      .where('product_id', '=', orion.id)
      .orderBy('quantity')
      .execute();
    expect(stock.map((s) => Number(s.quantity))).toEqual([2, 3]);
    const picture = await fetch(`${base}${orion.images[0]}`);
    expect(picture.status).toBe(200);
    expect(picture.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await picture.arrayBuffer())).toEqual(
      readFileSync(`${FIXTURES}v2.10/goods/1/import_files/a6/${ID.A}_1.jpg`),
    );
    // without a public address the messengers get the bytes themselves
    const local = await readLocalMedia(db(), orion.images[1]!, new PlaceholderPictures());
    expect(Buffer.from(local!.bytes)).toEqual(readFileSync(`${FIXTURES}v2.10/goods/1/import_files/a6/${ID.A}_2.png`));

    const loft = (await product(ID.B))!;
    expect(loft.sku).toBe('000123456');
    expect(loft.attributes).toMatchObject({ 'shirina-sm': 80.5 });
    expect(loft.color).toBe('white');
    expect(Number(loft.stock_quantity)).toBe(7);
    const hallway = (await product(ID.D))!;
    expect(hallway.sku).toBe(ID.D.toUpperCase()); // no Артикул: known by its Ид
    const chair = (await product(ID.C))!;
    expect(chair.sku).toBe('КГ 17/3');
    expect(chair.is_available).toBe(false); // the good itself has no offer; its variants do
    const variants = await db()
      .selectFrom('products')
      .select(['sku', 'name', 'price', 'is_available', 'category'])
      .where('external_id', 'like', `${ID.C}#%`)
      .orderBy('name')
      .execute();
    expect(variants.map((v) => v.name)).toEqual([
      'Стул кухонный «Бриз» (Серый)',
      'Стул кухонный «Бриз» (Терракотовый)',
    ]);
    expect(variants.every((v) => v.sku.startsWith('КГ 17/3/') && Number(v.price) === 18900 && v.is_available)).toBe(
      true,
    );
    expect(variants[0]!.category).toBe('kukhonnye-stulya');
    const warehouses = await db()
      .selectFrom('warehouses')
      .select('name')
      .where('city_id', '=', cityId)
      .orderBy('name')
      .execute();
    expect(warehouses.map((w) => w.name)).toEqual(['Магазин на Абая', 'Склад Алматы (Рыскулова 103)']);
    // the session is over: its staged files are gone, a late repeat is harmless
    expect((await client.call('complete')).lines).toEqual(['success']);
    expect(await db().selectFrom('onec_files').select('name').execute()).toEqual([]);
  });

  it('applies a changes-only 2.05 exchange in windows-1251 file by file, and its price drop alerts the shopper', async () => {
    const orion = (await product(ID.A))!;
    const { alert } = await createAlert(db(), {
      cityId,
      channel: 'web',
      chatId: 'shopper-1',
      conversationKey: 'web:almaty:shopper-1',
      productId: orion.id,
    });
    const before = await catalogSnapshot();
    const client = oneC();
    await client.checkauth();
    await client.init();
    for (const file of filesOf(`${FIXTURES}changes-2.05`)) await client.upload(file.name, file.bytes);

    expect((await client.import('import.xml')).reply.lines).toEqual(['success']);
    const loft = (await product(ID.B))!;
    expect(loft.is_available).toBe(false); // ПометкаУдаления: unavailable, never deleted
    const rocker = (await product(ID.F))!;
    expect(rocker.name).toBe('Кресло-качалка «Уют»');
    expect(rocker.category).toBe('armchair'); // the group «Кресла» took over the seed's category
    expect(rocker.is_available).toBe(false); // no price yet

    expect((await client.import('offers.xml')).reply.lines).toEqual(['success']);
    const cheaper = (await product(ID.A))!;
    expect(Number(cheaper.price)).toBe(229990);
    expect(Number(cheaper.old_price)).toBe(249990); // «было 249 990 ₸»
    expect(Number(cheaper.stock_quantity)).toBe(4);
    const priced = (await product(ID.F))!;
    expect(Number(priced.price)).toBe(89990);
    expect(priced.is_available).toBe(true);
    const told = await db().selectFrom('alert_notifications').selectAll().where('alert_id', '=', alert.id).execute();
    expect(told.map((n) => [Number(n.old_price), Number(n.new_price)])).toEqual([[249990, 229990]]);
    // a changes-only package leaves what it does not name alone
    const untouched = before.filter((p) => p.external_id && ![ID.A, ID.B].includes(p.external_id));
    const after = await catalogSnapshot();
    for (const p of untouched) expect(after.find((q) => q.external_id === p.external_id)).toEqual(p);
    expect((await client.call('complete')).lines).toEqual(['success']);
  });

  it('takes a full 2.08 package as one zip; a good it no longer names becomes unavailable', async () => {
    const client = oneC();
    await client.checkauth();
    await client.init();
    expect(client.zip).toBe(true);
    const zip = zipOf(filesOf(`${FIXTURES}v2.08`).map((f) => ({ name: f.name, data: f.bytes })));
    const parts = await client.upload('v8_exchange.zip', zip, Math.ceil(zip.byteLength / 3));
    expect(parts).toHaveLength(3);
    const imported = await client.import('import.xml');
    expect(imported.reply.lines).toEqual(['success']);
    expect(imported.progress[0]).toMatch(/unpack/);
    expect((await client.import('offers.xml')).reply.lines).toEqual(['success']);
    expect((await client.untilDone('complete')).reply.lines).toEqual(['success']);

    const gone = (await product(ID.E))!;
    expect(gone.is_available).toBe(false);
    expect(gone.sku).toBe('СТ-1/А');
    const back = (await product(ID.B))!;
    expect(back.is_available).toBe(true); // named again, not deleted: on sale again
    const orion = (await product(ID.A))!;
    expect(Number(orion.price)).toBe(249990);
    expect(orion.old_price).toBeNull();
    const variants = await db().selectFrom('products').select('id').where('external_id', 'like', `${ID.C}#%`).execute();
    expect(variants).toHaveLength(2); // the same variants, not new ones
  });

  it('answers failure for a file that breaks off midway and changes nothing', async () => {
    const before = await catalogSnapshot();
    const client = oneC();
    await client.checkauth();
    await client.init();
    await client.upload('import.xml', readFileSync(`${FIXTURES}broken-2.07/import.xml`), 2048);
    const { reply } = await client.import('import.xml');
    expect(reply.lines[0]).toBe('failure');
    expect(reply.lines[1]).toMatch(/^import\.xml: the XML is malformed/);
    expect(await catalogSnapshot()).toEqual(before);
    // asked again, the same answer: the file stays failed
    expect((await client.call('import', { filename: 'import.xml' })).lines[0]).toBe('failure');
    const staged = await db().selectFrom('onec_staged').select('id').execute();
    expect(staged).toEqual([]);
  });
});
