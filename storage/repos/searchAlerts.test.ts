import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalog } from '../import/import.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { createAlert, recordNotification, sweepAlerts, type TriggeredAlert } from './alerts.ts';
import { createCity } from './cities.ts';
import { createCategory } from '../taxonomy/categories.ts';
import { getProductBySku, updateProduct } from './products.ts';

/**
 * Search alerts key on the search's words and filters and on what each alert has already seen:
 * a re-import of unchanged products tells nobody anything; a product new to the alert, cheaper
 * than it told, or back in stock is told once.
 */
describe.each(TEST_BACKENDS)('search alerts on %s', (kind) => {
  let t: TestDatabase;
  let cityId: string;
  const sofas = [1, 2, 3, 4, 5].map((n) => ({
    sku: `SOFA-50${n}`,
    name: `Диван Модерн ${n}`,
    price: 150_000 + n * 1_000,
    category: 'sofa',
    color: 'grey',
    is_available: true,
  }));
  const reimport = (rows: object[]) => importCatalog(t.db, { cityId, format: 'json', source: JSON.stringify(rows) });
  /** the sweep's hits for one alert, then recorded as the platform records them after delivery */
  const sweepFor = async (alertId: string) => {
    const hits = (await sweepAlerts(t.db)).filter((h) => h.alert.id === alertId);
    for (const h of hits)
      await recordNotification(t.db, {
        alertId: h.alert.id,
        productId: h.product.id,
        oldPrice: h.oldPrice,
        newPrice: h.newPrice,
      });
    return hits.map((h: TriggeredAlert) => [h.product.sku, h.reason, h.newPrice]);
  };
  const alertFor = async (chatId: string, criteria: Parameters<typeof createAlert>[1]['criteria'] & object) =>
    (
      await createAlert(t.db, {
        cityId,
        channel: 'telegram',
        chatId,
        conversationKey: `telegram:almaty:${chatId}`,
        criteria,
      })
    ).alert.id;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    cityId = (await createCity(t.db, { name: 'Алматы', slug: 'almaty' })).id;
    await reimport(sofas);
  });
  afterAll(async () => {
    await t.close();
  });

  it('an alert for «гамак» says nothing when five unchanged sofas are re-imported', async () => {
    const hammock = await alertFor('901', { query: 'гамак' });
    await reimport(sofas);
    expect(await sweepFor(hammock)).toEqual([]);
    // a hammock arrives: told once, not again on the next import of the same catalog
    await reimport([
      ...sofas,
      { sku: 'HAM-001', name: 'Гамак подвесной Бриз', price: 35_000, category: 'outdoor', is_available: true },
    ]);
    expect(await sweepFor(hammock)).toEqual([['HAM-001', 'new', 35_000]]);
    await reimport([
      ...sofas,
      { sku: 'HAM-001', name: 'Гамак подвесной Бриз', price: 35_000, category: 'outdoor', is_available: true },
    ]);
    expect(await sweepFor(hammock)).toEqual([]);
  });

  it('reads the retailer’s codes as the search does: «ПС/03» is the desk; a number no product has says nothing', async () => {
    const desk = {
      sku: 'ПС/03',
      name: 'Стол письменный «Студент»',
      price: 60_000,
      category: 'table',
      is_available: true,
    };
    await reimport([...sofas, desk]);
    const byCode = await alertFor('905', { query: 'ПС/03' });
    const byNumber = await alertFor('906', { category: 'sofa', query: '150000' });
    await reimport([...sofas.map((s) => ({ ...s, price: s.price - 10_000 })), { ...desk, price: 55_000 }]);
    expect(await sweepFor(byCode)).toEqual([['ПС/03', 'cheaper', 55_000]]);
    expect((await sweepFor(byNumber)).map(([sku]) => sku)).toEqual(sofas.map((s) => s.sku));
    await reimport(sofas);
  });

  it('products that already matched when the alert was made are not news; cheaper or back in stock is', async () => {
    const cheap = await alertFor('902', { category: 'sofa', query: 'модерн', priceMax: 152_000 });
    // SOFA-501 and SOFA-502 matched at creation
    await reimport(sofas);
    expect(await sweepFor(cheap)).toEqual([]);
    // SOFA-503 falls into the window: new to the alert; SOFA-501 gets cheaper
    await reimport(
      sofas.map((s) =>
        s.sku === 'SOFA-503' ? { ...s, price: 151_500 } : s.sku === 'SOFA-501' ? { ...s, price: 149_000 } : s,
      ),
    );
    expect(await sweepFor(cheap)).toEqual([
      ['SOFA-501', 'cheaper', 149_000],
      ['SOFA-503', 'new', 151_500],
    ]);
    // out of stock and back at the same price: told again; a price rise never is
    const p502 = (await getProductBySku(t.db, cityId, 'SOFA-502'))!;
    await updateProduct(t.db, p502.id, { available: false });
    expect(await sweepFor(cheap)).toEqual([]);
    const back = await updateProduct(t.db, p502.id, { available: true });
    expect(back?.triggeredAlerts.filter((h) => h.alert.id === cheap).map((h) => [h.product.sku, h.reason])).toEqual([
      ['SOFA-502', 'back'],
    ]);
    expect(await sweepFor(cheap)).toEqual([['SOFA-502', 'back', 152_000]]);
    await updateProduct(t.db, p502.id, { price: 153_000 });
    expect(await sweepFor(cheap)).toEqual([]);
  });

  it('the words must all match: «серый диван» is not told about a grey bed', async () => {
    const alert = await alertFor('903', { query: 'угловой диван Тахо' });
    await reimport([
      { sku: 'BED-901', name: 'Кровать угловая Тахо', price: 90_000, category: 'bed', is_available: true },
    ]);
    expect(await sweepFor(alert)).toEqual([]);
    await reimport([
      { sku: 'SOFA-914', name: 'Диван угловой Тахо', price: 210_000, category: 'sofa', is_available: true },
    ]);
    expect(await sweepFor(alert)).toEqual([['SOFA-914', 'new', 210_000]]);
  });

  it('a category is its subtree, and beds for kids are the kids’ beds, as the search reads them', async () => {
    await createCategory(t.db, { slug: 'corner-sofas', parent: 'sofa', names: { ru: 'Угловые диваны' } });
    await createCategory(t.db, { slug: 'kids-beds', parent: 'kids', names: { ru: 'Детские кровати' } });
    await createCategory(t.db, { slug: 'kids-desks', parent: 'kids', names: { ru: 'Детские столы' } });
    const sofas = await alertFor('904', { category: 'sofa', query: 'Лофт' });
    const kidsBeds = await alertFor('905', { category: 'bed', audience: 'kids', priceMax: 200_000 });
    await reimport([
      { sku: 'CS-001', name: 'Угловой диван Лофт', price: 380_000, category: 'corner-sofas', is_available: true },
      { sku: 'KB-001', name: 'Детская кровать Зайка', price: 145_000, category: 'kids-beds', is_available: true },
      { sku: 'KD-001', name: 'Детский стол Гений', price: 45_000, category: 'kids-desks', is_available: true },
      { sku: 'BED-902', name: 'Кровать Нова', price: 145_000, category: 'bed', is_available: true },
    ]);
    expect(await sweepFor(sofas)).toEqual([['CS-001', 'new', 380_000]]);
    expect(await sweepFor(kidsBeds)).toEqual([['KB-001', 'new', 145_000]]);
  });
});
