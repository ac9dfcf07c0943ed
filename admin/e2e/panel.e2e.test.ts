import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfNeeded } from '../build-if-needed.mjs';
import {
  OWNER,
  SCREENSHOTS,
  here,
  login,
  newPage,
  seedWaitingShoppers,
  shot,
  startWorld,
  systemPrompts,
  type World,
} from './harness.ts';

/**
 * The panel in a real browser against the real server: every step goes through the UI and is
 * checked where a user would look (and, for what reaches shoppers, in the server's records).
 */
describe('admin panel in chromium', () => {
  let world: World;
  let context: BrowserContext;
  let page: Page;
  const go = async (section: string) => {
    await page.click(`[data-testid=nav-${section}]`);
  };

  beforeAll(async () => {
    buildIfNeeded();
    world = await startWorld();
    await seedWaitingShoppers(world);
    ({ context, page } = await newPage(world, { lang: 'en' }));
  });
  afterAll(async () => {
    await context?.close();
    await world?.close();
  });

  it('refuses a wrong password without saying which part, then logs in', async () => {
    await page.goto(`${world.url}/admin/`);
    await page.waitForURL(/\/admin\/login$/);
    await page.fill('input[name=email]', OWNER.email);
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('[data-testid=login-submit]');
    await expect.poll(() => page.textContent('[data-testid=login-error]')).toBe('Wrong e-mail or password.');
    await shot(page, '01-login');
    await page.fill('input[name=password]', OWNER.password);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=nav-products]');
    expect(await page.textContent('[data-testid=current-user]')).toBeTruthy();
    // the session lives in cookies: a reload keeps it
    await page.reload();
    await page.waitForSelector('[data-testid=nav-products]');
  });

  it('creates a product and edits it inline', async () => {
    await go('products');
    await page.waitForSelector('[data-testid=product-row]');
    await page.click('[data-testid=product-new]');
    const form = page.locator('[data-testid=product-form]');
    await form.locator('input[name=sku]').fill('E2E-101');
    await form.locator('input[name=name]').fill('Диван E2E «Тест»');
    await form.locator('input[name=price]').fill('123456');
    await form.locator('select[name=category]').selectOption('sofa');
    await form.locator('select[name=color]').selectOption('grey');
    await page.click('[data-testid=product-create]');
    await page.waitForSelector('[data-testid=product-form]', { state: 'detached' });
    await page.fill('[data-testid=product-search]', 'E2E-101');
    const row = page.locator('[data-testid=product-row][data-sku="E2E-101"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('123 456 ₸');

    await row.locator('[data-testid=product-edit]').click();
    await row.locator('[data-testid=edit-price]').fill('99900');
    await row.locator('[data-testid=edit-name]').fill('Диван E2E изменён');
    await row.locator('[data-testid=edit-save]').click();
    await expect.poll(() => row.textContent()).toContain('99 900 ₸');
    expect(await row.textContent()).toContain('Диван E2E изменён');
    await shot(page, '02-products');
  });

  it('imports a CSV with a progress bar and shows the bad row', async () => {
    const csv = [
      'sku,name,description,price,category,color,material,image_url,is_available',
      'E2E-201,Кресло импорт,Мягкое,45000,armchair,blue,fabric,,true',
      'E2E-202,Стол импорт,,not-a-price,table,,wood,,true',
      'E2E-203,Шкаф импорт,,150000,wardrobe,white,,,false',
    ].join('\n');
    const file = join(SCREENSHOTS, 'import.csv');
    writeFileSync(file, `${csv}\n`);
    await page.click('[data-testid=import-open]');
    await page.setInputFiles('[data-testid=import-file]', file);
    await expect.poll(() => page.inputValue('[data-testid=import-text]')).toContain('E2E-203');
    await page.click('[data-testid=import-run]');
    await page.waitForSelector('[data-testid=import-summary]');
    expect(await page.getAttribute('[data-testid=import-progress]', 'aria-valuenow')).toBe('100');
    expect(await page.textContent('[data-testid=import-summary]')).toBe('Imported 2, failed 1');
    const errors = await page.textContent('[data-testid=import-errors]');
    expect(errors).toContain('3'); // CSV line 3 holds the bad price
    expect(errors?.toLowerCase()).toContain('price');
    await shot(page, '03-import');
    await page.click('[data-testid=import-dialog] button:has-text("Close")');
    await page.fill('[data-testid=product-search]', 'E2E-20');
    await expect.poll(() => page.locator('[data-testid=product-row]').count()).toBe(2);

    // delete one (after the confirmation)
    page.once('dialog', (d) => void d.accept());
    await page.locator('[data-testid=product-row][data-sku="E2E-203"] [data-testid=product-delete]').click();
    await expect.poll(() => page.locator('[data-testid=product-row]').count()).toBe(1);

    // image preview of a catalog product
    await page.fill('[data-testid=product-search]', '');
    await page.locator('[data-testid=product-thumb]').first().click();
    await page.waitForSelector('[data-testid=image-preview] img.preview');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=image-preview]', { state: 'detached' });
  });

  it('saves a new prompt version and the bot uses it (hot reload, seen at the model)', async () => {
    const marker = `Always greet in the ZETA-E2E-${Date.now()} style.`;
    await go('bots');
    await page.click('[data-testid=tab-prompts]');
    await page.waitForSelector('[data-testid=prompt-text]');
    await page.fill('[data-testid=prompt-text]', `You are the ZETA furniture assistant.\n${marker}`);
    await page.waitForSelector('[data-testid=prompt-diff] .add');
    const versions = await page.locator('[data-testid=prompt-version]').count();
    await page.click('[data-testid=prompt-save]');
    await expect.poll(() => page.locator('[data-testid=prompt-version]').count()).toBe(versions + 1);
    expect(await page.locator('[data-testid=prompt-version]').first().textContent()).toMatch(
      new RegExp(`v${versions + 1}\\s*active`),
    );
    await shot(page, '04-prompt');

    await go('playground');
    await page.waitForSelector('[data-testid=play-input]');
    // a saved prompt reaches running bots through pub/sub; each message asks the model again
    await expect
      .poll(
        async () => {
          const before = await page
            .locator('[data-testid=bot-text], [data-testid=bot-choices], [data-testid=photo-card]')
            .count();
          await page.fill('[data-testid=play-input]', 'привет');
          await page.click('[data-testid=play-send]');
          await expect
            .poll(() =>
              page.locator('[data-testid=bot-text], [data-testid=bot-choices], [data-testid=photo-card]').count(),
            )
            .toBeGreaterThan(before);
          return systemPrompts(world.openai).some((p) => p.includes(marker));
        },
        { timeout: 10_000, interval: 300 },
      )
      .toBe(true);

    // and back: roll back to the previous version from the history
    await go('bots');
    await page.click('[data-testid=tab-prompts]');
    await page.locator('[data-testid=prompt-version]').nth(1).locator('[data-testid=prompt-rollback]').click();
    await expect.poll(() => page.locator('[data-testid=prompt-version]').nth(1).textContent()).toContain('active');
    expect(await page.locator('[data-testid=prompt-version]').first().textContent()).not.toContain('active');
  });

  it('edits the bot settings of a city; a refused value is shown with its field', async () => {
    await page.click('[data-testid=tab-settings]');
    const telegram = page.locator('[data-testid=bot-telegram]');
    await telegram.locator('input[name=model]').fill('gpt-4.1-mini');
    await telegram.locator('input[name=maxTokens]').fill('400');
    await telegram.locator('[data-testid=bot-save-telegram]').click();
    await expect.poll(() => telegram.locator('.badge.info').textContent()).toBe('v2');
    expect(await telegram.locator('input[name=model]').inputValue()).toBe('gpt-4.1-mini');
    expect(await telegram.locator('input[name=maxTokens]').inputValue()).toBe('400');
    expect(await telegram.locator('input[name=templateLang]').count()).toBe(0);
    expect(await telegram.locator('[data-testid=token-masked]').textContent()).toBe('not set');

    const whatsapp = page.locator('[data-testid=bot-whatsapp]');
    expect(await whatsapp.locator('input[name=templateLang]').inputValue()).toBe('ru');
    await whatsapp.locator('input[name=templateLang]').fill('Russian');
    await whatsapp.locator('[data-testid=bot-save-whatsapp]').click();
    await expect.poll(() => whatsapp.textContent()).toContain('settings.templateLang');
    expect(await whatsapp.locator('.badge.info').textContent()).toBe('v1');
    await whatsapp.locator('input[name=templateLang]').fill('kk');
    await whatsapp.locator('input[name=templateParams]').fill('productName, price');
    await whatsapp.locator('[data-testid=bot-save-whatsapp]').click();
    await expect.poll(() => whatsapp.locator('.badge.info').textContent()).toBe('v2');
    expect(await whatsapp.locator('input[name=templateParams]').inputValue()).toBe('productName, price');
    const almaty = await world.platform.db.db
      .selectFrom('cities')
      .select('id')
      .where('slug', '=', 'almaty')
      .executeTakeFirstOrThrow();
    const stored = await world.platform.db.db
      .selectFrom('bot_configs')
      .select(['channel', 'settings'])
      .where('city_id', '=', almaty.id)
      .orderBy('channel')
      .execute();
    expect(stored.map((r) => r.settings)).toEqual([
      { model: 'gpt-4.1-mini', maxTokens: 400 },
      { templateLang: 'kk', templateParams: ['productName', 'price'] },
    ]);
    await shot(page, '04b-bot-settings');
  });

  it('creates and edits a city', async () => {
    await go('cities');
    await page.click('[data-testid=city-new]');
    const form = page.locator('[data-testid=city-form]');
    await form.locator('input[name=name]').fill('Караганда');
    await form.locator('input[name=slug]').fill('karaganda');
    await form.locator('[data-testid=city-save]').click();
    const row = page.locator('[data-testid=cities-table] tr', { hasText: 'karaganda' });
    await row.waitFor();
    await row.locator('button').click();
    await form.locator('input[name=name]').fill('Қарағанды');
    await form.locator('[data-testid=city-save]').click();
    await expect.poll(() => row.textContent()).toContain('Қарағанды');
  });

  it('plays a conversation rendered as Telegram and as WhatsApp', async () => {
    await go('playground');
    await page.waitForSelector('[data-testid=play-input]');
    await page.click('[data-testid=style-telegram]');
    await page.fill('[data-testid=play-input]', 'покажите диваны');
    await page.click('[data-testid=play-send]');
    await page.waitForSelector('.tg [data-testid=photo-card]');
    expect(await page.locator('.tg .ikb button').count()).toBeGreaterThan(0);
    await shot(page, '05-playground-telegram');
    await page.click('[data-testid=style-whatsapp]');
    await page.waitForSelector('.wa [data-testid=photo-card]');

    // the menu has more than 3 options: WhatsApp shows it as a list message
    await page.click('[data-testid=play-reset]');
    await page.fill('[data-testid=play-input]', '/start');
    await page.click('[data-testid=play-send]');
    await page.click('[data-testid=wa-list-open]');
    await shot(page, '06-playground-whatsapp');
    await page.locator('.wa .list-sheet [data-testid=chat-button]', { hasText: 'Диваны' }).click();
    await page.waitForSelector('.wa [data-testid=photo-card]');
  });

  it('sends a photo from the playground: it is shown, stored under a reference and read by the bot', async () => {
    await go('playground');
    await page.waitForSelector('[data-testid=play-input]');
    await page.click('[data-testid=play-reset]');
    const userId = (await page.textContent('[data-testid=play-user]'))!.trim();
    const tag = join(here, '..', '..', 'hosts', 'ocr', 'fixtures', 'tag-en-bed-014.png');
    const answers = () =>
      page.locator('[data-testid=bot-text], [data-testid=bot-choices], [data-testid=photo-card]').count();
    await page.setInputFiles('[data-testid=play-photo]', tag);
    await expect
      .poll(() =>
        page.locator('[data-testid=my-photo]').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBeGreaterThan(0);
    // OCR, then the vision model: the answer may take a few seconds on a busy machine
    await expect.poll(answers, { timeout: 15_000 }).toBeGreaterThan(0);
    const uploads = await world.platform.db.db
      .selectFrom('chat_uploads')
      .select(['ref', 'mime'])
      .where('user_id', '=', userId)
      .execute();
    expect(uploads).toEqual([{ ref: expect.stringMatching(/^upl_/), mime: 'image/png' }]);
    // the bot looked at the very bytes (this world has no OCR; the vision model got the photo)
    const sent = Buffer.from(readFileSync(tag)).toString('base64').slice(0, 200);
    expect(world.openai.requests.some((r) => JSON.stringify(r.json).includes(sent))).toBe(true);
    await shot(page, '06b-playground-photo');
  });

  it('answers an escalation from the inbox (live) and the shopper receives it', async () => {
    await go('escalations');
    await page.waitForSelector('[data-testid=live-status] .live-dot:not(.off)');
    const before = await page.locator('[data-testid=esc-item]').count();

    // the shopper, in a second tab: the playground (web channel)
    const shopper = await context.newPage();
    await shopper.goto(`${world.url}/admin/playground`);
    await shopper.waitForSelector('[data-testid=play-input]');
    const userId = (await shopper.textContent('[data-testid=play-user]'))!.trim();
    await shopper.fill('[data-testid=play-input]', 'позовите менеджера');
    await shopper.click('[data-testid=play-send]');
    // the hand-off comes with the way back to the bot: a message with a button
    await shopper.waitForSelector('[data-testid=bot-choices]');

    // no reload: the inbox learns about it over Server-Sent Events
    await expect.poll(() => page.locator('[data-testid=esc-item]').count()).toBeGreaterThan(before);
    await page.locator('[data-testid=esc-item]', { hasText: userId }).click();
    await page.waitForSelector('[data-testid=esc-thread] [data-testid=msg-shopper]');
    expect(await page.textContent('[data-testid=esc-thread]')).toContain('позовите менеджера');
    await page.click('[data-testid=esc-assign]');
    await page.waitForSelector('[data-testid=esc-assign]', { state: 'detached' });
    const answer = 'Здравствуйте! Меня зовут Айгерим, помогу с выбором.';
    await page.fill('[data-testid=esc-reply]', answer);
    await page.click('[data-testid=esc-send]');
    await page.waitForSelector(`[data-testid=esc-thread] [data-testid=msg-manager]:has-text("Айгерим")`);
    // the shopper's tab shows the manager's words as they arrive
    await shopper.waitForSelector('[data-testid=transcript] [data-testid=bot-text]:has-text("Айгерим")');
    // ✓✓ once the conversation log holds the message the channel sent
    await page.waitForSelector('[data-testid=esc-thread] [data-testid=delivered]');
    await page.waitForSelector('[data-testid=toast]', { state: 'detached' });
    await shot(page, '07-escalations');
    await shot(shopper, '07b-shopper-sees-manager');

    // the shopper's conversation got the manager's words (the web channel's message log)
    const key = `web:${await shopper.inputValue('[data-testid=play-city]')}:${userId}`;
    await expect
      .poll(async () => {
        const rows = await world.platform.db.db
          .selectFrom('conversation_messages')
          .select(['direction', 'text'])
          .where('conversation_key', '=', key)
          .execute();
        return rows.some((r) => r.direction === 'out' && (r.text ?? '').includes('Айгерим'));
      })
      .toBe(true);

    // resolve: the bot takes the conversation back and the shopper is told
    await page.click('[data-testid=esc-resolve]');
    await expect.poll(() => page.textContent('[data-testid=esc-status]')).toBe('Resolved');
    await shopper.waitForSelector('[data-testid=transcript] .note-line:has-text("closed")');
    await shopper.close();
  });

  it('shows validation errors in place in the scenario editor and draws the machine', async () => {
    await go('scenarios');
    await page.waitForSelector('[data-testid=scenario-diagram] svg');
    await expect.poll(() => page.inputValue('[data-testid=scenario-text]')).toContain('routing:');
    const text = await page.inputValue('[data-testid=scenario-text]');
    // the drawing is the server's reading of the draft's machine: a routing change moves the intent
    const smalltalk = page.locator('[data-testid=scenario-diagram] [data-node="intent:smalltalk"]');
    expect(await smalltalk.textContent()).toContain('smalltalk');
    expect(await page.locator('[data-edge="intent:smalltalk>to:idle"]').count()).toBe(1);
    await page.fill(
      '[data-testid=scenario-text]',
      text.replace(/routing:\n(\s+)smalltalk: smalltalk/, 'routing:\n$1smalltalk: escalate'),
    );
    await page.locator('[data-edge="intent:smalltalk>to:escalation.requesting"]').waitFor();
    expect(await smalltalk.textContent()).toContain('smalltalk → escalate');
    expect(await page.locator('[data-edge="intent:smalltalk>to:idle"]').count()).toBe(0);
    const broken = text.replace(/routing:\n(\s+)smalltalk: smalltalk/, 'routing:\n$1smalltalk: nowhere');
    expect(broken).not.toBe(text);
    await page.fill('[data-testid=scenario-text]', broken);
    await page.click('[data-testid=scenario-validate]');
    const problem = page.locator('[data-testid=scenario-problem]').first();
    await problem.waitFor();
    expect(await problem.textContent()).toContain('routing.smalltalk');
    expect(await page.locator('.code-editor .gutter .err').count()).toBeGreaterThan(0);
    await shot(page, '08-scenario');
    await page
      .locator('[data-testid=scenario-diagram]')
      .screenshot({ path: join(SCREENSHOTS, '08b-scenario-diagram.png') });
  });

  it('shows on the dashboard what the playground caused; staff traffic only with the test-traffic filter', async () => {
    type Stats = { totals: { messages: number; activeShoppers: number } };
    const kpi = async (name: string) =>
      Number((await page.textContent(`[data-testid=kpi-${name}] .value`))?.replace(/\D/g, '') || Number.NaN);
    const statsLoaded = (includeTest: boolean) =>
      page
        .waitForResponse(
          (r) => r.url().includes('/api/analytics?') && r.url().includes('includeTest=true') === includeTest,
        )
        .then(async (r) => (await r.json()) as Stats);
    const openDashboard = async () => {
      // every turn so far answered and its records written
      await world.platform.runtime.idle();
      const shoppersOnly = statsLoaded(false);
      await go('dashboard');
      await shoppersOnly;
      // everything in this test world came from staff: no shopper figures without the filter
      await expect.poll(() => kpi('messages')).toBe(0);
      await expect.poll(() => kpi('shoppers')).toBe(0);
      const withTest = statsLoaded(true);
      await page.check('[data-testid=dash-include-test]');
      const stats = await withTest;
      await expect.poll(() => kpi('messages')).toBe(stats.totals.messages);
      await expect.poll(() => kpi('shoppers')).toBe(stats.totals.activeShoppers);
      return stats.totals;
    };
    await page.waitForSelector('[data-testid=toast]', { state: 'detached' });
    const before = await openDashboard();

    // two new shoppers in the playground, three messages
    const typed = [['покажите диваны', 'нужна кровать'], ['серый диван в гостиную']];
    await go('playground');
    await page.waitForSelector('[data-testid=play-input]');
    for (const lines of typed) {
      await page.click('[data-testid=play-reset]');
      for (const text of lines) {
        const answered = await page
          .locator('[data-testid=bot-text], [data-testid=bot-choices], [data-testid=photo-card]')
          .count();
        await page.fill('[data-testid=play-input]', text);
        await page.click('[data-testid=play-send]');
        await expect
          .poll(() =>
            page.locator('[data-testid=bot-text], [data-testid=bot-choices], [data-testid=photo-card]').count(),
          )
          .toBeGreaterThan(answered);
      }
    }

    const after = await openDashboard();
    expect(after.messages).toBe(before.messages + 3);
    expect(after.activeShoppers).toBe(before.activeShoppers + 2);
    const top = page.locator('[data-testid=top-queries]');
    for (const text of typed.flat()) await expect.poll(() => top.textContent()).toContain(text);
    expect(await page.textContent('[data-testid=chart-latency]')).toMatch(/\d (ms|s)/);

    // the y axis: distinct round numbers; the funnel's bars inside their card
    await page.waitForSelector('[data-testid=chart-messages] svg rect');
    const ticks = await page.locator('[data-testid=chart-messages] svg text[text-anchor=end]').allTextContents();
    expect(ticks.length).toBeGreaterThan(1);
    expect(new Set(ticks).size).toBe(ticks.length);
    const card = (await page.locator('.card', { has: page.locator('[data-testid=chart-funnel]') }).boundingBox())!;
    const bars = page.locator('[data-testid=chart-funnel] rect');
    // shoppers, search, product view, cart, order, paid, alert / manager
    expect(await bars.count()).toBe(7);
    for (const drawn of [...(await bars.all()), ...(await page.locator('[data-testid=chart-funnel] text').all())]) {
      const box = (await drawn.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(card.x + card.width);
    }

    // bars redrawn for new data (the test-traffic filter) stand on their axis, inside their chart
    for (const chart of ['chart-messages', 'chart-revenue']) {
      const svg = (await page.locator(`[data-testid=${chart}] svg`).boundingBox())!;
      const drawn = await page.locator(`[data-testid=${chart}] svg rect`).all();
      expect(drawn.length).toBeGreaterThan(0);
      for (const bar of drawn) {
        const box = (await bar.boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(svg.y - 0.5);
        expect(box.y + box.height).toBeLessThanOrEqual(svg.y + svg.height + 0.5);
      }
    }

    const path = await shot(page, '09-dashboard', true);
    // the README's two pictures: refreshed on request (or when missing), so a test run leaves the tree clean
    const docs = join(here, '..', 'docs');
    if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(join(docs, 'dashboard.png'))) {
      mkdirSync(docs, { recursive: true });
      copyFileSync(path, join(docs, 'dashboard.png'));
      copyFileSync(join(SCREENSHOTS, '07-escalations.png'), join(docs, 'escalations.png'));
    }
  });

  it('refreshes an expired access cookie silently, and goes to login when the session is gone', async () => {
    await context.clearCookies({ name: 'zeta_access' });
    await go('products');
    await page.waitForSelector('[data-testid=product-row]');
    expect(page.url()).toContain('/admin/products');
    await context.clearCookies({ name: 'zeta_access' });
    await context.clearCookies({ name: 'zeta_refresh' });
    await go('cities');
    await page.waitForURL(/\/admin\/login$/);
    await login(page, world.url);
  });

  it('invites a manager who then sees only what the role may use', async () => {
    await go('users');
    await page.click('[data-testid=user-invite]');
    await page.fill('[data-testid=invite-email]', 'aigerim@zeta.test');
    await page.selectOption('[data-testid=invite-role]', 'manager');
    await page.click('[data-testid=invite-send]');
    const link = await page.inputValue('[data-testid=invite-link]');
    expect(link).toContain('/admin/register?token=');
    await shot(page, '12-users-invite');

    const other = await newPage(world, { lang: 'en' });
    try {
      await other.page.goto(link);
      await other.page.fill('input[name=name]', 'Айгерим');
      await other.page.fill('input[name=password]', 'manager-pass-2026');
      await other.page.click('[data-testid=register-submit]');
      await other.page.waitForSelector('[data-testid=nav-escalations]');
      const nav = await other.page.textContent('[data-testid=nav]');
      expect(nav).toContain('Escalations');
      for (const hidden of ['Users', 'Audit', 'Failures', 'Scenarios', 'Playground', 'Bots'])
        expect(nav).not.toContain(hidden);
    } finally {
      await other.context.close();
    }
    await page.keyboard.press('Escape');
    await go('audit');
    await page.waitForSelector('[data-testid=audit-row]');
    await shot(page, '13-audit');
    await page.selectOption('[data-testid=audit-entity]', 'product');
    await page.locator('[data-testid=audit-row]', { hasText: 'product.update' }).first().click();
    const diff = page.locator('[data-testid=audit-diff]');
    await diff.waitFor();
    expect(await diff.locator('.del').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('123456')]),
    );
    expect(await diff.locator('.add').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('99900')]),
    );
    await shot(page, '14-audit-diff');
    await page.keyboard.press('Escape');
    await go('users');
    await expect.poll(() => page.textContent('[data-testid=users-table]')).toContain('aigerim@zeta.test');
  });

  it('makes an API token shown once; a script talks to the playground with it until it is revoked', async () => {
    await go('api-tokens');
    await page.click('[data-testid=token-new]');
    await page.fill('[data-testid=token-name]', 'Botium CI');
    await page.selectOption('[data-testid=token-role]', 'designer');
    await page.click('[data-testid=token-create]');
    const secret = await page.inputValue('[data-testid=token-secret]');
    expect(secret).toMatch(/^zeta_/);
    await shot(page, '15-api-token');
    await page.keyboard.press('Escape');
    const table = page.locator('[data-testid=tokens-table]');
    await expect.poll(() => table.textContent()).toContain('Botium CI');
    expect(await table.textContent()).not.toContain(secret);

    const script = (text: string) =>
      fetch(`${world.url}/api/chat/almaty`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'botium-1', text }),
      });
    expect((await script('/start')).status).toBe(200);
    page.once('dialog', (dialog) => void dialog.accept());
    await table.locator('tr', { hasText: 'Botium CI' }).locator('[data-testid=token-revoke]').click();
    await expect.poll(() => table.locator('tr', { hasText: 'Botium CI' }).textContent()).toContain('Revoked');
    expect((await script('меню')).status).toBe(401);
  });

  it('switches to Russian and remembers it', async () => {
    await page.click('[data-testid=lang-ru]');
    expect(await page.textContent('[data-testid=nav-products]')).toContain('Товары');
    await page.reload();
    await page.waitForSelector('[data-testid=nav-products]');
    expect(await page.textContent('[data-testid=nav-products]')).toContain('Товары');
    await page.click('[data-testid=lang-en]');
  });

  it('works on a phone-sized screen with a collapsible menu', async () => {
    const phone = await newPage(world, { phone: true });
    try {
      await login(phone.page, world.url);
      const nav = phone.page.locator('[data-testid=nav-escalations]');
      expect(await nav.isVisible()).toBe(false);
      await phone.page.click('[data-testid=menu-toggle]');
      await nav.waitFor({ state: 'visible' });
      // the drawer slides in; shoot it once it is all the way in
      await expect.poll(async () => (await phone.page.locator('.sidebar').boundingBox())?.x).toBe(0);
      await shot(phone.page, '10-phone-menu');
      await nav.click();
      await phone.page.waitForSelector('[data-testid=esc-list]');
      await expect.poll(() => nav.isVisible()).toBe(false);
      await shot(phone.page, '11-phone-escalations');
    } finally {
      await phone.context.close();
    }
  });
});
