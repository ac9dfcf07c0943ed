import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  startFakeOpenAI,
  toolCallReply,
  type FakeOpenAI,
  type RecordedRequest,
} from '../../hosts/ai/testing/fakeOpenAI.ts';
import { loadConfig } from '../../hosts/platform/config.ts';
import { createPlatform, type Platform, type PlatformOverrides } from '../../hosts/platform/createPlatform.ts';
import { CHROMIUM_PATH } from './chromium.ts';

/**
 * The browser tests' world: the real platform (embedded database in a temp dir, the built panel
 * at /admin/), an OpenAI-compatible fake on 127.0.0.1 so prompts can be seen reaching the model,
 * and Debian's chromium driven by playwright-core.
 */
export const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = join(here, 'screenshots');
export const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery-42' };

export type World = {
  platform: Platform;
  url: string;
  openai: FakeOpenAI;
  browser: Browser;
  dataDir: string;
  close(): Promise<void>;
};

type OfferedTool = {
  function?: { name?: string; parameters?: { properties?: { intent?: { description?: string } } } };
};

/**
 * The scenario's own intent whose listed example (`name: «example», …; …` in the offered
 * `scenario_intent` tool) the shopper wrote, as a model reading the tool would pick it.
 */
function designerIntentOf(req: RecordedRequest, text: string): string | undefined {
  const tools = (req.json as { tools?: OfferedTool[] } | null)?.tools ?? [];
  const listed = tools.find((t) => t.function?.name === 'scenario_intent')?.function?.parameters?.properties?.intent;
  for (const entry of (listed?.description ?? '').split('; ')) {
    const [name, examples = ''] = entry.split(': ');
    const phrases = [...examples.matchAll(/«([^»]+)»/g)].map((m) => m[1]!.toLowerCase());
    if (name && phrases.some((p) => text.toLowerCase().includes(p))) return name;
  }
  return undefined;
}

/** answers like a sensible model: the shopper's last words pick the tool */
function fakeModel(req: RecordedRequest) {
  const messages = (req.json as { messages?: { role: string; content?: unknown }[] } | null)?.messages ?? [];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const text = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
  const designer = designerIntentOf(req, text);
  if (designer) return toolCallReply('scenario_intent', { intent: designer });
  if (/менеджер|manager|оператор/i.test(text))
    return toolCallReply('escalate_to_manager', { reason: 'shopper asked for a manager' });
  if (/диван|sofa/i.test(text)) return toolCallReply('search_products', { category: 'sofa', mode: 'new' });
  if (/кроват|bed/i.test(text)) return toolCallReply('search_products', { category: 'bed', mode: 'new' });
  if (/привет|здравств|hello|hi\b/i.test(text)) return toolCallReply('classify_message', { kind: 'greeting' });
  return toolCallReply('classify_message', { kind: 'unknown' });
}

export function systemPrompts(openai: FakeOpenAI): string[] {
  return openai.requests.flatMap((r) => {
    const messages = (r.json as { messages?: { role: string; content?: unknown }[] } | null)?.messages ?? [];
    return messages
      .filter((m) => m.role === 'system')
      .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
  });
}

/**
 * `env`: more settings for the platform, e.g. a Telegram bot against a fake Bot API; `crmOutboxMs`:
 * how often the worker passes the CRM outbox (a test with a fake Bitrix24 need not wait 15 s)
 */
export async function startWorld(
  opts: { env?: Record<string, string> } & Pick<PlatformOverrides, 'crmOutboxMs'> = {},
): Promise<World> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'zeta-admin-e2e-'));
  const openai = await startFakeOpenAI();
  openai.setDefault('chat', fakeModel);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'on',
    ADMIN_EMAIL: OWNER.email,
    ADMIN_PASSWORD: OWNER.password,
    JWT_SECRET: 'e2e-secret-0123456789abcdef0123456789abcdef',
    // a browser session makes many requests; the per-IP limit has its own API test
    RATE_LIMIT_PER_MINUTE: '100000',
    OPENAI_API_KEY: 'sk-test-e2e',
    OPENAI_BASE_URL: openai.baseURL,
    ...opts.env,
  });
  const platform = await createPlatform(config, {
    ocr: false,
    ...(opts.crmOutboxMs ? { crmOutboxMs: opts.crmOutboxMs } : {}),
  });
  await platform.start();
  const { url } = await platform.listen();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    platform,
    url,
    openai,
    browser,
    dataDir,
    async close() {
      await browser.close().catch(() => {});
      await platform.close().catch(() => {});
      await openai.close().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function newPage(
  world: World,
  opts: { phone?: boolean; lang?: 'en' | 'ru' } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await world.browser.newContext(
    opts.phone
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ru-RU' }
      : { viewport: { width: 1440, height: 960 }, locale: 'en-US' },
  );
  context.setDefaultTimeout(15_000);
  // the first visit's language; a switch made in the panel then persists like a user's would
  if (opts.lang)
    await context.addInitScript(
      (lang) => localStorage.getItem('zeta.lang') || localStorage.setItem('zeta.lang', lang),
      opts.lang,
    );
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
 * Two shoppers already waiting for a manager when the panel opens, through the real web channel
 * (what they cause in analytics is recorded by the runtime, like any other conversation).
 */
export async function seedWaitingShoppers(world: World): Promise<void> {
  const url = world.url;
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const chat = (userId: string, text: string) =>
    fetch(`${url}/api/chat/almaty`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ userId, text }),
    });
  for (const [userId, lines] of [
    ['shopper-aliya', ['привет', 'ищу угловой диван серый', 'позовите менеджера']],
    ['shopper-timur', ['кровать 160 до 250 тысяч', 'хочу оформить доставку, позовите менеджера']],
  ] as const) {
    for (const text of lines) {
      const res = await chat(userId, text);
      if (!res.ok) throw new Error(`seeding chat: ${res.status} ${await res.text()}`);
    }
  }
}
