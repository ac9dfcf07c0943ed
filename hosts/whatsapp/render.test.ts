import { describe, expect, it } from 'vitest';
import type { Option, ProductItem, Reply } from '../../engine/replies.ts';
import { charLength, splitText, truncate, uniqueTitles, WA_LIMITS as L } from './limits.ts';
import type { OutboundMessage } from './messages.ts';
import { renderReplies } from './render.ts';
import { limitViolations } from './testing/checkLimits.ts';
import { unrender } from './testing/unrender.ts';
import { shippedTexts } from '../channel/testing/texts.ts';

const RU = shippedTexts('ru');

const item = (n: number, extra: Partial<ProductItem> = {}): ProductItem => ({
  id: `id-${n}`,
  sku: `SOFA-${String(n).padStart(3, '0')}`,
  name: `Диван угловой «Комфорт Премиум Люкс» модель ${n} с оттоманкой и механизмом еврокнижка`,
  price: 250_000 + n * 1000,
  currency: 'KZT',
  imageUrl: `https://cdn.example.kz/sofa-${n}.jpg`,
  available: n % 4 !== 0,
  ...extra,
});

const opts = (labels: string[]): Option[] => labels.map((label, n) => ({ id: `menu:${n}`, label }));

function expectWithinLimits(messages: OutboundMessage[]) {
  for (const m of messages)
    expect(limitViolations(m as unknown as Record<string, unknown>), JSON.stringify(m)).toEqual([]);
}

describe('limits helpers', () => {
  it('truncates by code points with an ellipsis and never splits an emoji', () => {
    expect(truncate('короткий', 20)).toBe('короткий');
    const cut = truncate('🛋️🛋️🛋️🛋️🛋️🛋️🛋️🛋️🛋️🛋️🛋️🛋️', 5);
    expect(charLength(cut)).toBeLessThanOrEqual(5);
    expect(cut.endsWith('…')).toBe(true);
  });
  it('keeps truncated titles unique', () => {
    const titles = uniqueTitles(
      ['Подписаться на цену дивана', 'Подписаться на цену кресла', 'подписаться на цену дивана'],
      20,
    );
    expect(new Set(titles.map((t) => t.toLowerCase())).size).toBe(3);
    for (const t of titles) expect(charLength(t)).toBeLessThanOrEqual(20);
  });
  it('splits long text at boundaries within 4096', () => {
    const text = Array.from({ length: 900 }, (_, n) => `строка номер ${n}`).join('\n');
    const parts = splitText(text, L.textBody);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(charLength(p)).toBeLessThanOrEqual(L.textBody);
    expect(parts.join('\n')).toBe(text);
  });
});

describe('renderReplies', () => {
  it('sends plain text, split at 4096', () => {
    const long = 'а'.repeat(9000);
    const messages = renderReplies([{ type: 'text', text: long }], { texts: RU });
    expect(messages.map((m) => m.type)).toEqual(['text', 'text', 'text']);
    expectWithinLimits(messages);
  });

  it('renders a page of products as one list (≤ 10 rows, ids p:SKU) with the text before it as body', () => {
    const replies: Reply[] = [
      { type: 'text', text: 'Нашёл 12 диванов. Вот первые:' },
      { type: 'products', items: Array.from({ length: 12 }, (_, n) => item(n + 1)) },
    ];
    const messages = renderReplies(replies, { texts: RU });
    expectWithinLimits(messages);
    expect(messages).toHaveLength(2);
    const first = messages[0]!;
    if (first.type !== 'interactive' || first.interactive.type !== 'list') throw new Error('expected list');
    expect(first.interactive.body.text).toBe('Нашёл 12 диванов. Вот первые:');
    const rows = first.interactive.action.sections[0]!.rows;
    expect(rows).toHaveLength(10);
    expect(rows[0]!.id).toBe('p:SOFA-001');
    expect(rows[0]!.description).toContain('251 000 ₸');
    expect(rows[3]!.description).toContain('нет в наличии');
    expect(first.biz_opaque_callback_data).toMatch(/^list:SOFA-001,/);
  });

  it('joins following choices into the list as a second section when they fit', () => {
    const replies: Reply[] = [
      { type: 'products', items: [item(1), item(2), item(3)] },
      {
        type: 'choices',
        options: [
          { id: 'more', label: 'Показать ещё' },
          { id: 'relax', label: 'Смягчить фильтры поиска по цене' },
          { id: 'menu:main', label: 'Меню' },
        ],
      },
    ];
    const messages = renderReplies(replies, { texts: RU });
    expectWithinLimits(messages);
    expect(messages).toHaveLength(1);
    const list = messages[0]!;
    if (list.type !== 'interactive' || list.interactive.type !== 'list') throw new Error('expected list');
    expect(list.interactive.action.sections.map((s) => s.title)).toEqual(['Товары', 'Ещё']);
    expect(list.interactive.action.sections[1]!.rows.map((r) => r.id)).toEqual(['more', 'relax', 'menu:main']);
    // the label cut to fit the row title is kept whole in the description
    expect(list.interactive.action.sections[1]!.rows[1]!.description).toBe('Смягчить фильтры поиска по цене');
  });

  it('shows a product in detail as an image-headed message with its buttons', () => {
    const detail = item(7, {
      description: 'Описание '.repeat(200),
      options: [
        { id: 'a:SOFA-007', label: 'Следить за ценой' },
        { id: 'm', label: 'Менеджер' },
        { id: 'more', label: 'Назад' },
      ],
    });
    const messages = renderReplies([{ type: 'products', view: 'detail', items: [detail] }], { texts: RU });
    expectWithinLimits(messages);
    expect(messages).toHaveLength(1);
    const m = messages[0]!;
    if (m.type !== 'interactive' || m.interactive.type !== 'button') throw new Error('expected buttons');
    expect(m.interactive.header).toEqual({ type: 'image', image: { link: detail.imageUrl } });
    expect(m.interactive.body.text.startsWith(`*${detail.name}*`)).toBe(true);
    expect(m.interactive.action.buttons.map((b) => b.reply.id)).toEqual(['a:SOFA-007', 'm', 'more']);
  });

  it('uses image + caption then a list when a product has more than 3 options', () => {
    const detail = item(8, { options: opts(['Следить за ценой', 'Менеджер', 'Похожие', 'Назад к списку']) });
    const messages = renderReplies([{ type: 'products', view: 'detail', items: [detail] }], { texts: RU });
    expectWithinLimits(messages);
    expect(messages.map((m) => m.type)).toEqual(['image', 'interactive']);
    const image = messages[0]!;
    if (image.type !== 'image') throw new Error('expected image');
    expect(charLength(image.image.caption ?? '')).toBeLessThanOrEqual(L.caption);
  });

  it('renders 1–3 short choices as buttons, longer labels or 4–10 as a list, more than 10 as several lists', () => {
    const three = renderReplies(
      [{ type: 'choices', text: 'Что ищем?', options: opts(['Диваны', 'Кровати', 'Столы']) }],
      { texts: RU },
    );
    expect(three).toHaveLength(1);
    expect(three[0]!.type === 'interactive' && three[0]!.interactive.type).toBe('button');

    const longLabels = renderReplies(
      [{ type: 'choices', text: 'Что ищем?', options: opts(['Диваны и кресла для гостиной', 'Кровати']) }],
      { texts: RU },
    );
    expect(longLabels[0]!.type === 'interactive' && longLabels[0]!.interactive.type).toBe('list');

    const seven = renderReplies(
      [
        {
          type: 'choices',
          text: 'Категории',
          options: opts(['Диваны', 'Кровати', 'Столы', 'Стулья', 'Шкафы', 'Комоды', 'Полки']),
        },
      ],
      { texts: RU },
    );
    expect(seven).toHaveLength(1);
    expect(seven[0]!.type === 'interactive' && seven[0]!.interactive.type).toBe('list');

    const many = renderReplies(
      [
        {
          type: 'choices',
          text: 'Все категории',
          options: opts(Array.from({ length: 23 }, (_, n) => `Категория ${n + 1}`)),
        },
      ],
      { texts: RU },
    );
    expect(many).toHaveLength(3);
    for (const m of [...three, ...longLabels, ...seven, ...many]) expectWithinLimits([m]);
  });

  it('keeps duplicate or over-long button titles unique and short', () => {
    const messages = renderReplies(
      [
        {
          type: 'choices',
          text: 'x',
          options: [
            { id: 'a', label: 'Да' },
            { id: 'b', label: 'да' },
          ],
        },
      ],
      { texts: RU },
    );
    expectWithinLimits(messages);
  });

  it('moves a choices text over 1024 into its own message', () => {
    const messages = renderReplies([{ type: 'choices', text: 'б'.repeat(2000), options: opts(['Да', 'Нет']) }], {
      texts: RU,
    });
    expect(messages.map((m) => m.type)).toEqual(['text', 'interactive']);
    expectWithinLimits(messages);
  });

  it('sends an image reply with a caption ≤ 1024', () => {
    const messages = renderReplies(
      [{ type: 'image', url: 'https://cdn.example.kz/a.jpg', caption: 'в'.repeat(3000) }],
      { texts: RU },
    );
    expectWithinLimits(messages);
    expect(messages[0]!.type).toBe('image');
  });

  it('adds the channel words of the scenario in the language of the conversation, as a designer wrote them', () => {
    const choices: Reply[] = [{ type: 'choices', options: opts(['Sofas', 'Beds', 'Tables', 'Chairs']) }];
    const buttonOf = (messages: OutboundMessage[]) => {
      const list = messages[0]!;
      if (list.type !== 'interactive' || list.interactive.type !== 'list') throw new Error('expected list');
      return [list.interactive.body.text, list.interactive.action.button];
    };
    expect(buttonOf(renderReplies(choices, { texts: shippedTexts('en') }))).toEqual(['Choose:', 'Choose']);
    expect(buttonOf(renderReplies(choices, { texts: shippedTexts('kk') }))).toEqual(['Таңдаңыз:', 'Таңдау']);
    const edited = { ...RU, channelChoose: 'Что выберете?', channelChooseButton: 'Варианты' };
    expect(buttonOf(renderReplies(choices, { texts: edited }))).toEqual(['Что выберете?', 'Варианты']);
  });

  it('turns sent messages back into the replies the shopper saw', () => {
    const replies: Reply[] = [
      { type: 'text', text: 'Нашёл 3 дивана:' },
      { type: 'products', items: [item(1), item(2), item(3)] },
      {
        type: 'choices',
        options: [
          { id: 'more', label: 'Ещё' },
          { id: 'menu:main', label: 'Меню' },
        ],
      },
      { type: 'products', view: 'detail', items: [item(5, { options: opts(['Следить за ценой', 'Менеджер']) })] },
      {
        type: 'choices',
        text: 'Категории',
        options: opts(Array.from({ length: 13 }, (_, n) => `Категория номер ${n + 1} для дома`)),
      },
      { type: 'image', url: 'https://x/y.jpg', caption: 'фото' },
    ];
    const back = unrender(renderReplies(replies, { texts: RU }));
    expect(back.map((r) => r.type)).toEqual(['text', 'products', 'choices', 'products', 'choices', 'image']);
    expect(back[1]!.type === 'products' && back[1]!.items.map((i) => i.sku)).toEqual([
      'SOFA-001',
      'SOFA-002',
      'SOFA-003',
    ]);
    expect(back[3]!.type === 'products' && back[3]!.view).toBe('detail');
    expect(back[3]!.type === 'products' && back[3]!.items[0]!.options?.map((o) => o.label)).toEqual([
      'Следить за ценой',
      'Менеджер',
    ]);
    expect(back[4]!.type === 'choices' && back[4]!.options.map((o) => o.label)).toEqual(
      Array.from({ length: 13 }, (_, n) => `Категория номер ${n + 1} для дома`),
    );
    expect(back[4]!.type === 'choices' && back[4]!.text).toBe('Категории');
  });

  it('leaves out images WhatsApp cannot fetch, or maps them to a public PNG link', () => {
    const local = item(9, { imageUrl: '/media/placeholder/SOFA-009.svg', options: opts(['Следить']) });
    const plain = renderReplies(
      [
        { type: 'products', view: 'detail', items: [local] },
        { type: 'image', url: '/media/x.svg', caption: 'подпись' },
      ],
      { texts: RU },
    );
    const card = plain[0]!;
    if (card.type !== 'interactive' || card.interactive.type !== 'button') throw new Error('expected buttons');
    expect(card.interactive.header).toBeUndefined();
    expect(plain[1]).toEqual({ type: 'text', text: { body: 'подпись', preview_url: false } });

    const mapped = renderReplies([{ type: 'products', view: 'detail', items: [local] }], {
      texts: RU,
      mediaUrl: (u) => `https://shop.example.kz${u.replace(/\.svg$/, '.png')}`,
    });
    const m = mapped[0]!;
    if (m.type !== 'interactive' || m.interactive.type !== 'button') throw new Error('expected buttons');
    expect(m.interactive.header).toEqual({
      type: 'image',
      image: { link: 'https://shop.example.kz/media/placeholder/SOFA-009.png' },
    });
  });

  it('stays within every limit for 500 random reply sequences (seeded)', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const words = [
      'диван',
      'Кровать',
      '😀',
      'очень-очень длинное слово без пробелов',
      'Сәлем',
      'sofa',
      '🛋️🛋️',
      ' ',
      '—',
      'a'.repeat(30),
    ];
    const text = (max: number) =>
      Array.from({ length: 1 + Math.floor(rnd() * max) }, () => pick(words)).join(pick([' ', '\n', '']));
    // ids may repeat, and may equal a product row id
    const option = (n: number): Option => ({
      id: pick([`${pick(['p:', 'a:', 'menu:', ''])}ID-${n}`, 'p:SOFA-001', 'more']),
      label: text(6).trim() || 'x',
    });
    for (let round = 0; round < 500; round++) {
      const replies: Reply[] = Array.from({ length: 1 + Math.floor(rnd() * 4) }, (): Reply => {
        switch (pick(['text', 'products', 'detail', 'choices', 'image'] as const)) {
          case 'text':
            return { type: 'text', text: text(rnd() < 0.1 ? 2000 : 20) };
          case 'products':
            return {
              type: 'products',
              items: Array.from({ length: Math.floor(rnd() * 14) }, (_, n) =>
                item(n + 1, { name: text(12), options: [option(n)] }),
              ),
            };
          case 'detail':
            return {
              type: 'products',
              view: 'detail',
              items: [
                item(1, {
                  name: text(10),
                  description: text(300),
                  options: Array.from({ length: Math.floor(rnd() * 6) }, (_, n) => option(n)),
                }),
              ],
            };
          case 'choices':
            return {
              type: 'choices',
              ...(rnd() < 0.7 ? { text: text(rnd() < 0.1 ? 400 : 10) } : {}),
              options: Array.from({ length: Math.floor(rnd() * 25) }, (_, n) => option(n)),
            };
          case 'image':
            return {
              type: 'image',
              url: 'https://cdn.example.kz/p.jpg',
              ...(rnd() < 0.5 ? { caption: text(400) } : {}),
            };
        }
      });
      const messages = renderReplies(replies, { texts: RU });
      expectWithinLimits(messages);
      expect(() => unrender(messages)).not.toThrow();
    }
  });
});

describe('renderReplies: a phone question', () => {
  const contact: Option = { id: 'contact', label: '📱 Отправить номер', request: 'contact' };
  const question = (extra: Option[]): Reply[] => [
    { type: 'choices', text: 'Ваш номер телефона?', options: [contact, ...extra] },
  ];
  const cancel = { id: 'cancel', label: '✖️ Отмена' };
  const manager = { id: 'm', label: '👤 Менеджер' };

  it("offers the sender's own number as a reply button (id contact), next to the other options", () => {
    const messages = renderReplies(question([cancel, manager]), { texts: RU, recipient: '77011234567' });
    expect(messages).toEqual([
      {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Ваш номер телефона?' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'contact', title: '📱 +7 701 123 45 67' } },
              { type: 'reply', reply: { id: 'cancel', title: '✖️ Отмена' } },
              { type: 'reply', reply: { id: 'm', title: '👤 Менеджер' } },
            ],
          },
        },
      },
    ]);
    expectWithinLimits(messages);
    expect(unrender(messages)).toEqual([
      {
        type: 'choices',
        text: 'Ваш номер телефона?',
        options: [{ id: 'contact', label: '📱 +7 701 123 45 67', request: 'contact' }, cancel, manager],
      },
    ]);
  });

  it('keeps the number a row of the list when there are more than 3 options', () => {
    const four = question([cancel, manager, { id: 'back', label: '↩️ Назад' }]);
    const messages = renderReplies(four, { texts: RU, recipient: '77011234567' });
    expect(messages).toHaveLength(1);
    const list = messages[0]!;
    if (list.type !== 'interactive' || list.interactive.type !== 'list') throw new Error('expected a list');
    expect(list.interactive.action.sections[0]!.rows[0]).toEqual({ id: 'contact', title: '📱 +7 701 123 45 67' });
    expectWithinLimits(messages);
  });

  it('fits any E.164 number into the 20-character title; without a known sender the label stays', () => {
    const titleOf = (recipient: string) => {
      const [m] = renderReplies(question([cancel]), { texts: RU, recipient });
      if (m?.type !== 'interactive' || m.interactive.type !== 'button') throw new Error('expected buttons');
      return m.interactive.action.buttons[0]!.reply;
    };
    expect(titleOf('998901234567')).toEqual({ id: 'contact', title: '📱 +998901234567' });
    const longest = titleOf('123456789012345');
    expect(longest.title).toBe('📱 +123456789012345');
    expect(charLength(longest.title)).toBeLessThanOrEqual(L.buttonTitle);
    // no sender to show (never in a conversation): the engine's words, a list row as they are long
    const [unknown] = unrender(renderReplies(question([cancel]), { texts: RU }));
    expect(unknown).toMatchObject({
      options: [{ id: 'contact', label: '📱 Отправить номер', request: 'contact' }, cancel],
    });
  });
});
