import { describe, expect, it } from 'vitest';
import type { ProductItem, Reply } from '../../engine/replies.ts';
import { render, type PhotoSource } from './render.ts';
import { visibleLength } from './testing/fakeBotApi.ts';
import { shippedTexts } from '../channel/testing/texts.ts';

const RU = shippedTexts('ru');

const item = (sku: string, extra: Partial<ProductItem> = {}): ProductItem => ({
  id: sku.toLowerCase(),
  sku,
  name: `Диван ${sku}`,
  price: 250_000,
  currency: 'KZT',
  imageUrl: `https://cdn.example.kz/${sku}.jpg`,
  available: true,
  options: [
    { id: `p:${sku}`, label: 'Подробнее' },
    { id: `a:${sku}`, label: '🔔' },
    { id: 'm', label: 'Менеджер' },
  ],
  ...extra,
});

const photosFor = (items: ProductItem[]) =>
  new Map<string, PhotoSource>(
    items.filter((i) => i.imageUrl).map((i) => [i.imageUrl!, { kind: 'url', url: i.imageUrl! }]),
  );

describe('render', () => {
  it("shows the price a product fell from, in the conversation's language, and says when it is out of stock", () => {
    const cheaper = item('SOFA-009', { price: 199_990, oldPrice: 249_990 });
    const gone = item('SOFA-010', { available: false, oldPrice: 100 });
    const { steps } = render([{ type: 'products', view: 'detail', items: [cheaper] }], new Map(), RU);
    expect(JSON.stringify(steps)).toContain('199 990 ₸ (было 249 990 ₸) · В наличии');
    const english = render(
      [{ type: 'products', items: [cheaper, gone] }],
      photosFor([cheaper, gone]),
      shippedTexts('en'),
    );
    const text = JSON.stringify(english.steps);
    expect(text).toContain('199 990 ₸ (was 249 990 ₸)');
    // an «old» price below today's is no fall: not shown
    expect(text).toContain('250 000 ₸ (out of stock)');
  });

  it('escapes text and splits long text', () => {
    const { steps } = render([{ type: 'text', text: `<b>${'x '.repeat(3000)}` }], new Map(), RU);
    expect(steps).toHaveLength(2);
    expect(steps[0]).toMatchObject({ method: 'sendMessage' });
    expect((steps[0] as { text: string }).text.startsWith('&lt;b&gt;')).toBe(true);
  });

  it('renders a list of 3 pictured products as an album plus a numbered list with one keyboard', () => {
    const items = ['SOFA-001', 'SOFA-002', 'SOFA-003'].map((s) => item(s));
    const { steps } = render([{ type: 'products', items }], photosFor(items), RU);
    expect(steps.map((s) => s.method)).toEqual(['sendMediaGroup', 'sendMessage']);
    const album = steps[0] as Extract<(typeof steps)[number], { method: 'sendMediaGroup' }>;
    expect(album.media).toHaveLength(3);
    expect(album.media[0]!.caption).toContain('1. <b>Диван SOFA-001</b>');
    expect(album.media[0]!.caption).toContain('250 000 ₸');
    const list = steps[1] as Extract<(typeof steps)[number], { method: 'sendMessage' }>;
    expect(list.text.split('\n')).toHaveLength(3);
    // a row per product (name → details, 🔔), shared manager button once at the end
    expect(list.keyboard).toEqual([
      [
        { text: '1. Диван SOFA-001', callback_data: 'p:SOFA-001' },
        { text: '🔔', callback_data: 'a:SOFA-001' },
      ],
      [
        { text: '2. Диван SOFA-002', callback_data: 'p:SOFA-002' },
        { text: '🔔', callback_data: 'a:SOFA-002' },
      ],
      [
        { text: '3. Диван SOFA-003', callback_data: 'p:SOFA-003' },
        { text: '🔔', callback_data: 'a:SOFA-003' },
      ],
      [{ text: 'Менеджер', callback_data: 'm' }],
    ]);
  });

  it('caps an album at 10 photos and lists every item', () => {
    const items = Array.from({ length: 12 }, (_, i) => item(`BED-${String(i).padStart(3, '0')}`));
    const { steps } = render([{ type: 'products', items }], photosFor(items), RU);
    expect((steps[0] as { media: unknown[] }).media).toHaveLength(10);
    expect((steps[1] as { text: string }).text.split('\n')).toHaveLength(12);
  });

  it('renders products without photos as a text list; a single pictured product as a photo card', () => {
    const bare = [item('CHR-001', { imageUrl: undefined }), item('CHR-002', { imageUrl: undefined })];
    expect(render([{ type: 'products', items: bare }], new Map(), RU).steps.map((s) => s.method)).toEqual([
      'sendMessage',
    ]);
    const one = [item('CHR-003')];
    const { steps } = render([{ type: 'products', items: one }], photosFor(one), RU);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({
      method: 'sendPhoto',
      keyboard: [[{ callback_data: 'p:CHR-003' }, { callback_data: 'a:CHR-003' }, { callback_data: 'm' }]],
    });
  });

  it('renders a detail view as a photo card whose caption stays within 1024 after entity parsing', () => {
    const long = item('SOFA-001', { description: 'Мягкий & удобный <диван>. '.repeat(200) });
    const { steps } = render([{ type: 'products', view: 'detail', items: [long] }], photosFor([long]), RU);
    const card = steps[0] as Extract<(typeof steps)[number], { method: 'sendPhoto' }>;
    expect(card.method).toBe('sendPhoto');
    expect(visibleLength(card.caption, 'HTML')).toBeLessThanOrEqual(1024);
    expect(card.caption).toContain('&amp;');
    expect(card.caption).toContain('Артикул: SOFA-001');
    expect(card.keyboard?.flat().map((b) => b.callback_data)).toEqual(['p:SOFA-001', 'a:SOFA-001', 'm']);
    // the text fallback carries more of the description
    expect(visibleLength(card.fallbackText, 'HTML')).toBeGreaterThan(1024);
  });

  it('attaches text-less choices to the message before them, and lays out short labels in rows', () => {
    const replies: Reply[] = [
      { type: 'text', text: 'Which language?' },
      {
        type: 'choices',
        options: [
          { id: 'lang:ru', label: 'RU' },
          { id: 'lang:kk', label: 'KK' },
          { id: 'lang:en', label: 'EN' },
        ],
      },
    ];
    const { steps } = render(replies, new Map(), RU);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({
      method: 'sendMessage',
      keyboard: [[{ text: 'RU' }, { text: 'KK' }, { text: 'EN' }]],
    });
  });

  it('puts text-less paging/menu buttons under the product list keyboard', () => {
    const items = ['SOFA-001', 'SOFA-002'].map((s) =>
      item(s, {
        options: [
          { id: `p:${s}`, label: 'Подробнее' },
          { id: `a:${s}`, label: '🔔' },
        ],
      }),
    );
    const { steps } = render(
      [
        { type: 'text', text: 'Нашёл 2 — страница 1 из 1:' },
        { type: 'products', items },
        {
          type: 'choices',
          options: [
            { id: 'more', label: 'Ещё' },
            { id: 'menu', label: 'Меню' },
            { id: 'm', label: '👤 Менеджер' },
          ],
        },
      ],
      photosFor(items),
      RU,
    );
    expect(steps.map((s) => s.method)).toEqual(['sendMessage', 'sendMediaGroup', 'sendMessage']);
    expect(
      (steps[2] as { keyboard: Array<Array<{ callback_data: string }>> }).keyboard.map((r) =>
        r.map((b) => b.callback_data),
      ),
    ).toEqual([
      ['p:SOFA-001', 'a:SOFA-001'],
      ['p:SOFA-002', 'a:SOFA-002'],
      ['more', 'menu', 'm'],
    ]);
  });

  it('drops (and reports) a button whose callback_data would exceed 64 bytes', () => {
    const longId = `p:${'Ж'.repeat(40)}`;
    const { steps, dropped } = render(
      [
        {
          type: 'choices',
          text: 'Выберите',
          options: [
            { id: longId, label: 'x' },
            { id: 'more', label: 'Ещё' },
          ],
        },
      ],
      new Map(),
      RU,
    );
    expect(dropped).toEqual([{ id: longId, reason: 'callback_data over 64 bytes' }]);
    expect((steps[0] as { keyboard: unknown[][] }).keyboard.flat()).toHaveLength(1);
  });

  it("writes card words from the scenario's channel texts of the conversation's language, as a designer wrote them", () => {
    const sold = [item('SOFA-009', { available: false })];
    const replies: Reply[] = [{ type: 'products', view: 'detail', items: sold }];
    const caption = (texts: typeof RU) =>
      (render(replies, photosFor(sold), texts).steps[0] as { caption: string }).caption;
    expect(caption(shippedTexts('en'))).toContain('Out of stock');
    expect(caption(shippedTexts('en'))).toContain('SKU: SOFA-009');
    expect(caption(shippedTexts('kk'))).toContain('Қоймада жоқ');
    expect(caption({ ...RU, channelSku: 'Код товара' })).toContain('Код товара: SOFA-009');
  });

  it('sends an image reply as a photo', () => {
    const { steps } = render(
      [{ type: 'image', url: 'https://x/y.png', caption: 'Схема' }],
      new Map([['https://x/y.png', { kind: 'url', url: 'https://x/y.png' } as PhotoSource]]),
      RU,
    );
    expect(steps[0]).toMatchObject({ method: 'sendPhoto', caption: 'Схема' });
  });
});

describe('render: a phone question', () => {
  const question: Reply = {
    type: 'choices',
    text: 'Ваш номер телефона?',
    options: [
      { id: 'contact', label: '📱 Отправить номер', request: 'contact' },
      { id: 'cancel', label: '✖️ Отмена' },
      { id: 'm', label: '👤 Позвать менеджера' },
    ],
  };
  const menu: Reply = { type: 'choices', options: [{ id: 'menu:catalog', label: '🛋 Каталог' }] };

  it('asks with a reply keyboard: the request_contact button first, the other options as text buttons', () => {
    const { steps, dropped, replyKeyboard } = render([question], new Map(), RU);
    expect(replyKeyboard).toBe('shown');
    expect(dropped).toEqual([]);
    expect(steps).toEqual([
      {
        method: 'sendMessage',
        text: 'Ваш номер телефона?',
        replyKeyboard: [
          [{ text: '📱 Отправить номер', request_contact: true }],
          [{ text: '✖️ Отмена' }, { text: '👤 Позвать менеджера' }],
        ],
      },
    ]);
  });

  it('puts the keyboard on the words before a textless question, or on a message of its own', () => {
    const { steps } = render(
      [
        { type: 'text', text: 'Почти готово.' },
        { ...question, text: undefined },
      ],
      new Map(),
      RU,
    );
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ text: 'Почти готово.', replyKeyboard: expect.any(Array) });
    const alone = render([{ ...question, text: undefined }], new Map(), RU).steps;
    expect(alone).toEqual([{ method: 'sendMessage', text: RU.channelChoose, replyKeyboard: expect.any(Array) }]);
  });

  it('removes the keyboard with the first message of the next answer that can carry it', () => {
    // a text is free: it carries the removal, and the menu buttons get a message of their own
    const thanks = render([{ type: 'text', text: 'Спасибо!' }, menu], new Map(), RU, { removeReplyKeyboard: true });
    expect(thanks.replyKeyboard).toBe('removed');
    expect(thanks.steps).toEqual([
      { method: 'sendMessage', text: 'Спасибо!', removeKeyboard: true },
      {
        method: 'sendMessage',
        text: RU.channelChoose,
        keyboard: [[{ text: '🛋 Каталог', callback_data: 'menu:catalog' }]],
      },
    ]);
    // a question with buttons: its words carry the removal, its buttons follow
    const next = render([{ ...menu, text: 'Как оплатите?' }], new Map(), RU, { removeReplyKeyboard: true });
    expect(next.steps).toEqual([
      { method: 'sendMessage', text: 'Как оплатите?', removeKeyboard: true },
      {
        method: 'sendMessage',
        text: RU.channelChoose,
        keyboard: [[{ text: '🛋 Каталог', callback_data: 'menu:catalog' }]],
      },
    ]);
    // without an earlier keyboard nothing changes
    expect(render([{ type: 'text', text: 'Спасибо!' }, menu], new Map(), RU).steps).toEqual([
      { method: 'sendMessage', text: 'Спасибо!', keyboard: [[{ text: '🛋 Каталог', callback_data: 'menu:catalog' }]] },
    ]);
  });

  it('leaves the removal for later when no message can carry it, and a new question replaces the keyboard', () => {
    const card = item('SOFA-001');
    const onlyCard = render([{ type: 'products', view: 'detail', items: [card] }], photosFor([card]), RU, {
      removeReplyKeyboard: true,
    });
    expect(onlyCard.replyKeyboard).toBeUndefined();
    expect(onlyCard.steps.some((s) => s.method !== 'sendMediaGroup' && s.removeKeyboard)).toBe(false);
    const again = render([{ ...question, text: 'Это не номер. Ещё раз?' }], new Map(), RU, {
      removeReplyKeyboard: true,
    });
    expect(again.replyKeyboard).toBe('shown');
    expect(again.steps).toHaveLength(1);
    expect(again.steps[0]).not.toHaveProperty('removeKeyboard');
  });

  it('never puts a contact request into an inline keyboard (Telegram cannot)', () => {
    const card = item('SOFA-001', { options: [{ id: 'contact', label: '📱', request: 'contact' }] });
    const { steps, dropped } = render([{ type: 'products', view: 'detail', items: [card] }], new Map(), RU);
    expect(steps[0]).not.toHaveProperty('keyboard');
    expect(dropped).toEqual([{ id: 'contact', reason: expect.stringContaining('reply keyboard') }]);
  });
});
