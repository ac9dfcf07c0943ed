import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrder, listOrders, PAY_ON_RECEIPT } from '../../storage/orders/index.ts';
import { buildIfNeeded } from '../build-if-needed.mjs';
import { login, newPage, shot, startWorld, type World } from './harness.ts';

/**
 * The Orders page in a real browser against the real server with the demo orders: filter the
 * list, open the order waiting for a Kaspi invoice, mark it paid by hand with the invoice number,
 * confirm it, and see the history, the payment and the refused moves as the database has them;
 * the dashboard counts it paid and its money on today.
 */
describe('orders in chromium', () => {
  let world: World;
  let context: BrowserContext;
  let page: Page;

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

  it('filters orders, marks the Kaspi one paid by hand, confirms it and shows its history', async () => {
    await page.click('[data-testid=nav-orders]');
    await page.locator('[data-testid=order-row]').first().waitFor();
    expect(await page.locator('[data-testid=order-row]').count()).toBe(4);

    await page.selectOption('[data-testid=orders-status]', 'awaiting_payment');
    await expect.poll(() => page.locator('[data-testid=order-row]').count()).toBe(1);
    await page.locator('[data-testid=order-row]').first().click();
    const detail = page.locator('[data-testid=order-detail]');
    await detail.locator('[data-testid=order-status]').waitFor();
    expect(await detail.locator('[data-testid=order-status]').textContent()).toBe('Awaiting payment');
    expect(await detail.locator('[data-testid=order-items]').textContent()).toMatch(/₸/);
    // what the status machine allows now: no «confirm» before the money
    expect(await detail.locator('[data-testid^=order-action-]').allTextContents()).toEqual([
      'Cancel order',
      'Mark paid (Kaspi)',
    ]);

    await detail.locator('[data-testid=order-reference]').fill('KASPI-2024-17');
    await detail.locator('[data-testid=order-action-mark_paid]').click();
    await expect.poll(() => detail.locator('[data-testid=order-status]').textContent()).toBe('Paid');
    expect(await detail.locator('[data-testid=order-payments]').textContent()).toMatch(/kaspi_manual · KASPI-2024-17/);

    await detail.locator('[data-testid=order-note]').fill('call before delivery');
    await detail.locator('[data-testid=order-action-confirm]').click();
    await expect.poll(() => detail.locator('[data-testid=order-status]').textContent()).toBe('Confirmed');
    // a pickup order: ready for pickup, never shipped
    expect(await detail.locator('[data-testid^=order-action-]').allTextContents()).toEqual([
      'Ready for pickup',
      'Cancel order',
    ]);
    const history = await detail.locator('[data-testid=order-history]').textContent();
    expect(history).toMatch(/Awaiting payment → Paid · manager/);
    expect(history).toMatch(/Paid → Confirmed · manager · «call before delivery»/);
    await shot(page, '30-orders-detail');

    const db = world.platform.db.db;
    const [order] = (await listOrders(db, { status: 'confirmed' })).items;
    const stored = await getOrder(db, order!.id);
    expect(stored!.payments).toMatchObject([
      { provider: 'kaspi_manual', reference: 'KASPI-2024-17', flaggedReason: null },
    ]);
    expect(stored!.events.map((e) => e.to)).toEqual(['new', 'awaiting_payment', 'paid', 'confirmed']);
    const audit = await db.selectFrom('audit_log').select('action').where('entity', '=', 'order').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['order.paid', 'order.status']);

    await page.selectOption('[data-testid=orders-status]', '');
    await expect.poll(() => page.locator('[data-testid=order-row]').count()).toBe(4);

    // the dashboard: four orders placed, three paid (the demo's card payment, the demo's cash order
    // collected at pickup, and this one), their money
    const paid = (await listOrders(db, {})).items.filter(
      (o) =>
        o.payments.some((p) => p.status === 'succeeded' && !p.flaggedReason) ||
        (o.paymentMethod === PAY_ON_RECEIPT && o.status === 'completed'),
    );
    const revenue = paid.reduce((sum, o) => sum + o.total, 0);
    await page.click('[data-testid=nav-dashboard]');
    const kpi = (id: string) => page.locator(`[data-testid=kpi-${id}]`);
    await expect.poll(() => kpi('orders').locator('.value').textContent()).toBe('4');
    expect(await kpi('orders').locator('.sub').textContent()).toBe('3 paid');
    expect(paid).toHaveLength(3);
    expect(await kpi('revenue').locator('.value').textContent()).toBe(
      `${String(revenue).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} ₸`,
    );
    await page.locator('[data-testid=chart-revenue] svg rect').first().waitFor();
    expect(await page.locator('[data-testid=chart-revenue] svg rect').count()).toBe(1);
  });
});
