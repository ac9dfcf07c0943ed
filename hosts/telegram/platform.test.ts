import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productHandle } from '../../engine/machine/handles.ts';
import { sql } from 'kysely';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { loadConfig } from '../platform/config.ts';
import { createPlatform, type Platform } from '../platform/createPlatform.ts';
import { sweepAndDeliver } from '../platform/alertDelivery.ts';
import { parseTag } from './escalationTag.ts';
import { startFakeBotApi, visibleText, type FakeBotApi, type RecordedCall } from './testing/fakeBotApi.ts';
import { recordingLog } from './testing/log.ts';
import { unrender } from './testing/unrender.ts';
import * as u from './testing/updates.ts';
import { SECRET_HEADER } from './routes.ts';

/**
 * The Telegram host inside the whole platform (createPlatform): PostgreSQL with the demo catalog,
 * the embedded state backend, the real escalation service and alert delivery, real tesseract OCR,
 * grammY against the fake Bot API. Update JSON goes through the platform's Hono app.
 */

const TOKEN = '4242424242:platform-e2e';
const SECRET = 'platform-e2e-secret';
const MANAGERS = -1009876543210;
const SHOPPER = 77_000_001;

let api: FakeBotApi;
let db: TestDatabase;
let state: StateBackend;
let platform: Platform;
let updateId = 500_000;
const log = recordingLog();

beforeAll(async () => {
  api = await startFakeBotApi({ bots: { [TOKEN]: { username: 'zeta_almaty_bot' } } });
  db = await createTestDatabase('postgres');
  state = await createStateBackend({ db: db.db, keyPrefix: 'tg-platform:' });
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_MANAGERS_CHAT_ID: String(MANAGERS),
    DEMO_DATA: 'on',
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  platform = await createPlatform(config, { database: db, state, log });
  await platform.telegram.registry.init();
}, 120_000);

afterAll(async () => {
  await platform?.close();
  await state?.close();
  await db?.close();
  await api?.close();
});

async function post(update: object): Promise<RecordedCall[]> {
  const before = api.messages(SHOPPER).length;
  const res = await platform.app.request('/webhooks/telegram/almaty', {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET },
    body: JSON.stringify(update),
  });
  expect(res.status).toBe(200);
  await platform.runtime.idle();
  await platform.telegram.intake.settled();
  return api.messages(SHOPPER).slice(before);
}
const me = u.shopper(SHOPPER);
const texts = (calls: RecordedCall[]) =>
  calls.map((c) => visibleText(String(c.params.text ?? c.params.caption ?? ''), c.params.parse_mode));

describe('Telegram through createPlatform', () => {
  it('greets, searches the demo catalog with an album of uploaded placeholder PNGs, opens a card', async () => {
    const hello = await post(u.commandUpdate(++updateId, me, '/start'));
    expect(texts(hello)[0]).toMatch(/Здравствуйте/);

    const found = await post(u.textUpdate(++updateId, me, 'диван'));
    const list = unrender(found).find((r) => r.type === 'products');
    expect(list?.type === 'products' && list.items.length).toBeGreaterThan(1);
    const album = found.find((c) => c.method === 'sendMediaGroup');
    expect(album?.files.length).toBeGreaterThan(1);
    expect(album?.files.every((f) => f.filename.endsWith('.png'))).toBe(true);

    const handle = list?.type === 'products' ? list.items[0]!.id : '';
    const card = await post(u.callbackUpdate(++updateId, me, `p:${handle}`));
    const detail = unrender(card).find((r) => r.type === 'products' && r.view === 'detail');
    expect(detail?.type === 'products' && productHandle(detail.items[0]!.sku)).toBe(handle);
    // the album uploaded the picture already: the card reuses Telegram's file_id
    expect(card[0]!.files).toHaveLength(0);
  });

  it('reads a price tag photo with the platform OCR and shows the product from the database', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../ocr/fixtures/tag-ru-sofa-001.png', import.meta.url)));
    api.addFile(bytes, { fileId: 'AgAC-platform-tag', filePath: 'photos/tag.png' });
    const sent = await post(u.photoUpdate(++updateId, me, 'AgAC-platform-tag'));
    expect(unrender(sent)).toContainEqual(
      expect.objectContaining({
        type: 'products',
        view: 'detail',
        items: [expect.objectContaining({ sku: 'SOFA-001' })],
      }),
    );
  }, 60_000);

  it('escalates to the managers chat; the reply reaches the shopper; /resolve closes the escalation in the database', async () => {
    const asked = await post(u.textUpdate(++updateId, me, 'позовите менеджера'));
    expect(asked.length).toBeGreaterThan(0);
    const notice = api.messages(MANAGERS).at(-1)!;
    const noticeText = visibleText(String(notice.params.text), 'HTML');
    const ref = parseTag(noticeText)!;
    expect(ref.shopperChatId).toBe(String(SHOPPER));
    const row = await db.db
      .selectFrom('escalations')
      .select(['status'])
      .where('id', '=', ref.escalationId)
      .executeTakeFirstOrThrow();
    expect(row.status).not.toBe('resolved');

    const manager = u.shopper(900_777, 'Дина');
    const bot = await platform.telegram.registry.identity('almaty');
    const replyTo = {
      messageId: (notice.result as { message_id: number }).message_id,
      text: noticeText,
      botId: bot!.id,
    };
    const answered = await post(u.groupTextUpdate(++updateId, manager, MANAGERS, 'Здравствуйте! Чем помочь?', replyTo));
    expect(texts(answered)).toEqual(['👤 Дина: Здравствуйте! Чем помочь?']);
    const resolved = await post(u.groupTextUpdate(++updateId, manager, MANAGERS, '/resolve', replyTo));
    expect(texts(resolved).join('\n')).toMatch(/завершён/);

    const after = await db.db
      .selectFrom('escalations')
      .select(['status'])
      .where('id', '=', ref.escalationId)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('resolved');
    const messages = await db.db
      .selectFrom('escalation_messages')
      .select(['text'])
      .where('escalation_id', '=', ref.escalationId)
      .execute();
    expect(messages.map((m) => m.text)).toContain('Дина: Здравствуйте! Чем помочь?');
  });

  it('price alert: subscribe from the card, the price drops in the database, the notification card arrives', async () => {
    await post(u.textUpdate(++updateId, me, 'SOFA-001'));
    const subscribed = await post(u.callbackUpdate(++updateId, me, 'a:SOFA-001'));
    expect(texts(subscribed).join('\n')).toMatch(/Сообщу/);
    await sql`update products set price = price - 10000 where sku = 'SOFA-001'`.execute(db.db);
    const before = api.messages(SHOPPER).length;
    const delivered = await sweepAndDeliver({ db: db.db, runtime: platform.runtime, clock: () => new Date(), log });
    expect(delivered).toBe(1);
    await platform.runtime.idle();
    const notified = api.messages(SHOPPER).slice(before);
    expect(texts(notified)[0]).toMatch(/снижена/);
    const skuOf = (handle: string) => (handle === productHandle('SOFA-001') ? 'SOFA-001' : handle);
    expect(unrender(notified, { skuOf })).toContainEqual(
      expect.objectContaining({ type: 'products', items: [expect.objectContaining({ sku: 'SOFA-001' })] }),
    );
    expect(notified.some((c) => c.method === 'sendPhoto')).toBe(true);
  });
});
