import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfNeeded } from '../build-if-needed.mjs';
import { startFakeBotApi, type FakeBotApi } from '../../hosts/telegram/testing/fakeBotApi.ts';
import * as u from '../../hosts/telegram/testing/updates.ts';
import { SECRET_HEADER } from '../../hosts/telegram/routes.ts';
import { login, newPage, OWNER, shot, startWorld, type World } from './harness.ts';

/** what the designer types into the scenario: a new intent, and the flow it starts — two questions, then a lead */
const NEW_INTENT = `  fabric_sample:
    examples:
      ru: ["хочу образец ткани", "пришлите образец ткани"]
      kk: ["мата үлгісін жіберіңіз"]
      en: ["send me a fabric sample"]
    keywords: { ru: [образец, образцы], en: [sample] }
    flow: fabric
`;
const NEW_FLOW = `  fabric:
    steps:
      - id: colour
        ask:
          slot: colour
          type: text
          text: { ru: "Какой цвет ткани прислать?", kk: "Қай түсті матаны жіберейік?", en: "Which fabric colour shall we send?" }
          reask: { ru: "Напишите цвет словами", kk: "Түсін сөзбен жазыңыз", en: "Please write the colour in words" }
        next: phone
      - id: phone
        ask:
          slot: phone
          type: phone
          text: { ru: "Куда звонить курьеру? Ваш телефон?", kk: "Курьер қай нөмірге қоңырау шалсын?", en: "Which phone should the courier call?" }
          reask: { ru: "Нужен казахстанский номер, например 8 701 123 45 67", kk: "Қазақстандық нөмір керек, мысалы 8 701 123 45 67", en: "A Kazakh number please, like 8 701 123 45 67" }
        next: save
      - id: save
        act: { lead: {} }
        next: thanks
      - id: thanks
        say: { ru: "Образец ткани «{colour}» отправим, курьер позвонит на {phone}", kk: "«{colour}» мата үлгісін жібереміз, курьер {phone} нөміріне қоңырау шалады", en: "We'll send a «{colour}» fabric sample; the courier will call {phone}" }
        next: end
`;
const TG_TOKEN = '5151515151:designer-e2e';
const TG_SECRET = 'designer-e2e-secret';
const TG_SHOPPER = 77_019_019;

/**
 * The designers' loop in a real browser against the real server: an edit with a mistake is
 * pointed out at its line as it is typed (nothing saved), the fix is tried in the draft
 * playground — where asking for a manager is only simulated — and then saved, after which the
 * live bot speaks the new words. Then the longer loop: a new designer intent and a two-question
 * flow typed into the editor, walked through in the draft (the lead only "would have" been
 * recorded), saved, and gone through by a Telegram shopper (the platform's webhook, a fake Bot
 * API) by a phrase of the new intent — the lead is on the Leads page.
 */
describe("the designers' loop in chromium", () => {
  let world: World;
  let context: BrowserContext;
  let page: Page;
  let saved: string;
  let telegram: FakeBotApi;
  let updateId = 19_000;

  const editor = '[data-testid=scenario-text]';
  /** replaces the editor's text with `change(current)`, as typing would */
  const edit = async (change: (text: string) => string) => {
    const before = await page.inputValue(editor);
    const after = change(before);
    expect(after, 'the edit changes the text').not.toBe(before);
    await page.fill(editor, after);
    return after;
  };
  /** the problem naming `path`, shown without pressing Validate; its line holds `onLine` */
  const problemAt = async (path: string, onLine: string) => {
    const problem = page.locator('[data-testid=scenario-problem]', { hasText: path }).first();
    await problem.waitFor();
    const line = Number(/\((?:line|строка) (\d+)\)/.exec((await problem.textContent()) ?? '')?.[1]);
    const text = await page.inputValue(editor);
    expect(text.split('\n')[line - 1]).toContain(onLine);
    expect(await page.locator('.code-editor .gutter .err', { hasText: String(line) }).count()).toBe(1);
    return problem;
  };
  const validNow = async () => {
    await page.waitForSelector('[data-testid=scenario-ok]');
    expect(await page.locator('[data-testid=scenario-problem]').count()).toBe(0);
  };
  /** one shopper message to the unsaved draft; resolves once its answer (or a simulated effect) is drawn */
  const sayToDraft = async (text: string, expectInTranscript: string) => {
    await page.fill('[data-testid=draft-input]', text);
    await page.click('[data-testid=draft-send]');
    await page.locator('[data-testid=draft-transcript]', { hasText: expectInTranscript }).waitFor();
  };
  const liveGreeting = async () => {
    const login = await fetch(`${world.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const res = await fetch(`${world.url}/api/chat/almaty`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ userId: `live-${Date.now()}`, text: '/start' }),
    });
    return JSON.stringify(await res.json());
  };

  beforeAll(async () => {
    buildIfNeeded();
    telegram = await startFakeBotApi({ bots: { [TG_TOKEN]: { username: 'zeta_designer_bot' } } });
    world = await startWorld({
      env: { TELEGRAM_BOT_TOKEN: TG_TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_WEBHOOK_SECRET: TG_SECRET },
    });
    ({ context, page } = await newPage(world, { lang: 'en' }));
    await login(page, world.url);
    await page.click('[data-testid=nav-scenarios]');
    await page.waitForFunction(
      (sel) => document.querySelector<HTMLTextAreaElement>(sel)?.value.includes('routing:'),
      editor,
    );
    saved = await page.inputValue(editor);
  });
  afterAll(async () => {
    await context?.close();
    await world?.close();
    await telegram?.close();
  });
  /** a Telegram shopper's message through the platform's webhook; resolves with the bot's answer texts */
  const telegramSays = async (text: string): Promise<string> => {
    const before = telegram.messages(TG_SHOPPER).length;
    const res = await fetch(`${world.url}/webhooks/telegram/almaty`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: TG_SECRET },
      body: JSON.stringify(u.textUpdate(++updateId, u.shopper(TG_SHOPPER), text)),
    });
    expect(res.status).toBe(200);
    await expect.poll(() => telegram.messages(TG_SHOPPER).length).toBeGreaterThan(before);
    await world.platform.runtime.idle();
    return telegram
      .messages(TG_SHOPPER)
      .slice(before)
      .map((m) => String(m.params.text ?? m.params.caption ?? ''))
      .join('\n');
  };

  it('points at a mistake as it is typed, at its line, without saving', async () => {
    await edit((text) => text.replace(/routing:\n(\s+)smalltalk: smalltalk/, 'routing:\n$1smalltalk: nowhere'));
    const problem = await problemAt('routing.smalltalk', 'smalltalk: nowhere');
    expect(await problem.textContent()).toContain('unknown route "nowhere"');
    await shot(page, '30-designer-error-in-place');
    expect(await page.locator('[data-testid=scenario-versions]').textContent()).toContain('No saved edits');
  });

  it('the fixed draft is tried in the playground: new words, and a manager only "would have" been called', async () => {
    await edit(() => saved.replace('Здравствуйте! Я помощник мебельного магазина', 'Салем! Я помощник из черновика'));
    await validNow();
    await page.click('[data-testid=scenario-try]');
    await sayToDraft('/start', 'Салем! Я помощник из черновика');
    await sayToDraft('позовите менеджера', 'would have: hand the conversation to a manager');
    await shot(page, '31-designer-draft-playground');
    const escalations = await world.platform.db.db.selectFrom('escalations').select('conversation_key').execute();
    expect(escalations.filter((e) => e.conversation_key.includes('draft'))).toEqual([]);
    // nothing saved yet: the live bot still greets as before
    expect(await liveGreeting()).toContain('Здравствуйте! Я помощник мебельного магазина');
  });

  it('saves the draft, and the live bot speaks it', async () => {
    await page.click('[data-testid=scenario-save]');
    await expect.poll(() => page.locator('[data-testid=scenario-versions]').textContent()).toContain('v1');
    await expect.poll(liveGreeting).toContain('Салем! Я помощник из черновика');
    await shot(page, '32-designer-saved');
  });

  it('a designer adds an intent and a two-question flow; the draft asks both and only "would have" recorded the lead', async () => {
    await edit((text) =>
      text.replace(/^intents:\n/m, `intents:\n${NEW_INTENT}`).replace(/^flows:\n/m, `flows:\n${NEW_FLOW}`),
    );
    await validNow();
    await page.click('[data-testid=scenario-try]');
    await page.click('[data-testid=draft-reset]');
    await sayToDraft('хочу образец ткани', 'Какой цвет ткани прислать?');
    await sayToDraft('бежевый', 'Куда звонить курьеру? Ваш телефон?');
    await sayToDraft('12345', 'Нужен казахстанский номер');
    await sayToDraft(
      '8 701 555 44 33',
      'would have: record a lead from flow "fabric": colour=бежевый, phone=+77015554433',
    );
    await page.locator('[data-testid=draft-transcript]', { hasText: 'курьер позвонит на +7 701 555 44 33' }).waitFor();
    await shot(page, '33-designer-flow-draft');
    // simulated: no lead row, and the live bot does not know the intent yet
    expect(await world.platform.db.db.selectFrom('leads').select('id').execute()).toEqual([]);
    expect(await telegramSays('хочу образец ткани')).not.toContain('Какой цвет ткани прислать?');
  });

  it('saved, a Telegram shopper goes through the new flow by its phrase, and the lead is on the Leads page', async () => {
    await page.click('[data-testid=scenario-save]');
    await expect.poll(() => page.locator('[data-testid=scenario-versions]').textContent()).toContain('v2');
    await telegramSays('меню');
    expect(await telegramSays('Здравствуйте! Пришлите образец ткани')).toContain('Какой цвет ткани прислать?');
    expect(await telegramSays('серый')).toContain('Куда звонить курьеру?');
    expect(await telegramSays('+7 701 999 88 77')).toContain(
      'Образец ткани «серый» отправим, курьер позвонит на +7 701 999 88 77',
    );

    await page.click('[data-testid=nav-leads]');
    const item = page.locator('[data-testid=lead-item]', { hasText: 'fabric' });
    await item.waitFor();
    expect(await item.textContent()).toContain('серый · +77019998877');
    const detail = page.locator('[data-testid=lead-detail]');
    await detail.locator('[data-testid=lead-slots]').waitFor();
    expect(await detail.locator('[data-testid=lead-slots]').textContent()).toMatch(
      /colour.*серый.*phone.*\+77019998877/s,
    );
    await shot(page, '34-designer-flow-lead');
    const leads = await world.platform.db.db.selectFrom('leads').select(['flow', 'channel', 'is_test']).execute();
    expect(leads).toEqual([{ flow: 'fabric', channel: 'telegram', is_test: false }]);
  });
});
