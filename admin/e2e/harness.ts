import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startFakeOpenAI, toolCallReply, type FakeOpenAI, type RecordedRequest } from '../../hosts/ai/testing/fakeOpenAI.ts';
import { loadConfig } from '../../hosts/platform/config.ts';
import { createPlatform, type Platform } from '../../hosts/platform/createPlatform.ts';
import { CHROMIUM_PATH } from './chromium.ts';

/**
 * The browser tests' world: the real platform (embedded database in a temp dir, the built panel
 * at /admin/), an OpenAI-compatible fake on 127.0.0.1 so prompts can be seen reaching the model,
 * and Debian's chromium driven by playwright-core.
 */
export const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = join(here, 'screenshots');
export const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery-42' };

export type World = { platform: Platform; url: string; openai: FakeOpenAI; browser: Browser; dataDir: string; close(): Promise<void> };

/** answers like a sensible model: the shopper's last words pick the tool */
function fakeModel(req: RecordedRequest) {
  const messages = ((req.json as { messages?: { role: string; content?: unknown }[] } | null)?.messages ?? []);
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const text = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
  if (/менеджер|manager|оператор/i.test(text)) return toolCallReply('escalate_to_manager', { reason: 'shopper asked for a manager' });
  if (/диван|sofa/i.test(text)) return toolCallReply('search_products', { category: 'sofa', mode: 'new' });
  if (/кроват|bed/i.test(text)) return toolCallReply('search_products', { category: 'bed', mode: 'new' });
  if (/привет|здравств|hello|hi\b/i.test(text)) return toolCallReply('classify_message', { kind: 'greeting' });
  return toolCallReply('classify_message', { kind: 'unknown' });
}

export function systemPrompts(openai: FakeOpenAI): string[] {
  return openai.requests.flatMap((r) => {
    const messages = ((r.json as { messages?: { role: string; content?: unknown }[] } | null)?.messages ?? []);
    return messages.filter((m) => m.role === 'system').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
  });
}

export async function startWorld(): Promise<World> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'zeta-admin-e2e-'));
  const openai = await startFakeOpenAI();
  openai.setDefault('chat', fakeModel);
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_DATA: 'on',
    ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password, JWT_SECRET: 'e2e-secret-0123456789abcdef0123456789abcdef',
    // a browser session makes many requests; the per-IP limit has its own API test
    RATE_LIMIT_PER_MINUTE: '100000',
    OPENAI_API_KEY: 'sk-test-e2e', OPENAI_BASE_URL: openai.baseURL,
  });
  const platform = await createPlatform(config, { ocr: false });
  await platform.start();
  const { url } = await platform.listen();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  return {
    platform, url, openai, browser, dataDir,
    async close() {
      await browser.close().catch(() => {});
      await platform.close().catch(() => {});
      await openai.close().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function newPage(world: World, opts: { phone?: boolean; lang?: 'en' | 'ru' } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await world.browser.newContext(
    opts.phone
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ru-RU' }
      : { viewport: { width: 1440, height: 960 }, locale: 'en-US' },
  );
  context.setDefaultTimeout(15_000);
  // the first visit's language; a switch made in the panel then persists like a user's would
  if (opts.lang) await context.addInitScript((lang) => localStorage.getItem('zeta.lang') || localStorage.setItem('zeta.lang', lang), opts.lang);
  const page = await context.newPage();
  return { context, page };
}

export async function login(page: Page, url: string, who = OWNER): Promise<void> {
  await page.goto(`${url}/admin/login`);
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('.topbar');
}

export async function shot(page: Page, name: string, fullPage = false): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/**
 * Two weeks of plausible traffic, so the dashboard screenshot shows trends rather than one day of
 * test clicks. Deterministic (no randomness). The events go straight into analytics_events in one
 * insert (the same rows `POST /api/analytics/event` writes; 1 500 HTTP calls would cost ~10 s).
 */
export async function seedHistory(world: World, days = 14): Promise<number> {
  const url = world.url;
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const queries = ['серый диван', 'кровать 160', 'шкаф купе', 'стол обеденный', 'кресло', 'диван угловой', 'комод белый'];
  const zero = ['диван из ротанга', 'кровать-чердак', 'зеркало'];
  const channels = ['telegram', 'whatsapp', 'web'] as const;
  const events: Record<string, unknown>[] = [];
  const now = Date.now();
  for (let d = days - 1; d >= 1; d--) {
    const base = now - d * 86_400_000;
    const wave = 1 + 0.35 * Math.sin(d / 2) + (d % 7 === 1 || d % 7 === 2 ? 0.3 : 0);
    channels.forEach((channel, ci) => {
      const shoppers = Math.round([9, 6, 2][ci]! * wave);
      for (let s = 0; s < shoppers; s++) {
        const conversationKey = `${channel}:almaty:hist-${d}-${ci}-${s}`;
        const at = (k: number) => new Date(base + (s * 37 + k) * 60_000).toISOString();
        const push = (type: string, k: number, metadata: Record<string, unknown> = {}) => events.push({ type, channel, city: 'almaty', conversationKey, userId: conversationKey, at: at(k), metadata });
        push('greeting', 0);
        const turns = 2 + ((s + d) % 4);
        for (let k = 0; k < turns; k++) push('message_in', k, { responseMs: 180 + ((s * 97 + d * 31 + k * 13) % 520) + (k === 0 ? 600 : 0) });
        if ((s + d) % 5 !== 0) push('search', 1, { query: queries[(s + d + ci) % queries.length] });
        if ((s + d) % 6 === 0) push('zero_results', 1, { query: zero[(s + 2 * d + ci) % zero.length] });
        if ((s + d) % 3 !== 0) push('product_view', 2);
        if ((s + 2 * d) % 9 === 0) push('alert_created', 3);
        if ((s + d) % 11 === 0) push('escalation', 3);
      }
    });
  }
  // a couple of shoppers already waiting for a manager, through the real web channel
  const chat = (userId: string, text: string) =>
    fetch(`${url}/api/chat/almaty`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` }, body: JSON.stringify({ userId, text }) });
  for (const [userId, lines] of [
    ['shopper-aliya', ['привет', 'ищу угловой диван серый', 'позовите менеджера']],
    ['shopper-timur', ['кровать 160 до 250 тысяч', 'хочу оформить доставку, позовите менеджера']],
  ] as const) {
    for (const text of lines) {
      const res = await chat(userId, text);
      if (!res.ok) throw new Error(`seeding chat: ${res.status} ${await res.text()}`);
    }
  }
  const db = world.platform.db.db;
  const city = await db.selectFrom('cities').select('id').where('slug', '=', 'almaty').executeTakeFirstOrThrow();
  await db.insertInto('analytics_events').values(events.map((e) => ({
    event_type: String(e.type), channel: String(e.channel), city_id: city.id, user_id: String(e.userId), conversation_key: String(e.conversationKey),
    metadata: JSON.stringify(e.metadata ?? {}), created_at: new Date(String(e.at)),
  }))).execute();
  // and one through the API, as a script or widget would send it
  const res = await fetch(`${url}/api/analytics/event`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ type: 'greeting', channel: 'web', city: 'almaty', conversationKey: 'web:almaty:api-seed', at: new Date().toISOString() }),
  });
  if (res.status !== 202) throw new Error(`analytics event: ${res.status} ${await res.text()}`);
  return events.length + 1;
}
