import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOrder, getOrder, recordPayment } from '../../storage/orders/index.ts';
import { createStateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { loadConfig } from '../platform/config.ts';
import { createPlatform, type Platform } from '../platform/createPlatform.ts';
import { SECRET_HEADER } from '../telegram/routes.ts';
import { startFakeBotApi, visibleText, type FakeBotApi } from '../telegram/testing/fakeBotApi.ts';
import * as u from '../telegram/testing/updates.ts';
import { OneC } from './testing/oneC.ts';
import { at, kid, kids, parseXml, requisites } from './testing/xmlTree.ts';

/**
 * Orders to 1C and their statuses back, over real HTTP through the whole platform on both
 * backends, as 1C's «Обмен с сайтом» drives `type=sale`: checkauth → init → query → success, then
 * `file` with the statuses 1C set. The shopper hears of a change in Telegram (fake Bot API) by the
 * platform's own order news.
 */
const USER = '1c-exchange';
const PASSWORD = 'Обмен-2024!';
const TG_TOKEN = '4242424242:onec-sale';
const TG_SECRET = 'onec-sale-secret';
const quiet = { info() {}, warn() {}, error() {} };

describe.each(['pglite', 'postgres'] as const)('orders to 1C on %s', (kind) => {
  let database: TestDatabase;
  let platform: Platform;
  let botApi: FakeBotApi;
  let base: string;
  let cityId: string;
  let withId: { id: string; sku: string; ext: string; price: number };
  let withoutId: { id: string; sku: string; price: number };
  let updateId = 10_000;
  let catalog: OneC;
  const shopper = kind === 'pglite' ? 71_000_001 : 71_000_002;
  const db = () => platform.db.db;

  const sale = async () => {
    const client = new OneC(base, 'almaty', { user: USER, password: PASSWORD });
    const auth = await client.call('checkauth', {}, { basic: true, type: 'sale' });
    expect(auth.lines[0]).toBe('success');
    client.cookie = `${auth.lines[1]}=${auth.lines[2]}`;
    return client;
  };
  const query = async (client: OneC, params: Record<string, string> = {}) => {
    const res = await fetch(
      `${base}/1c/exchange/almaty?${new URLSearchParams({ type: 'sale', mode: 'query', ...params })}`,
      {
        headers: { cookie: client.cookie! },
      },
    );
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { res, text: new TextDecoder().decode(bytes), bytes };
  };
  const documents = (text: string) => kids(parseXml(text), 'Документ');
  const send = (client: OneC, name: string, xml: string) =>
    client.call('file', { filename: name }, { type: 'sale', body: Buffer.from(xml, 'utf8') });
  const updateXml = (docs: { id?: string; number?: number; sum?: number; values: Record<string, string> }[]) =>
    `<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация ВерсияСхемы="2.08" ДатаФормирования="2026-12-07T12:00:00">${docs
      .map(
        (d) =>
          `<Документ><Ид>${d.id ?? ''}</Ид><Номер>${d.number ?? ''}</Номер><ХозОперация>Заказ товара</ХозОперация>${
            d.sum === undefined ? '' : `<Сумма>${d.sum}</Сумма>`
          }<ЗначенияРеквизитов>${Object.entries(d.values)
            .map(
              ([k, v]) =>
                `<ЗначениеРеквизита><Наименование>${k}</Наименование><Значение>${v}</Значение></ЗначениеРеквизита>`,
            )
            .join('')}</ЗначенияРеквизитов></Документ>`,
      )
      .join('')}</КоммерческаяИнформация>`;
  const place = (over: { conversation?: string; pickup?: boolean; productId?: string; quantity?: number } = {}) =>
    createOrder(db(), {
      cityId,
      channel: 'telegram',
      conversationKey: over.conversation ?? null,
      customer: { name: 'Айгерим Қасымова', phone: '+77011234567' },
      delivery: over.pickup ? { kind: 'pickup', store: 'ТРЦ Mega' } : { kind: 'delivery', address: 'Абая 10, кв 5' },
      paymentMethod: 'kaspi',
      items: [{ productId: over.productId ?? withId.id, quantity: over.quantity ?? 2 }],
    });
  const exported = async () =>
    (await db().selectFrom('onec_order_exports').select('order_id').execute()).map((r) => r.order_id).sort();
  const updates = (orderId?: string) => {
    let q = db().selectFrom('onec_order_updates').selectAll().orderBy('created_at');
    if (orderId) q = q.where('order_id', '=', orderId);
    return q.execute();
  };
  const telegramTexts = () =>
    botApi.messages(shopper).map((c) => visibleText(String(c.params.text ?? ''), c.params.parse_mode));

  beforeAll(async () => {
    botApi = await startFakeBotApi({ bots: { [TG_TOKEN]: { username: 'zeta_onec_bot' } } });
    database = await createTestDatabase(kind);
    const prefix = `zt1cs:${randomBytes(4).toString('hex')}:`;
    const config = {
      ...loadConfig({
        ONEC_EXCHANGE_USER: USER,
        ONEC_EXCHANGE_PASSWORD: PASSWORD,
        TELEGRAM_BOT_TOKEN: TG_TOKEN,
        TELEGRAM_API_ROOT: botApi.apiRoot,
        TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
        DEMO_DATA: 'on',
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
    await platform.telegram.registry.init();
    base = (await platform.listen()).url;
    cityId = (await db().selectFrom('cities').select('id').where('slug', '=', 'almaty').executeTakeFirstOrThrow()).id;
    const products = await db()
      .selectFrom('products')
      .select(['id', 'sku', 'price'])
      .where('city_id', '=', cityId)
      .where('is_available', '=', true)
      .orderBy('sku')
      .limit(2)
      .execute();
    const ext = 'a6c3410f-e812-5c3f-be97-f63c25384f9b';
    await db().updateTable('products').set({ external_id: ext }).where('id', '=', products[0]!.id).execute();
    await db().updateTable('products').set({ external_id: null }).where('id', '=', products[1]!.id).execute();
    withId = { id: products[0]!.id, sku: products[0]!.sku, ext, price: Number(products[0]!.price) };
    withoutId = { id: products[1]!.id, sku: products[1]!.sku, price: Number(products[1]!.price) };
    // the demo's orders are not this test's: as if 1C had them already
    await sql`INSERT INTO onec_order_exports (order_id, version)
      SELECT id, date_trunc('milliseconds', updated_at) FROM orders`.execute(db());
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
    await database?.close();
    await botApi?.close();
  });

  it('query answers the new orders as CommerceML, success marks only what that query returned', async () => {
    const pickup = await place({ pickup: true, conversation: `telegram:almaty:${shopper}` });
    const delivery = await place({ productId: withoutId.id, quantity: 1 });
    const client = await sale();
    // a catalog exchange right after is not held up by the open orders session
    catalog = new OneC(base, 'almaty', { user: USER, password: PASSWORD });
    expect((await catalog.checkauth()).lines[0]).toBe('success');
    expect((await client.call('init', { version: '2.05' }, { type: 'sale' })).lines).toEqual([
      'zip=no',
      `file_limit=${16 * 1024 * 1024}`,
    ]);
    const { res, text } = await query(client);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const root = parseXml(text);
    expect(root.name).toBe('КоммерческаяИнформация');
    expect(root.attrs.ВерсияСхемы).toBe('2.05');
    const docs = documents(text);
    expect(docs.map((d) => at(d, 'Ид')).sort()).toEqual([pickup.id, delivery.id].sort());

    const first = docs.find((d) => at(d, 'Ид') === pickup.id)!;
    expect(at(first, 'Номер')).toBe(String(pickup.number));
    expect(at(first, 'Дата')).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(at(first, 'Время')).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(at(first, 'ХозОперация')).toBe('Заказ товара');
    expect(at(first, 'Роль')).toBe('Продавец');
    expect(at(first, 'Валюта')).toBe('KZT');
    expect(at(first, 'Курс')).toBe('1');
    expect(at(first, 'Сумма')).toBe((withId.price * 2).toFixed(2));
    const buyer = kid(kid(first, 'Контрагенты'), 'Контрагент');
    expect(at(buyer, 'Наименование')).toBe('Айгерим Қасымова');
    expect(at(buyer, 'Роль')).toBe('Покупатель');
    expect(at(buyer, 'Контакты', 'Контакт', 'Значение')).toBe('+77011234567');
    const good = kid(kid(first, 'Товары'), 'Товар');
    expect(at(good, 'Ид')).toBe(withId.ext);
    expect(at(good, 'ЦенаЗаЕдиницу')).toBe(withId.price.toFixed(2));
    expect(at(good, 'Количество')).toBe('2');
    expect(at(good, 'Сумма')).toBe((withId.price * 2).toFixed(2));
    expect(at(good, 'БазоваяЕдиница')).toBe('шт');
    expect(requisites(first)).toMatchObject({
      'Статус заказа': 'Новый',
      'Статус заказа ИД': 'new',
      'Способ доставки': 'Самовывоз',
      'Пункт самовывоза': 'ТРЦ Mega',
      'Метод оплаты ИД': 'kaspi',
      'Заказ оплачен': 'false',
      Отменен: 'false',
    });
    const second = docs.find((d) => at(d, 'Ид') === delivery.id)!;
    const unmatched = kid(kid(second, 'Товары'), 'Товар');
    expect(at(unmatched, 'Ид')).toBe(withoutId.sku);
    expect(at(unmatched, 'Артикул')).toBe(withoutId.sku);
    expect(requisites(unmatched)).toMatchObject({ НетИд1С: 'true' });
    expect(requisites(second)).toMatchObject({ 'Способ доставки': 'Доставка', 'Адрес доставки': 'Абая 10, кв 5' });
    expect(requisites(second)['Есть товары без Ид 1С']).toBe(withoutId.sku);

    // placed between the query and its success: not marked, sent next time
    const late = await place({ quantity: 1 });
    expect((await client.call('success', {}, { type: 'sale' })).lines).toEqual(['success']);
    expect(await exported()).toEqual(expect.arrayContaining([pickup.id, delivery.id]));
    expect(await exported()).not.toContain(late.id);

    const next = await sale();
    const again = documents((await query(next)).text);
    expect(again.map((d) => at(d, 'Ид'))).toEqual([late.id]);
    // changed after its export (paid): sent again, with its new status
    await recordPayment(db(), {
      provider: 'kaspi_manual',
      reference: `K-${pickup.id}`,
      orderId: pickup.id,
      amount: pickup.total,
      currency: 'KZT',
      status: 'succeeded',
    });
    const changed = documents((await query(next)).text);
    expect(changed.map((d) => at(d, 'Ид')).sort()).toEqual([late.id, pickup.id].sort());
    expect(requisites(changed.find((d) => at(d, 'Ид') === pickup.id))).toMatchObject({
      'Статус заказа ИД': 'paid',
      'Заказ оплачен': 'true',
    });
    expect((await next.call('success', {}, { type: 'sale' })).lines).toEqual(['success']);
    expect(documents((await query(await sale())).text)).toEqual([]);
  });

  it('answers in the schema version 1C names (2.04–2.10) and refuses one it does not write', async () => {
    const order = await place({ quantity: 1 });
    const client = await sale();
    const { text } = await query(client, { version: '2.10' });
    expect(parseXml(text).attrs.ВерсияСхемы).toBe('2.10');
    expect(documents(text).map((d) => at(d, 'Ид'))).toContain(order.id);
    const refused = await client.call('init', { version: '3.1' }, { type: 'sale' });
    expect(refused.lines[0]).toBe('failure');
    expect(refused.lines[1]).toMatch(/schema version 3\.1 is not supported/);
    expect((await client.call('success', {}, { type: 'sale' })).lines).toEqual(['success']);
  });

  it('1C paying and posting an order moves it paid → confirmed and the shopper is told in Telegram', async () => {
    const hello = await platform.app.request('/webhooks/telegram/almaty', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: TG_SECRET },
      body: JSON.stringify(u.textUpdate(++updateId, u.shopper(shopper), 'привет')),
    });
    expect(hello.status).toBe(200);
    await platform.runtime.idle();
    const order = await place({ pickup: true, conversation: `telegram:almaty:${shopper}` });
    const client = await sale();
    // 1C takes the order first, then sends its statuses back in the same session
    expect(documents((await query(client)).text).map((d) => at(d, 'Ид'))).toContain(order.id);
    expect((await client.call('success', {}, { type: 'sale' })).lines).toEqual(['success']);
    const xml = updateXml([
      {
        id: order.id,
        number: order.number,
        sum: order.total,
        values: { 'Номер оплаты по 1С': 'ПКО-17', 'Дата оплаты по 1С': '2026-12-07T11:00:00', Проведен: 'true' },
      },
    ]);
    expect((await send(client, 'orders-1.xml', xml)).lines).toEqual(['success']);
    expect((await client.call('import', { filename: 'orders-1.xml' }, { type: 'sale' })).lines).toEqual(['success']);
    const after = (await getOrder(db(), order.id))!;
    expect(after.status).toBe('confirmed');
    expect(
      after.events.filter((e) => e.actor.kind === 'provider').map((e) => [e.from, e.to, e.actor.id, e.note]),
    ).toEqual([
      ['new', 'paid', '1c', `${order.id}:ПКО-17@2026-12-07T11:00:00`],
      ['paid', 'confirmed', '1c', '1C'],
    ]);
    expect(after.payments.map((p) => [p.provider, p.amount, p.status, p.flaggedReason])).toEqual([
      ['1c', order.total, 'succeeded', null],
    ]);
    await vi.waitFor(() => {
      const said = telegramTexts().join('\n');
      expect(said).toContain(`Заказ № ${order.number} оплачен`);
      expect(said).toContain(`Заказ № ${order.number} подтверждён`);
    }, 15_000);
    expect((await updates(order.id)).map((r) => r.outcome)).toEqual(['applied']);
    // the same file again (1C retrying) changes nothing and pays nothing twice
    expect((await send(client, 'orders-1.xml', xml)).lines).toEqual(['success']);
    expect((await getOrder(db(), order.id))!.payments).toHaveLength(1);
    expect((await updates(order.id)).map((r) => r.outcome)).toEqual(['applied', 'unchanged']);
    // 1C's own change does not travel back to it: it had the order before, so it has it after
    expect(documents((await query(client)).text).map((d) => at(d, 'Ид'))).not.toContain(order.id);
  });

  it('bad XML, unknown orders and statuses, illegal moves and wrong amounts: a clear answer, nothing lost', async () => {
    const order = await place();
    const client = await sale();
    const before = (await getOrder(db(), order.id))!;

    const broken = await send(
      client,
      'broken.xml',
      updateXml([{ id: order.id, values: { Проведен: 'true' } }]).slice(0, -40),
    );
    expect(broken.lines[0]).toBe('failure');
    expect(broken.lines[1]).toMatch(/^broken\.xml: the XML is malformed: .*; no order was changed$/);
    const doctype = await send(
      client,
      'dt.xml',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><КоммерческаяИнформация ВерсияСхемы="2.08"/>',
    );
    expect(doctype.lines[1]).toMatch(/DOCTYPE/);
    expect((await client.call('import', { filename: 'broken.xml' }, { type: 'sale' })).lines[0]).toBe('failure');
    expect((await client.call('import', { filename: 'never.xml' }, { type: 'sale' })).lines).toEqual([
      'failure',
      'never.xml was not sent in this exchange (mode=file first)',
    ]);

    const mixed = await send(
      client,
      'mixed.xml',
      updateXml([
        { id: '00000000-0000-4000-8000-000000000000', number: 999_999, values: { Проведен: 'true' } },
        { id: order.id, values: { 'Статус заказа': 'Ждём звёзд' } },
        // an unpaid Kaspi order cannot be shipped: the machine refuses, the order stays
        { id: order.id, values: { 'Номер отгрузки по 1С': 'РТУ-5' } },
        // a payment for the wrong amount is recorded and flagged, never marks paid
        { number: order.number, sum: order.total + 1, values: { 'Дата оплаты по 1С': '2026-12-07' } },
      ]),
    );
    expect(mixed.lines[0]).toBe('success');
    expect(mixed.lines[1]).toBe(
      '4 order(s) read: 0 changed, 2 refused, 1 unknown, 1 with an unknown status (see onec_order_updates)',
    );
    const after = (await getOrder(db(), order.id))!;
    expect(after.status).toBe(before.status);
    expect(after.events).toHaveLength(before.events.length);
    expect(after.payments.map((p) => [p.provider, p.flaggedReason])).toEqual([['1c', 'amount_mismatch']]);
    const rows = await updates(order.id);
    expect(rows.map((r) => [r.outcome, r.detail])).toEqual([
      ['unknown_status', 'unknown «Статус заказа» Ждём звёзд'],
      ['refused', expect.stringMatching(/^shipped: refused \(order № \d+ is new: it cannot become shipped/)],
      ['refused', 'paid: refused (payment not taken: amount_mismatch)'],
    ]);
    const all = await updates();
    expect(all.filter((r) => r.outcome === 'unknown_order').at(-1)).toMatchObject({
      document: '999999',
      order_id: null,
    });
    expect(all.filter((r) => r.outcome === 'bad_file').map((r) => r.file_name)).toEqual(
      expect.arrayContaining(['broken.xml', 'dt.xml']),
    );

    // a cancelled order is not revived by 1C posting it
    await send(client, 'cancel.xml', updateXml([{ id: order.id, values: { ПометкаУдаления: 'true' } }]));
    expect((await getOrder(db(), order.id))!.status).toBe('cancelled');
    const revive = await send(client, 'revive.xml', updateXml([{ id: order.id, values: { Проведен: 'true' } }]));
    expect(revive.lines[1]).toMatch(/1 refused/);
    expect((await getOrder(db(), order.id))!.status).toBe('cancelled');

    // a catalog cookie does not open the orders exchange, nor the other way round
    // (the catalog session the first test opened is still the city's running one)
    const crossed = await catalog.call('query', {}, { type: 'sale' });
    expect(crossed.lines).toEqual(['failure', 'this session was opened for type=catalog; open one with type=sale']);
    const back = await client.call('init');
    expect(back.lines).toEqual(['failure', 'this session was opened for type=sale; open one with type=catalog']);
    expect((await client.call('deactivate', {}, { type: 'sale' })).lines[1]).toMatch(/not part of the orders exchange/);
  });
});
