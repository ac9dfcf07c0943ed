import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { loadConfig } from '../platform/config.ts';
import { createPlatform, type Platform } from '../platform/createPlatform.ts';
import { catalogPort } from '../platform/ports/catalog.ts';
import { OneC } from './testing/oneC.ts';

/**
 * Stock as shoppers see it after a 1C exchange: where offers carry quantities per warehouse, a
 * product's availability and quantity are the sum over the city's warehouses, not the
 * `Количество` 1C counts over all of its warehouses (other cities' included).
 */
const USER = '1c-exchange';
const PASSWORD = 'Склад-2024!';
const quiet = { info() {}, warn() {}, error() {} };
const GROUP = '0b9c1a4e-7d1f-5a7e-9a51-3f2d7c0e9a01';
const SOFA = '1f0e2d3c-4b5a-5968-8776-a5b4c3d2e1f0';
const SHELF = '2a1b3c4d-5e6f-5a7b-8c9d-0e1f2a3b4c5d';
const ALMATY_STORE = 'c3e241f0-2e45-5fa5-92b4-00cdbd8135ab';
const ALMATY_SHOP = '63b5bfc1-7d60-5b1c-a940-018350e6ac07';
/** declared by another city's exchange: what it holds is not Almaty's */
const OTHER_CITY_STORE = '9d4e7f10-3b2a-5c6d-8e9f-0a1b2c3d4e5f';

const head = `<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.05" ДатаФормирования="2026-12-07T09:00:00">`;

const importXml = `${head}
  <Классификатор><Ид>cls-1</Ид><Наименование>Классификатор</Наименование>
    <Группы><Группа><Ид>${GROUP}</Ид><Наименование>Диваны</Наименование></Группа></Группы>
  </Классификатор>
  <Каталог СодержитТолькоИзменения="true"><Ид>cat-1</Ид><ИдКлассификатора>cls-1</ИдКлассификатора><Наименование>Каталог</Наименование>
    <Товары>
      <Товар><Ид>${SOFA}</Ид><Артикул>УД-0777</Артикул><Наименование>Диван угловой «Тахо»</Наименование>
        <Группы><Ид>${GROUP}</Ид></Группы><Описание>Угловой диван.</Описание></Товар>
      <Товар><Ид>${SHELF}</Ид><Артикул>УД-0778</Артикул><Наименование>Диван прямой «Бриз»</Наименование>
        <Группы><Ид>${GROUP}</Ид></Группы><Описание>Прямой диван.</Описание></Товар>
    </Товары>
  </Каталог>
</КоммерческаяИнформация>`;

/** «Тахо»: 1C counts 6 over all its warehouses, the city's two hold `taho` (another city's 5); «Бриз» a total only */
const offersXml = (taho: [number, number]) => `${head}
  <ПакетПредложений СодержитТолькоИзменения="true"><Ид>pkg-1</Ид><Наименование>Пакет</Наименование>
    <ИдКаталога>cat-1</ИдКаталога><ИдКлассификатора>cls-1</ИдКлассификатора>
    <ТипыЦен><ТипЦены><Ид>retail</Ид><Наименование>Розничная</Наименование><Валюта>KZT</Валюта></ТипЦены></ТипыЦен>
    <Склады>
      <Склад><Ид>${ALMATY_STORE}</Ид><Наименование>Склад Алматы</Наименование></Склад>
      <Склад><Ид>${ALMATY_SHOP}</Ид><Наименование>Магазин на Абая</Наименование></Склад>
    </Склады>
    <Предложения>
      <Предложение><Ид>${SOFA}</Ид><Наименование>Диван угловой «Тахо»</Наименование>
        <Цены><Цена><ИдТипаЦены>retail</ИдТипаЦены><ЦенаЗаЕдиницу>310000</ЦенаЗаЕдиницу><Валюта>KZT</Валюта></Цена></Цены>
        <Количество>6</Количество>
        <Склад ИдСклада="${ALMATY_STORE}" КоличествоНаСкладе="${taho[0]}"/>
        <Склад ИдСклада="${ALMATY_SHOP}" КоличествоНаСкладе="${taho[1]}"/>
        <Склад ИдСклада="${OTHER_CITY_STORE}" КоличествоНаСкладе="5"/>
      </Предложение>
      <Предложение><Ид>${SHELF}</Ид><Наименование>Диван прямой «Бриз»</Наименование>
        <Цены><Цена><ИдТипаЦены>retail</ИдТипаЦены><ЦенаЗаЕдиницу>150000</ЦенаЗаЕдиницу><Валюта>KZT</Валюта></Цена></Цены>
        <Количество>4</Количество>
      </Предложение>
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>`;

describe.each(['pglite', 'postgres'] as const)('stock from a 1C exchange on %s', (kind) => {
  let database: TestDatabase;
  let platform: Platform;
  let base: string;
  const prefix = `zt1cs:${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = {
      ...loadConfig({
        ONEC_EXCHANGE_USER: USER,
        ONEC_EXCHANGE_PASSWORD: PASSWORD,
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
    const other = await database.db
      .insertInto('cities')
      .values({ name: 'Шымкент', slug: 'shymkent-stock', timezone: 'Asia/Almaty' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('warehouses')
      .values({ city_id: other.id, id: OTHER_CITY_STORE, name: 'Склад Шымкент' })
      .execute();
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
    await database?.close();
  });

  const exchange = async (files: Record<string, string>) => {
    const client = new OneC(base, 'almaty', { user: USER, password: PASSWORD });
    expect((await client.checkauth()).lines[0]).toBe('success');
    await client.init();
    for (const [name, text] of Object.entries(files)) await client.upload(name, Buffer.from(text, 'utf8'));
    for (const name of Object.keys(files)) expect((await client.import(name)).reply.lines).toEqual(['success']);
    expect((await client.call('complete')).lines).toEqual(['success']);
  };

  it('shows the sum over the city’s warehouses; a product none of them holds is out of stock and not offered', async () => {
    await exchange({ 'import.xml': importXml, 'offers.xml': offersXml([0, 0]) });
    const catalog = catalogPort(platform.db, platform.cities);
    // 1C counts 6 somewhere, but neither of the city's warehouses has one: «нет в наличии»
    expect(await catalog.bySku('almaty', 'УД-0777')).toMatchObject({ available: false, stockQuantity: 0 });
    // without warehouse quantities the offer's total stands
    expect(await catalog.bySku('almaty', 'УД-0778')).toMatchObject({ available: true, stockQuantity: 4 });
    const taho = (extra: { includeUnavailable?: true } = {}) =>
      catalog.search('almaty', { category: 'sofa', priceMin: 309_999, priceMax: 310_001, ...extra }, 1, 10);
    expect((await taho()).items).toEqual([]);
    expect((await taho({ includeUnavailable: true })).items.map((p) => p.sku)).toEqual(['УД-0777']);

    // the next exchange brings 1 + 2 to the city's warehouses: 3 in stock, offered again
    await exchange({ 'offers.xml': offersXml([1, 2]) });
    catalog.invalidate();
    expect(await catalog.bySku('almaty', 'уд-0777')).toMatchObject({ available: true, stockQuantity: 3 });
    expect((await taho()).items.map((p) => p.sku)).toEqual(['УД-0777']);
  });
});
