import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfNeeded } from '../build-if-needed.mjs';
import { login, newPage, OWNER, shot, startWorld, type World } from './harness.ts';

/**
 * The designers' loop in a real browser against the real server: an edit with a mistake is
 * pointed out at its line as it is typed (nothing saved), the fix is tried in the draft
 * playground — where asking for a manager is only simulated — and then saved, after which the
 * live bot speaks the new words. Each step is a helper below, so a longer loop (a designer intent
 * and a flow added, then walked through in the draft) is a few more calls of the same helpers.
 */
describe("the designers' loop in chromium", () => {
  let world: World;
  let context: BrowserContext;
  let page: Page;
  let saved: string;

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
    world = await startWorld();
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
  });

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
});
