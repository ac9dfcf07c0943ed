import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { createAlert, type TriggeredAlert } from '../../storage/repos/alerts.ts';
import { RELOAD_CHANNEL, type ReloadMessage } from './http/context.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';

type Json = Record<string, unknown> & {
  error?: { code: string; message: string; details?: { path: string; message: string }[] };
};
const json = async (res: Response) => (await res.json()) as Json;

describe.each(TEST_BACKENDS)('catalog routes on %s', (kind) => {
  let h: AdminHarness;
  const drops: TriggeredAlert[][] = [];
  const reloads: ReloadMessage[] = [];
  let cityId: string;
  beforeAll(async () => {
    h = await createAdminHarness(kind, { deps: { onPriceDrop: (alerts) => void drops.push(alerts) } });
    await h.pubsub.subscribe(RELOAD_CHANNEL, (m) => void reloads.push(JSON.parse(m) as ReloadMessage));
    const res = await h.call('POST', '/cities', {
      as: 'admin',
      body: { name: 'Алматы', slug: 'Almaty', timezone: 'Asia/Almaty', currency: 'KZT', language: 'ru' },
    });
    expect(res.status).toBe(201);
    cityId = ((await json(res)).city as { id: string }).id;
  });
  afterAll(async () => h.close());

  const sofa = {
    city: 'almaty',
    sku: 'sofa-001',
    name: 'Диван «Алма» красный',
    description: 'Трёхместный',
    price: 250000,
    category: 'sofa',
    color: 'red',
    material: 'velour',
    dimensions: { width: 220, depth: 95, height: 85, unit: 'cm' },
    available: true,
  };

  it('cities: create, get by id and slug, list, update, duplicate slug, invalid fields', async () => {
    expect(((await json(await h.call('GET', '/cities/almaty', { as: 'viewer' }))).city as { id: string }).id).toBe(
      cityId,
    );
    expect(
      ((await json(await h.call('GET', `/cities/${cityId}`, { as: 'viewer' }))).city as { slug: string }).slug,
    ).toBe('almaty');
    expect(((await json(await h.call('GET', '/cities', { as: 'viewer' }))).items as unknown[]).length).toBe(1);
    expect((await h.call('POST', '/cities', { as: 'admin', body: { name: 'X', slug: 'almaty' } })).status).toBe(409);
    const bad = await h.call('POST', '/cities', {
      as: 'admin',
      body: { name: '', slug: 'Не латиница', timezone: 'Mars/Olympus', currency: 'tenge', language: 'fr' },
    });
    expect(bad.status).toBe(400);
    const paths = (await json(bad)).error!.details!.map((d) => d.path).sort();
    expect(paths).toEqual(['currency', 'language', 'name', 'slug', 'timezone']);
    const upd = await h.call('PUT', `/cities/${cityId}`, { as: 'owner', body: { name: 'Алматы (центр)' } });
    expect(((await json(upd)).city as { name: string }).name).toBe('Алматы (центр)');
    expect((await h.call('GET', '/cities/nowhere', { as: 'viewer' })).status).toBe(404);
  });

  it('products: create (SKU normalised), get, duplicate SKU → 409, audit with after', async () => {
    const res = await h.call('POST', '/products', { as: 'admin', body: sofa });
    expect(res.status).toBe(201);
    const product = (await json(res)).product as { id: string; sku: string; price: number; cityId: string };
    expect(product).toMatchObject({ sku: 'SOFA-001', price: 250000, cityId });
    expect(
      ((await json(await h.call('GET', `/products/${product.id}`, { as: 'viewer' }))).product as { name: string }).name,
    ).toBe(sofa.name);
    expect((await h.call('POST', '/products', { as: 'admin', body: sofa })).status).toBe(409);
    const audit = await h.t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'product.create')
      .where('entity_id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(audit.user_id).toBe(h.users.admin.id);
    expect(audit.before).toBeNull();
    expect(audit.after).toMatchObject({ sku: 'SOFA-001' });
  });

  it('invalid product fields → 400 with every bad field, and nothing is written', async () => {
    const before = await h.t.db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const res = await h.call('POST', '/products', {
      as: 'admin',
      body: {
        city: 'almaty',
        sku: 'диван #1',
        name: '',
        price: -5,
        category: 'spaceship',
        color: 'plaid',
        imageUrl: 'javascript:alert(1)',
        extra: 1,
      },
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error!.code).toBe('validation_failed');
    const paths = body.error!.details!.map((d) => d.path);
    for (const p of ['sku', 'name', 'price', 'imageUrl']) expect(paths).toContain(p);
    // slugs are read against the retailer's taxonomy: each unknown one is named, with what there is
    const unknown = await h.call('POST', '/products', {
      as: 'admin',
      body: { city: 'almaty', sku: 'X-1', name: 'Звездолёт', price: 1, category: 'spaceship', color: 'plaid' },
    });
    expect(unknown.status).toBe(400);
    const refused = await json(unknown);
    expect(refused.error!.details!.map((d) => d.path)).toEqual(['category', 'color']);
    expect(refused.error!.message).toMatch(/category: unknown category "spaceship"; one of sofa, armchair/);
    const after = await h.t.db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    // update with a bad price leaves the row as it was
    const id = (
      await h.t.db.selectFrom('products').select('id').where('sku', '=', 'SOFA-001').executeTakeFirstOrThrow()
    ).id;
    expect((await h.call('PUT', `/products/${id}`, { as: 'admin', body: { price: 'cheap' } })).status).toBe(400);
    expect((await h.call('PUT', `/products/${id}`, { as: 'admin', body: {} })).status).toBe(400);
    const row = await h.t.db.selectFrom('products').select('price').where('id', '=', id).executeTakeFirstOrThrow();
    expect(Number(row.price)).toBe(250000);
    expect(
      (
        await h.call('POST', '/products', {
          as: 'admin',
          raw: '{not json',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
  });

  it('a price decrease calls onPriceDrop with the triggered alerts; audit keeps before/after', async () => {
    const id = (
      await h.t.db.selectFrom('products').select('id').where('sku', '=', 'SOFA-001').executeTakeFirstOrThrow()
    ).id;
    await createAlert(h.t.db, {
      cityId,
      channel: 'telegram',
      chatId: '42',
      conversationKey: 'telegram:almaty:42',
      productId: id,
    });
    const up = await h.call('PUT', `/products/${id}`, { as: 'admin', body: { price: 260000 } });
    expect((await json(up)).alertsTriggered).toBe(0);
    const down = await h.call('PUT', `/products/${id}`, { as: 'admin', body: { price: 199000, name: 'Диван «Алма»' } });
    expect(down.status).toBe(200);
    expect((await json(down)).alertsTriggered).toBe(1);
    expect(drops).toHaveLength(1);
    expect(drops[0]![0]).toMatchObject({ newPrice: 199000 });
    const audit = await h.t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'product.update')
      .where('entity_id', '=', id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ price: 260000, name: 'Диван «Алма» красный' });
    expect(audit.after).toMatchObject({ price: 199000, name: 'Диван «Алма»' });
  });

  it('imports CSV and JSON with per-row errors; lists with filters and paging; searches', async () => {
    const csv = [
      'sku,name,description,price,category,color,material,image_url,is_available',
      'BED-001,Кровать «Сон»,Двуспальная,180000,bed,white,wood,,true',
      'CHR-001,Стул синий,,25000,chair,blue,metal,,true',
      'BAD,,,-1,,,,,',
      'SOFA-002,Диван угловой серый,,320000,sofa,grey,fabric,,false',
    ].join('\n');
    const res = await h.call('POST', '/products/import?city=almaty', {
      as: 'admin',
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(200);
    const result = (await json(res)) as unknown as {
      imported: number;
      updated: number;
      errors: { line: number; reason: string }[];
    };
    expect(result.imported).toBe(3);
    expect(result.errors.map((e) => e.line)).toEqual([4]);
    const again = await h.call('POST', '/products/import?city=almaty', {
      as: 'admin',
      raw: JSON.stringify([{ sku: 'CHR-001', name: 'Стул синий', price: 23000, category: 'chair' }]),
      headers: { 'content-type': 'application/json' },
    });
    expect(await json(again)).toMatchObject({ imported: 0, updated: 1, errors: [] });
    expect(
      (
        await h.call('POST', '/products/import?city=almaty', {
          as: 'admin',
          raw: 'x',
          headers: { 'content-type': 'application/xml' },
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await h.call('POST', '/products/import?city=nowhere', {
          as: 'admin',
          raw: csv,
          headers: { 'content-type': 'text/csv' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await h.call('POST', '/products/import', { as: 'admin', raw: csv, headers: { 'content-type': 'text/csv' } }))
        .status,
    ).toBe(400);

    const all = await json(await h.call('GET', '/products?city=almaty&limit=2&offset=0&sort=price', { as: 'viewer' }));
    expect(all.total).toBe(4);
    expect((all.items as { sku: string }[]).map((p) => p.sku)).toEqual(['CHR-001', 'BED-001']);
    const sofas = await json(await h.call('GET', '/products?category=sofa&available=true', { as: 'viewer' }));
    expect((sofas.items as { sku: string }[]).map((p) => p.sku)).toEqual(['SOFA-001']);
    const cheap = await json(await h.call('GET', '/products?price_max=100000', { as: 'viewer' }));
    expect((cheap.items as { sku: string }[]).map((p) => p.sku)).toEqual(['CHR-001']);
    const byText = await json(await h.call('GET', '/products?q=кровать', { as: 'viewer' }));
    expect(byText.total).toBe(1);
    expect((await h.call('GET', '/products?price_min=abc', { as: 'viewer' })).status).toBe(400);
    expect((await h.call('GET', '/products?limit=100000', { as: 'viewer' })).status).toBe(400);

    const found = await json(await h.call('GET', '/products/search?city=almaty&q=диваны', { as: 'viewer' }));
    expect((found.items as { sku: string }[]).map((p) => p.sku).sort()).toEqual(['SOFA-001', 'SOFA-002']);
    const typo = await json(await h.call('GET', '/products/search?city=almaty&q=крвать', { as: 'viewer' }));
    expect((typo.items as { sku: string }[])[0]?.sku).toBe('BED-001');
    expect((await h.call('GET', '/products/search?q=диван', { as: 'viewer' })).status).toBe(400);
  });

  it('streams import progress when asked for text/event-stream', async () => {
    const rows = [
      'sku,name,description,price,category,color,material,image_url,is_available',
      ...Array.from({ length: 30 }, (_, i) => `TBL-${100 + i},Стол ${i},,${10000 + i},table,,,,true`),
    ].join('\n');
    const res = await h.call('POST', '/products/import?city=almaty', {
      as: 'admin',
      raw: rows,
      headers: { 'content-type': 'text/csv', accept: 'text/event-stream' },
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({
      event: m[1]!,
      data: JSON.parse(m[2]!) as Record<string, unknown>,
    }));
    expect(events.some((e) => e.event === 'progress')).toBe(true);
    expect(events.at(-1)).toEqual({ event: 'done', data: { imported: 30, updated: 0, errors: [], created: [] } });
  });

  it('deletes a product (audit keeps before); unknown ids are 404', async () => {
    const id = (
      await h.t.db.selectFrom('products').select('id').where('sku', '=', 'SOFA-002').executeTakeFirstOrThrow()
    ).id;
    expect((await h.call('DELETE', `/products/${id}`, { as: 'viewer' })).status).toBe(403);
    expect((await h.call('DELETE', `/products/${id}`, { as: 'admin' })).status).toBe(204);
    expect((await h.call('DELETE', `/products/${id}`, { as: 'admin' })).status).toBe(404);
    expect((await h.call('GET', `/products/${id}`, { as: 'admin' })).status).toBe(404);
    expect((await h.call('GET', '/products/not-a-uuid', { as: 'admin' })).status).toBe(404);
    const audit = await h.t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'product.delete')
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ sku: 'SOFA-002' });
    const log = await json(await h.call('GET', '/audit?entity=product&action=product.delete', { as: 'admin' }));
    expect(log.total).toBe(1);
    expect((log.items as { userEmail: string }[])[0]!.userEmail).toBe('admin@zeta.test');
  });

  it('every catalog change (create, update, import, delete) tells the bots to forget cached products', async () => {
    const catalogReloads = () => reloads.filter((r) => r.kind === 'catalog');
    await vi.waitFor(() => expect(catalogReloads().length).toBeGreaterThanOrEqual(4));
    expect(new Set(catalogReloads().map((r) => JSON.stringify(r)))).toEqual(
      new Set([JSON.stringify({ kind: 'catalog', cityId })]),
    );
    const before = catalogReloads().length;
    // refused or failed changes publish nothing
    expect((await h.call('DELETE', '/products/00000000-0000-4000-8000-000000000000', { as: 'admin' })).status).toBe(
      404,
    );
    expect((await h.call('POST', '/products', { as: 'admin', body: { ...sofa, price: -1 } })).status).toBe(400);
    await new Promise((r) => setTimeout(r, 50));
    expect(catalogReloads()).toHaveLength(before);
  });
});
