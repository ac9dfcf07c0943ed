import { afterEach, describe, expect, it } from 'vitest';
import type { Product } from '../../engine/catalog.ts';
import { createMemoryHost } from '../../engine/testing/memoryHost.ts';
import { loadFixtures } from '../cli/fixtures.ts';
import { visibleText, type RecordedCall } from './testing/fakeBotApi.ts';
import { startTelegramHarness, type TelegramHarness } from './testing/harness.ts';

/** A retailer's own codes through the Telegram host: typed, in a sentence, and behind card buttons. */

const LONG = 'ДИВАН-УГЛОВОЙ/СЕРЫЙ-ВЕЛЮР-00042';
const catalog: Product[] = [
  {
    id: 'p-long',
    sku: LONG,
    name: 'Диван угловой «Прага»',
    price: 310_000,
    currency: 'KZT',
    category: 'sofa',
    available: true,
  },
  {
    id: 'p-st1',
    sku: 'СТ-1/А',
    name: 'Стол обеденный «Осло»',
    price: 95_000,
    currency: 'KZT',
    category: 'table',
    available: true,
  },
  {
    id: 'p-digits',
    sku: '000123456',
    name: 'Комод «Берн»',
    price: 70_000,
    currency: 'KZT',
    category: 'dresser',
    available: true,
  },
];

const open: TelegramHarness[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

async function harness() {
  const fixtures = await loadFixtures();
  const host = createMemoryHost({ catalog, images: {}, voices: {} });
  host.start({
    city: 'almaty',
    channel: 'telegram',
    lang: 'ru',
    at: '2026-11-26T10:00:00Z',
    vision: false,
    voice: false,
    extra: {},
  });
  const h = await startTelegramHarness({ scenario: fixtures.scenario, host });
  open.push(h);
  return h;
}

const texts = (calls: RecordedCall[]) =>
  calls.map((c) => visibleText(String(c.params.text ?? c.params.caption ?? ''), c.params.parse_mode));
const callbacks = (calls: RecordedCall[]) =>
  calls.flatMap((c) =>
    (
      (c.params.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined)
        ?.inline_keyboard ?? []
    )
      .flat()
      .map((b) => b.callback_data ?? ''),
  );
const SHOPPER = 5_550_777;

describe('any SKU through the Telegram host', () => {
  it('a 31-character Cyrillic code: its card buttons fit 64 bytes, carry no code, and open the card when tapped', async () => {
    expect(LONG).toHaveLength(31);
    const h = await harness();
    const found = await h.say(SHOPPER, 'диваны');
    const ids = callbacks(found).filter((d) => d.startsWith('p:') || d.startsWith('a:'));
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const id of ids) {
      expect(Buffer.byteLength(id)).toBeLessThanOrEqual(64);
      expect(id).not.toContain('ДИВАН');
    }
    const card = await h.tap(SHOPPER, ids.find((d) => d.startsWith('p:'))!);
    expect(texts(card).join('\n')).toContain(`Артикул: ${LONG}`);
    const alert = await h.tap(SHOPPER, callbacks(card).find((d) => d.startsWith('a:'))!);
    expect(texts(alert).join('\n')).toMatch(/Сообщу/);
  });

  it('«сколько стоит ст-1/a» with a Latin «a» finds СТ-1/А', async () => {
    const h = await harness();
    expect(texts(await h.say(SHOPPER, 'сколько стоит ст-1/a')).join('\n')).toContain('Стол обеденный «Осло»');
  });

  it('«есть 000123456?» is the product when the catalog has the code, a price ceiling otherwise', async () => {
    const h = await harness();
    expect(texts(await h.say(SHOPPER, 'есть 000123456?')).join('\n')).toContain('Комод «Берн»');
    const priced = texts(await h.say(SHOPPER, 'есть 000100000?')).join('\n');
    expect(priced).not.toMatch(/не нашёлся/);
    expect(priced).toMatch(/Нашёл 2/);
  });
});
