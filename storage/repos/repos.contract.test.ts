import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { secretBox } from '../secrets.ts';
import * as repo from './index.ts';
import { createCategory } from '../taxonomy/categories.ts';

describe.each(TEST_BACKENDS)('repositories on %s', (kind) => {
  let t: TestDatabase;
  let cityId: string;
  let otherCityId: string;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    cityId = (await repo.createCity(t.db, { name: 'Алматы', slug: 'almaty', timezone: 'Asia/Almaty', language: 'ru' }))
      .id;
    otherCityId = (await repo.createCity(t.db, { name: 'Астана', slug: 'Astana' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const product = (sku: string, price: number, extra: Partial<repo.ProductInput> = {}) =>
    repo.createProduct(t.db, cityId, {
      sku,
      name: `Диван «${sku}»`,
      price,
      category: 'sofa',
      color: 'grey',
      material: 'velour',
      ...extra,
    });

  it('migrations are applied and re-running them is a no-op', async () => {
    expect(t.kind).toBe(kind);
    const again = await migrateToLatest(t.db);
    expect(again.applied).toEqual([]);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM kysely_migration`.execute(t.db);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('cities: create, get by id and slug (case-insensitive), list, update; slug is unique', async () => {
    expect((await repo.getCityBySlug(t.db, 'ASTANA'))?.id).toBe(otherCityId);
    expect((await repo.getCity(t.db, cityId))?.timezone).toBe('Asia/Almaty');
    expect((await repo.listCities(t.db)).map((c) => c.slug).sort()).toEqual(['almaty', 'astana']);
    expect((await repo.updateCity(t.db, otherCityId, { isActive: false }))?.isActive).toBe(false);
    expect((await repo.listCities(t.db, { activeOnly: true })).map((c) => c.slug)).toEqual(['almaty']);
    await expect(repo.createCity(t.db, { name: 'x', slug: 'almaty' })).rejects.toSatisfy(repo.isUniqueViolation);
  });

  it('products: create, get, getBySku (any case), list with filters and paging, update returns before/after, delete', async () => {
    const a = await product('SOFA-101', 250_000, {
      dimensions: { width: 220, depth: 95, height: 85, unit: 'cm' },
      description: 'Угловой',
    });
    await product('SOFA-102', 150_000, { color: 'blue' });
    await product('SOFA-103', 90_000, { available: false });
    expect(a.price).toBe(250_000);
    expect(a.imageUrl).toBe('/media/placeholder/SOFA-101.svg');
    expect(a.dimensions).toEqual({ width: 220, depth: 95, height: 85, unit: 'cm' });
    expect((await repo.getProduct(t.db, a.id))?.sku).toBe('SOFA-101');
    expect(await repo.getProduct(t.db, 'not-a-uuid')).toBeUndefined();
    expect((await repo.getProductBySku(t.db, cityId, 'sofa-101'))?.id).toBe(a.id);
    expect(await repo.getProductBySku(t.db, otherCityId, 'SOFA-101')).toBeUndefined();
    // 1C's digits-only codes with leading zeros are found without them, when only one code fits
    const zeros = await repo.createProduct(t.db, otherCityId, { sku: '000123456', name: 'Тумба', price: 48_000 });
    expect((await repo.getProductBySku(t.db, otherCityId, '123456'))?.id).toBe(zeros.id);
    expect((await repo.getProductBySku(t.db, otherCityId, '0123456'))?.id).toBe(zeros.id);
    await repo.createProduct(t.db, otherCityId, { sku: '0123456', name: 'Тумба 2', price: 48_000 });
    expect(await repo.getProductBySku(t.db, otherCityId, '123456')).toBeUndefined();
    expect(await repo.getProductBySku(t.db, otherCityId, '23456')).toBeUndefined();
    // same SKU in another city is fine; twice in one city is not
    await repo.createProduct(t.db, otherCityId, { sku: 'SOFA-101', name: 'x', price: 1 });
    await expect(product('SOFA-101', 1)).rejects.toSatisfy(repo.isUniqueViolation);

    const page1 = await repo.listProducts(t.db, { cityId }, { limit: 2, offset: 0 });
    expect(page1.total).toBe(3);
    expect(page1.items.map((p) => p.sku)).toEqual(['SOFA-101', 'SOFA-102']);
    const page2 = await repo.listProducts(t.db, { cityId }, { limit: 2, offset: 2 });
    expect(page2.items.map((p) => p.sku)).toEqual(['SOFA-103']);
    expect((await repo.listProducts(t.db, { cityId, color: 'blue' })).items.map((p) => p.sku)).toEqual(['SOFA-102']);
    expect(
      (await repo.listProducts(t.db, { cityId, availableOnly: true, priceMax: 200_000 })).items.map((p) => p.sku),
    ).toEqual(['SOFA-102']);
    expect((await repo.listProducts(t.db, { cityId, text: '103' })).total).toBe(1);
    expect((await repo.listProducts(t.db, { cityId, text: '%' })).total).toBe(0);

    const upd = await repo.updateProduct(t.db, a.id, { name: 'Диван «Новый»', color: 'red' });
    expect(upd?.before.name).toBe('Диван «SOFA-101»');
    expect(upd?.after).toMatchObject({ name: 'Диван «Новый»', color: 'red', price: 250_000, description: 'Угловой' });
    expect(upd?.triggeredAlerts).toEqual([]);
    expect(await repo.updateProduct(t.db, '00000000-0000-0000-0000-000000000000', { name: 'x' })).toBeUndefined();

    const gone = await repo.deleteProduct(t.db, (await repo.getProductBySku(t.db, cityId, 'SOFA-103'))!.id);
    expect(gone?.sku).toBe('SOFA-103');
    expect(await repo.countProducts(t.db, cityId)).toBe(2);
  });

  it('products listed by a parent category include those filed under its subcategories', async () => {
    const city = (await repo.createCity(t.db, { name: 'Шымкент', slug: 'shymkent' })).id;
    await createCategory(t.db, { slug: 'eurobook-sofas', parent: 'sofa', names: { ru: 'Диваны-еврокнижки' } });
    await createCategory(t.db, { slug: 'eurobook-mini', parent: 'eurobook-sofas', names: { ru: 'Мини-еврокнижки' } });
    await repo.createProduct(t.db, city, { sku: 'S-1', name: 'Диван', price: 1, category: 'sofa' });
    await repo.createProduct(t.db, city, { sku: 'E-1', name: 'Еврокнижка', price: 2, category: 'eurobook-sofas' });
    await repo.createProduct(t.db, city, { sku: 'M-1', name: 'Мини', price: 3, category: 'eurobook-mini' });
    await repo.createProduct(t.db, city, { sku: 'B-1', name: 'Кровать', price: 4, category: 'bed' });
    const skus = async (category: string) =>
      (await repo.listProducts(t.db, { cityId: city, category })).items.map((p) => p.sku).sort();
    expect(await skus('sofa')).toEqual(['E-1', 'M-1', 'S-1']);
    expect(await skus('eurobook-sofas')).toEqual(['E-1', 'M-1']);
    expect((await repo.listProducts(t.db, { cityId: city, category: 'sofa' })).total).toBe(3);
  });

  it('a product is found by its terms’ words as the taxonomy has them, also after an edit', async () => {
    const city = (await repo.createCity(t.db, { name: 'Караганда', slug: 'karaganda' })).id;
    await createCategory(t.db, {
      slug: 'kitchen-stools',
      names: { ru: 'Табуреты для кухни', en: 'Kitchen stools' },
    });
    const stool = await repo.createProduct(t.db, city, {
      sku: 'TB-7',
      name: 'Табурет «Ника»',
      price: 9_000,
      category: 'kitchen-stools',
      color: 'white',
    });
    const keywords = async () =>
      (await t.db.selectFrom('products').select('search_keywords').where('id', '=', stool.id).executeTakeFirstOrThrow())
        .search_keywords;
    const words = await keywords();
    // a term with synonyms is found by them (the seed's white: «белый», «ақ», …), one without by its names
    for (const w of ['табуреты', 'кухни', 'kitchen', 'stools', 'белый', 'ақ', 'white'])
      expect(words.split(' ')).toContain(w);
    // an admin's price edit keeps them (the code's word lists knew nothing of the retailer's category)
    await repo.updateProduct(t.db, stool.id, { price: 8_500 });
    expect(await keywords()).toBe(words);
  });

  it('alerts: idempotent create, immediate trigger on a price drop, once per drop, sweep, cancel', async () => {
    const p = await product('BED-201', 300_000, { category: 'bed' });
    const base = { cityId, channel: 'whatsapp', chatId: '77010000001', conversationKey: 'whatsapp:almaty:77010000001' };
    const first = await repo.createAlert(t.db, { ...base, productId: p.id });
    const again = await repo.createAlert(t.db, { ...base, productId: p.id });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, alert: { id: first.alert.id } });
    expect(first.alert.priceAtCreation).toBe(300_000);
    const targeted = await repo.createAlert(t.db, {
      ...base,
      conversationKey: 'telegram:almaty:42',
      chatId: '42',
      productId: p.id,
      targetPrice: 200_000,
    });

    // a price rise triggers nothing
    expect((await repo.updateProduct(t.db, p.id, { price: 320_000 }))?.triggeredAlerts).toEqual([]);
    // a drop below the creation price triggers the untargeted alert at once, not the targeted one
    const drop = await repo.updateProduct(t.db, p.id, { price: 270_000 });
    expect(drop?.triggeredAlerts.map((a) => a.alert.id)).toEqual([first.alert.id]);
    expect(drop?.triggeredAlerts[0]).toMatchObject({
      oldPrice: 300_000,
      newPrice: 270_000,
      product: { sku: 'BED-201', price: 270_000 },
    });

    // exactly one claim per drop, even when two workers race
    const claim = { alertId: first.alert.id, productId: p.id, oldPrice: 300_000, newPrice: 270_000 };
    const claims = await Promise.all([repo.recordNotification(t.db, claim), repo.recordNotification(t.db, claim)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await repo.sweepAlerts(t.db)).toEqual([]);
    expect(await repo.triggeredBy(t.db, p.id, 270_000)).toEqual([]);

    // the price changes without going through updateProduct (e.g. an import): the sweep finds it
    await t.db.updateTable('products').set({ price: 190_000 }).where('id', '=', p.id).execute();
    const swept = await repo.sweepAlerts(t.db);
    expect(swept.map((s) => [s.alert.id, s.oldPrice, s.newPrice]).sort()).toEqual(
      [
        [first.alert.id, 270_000, 190_000],
        [targeted.alert.id, 300_000, 190_000],
      ].sort(),
    );
    for (const s of swept)
      expect(
        await repo.recordNotification(t.db, {
          alertId: s.alert.id,
          productId: s.product.id,
          oldPrice: s.oldPrice,
          newPrice: s.newPrice,
        }),
      ).toBe(true);
    expect(await repo.sweepAlerts(t.db)).toEqual([]);
    const notified = await t.db
      .selectFrom('alert_notifications')
      .select('new_price')
      .where('alert_id', '=', first.alert.id)
      .orderBy('sent_at')
      .execute();
    expect(notified.map((n) => Number(n.new_price))).toEqual([270_000, 190_000]);
    // back up and down to the same price: not a new drop below the last notified price
    await repo.updateProduct(t.db, p.id, { price: 250_000 });
    expect((await repo.updateProduct(t.db, p.id, { price: 190_000 }))?.triggeredAlerts).toEqual([]);

    expect(await repo.cancelAlert(t.db, first.alert.id, base.conversationKey)).toBe(true);
    expect(await repo.cancelAlert(t.db, first.alert.id)).toBe(false);
    expect((await repo.updateProduct(t.db, p.id, { price: 100_000 }))?.triggeredAlerts.map((a) => a.alert.id)).toEqual([
      targeted.alert.id,
    ]);
    // after cancelling, a new alert for the same product can be created
    expect((await repo.createAlert(t.db, { ...base, productId: p.id })).created).toBe(true);
    expect(await repo.listAlerts(t.db, { conversationKey: base.conversationKey, status: 'active' })).toHaveLength(1);
  });

  it('search alerts fire once per matching product that appears or gets cheap enough', async () => {
    const key = 'telegram:almaty:777';
    const created = await repo.createAlert(t.db, {
      cityId,
      channel: 'telegram',
      chatId: '777',
      conversationKey: key,
      criteria: { category: 'armchair', color: 'green', priceMax: 100_000 },
    });
    expect(
      (
        await repo.createAlert(t.db, {
          cityId,
          channel: 'telegram',
          chatId: '777',
          conversationKey: key,
          criteria: { category: 'armchair', color: 'green', priceMax: 100_000 },
        })
      ).created,
    ).toBe(false);
    expect(created.created).toBe(true);
    const pricey = await product('ARM-301', 150_000, { category: 'armchair', color: 'green' });
    await product('ARM-302', 80_000, { category: 'armchair', color: 'red' });
    expect((await repo.sweepAlerts(t.db)).filter((s) => s.alert.id === created.alert.id)).toEqual([]);
    const upd = await repo.updateProduct(t.db, pricey.id, { price: 95_000 });
    expect(upd?.triggeredAlerts.map((a) => [a.alert.id, a.product.sku])).toEqual([[created.alert.id, 'ARM-301']]);
    const hit = upd!.triggeredAlerts[0]!;
    expect(
      await repo.recordNotification(t.db, {
        alertId: hit.alert.id,
        productId: hit.product.id,
        oldPrice: hit.oldPrice,
        newPrice: hit.newPrice,
      }),
    ).toBe(true);
    expect((await repo.sweepAlerts(t.db)).filter((s) => s.alert.id === created.alert.id)).toEqual([]);
  });

  it('bot configs: upsert bumps the version, token is never returned, secrets only via getBotSecrets', async () => {
    const c1 = await repo.upsertBotConfig(t.db, cityId, 'telegram', {
      botToken: '123:ABC',
      webhookSecret: 's3cret',
      managersChatId: '-100',
      settings: { model: 'gpt-4o', maxTokens: 200 },
    });
    expect(c1).toMatchObject({
      version: 1,
      hasBotToken: true,
      hasWebhookSecret: true,
      managersChatId: '-100',
      settings: { model: 'gpt-4o', maxTokens: 200 },
    });
    expect(JSON.stringify(c1)).not.toContain('123:ABC');
    const c2 = await repo.upsertBotConfig(t.db, cityId, 'telegram', { settings: { maxTokens: 400 } });
    expect(c2).toMatchObject({ version: 2, hasBotToken: true, managersChatId: '-100', settings: { maxTokens: 400 } });
    expect(await repo.getBotSecrets(t.db, cityId, 'telegram')).toEqual({
      botToken: '123:ABC',
      webhookSecret: 's3cret',
    });
    await repo.upsertBotConfig(t.db, cityId, 'whatsapp', {
      whatsappPhoneNumberId: '1055',
      whatsappTemplateName: 'price_drop',
    });
    expect((await repo.listBotConfigs(t.db, cityId)).map((c) => c.channel)).toEqual(['telegram', 'whatsapp']);
    expect((await repo.getBotConfig(t.db, cityId, 'whatsapp'))?.whatsappPhoneNumberId).toBe('1055');
  });

  it('bot secrets with SECRETS_KEY: stored sealed, opened for the host, older plain rows sealed once', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const box = secretBox(oldKey);
    await repo.upsertBotConfig(t.db, otherCityId, 'telegram', { botToken: '777:PLAIN-BEFORE-THE-KEY' });
    expect(await repo.sealBotSecrets(t.db, box)).toBeGreaterThanOrEqual(1);
    expect(await repo.sealBotSecrets(t.db, box)).toBe(0);
    await repo.upsertBotConfig(
      t.db,
      otherCityId,
      'whatsapp',
      { botToken: '888:SEALED-ON-WRITE', webhookSecret: 'whsec-0123456789abcdef' },
      box,
    );
    const { rows } = await sql<{
      channel: string;
      bot_token: string;
      webhook_secret: string | null;
    }>`SELECT channel, bot_token, webhook_secret FROM bot_configs WHERE city_id = ${otherCityId} ORDER BY channel`.execute(
      t.db,
    );
    for (const row of rows) {
      expect(row.bot_token.startsWith('enc:v1:')).toBe(true);
      expect(row.bot_token).not.toMatch(/PLAIN|SEALED/);
    }
    expect(await repo.getBotSecrets(t.db, otherCityId, 'telegram', box)).toEqual({
      botToken: '777:PLAIN-BEFORE-THE-KEY',
    });
    expect(await repo.getBotSecrets(t.db, otherCityId, 'whatsapp', box)).toEqual({
      botToken: '888:SEALED-ON-WRITE',
      webhookSecret: 'whsec-0123456789abcdef',
    });
    // without the key, or with another, a sealed token is an error naming the variable, not garbage
    await expect(repo.getBotSecrets(t.db, otherCityId, 'telegram')).rejects.toThrow(/SECRETS_KEY/);
    await expect(repo.getBotSecrets(t.db, otherCityId, 'telegram', secretBox(randomBytes(32)))).rejects.toThrow(
      /SECRETS_KEY/,
    );
    // a sealed value copied to another row does not open there
    await sql`UPDATE bot_configs SET bot_token = ${rows[0]!.bot_token} WHERE city_id = ${otherCityId} AND channel = 'whatsapp'`.execute(
      t.db,
    );
    await expect(repo.getBotSecrets(t.db, otherCityId, 'whatsapp', box)).rejects.toThrow(/another row/);

    // rotation: the new key with the old one as previous seals every row again, then stands alone
    await repo.upsertBotConfig(t.db, otherCityId, 'whatsapp', { botToken: '888:SEALED-ON-WRITE' }, box);
    const rotated = secretBox(newKey, [oldKey]);
    const { rows: withSecrets } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM bot_configs WHERE bot_token IS NOT NULL OR webhook_secret IS NOT NULL`.execute(
      t.db,
    );
    expect(await repo.sealBotSecrets(t.db, rotated)).toBe(withSecrets[0]!.n);
    expect(await repo.sealBotSecrets(t.db, rotated)).toBe(0);
    expect(await repo.getBotSecrets(t.db, otherCityId, 'telegram', secretBox(newKey))).toEqual({
      botToken: '777:PLAIN-BEFORE-THE-KEY',
    });
  });

  it('prompts: versions, one active per (city, name), activate, rollback, city falls back to global', async () => {
    await repo.createPromptVersion(t.db, { name: 'system', content: 'global v1' });
    const v1 = await repo.createPromptVersion(t.db, { cityId, name: 'system', content: 'v1' });
    const v2 = await repo.createPromptVersion(t.db, { cityId, name: 'system', content: 'v2' });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect((await repo.activePrompt(t.db, 'system', cityId))?.content).toBe('v2');
    expect((await repo.activePrompt(t.db, 'system', otherCityId))?.content).toBe('global v1');
    const draft = await repo.createPromptVersion(t.db, { cityId, name: 'system', content: 'draft', activate: false });
    expect((await repo.activePrompt(t.db, 'system', cityId))?.content).toBe('v2');
    expect((await repo.activatePromptVersion(t.db, 'system', draft.version, cityId))?.content).toBe('draft');
    expect((await repo.rollbackPrompt(t.db, 'system', cityId))?.content).toBe('v2');
    const versions = await repo.listPromptVersions(t.db, 'system', cityId);
    expect(versions.map((p) => [p.version, p.isActive])).toEqual([
      [3, false],
      [2, true],
      [1, false],
    ]);
    // the partial unique index refuses a second active version
    await expect(
      t.db
        .insertInto('prompts')
        .values({ city_id: cityId, name: 'system', content: 'x', version: 9, is_active: true })
        .execute(),
    ).rejects.toSatisfy(repo.isUniqueViolation);
    expect(await repo.activatePromptVersion(t.db, 'system', 42, cityId)).toBeUndefined();
  });

  it('escalations: one open per conversation, messages, status stamps, listing', async () => {
    const key = 'telegram:almaty:555';
    const { escalation: e, created } = await repo.createEscalation(t.db, {
      cityId,
      channel: 'telegram',
      chatId: '555',
      conversationKey: key,
      reason: 'хочу менеджера',
      trigger: 'request',
      conversationHistory: [{ role: 'shopper', text: 'позовите человека' }],
    });
    expect(created).toBe(true);
    expect(
      (await repo.createEscalation(t.db, { channel: 'telegram', chatId: '555', conversationKey: key })).created,
    ).toBe(false);
    expect(e.status).toBe('pending');
    await repo.addEscalationMessage(t.db, { escalationId: e.id, author: 'shopper', text: 'алло' });
    await repo.addEscalationMessage(t.db, { escalationId: e.id, author: 'manager', text: 'Здравствуйте!' });
    const afterReply = await repo.getEscalation(t.db, e.id);
    expect(afterReply?.status).toBe('in_progress');
    expect(afterReply?.firstResponseAt).toBeDefined();
    expect((await repo.listEscalationMessages(t.db, e.id)).map((m) => m.author)).toEqual(['shopper', 'manager']);
    const resolved = await repo.updateEscalation(t.db, e.id, { status: 'resolved' });
    expect(resolved?.after.resolvedAt).toBeDefined();
    expect(resolved?.before.status).toBe('in_progress');
    expect(await repo.openEscalationFor(t.db, key)).toBeUndefined();
    expect((await repo.listEscalations(t.db, { status: 'resolved' })).total).toBe(1);
    expect(
      (await repo.createEscalation(t.db, { channel: 'telegram', chatId: '555', conversationKey: key })).created,
    ).toBe(true);
    expect((await repo.listEscalations(t.db, { status: 'pending' }, { limit: 10 })).items).toHaveLength(1);
  });

  it('analytics: events and stats by day and channel, top/zero queries, funnel, response-time percentiles', async () => {
    const at = new Date('2026-03-10T10:00:00Z');
    const ev = (type: string, who: string, channel: string, metadata: Record<string, unknown> = {}) => ({
      type,
      channel,
      cityId,
      conversationKey: who,
      metadata,
      at,
    });
    await repo.recordEvents(t.db, [
      ev('message_in', 'a', 'telegram'),
      ev('message_in', 'a', 'telegram'),
      ev('message_in', 'b', 'whatsapp'),
      ev('greeting', 'a', 'telegram'),
      ev('greeting', 'b', 'whatsapp'),
      // top queries are the shopper's words (text), not what full-text search was left with (query)
      ev('search', 'a', 'telegram', { text: 'хочу диван', query: 'хочу', total: 5 }),
      ev('search', 'b', 'whatsapp', { text: ' Хочу   ДИВАН ', query: 'хочу', total: 5 }),
      ev('search', 'b', 'whatsapp', { text: 'трон из золота', query: 'трон', total: 0 }),
      ev('zero_results', 'b', 'whatsapp', { text: 'трон из золота', query: 'трон' }),
      ev('search', 'a', 'telegram', { category: 'sofa', total: 5 }),
      ev('product_view', 'a', 'telegram'),
      ev('alert_created', 'a', 'telegram'),
      ev('escalation', 'b', 'whatsapp'),
      // two lines in one cart: one conversation that reached the cart
      ev('cart_add', 'a', 'telegram', { sku: 'SOFA-1', quantity: 1, price: 150_000 }),
      ev('cart_add', 'a', 'telegram', { sku: 'CH-1', quantity: 2, price: 19_990 }),
      ...[100, 200, 300, 400, 1000].map((ms) => ev('message_out', 'a', 'telegram', { responseMs: ms })),
      ev('message_in', 'a', 'telegram', { responseMs: 99_999 }),
    ]);
    // staff in the playground: recorded, but outside the shopper figures unless asked for
    await repo.recordEvents(t.db, [
      { ...ev('message_in', 'staff', 'web'), test: true },
      { ...ev('search', 'staff', 'web', { text: 'хочу диван', total: 5 }), test: true },
      { ...ev('message_out', 'staff', 'web', { responseMs: 50 }), test: true },
      { ...ev('cart_add', 'staff', 'web', { sku: 'SOFA-1', quantity: 1, price: 150_000 }), test: true },
    ]);
    await repo.recordEvent(t.db, {
      type: 'message_in',
      channel: 'telegram',
      cityId,
      conversationKey: 'late',
      at: new Date('2026-03-11T20:00:00Z'),
    });
    const stats = await repo.analyticsStats(t.db, {
      from: new Date('2026-03-10T00:00:00Z'),
      to: new Date('2026-03-12T00:00:00Z'),
      cityId,
    });
    expect(stats.totals).toMatchObject({
      messages: 5,
      activeShoppers: 3,
      searches: 4,
      zeroResults: 1,
      productViews: 1,
      alerts: 1,
      escalations: 1,
    });
    // 2026-03-11T20:00Z is already the 12th in Almaty
    expect(stats.days.map((d) => [d.day, d.channel, d.messages])).toEqual([
      ['2026-03-10', 'telegram', 3],
      ['2026-03-10', 'whatsapp', 1],
      ['2026-03-12', 'telegram', 1],
    ]);
    expect(stats.topQueries).toEqual([
      { query: 'хочу диван', count: 2 },
      { query: 'трон из золота', count: 1 },
    ]);
    expect(stats.zeroResultQueries).toEqual([{ query: 'трон из золота', count: 1 }]);
    expect(stats.funnel).toEqual({
      shoppers: 3,
      greeting: 2,
      search: 2,
      productView: 1,
      alertOrEscalation: 2,
      cart: 1,
    });
    expect(stats.responseTimeMs.p50).toBe(300);
    expect(stats.responseTimeMs.p95).toBeCloseTo(880, 6);
    expect(stats.responseTimeMs.samples).toBe(5);
    const tg = await repo.analyticsStats(t.db, {
      from: new Date('2026-03-10T00:00:00Z'),
      to: new Date('2026-03-11T00:00:00Z'),
      channel: 'whatsapp',
    });
    expect(tg.totals.messages).toBe(1);
    const all = await repo.analyticsStats(t.db, {
      from: new Date('2026-03-10T00:00:00Z'),
      to: new Date('2026-03-12T00:00:00Z'),
      cityId,
      includeTest: true,
    });
    expect(all.totals).toMatchObject({ messages: 6, activeShoppers: 4, searches: 5 });
    expect(all.topQueries[0]).toEqual({ query: 'хочу диван', count: 3 });
    expect(all.responseTimeMs.samples).toBe(6);
    expect(all.funnel.cart).toBe(2);
  });

  it('conversation messages, scenarios', async () => {
    const key = 'whatsapp:almaty:7701';
    await repo.recordMessages(t.db, [
      {
        conversationKey: key,
        channel: 'whatsapp',
        cityId,
        direction: 'in',
        text: 'привет',
        at: new Date('2026-03-10T10:00:00Z'),
      },
      {
        conversationKey: key,
        channel: 'whatsapp',
        cityId,
        direction: 'out',
        payload: [{ type: 'text', text: 'Здравствуйте' }],
        at: new Date('2026-03-10T10:00:01Z'),
      },
    ]);
    const msgs = await repo.recentMessages(t.db, key);
    expect(msgs.map((m) => m.direction)).toEqual(['in', 'out']);
    expect(msgs[1]?.payload).toEqual([{ type: 'text', text: 'Здравствуйте' }]);

    await repo.saveScenarioVersion(t.db, { id: 'default', content: 'v1' });
    const s2 = await repo.saveScenarioVersion(t.db, { id: 'default', content: 'v2' });
    expect(s2.version).toBe(2);
    expect((await repo.activeScenario(t.db, 'default'))?.content).toBe('v2');
    expect((await repo.activateScenarioVersion(t.db, 'default', 1))?.content).toBe('v1');
    expect((await repo.listScenarioVersions(t.db, 'default')).map((s) => [s.version, s.isActive])).toEqual([
      [2, false],
      [1, true],
    ]);
    expect((await repo.listActiveScenarios(t.db)).map((s) => s.id)).toEqual(['default']);
  });
});
