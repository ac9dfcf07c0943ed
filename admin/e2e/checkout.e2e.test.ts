import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfNeeded } from '../build-if-needed.mjs';
import { login, newPage, shot, startWorld, type World } from './harness.ts';

/**
 * A city's checkout settings edited in the panel reach the shop every channel's checkout uses, and
 * an order's extra checkout answers are shown with it, and a test order placed in staff's test
 * traffic is marked «test» and filtered out of the shoppers' orders — a real browser against the
 * real server on a fresh demo database (whose first city can sell at once: two stores, payment on receipt).
 */
describe('checkout settings in chromium', () => {
  let world: World;
  let context: BrowserContext;
  let page: Page;
  const chat = {
    address: { channel: 'web' as const, city: 'almaty', chatId: 'e2e-shopper' },
    conversationKey: 'web:almaty:e2e-shopper',
  };

  beforeAll(async () => {
    buildIfNeeded();
    world = await startWorld();
    ({ context, page } = await newPage(world, { lang: 'en' }));
    await login(page, world.url);
  });
  afterAll(async () => {
    await context?.close();
    await world?.close();
  });

  it('the demo city sells at once; stores and payment on receipt edited in the panel count at the next checkout', async () => {
    expect(await world.platform.checkout.prepare(chat, [])).toEqual({
      lines: [],
      stores: [
        { id: 'dostyk', name: 'Dostyk Plaza', address: 'пр. Достык, 111' },
        { id: 'mega', name: 'MEGA Park', address: 'ул. Макатаева, 127' },
      ],
      methods: ['kaspi', 'on_delivery', 'at_pickup'],
    });

    await page.click('[data-testid=nav-cities]');
    const row = page.locator('[data-testid=cities-table] tr', { hasText: 'Алматы' });
    await row.waitFor();
    expect(await row.textContent()).toContain('2 stores');
    await row.locator('button').click();
    const form = page.locator('[data-testid=city-form]');
    const stores = form.locator('[data-testid=city-store]');
    await stores.nth(1).locator('button').click();
    await form.locator('[data-testid=city-store-add]').click();
    const added = stores.nth(1);
    await added.locator('input[name=store-id]').fill('khan');
    await added.locator('input[name=store-name]').fill('Khan Shatyr');
    await added.locator('input[name=store-address]').fill('пр. Туран, 37');
    await form.locator('[data-testid=city-pay-on-delivery]').uncheck();
    await shot(page, '31-city-checkout');
    await form.locator('[data-testid=city-save]').click();
    await form.waitFor({ state: 'detached' });

    expect(await world.platform.checkout.prepare(chat, [])).toEqual({
      lines: [],
      stores: [
        { id: 'dostyk', name: 'Dostyk Plaza', address: 'пр. Достык, 111' },
        { id: 'khan', name: 'Khan Shatyr', address: 'пр. Туран, 37' },
      ],
      methods: ['kaspi', 'at_pickup'],
    });
  });

  it("shows the designer's extra checkout answers with the order", async () => {
    const product = await world.platform.db.db
      .selectFrom('products')
      .innerJoin('cities', 'cities.id', 'products.city_id')
      .select(['products.id', 'products.sku', 'products.price'])
      .where('cities.slug', '=', 'almaty')
      .where('products.is_available', '=', true)
      .where('products.stock_quantity', 'is', null)
      .orderBy('products.sku')
      .executeTakeFirstOrThrow();
    const placed = await world.platform.checkout.place(
      { ...chat, idempotencyKey: 'web:almaty:e2e-shopper|1#order', testTraffic: false },
      {
        lines: [{ productId: product.id, sku: product.sku, quantity: 1, price: Number(product.price) }],
        customer: { name: 'Dana', phone: '+77011234599' },
        delivery: { kind: 'pickup', store: 'khan' },
        method: 'at_pickup',
        details: { 'convenient time': 'after 18:00' },
        total: Number(product.price),
        currency: 'KZT',
      },
    );
    if ('reason' in placed) throw new Error(`refused: ${placed.reason}`);
    expect(placed.payment).toEqual({ kind: 'on_receipt' });

    await page.click('[data-testid=nav-orders]');
    const order = page.locator('[data-testid=order-row]', { hasText: `№ ${placed.number}` });
    await order.click();
    const detail = page.locator('[data-testid=order-detail]');
    await expect
      .poll(() => detail.locator('[data-testid=order-details]').textContent())
      .toBe('Details: convenient time: after 18:00');
    expect(await detail.textContent()).toContain('Pickup: Khan Shatyr, пр. Туран, 37');
    await shot(page, '32-order-details');
  });

  it('marks a test order placed in staff test traffic and filters the list by it', async () => {
    const product = await world.platform.db.db
      .selectFrom('products')
      .innerJoin('cities', 'cities.id', 'products.city_id')
      .select(['products.id', 'products.sku', 'products.price'])
      .where('cities.slug', '=', 'almaty')
      .where('products.is_available', '=', true)
      .where('products.stock_quantity', 'is', null)
      .orderBy('products.sku')
      .executeTakeFirstOrThrow();
    const placed = await world.platform.checkout.place(
      { ...chat, idempotencyKey: 'web:almaty:e2e-shopper|2#order', testTraffic: true },
      {
        lines: [{ productId: product.id, sku: product.sku, quantity: 1, price: Number(product.price) }],
        customer: { name: 'Staff', phone: '+77011234598' },
        delivery: { kind: 'pickup', store: 'dostyk' },
        method: 'kaspi',
        details: {},
        total: Number(product.price),
        currency: 'KZT',
      },
    );
    if ('reason' in placed) throw new Error(`refused: ${placed.reason}`);
    expect(placed.payment).toEqual({ kind: 'test' });

    // the Orders page is open from the test before: choosing a filter reads the list again
    await page.click('[data-testid=nav-orders]');
    const row = page.locator('[data-testid=order-row]', { hasText: `№ ${placed.number}` });
    await page.selectOption('[data-testid=orders-test]', 'true');
    await row.waitFor();
    expect(await page.locator('[data-testid=order-row]').count()).toBe(1);
    expect(await row.locator('[data-testid=order-test]').textContent()).toBe('test');
    await row.click();
    await page.locator('[data-testid=order-test-note]').waitFor();
    await shot(page, '33-test-order');
    await page.selectOption('[data-testid=orders-test]', 'false');
    await row.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=order-row]').count()).toBeGreaterThan(0);
  });
});
