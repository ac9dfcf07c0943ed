import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfNeeded } from '../build-if-needed.mjs';
import { login, newPage, OWNER, shot, startWorld, type World } from './harness.ts';

/**
 * Leads in the panel, in a real browser against the real server: a conversation in the playground
 * walks the shipped measurer flow (a designer intent's phrase, then address, time and phone) and
 * records a lead through the real engine, the runtime, its outbox and the relay; a manager finds it
 * on the Leads page, opens it — the shopper's answers and the conversation — and marks it done.
 */
describe('leads in chromium', () => {
  let world: World;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${world.url}/api${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });

  beforeAll(async () => {
    buildIfNeeded();
    world = await startWorld();
    const res = await fetch(`${world.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    token = ((await res.json()) as { accessToken: string }).accessToken;
    ({ context, page } = await newPage(world, { lang: 'en' }));
    await login(page, world.url);
  });
  afterAll(async () => {
    await context?.close();
    await world?.close();
  });

  it('a lead recorded in a conversation is listed, opened with its answers and conversation, and marked done', async () => {
    for (const text of ['вызвать замерщика', 'Абая 10, кв 5', 'завтра с 10 до 12', '+7 701 123 45 67']) {
      const chat = await api('/chat/almaty', { method: 'POST', body: JSON.stringify({ userId: 'measure-1', text }) });
      expect(chat.status).toBe(200);
    }
    await expect
      .poll(async () => ((await (await api('/leads?includeTest=true')).json()) as { total: number }).total)
      .toBe(1);

    await page.click('[data-testid=nav-leads]');
    // the playground is staff talking to the bot: its leads are shown only when asked for
    await page.locator('[data-testid=leads-list] .empty').waitFor();
    await page.check('[data-testid=leads-include-test]');
    const item = page.locator('[data-testid=lead-item]');
    await item.waitFor();
    expect(await item.textContent()).toContain('measure');
    expect(await item.textContent()).toContain('Абая 10, кв 5 · завтра с 10 до 12 · +77011234567');

    const detail = page.locator('[data-testid=lead-detail]');
    await detail.locator('[data-testid=lead-slots]').waitFor();
    expect(await detail.locator('[data-testid=lead-slots]').textContent()).toMatch(
      /address.*Абая 10, кв 5.*time.*завтра с 10 до 12.*phone.*\+77011234567/s,
    );
    expect(await detail.locator('[data-testid=lead-thread]').textContent()).toContain('вызвать замерщика');
    expect(await detail.locator('[data-testid=lead-status]').textContent()).toBe('New');
    await shot(page, '30-leads');

    await page.click('[data-testid=lead-done]');
    await expect.poll(() => detail.locator('[data-testid=lead-status]').textContent()).toBe('Done');
    expect(await detail.locator('[data-testid=lead-done-by]').textContent()).toContain('Done by');
    // the "new" list no longer has it; "done" does
    await page.locator('[data-testid=leads-list] [data-testid=lead-item]').waitFor({ state: 'detached' });
    await page.click('[data-testid=leads-filter-done]');
    await item.waitFor();
    const audit = (await (await api('/audit?entity=lead')).json()) as { items: { action: string }[] };
    expect(audit.items.map((a) => a.action)).toEqual(['lead.done']);
  });
});
