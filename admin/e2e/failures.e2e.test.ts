import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeBitrix24, type FakeBitrix24 } from '../../hosts/crm/testing/fakeBitrix24.ts';
import { SECRET_HEADER } from '../../hosts/telegram/routes.ts';
import { startFakeBotApi, type FakeBotApi } from '../../hosts/telegram/testing/fakeBotApi.ts';
import * as u from '../../hosts/telegram/testing/updates.ts';
import type { CrmJobsPage, DeadLetter, Order, Paged } from '../src/api/types.ts';
import { buildIfNeeded } from '../build-if-needed.mjs';
import { login, newPage, OWNER, shot, startWorld, type World } from './harness.ts';

const TG_TOKEN = '5252525252:failures-e2e';
const TG_SECRET = 'failures-e2e-secret';
const TG_SHOPPER = 77_015_015;

/**
 * The Failures page in a real browser against the real platform. A Telegram shopper (the platform's
 * webhook, a fake Bot API) has blocked the bot when it answers: Telegram refuses the reply for good
 * and the runtime dead-letters it; the shopper unblocks the bot, an admin finds the dead letter on
 * the page and retries it, and the shopper gets an answer. The worker sends the demo shop's orders
 * to a fake Bitrix24 that lacks the «awaiting payment» deal stage: that order is refused and shown
 * with Bitrix24's reason; the stage is added in the portal, the admin retries, and the deal is made.
 */
describe('failures in chromium', () => {
  let world: World;
  let telegram: FakeBotApi;
  let portal: FakeBitrix24;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${world.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    buildIfNeeded();
    [telegram, portal] = await Promise.all([
      startFakeBotApi({ bots: { [TG_TOKEN]: { username: 'zeta_failures_bot' } } }),
      startFakeBitrix24(),
    ]);
    portal.stages.delete('PREPAYMENT_INVOICE');
    world = await startWorld({
      env: {
        TELEGRAM_BOT_TOKEN: TG_TOKEN,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
        BITRIX24_WEBHOOK_URL: portal.webhookUrl,
      },
      crmOutboxMs: 100,
    });
    const res = await fetch(`${world.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    token = ((await res.json()) as { accessToken: string }).accessToken;
    // the worker's first passes: every demo order but the one awaiting payment becomes a deal
    await vi.waitFor(
      async () => expect((await api<CrmJobsPage>('/crm/jobs')).counts).toEqual({ pending: 0, delivered: 3, failed: 1 }),
      { timeout: 20_000, interval: 100 },
    );
    ({ context, page } = await newPage(world, { lang: 'en' }));
    await login(page, world.url);
  });
  afterAll(async () => {
    await context?.close();
    await world?.close();
    await Promise.all([telegram?.close(), portal?.close()]);
  });

  it('a reply Telegram refused for good is a dead letter on the page; Retry answers the shopper', async () => {
    telegram.failNext('sendMessage', {
      kind: 'error',
      code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    const hook = await fetch(`${world.url}/webhooks/telegram/almaty`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: TG_SECRET },
      body: JSON.stringify(u.textUpdate(15_001, u.shopper(TG_SHOPPER), 'привет')),
    });
    expect(hook.status).toBe(200);
    await expect.poll(async () => (await api<Paged<DeadLetter>>('/dead-letters?status=new')).total).toBe(1);
    await world.platform.runtime.idle();
    expect(telegram.messages(TG_SHOPPER)).toEqual([]);
    const [letter] = (await api<Paged<DeadLetter>>('/dead-letters?status=new')).items;
    expect(letter!.replies.length).toBeGreaterThan(0);

    // the badge counts what waits for an admin: this dead letter and the order Bitrix24 refused
    await page.reload();
    await expect.poll(() => page.locator('[data-testid=failures-count]').textContent()).toBe('2');
    await page.click('[data-testid=nav-failures]');
    const row = page.locator('[data-testid=dead-letter-row]');
    await row.waitFor();
    expect(await row.count()).toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toBe(`telegram · Алматы${TG_SHOPPER}`);
    expect(cells[2]).toBe('Not delivered');
    expect(cells[3]).toBe('привет');
    expect(cells[4]).toContain('blocked the bot');
    expect(cells.slice(5, 7)).toEqual(['1', String(letter!.replies.length)]);
    // the filters reach the API: no turn failed, only a delivery
    await page.selectOption('[data-testid=dead-letters-kind]', 'message');
    await page.locator('[data-testid=dead-letters-table] .empty').waitFor();
    await page.selectOption('[data-testid=dead-letters-kind]', '');
    await row.waitFor();
    await shot(page, '40-failures');

    await page.click('[data-testid=dead-letter-retry]');
    await expect.poll(() => row.locator('[data-testid=dead-letter-status]').textContent()).toMatch(/^Retried /);
    await expect.poll(() => telegram.messages(TG_SHOPPER).length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=failures-count]').textContent()).toBe('1');
    expect(await api<Paged<DeadLetter>>('/dead-letters?status=new')).toMatchObject({ total: 0 });
    const [retried] = (await api<Paged<DeadLetter>>('/dead-letters?status=retried')).items;
    expect(retried).toMatchObject({ id: letter!.id, status: 'retried' });
    const audit = await api<Paged<{ action: string; entityId: string }>>('/audit?entity=dead_letter');
    expect(audit.items.map((a) => [a.action, a.entityId])).toEqual([['deadLetter.retry', letter!.id]]);
  });

  it('an order Bitrix24 refused is shown with its reason; Retry after the fix makes the deal', async () => {
    const [waiting] = (await api<Paged<Order>>('/orders?status=awaiting_payment')).items;
    await page.click('[data-testid=nav-failures]');
    const crm = page.locator('[data-testid=crm-jobs]');
    expect(await crm.locator('[data-testid=crm-filter-failed]').textContent()).toBe('Refused (1)');
    const row = crm.locator('[data-testid=crm-job-row]');
    await expect
      .poll(() => row.locator('[data-testid=crm-job-entity]').textContent())
      .toBe(`Order № ${waiting!.number}`);
    const cells = await row.locator('td').allTextContents();
    expect(cells[2]).toBe('1');
    expect(cells[3]).toBe('crm.deal.add: HTTP 400 — Stage "PREPAYMENT_INVOICE" not found');
    expect(cells[4]).toBe('after Retry');
    expect(portal.deals.filter((d) => d.ORIGIN_ID === waiting!.id)).toEqual([]);

    portal.stages.add('PREPAYMENT_INVOICE');
    await row.locator('[data-testid=crm-job-retry]').click();
    await expect.poll(() => row.locator('[data-testid=crm-job-status]').textContent()).toBe('Waiting');
    await expect
      .poll(() => portal.deals.filter((d) => d.ORIGIN_ID === waiting!.id).map((d) => d.STAGE_ID))
      .toEqual(['PREPAYMENT_INVOICE']);
    await page.locator('[data-testid=failures-count]').waitFor({ state: 'detached' });
    await page.click('[data-testid=crm-filter-delivered]');
    await expect.poll(() => crm.locator('[data-testid=crm-filter-delivered]').textContent()).toBe('Delivered (4)');
    expect(await crm.locator('[data-testid=crm-filter-failed]').textContent()).toBe('Refused (0)');
  });
});
