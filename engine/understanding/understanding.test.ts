import { describe, expect, it } from 'vitest';
import type { SearchCriteria } from '../catalog.ts';
import type { Understanding } from '../intent.ts';
import { demoVocabulary } from '../testing/demoTaxonomy.ts';
import { understandText as understandWith, type UnderstandContext } from './index.ts';

/** the rules brain over the demo taxonomy's words */
const understandText = (text: string, context: UnderstandContext): Understanding =>
  understandWith(text, context, demoVocabulary());

const ru = (text: string, criteria?: SearchCriteria): Understanding =>
  understandText(text, criteria ? { lang: 'ru', criteria } : { lang: 'ru' });
function args(u: Understanding): Record<string, unknown> {
  return 'args' in u.intent ? (u.intent.args as Record<string, unknown>) : {};
}
function price(text: string): { min?: number; max?: number } {
  const a = args(ru(text));
  const out: { min?: number; max?: number } = {};
  if (a.price_min !== undefined) out.min = a.price_min as number;
  if (a.price_max !== undefined) out.max = a.price_max as number;
  return out;
}

describe('prices', () => {
  it.each([
    ['до 150000', { max: 150000 }],
    ['до 150 000', { max: 150000 }],
    ['до 150 тыс', { max: 150000 }],
    ['до 150 тысяч', { max: 150000 }],
    ['150к', { max: 150000 }],
    ['150 к', { max: 150000 }],
    ['150 000 ₸', { max: 150000 }],
    ['150000 тг', { max: 150000 }],
    ['200 000 тенге', { max: 200000 }],
    ['от 50 до 100 тысяч', { min: 50000, max: 100000 }],
    ['50-100 тыс', { min: 50000, max: 100000 }],
    ['дешевле 200к', { max: 200000 }],
    ['не дороже 120 тыс', { max: 120000 }],
    ['в пределах 80 тысяч', { max: 80000 }],
    ['около 100 тысяч', { min: 80000, max: 120000 }],
    ['1,2 млн', { max: 1200000 }],
    ['1.5 миллиона', { max: 1500000 }],
    ['за 90к', { max: 90000 }],
    ['бюджет 200 тысяч', { max: 200000 }],
    ['от 100к', { min: 100000 }],
    ['дороже 300 тыс', { min: 300000 }],
    ['under 150k', { max: 150000 }],
    ['below 150,000', { max: 150000 }],
    ['up to 100k', { max: 100000 }],
    ['between 50 and 100k', { min: 50000, max: 100000 }],
    ['from 50k to 80k', { min: 50000, max: 80000 }],
    ['over 200k', { min: 200000 }],
    ['around 100k', { min: 80000, max: 120000 }],
    ['max 120000', { max: 120000 }],
    ['150 мың теңгеге дейін', { max: 150000 }],
    ['50 мыңнан 100 мыңға дейін', { min: 50000, max: 100000 }],
    ['100 мыңнан арзан', { max: 100000 }],
  ])('%s', (text, expected) => {
    expect(price(text)).toEqual(expected);
  });

  it('a lone «к» is a preposition, not a thousand', () => {
    expect(price('нужен стол к 5 числу')).toEqual({});
    expect(price('диван к стене')).toEqual({});
    expect(args(ru('диван к стене')).query).toBe('стене');
  });

  it('small numbers without a price cue are not prices', () => {
    expect(price('диван на 3 человека')).toEqual({});
    expect(price('2 спальная кровать')).toEqual({});
    expect(price('кровать 160х200')).toEqual({});
    expect(price('позвоните 87011234567')).toEqual({});
  });
});

describe('categories', () => {
  it.each([
    ['диван', 'sofa'],
    ['дивана', 'sofa'],
    ['диваны', 'sofa'],
    ['диванов', 'sofa'],
    ['диванчик', 'sofa'],
    ['дтван', 'sofa'],
    ['дивн', 'sofa'],
    ['кровать', 'bed'],
    ['кровати', 'bed'],
    ['кроватей', 'bed'],
    ['крвать', 'bed'],
    ['кресло', 'armchair'],
    ['кресла', 'armchair'],
    ['крсло', 'armchair'],
    ['креслице', 'armchair'],
    ['стул', 'chair'],
    ['стулья', 'chair'],
    ['стульчик', 'chair'],
    ['стол', 'table'],
    ['столик', 'table'],
    ['столы', 'table'],
    ['шкаф', 'wardrobe'],
    ['шкафы', 'wardrobe'],
    ['шкафчик', 'wardrobe'],
    ['шкаф-купе', 'wardrobe'],
    ['комод', 'dresser'],
    ['полка', 'shelf'],
    ['стеллаж', 'shelf'],
    ['тумба', 'nightstand'],
    ['тумбочка', 'nightstand'],
    ['кухня', 'kitchen'],
    ['кухонный гарнитур', 'kitchen'],
    ['матрас', 'mattress'],
    ['матрац', 'mattress'],
    ['пуф', 'pouf'],
    ['тумба под ТВ', 'tv_stand'],
    ['прихожая', 'hallway'],
    ['детская', 'kids'],
    ['кереует', 'bed'],
    ['төсек', 'bed'],
    ['орындық', 'chair'],
    ['үстел', 'table'],
    ['сөре', 'shelf'],
    ['ас үй жиһазы', 'kitchen'],
    ['sofa', 'sofa'],
    ['couch', 'sofa'],
    ['bed', 'bed'],
    ['armchair', 'armchair'],
    ['chair', 'chair'],
    ['table', 'table'],
    ['desk', 'desk'],
    ['wardrobe', 'wardrobe'],
    ['dresser', 'dresser'],
    ['chest of drawers', 'dresser'],
    ['bookcase', 'shelf'],
    ['nightstand', 'nightstand'],
    ['kitchen', 'kitchen'],
    ['mattress', 'mattress'],
    ['ottoman', 'pouf'],
    ['tv stand', 'tv_stand'],
  ])('%s → %s', (text, slug) => {
    expect(args(ru(text)).category).toBe(slug);
  });

  it('does not turn real words into furniture', () => {
    for (const text of ['иван', 'целый день', 'дивный вечер', 'стали ждать']) {
      expect(ru(text).intent.name).toBe('unknown');
    }
  });
});

describe('colours and materials', () => {
  it.each([
    ['красный', 'red'],
    ['красная', 'red'],
    ['красное', 'red'],
    ['красные', 'red'],
    ['красного', 'red'],
    ['красном', 'red'],
    ['красненький', 'red'],
    ['синий', 'blue'],
    ['синего', 'blue'],
    ['синяя', 'blue'],
    ['синие', 'blue'],
    ['голубой', 'lightblue'],
    ['зелёный', 'green'],
    ['зеленый', 'green'],
    ['жёлтый', 'yellow'],
    ['оранжевый', 'orange'],
    ['розовый', 'pink'],
    ['фиолетовый', 'purple'],
    ['коричневый', 'brown'],
    ['бежевый', 'beige'],
    ['белый', 'white'],
    ['чёрный', 'black'],
    ['черный', 'black'],
    ['серый', 'grey'],
    ['тёмно-синий', 'navy'],
    ['бирюзовый', 'turquoise'],
    ['бордовый', 'burgundy'],
    ['кремовый', 'cream'],
    ['орех', 'walnut'],
    ['цвета дуб', 'oak'],
    ['қызыл', 'red'],
    ['көк', 'blue'],
    ['жасыл', 'green'],
    ['сары', 'yellow'],
    ['ақ', 'white'],
    ['қара', 'black'],
    ['сұр', 'grey'],
    ['қоңыр', 'brown'],
    ['navy', 'navy'],
    ['gray', 'grey'],
    ['grey', 'grey'],
  ])('%s → %s', (text, slug) => {
    expect(args(ru(`диван ${text}`)).color).toBe(slug);
  });

  it.each([
    ['кожа', 'leather'],
    ['кожаный', 'leather'],
    ['из кожи', 'leather'],
    ['экокожа', 'eco_leather'],
    ['ткань', 'fabric'],
    ['тканевый', 'fabric'],
    ['велюр', 'velour'],
    ['бархат', 'velvet'],
    ['дерево', 'wood'],
    ['деревянный', 'wood'],
    ['массив', 'wood'],
    ['дуб', 'oak'],
    ['дубовый', 'oak'],
    ['сосна', 'pine'],
    ['ЛДСП', 'chipboard'],
    ['МДФ', 'mdf'],
    ['металл', 'metal'],
    ['металлический', 'metal'],
    ['стекло', 'glass'],
    ['стеклянный', 'glass'],
    ['ротанг', 'rattan'],
    ['пластик', 'plastic'],
    ['мрамор', 'marble'],
    ['лён', 'linen'],
    ['льняной', 'linen'],
    ['букле', 'boucle'],
    ['былғары', 'leather'],
    ['ағаш', 'wood'],
    ['мата', 'fabric'],
    ['leather', 'leather'],
    ['wooden', 'wood'],
    ['glass', 'glass'],
  ])('%s → %s', (text, slug) => {
    expect(args(ru(`стол ${text}`)).material).toBe(slug);
  });

  it('oak: «цвета дуб» is a colour, «дубовый» a material', () => {
    expect(args(ru('шкаф цвета дуб'))).toMatchObject({ color: 'oak' });
    expect(args(ru('шкаф цвета дуб')).material).toBeUndefined();
    expect(args(ru('дубовый шкаф'))).toMatchObject({ material: 'oak' });
  });
});

describe('follow-ups', () => {
  const shown: SearchCriteria = { category: 'sofa', color: 'grey' };
  it('attribute-only messages refine the search on screen', () => {
    expect(ru('а синий есть?', shown).intent).toEqual({
      name: 'search_products',
      args: { color: 'blue' },
      mode: 'refine',
    });
    expect(ru('подешевле', shown).intent).toEqual({
      name: 'search_products',
      args: {},
      mode: 'refine',
      adjust: 'cheaper',
    });
    expect(ru('до 100к', shown).intent).toMatchObject({ mode: 'refine', args: { price_max: 100000 } });
  });
  it('a new category starts a new search', () => {
    expect(ru('а кровати?', shown).intent).toMatchObject({ mode: 'new', args: { category: 'bed' } });
  });
  it('without a search on screen the same words are a new search', () => {
    expect(ru('а синий есть?').intent).toMatchObject({ mode: 'new' });
  });
  it('paging', () => {
    for (const t of ['ещё', 'еще', 'дальше', 'покажи ещё', 'more', 'next', 'тағы'])
      expect(ru(t, shown).intent.name).toBe('more');
  });
});

describe('escalation, alerts and the rest', () => {
  it.each([
    'позовите менеджера',
    'хочу поговорить с человеком',
    'оператор',
    'живой человек',
    'human please',
    'talk to a manager',
    'менеджер шақырыңыз',
    'адаммен сөйлескім келеді',
  ])('%s → escalate', (text) => {
    expect(ru(text).intent.name).toBe('escalate_to_manager');
  });
  it('angry wording is flagged', () => {
    expect(ru('ужасный сервис').sentiment).toBe('angry');
    expect(ru('бесит').sentiment).toBe('angry');
    expect(ru('хочу диван').sentiment).toBeUndefined();
  });
  it('"are you human?" is small talk, not a hand-off', () => {
    expect(ru('are you human?').intent.name).toBe('smalltalk');
  });
  it('alerts', () => {
    expect(ru('уведоми меня когда диван подешевеет').intent).toEqual({ name: 'create_price_alert', args: {} });
    expect(ru('сообщите если будет дешевле 200 тысяч').intent).toEqual({
      name: 'create_price_alert',
      args: { target_price: 200000 },
    });
    expect(ru('бағасы түскенде хабарла').intent.name).toBe('create_price_alert');
    expect(ru('отпишись от уведомлений').intent.name).toBe('cancel_price_alert');
    expect(ru('stop alerts').intent.name).toBe('cancel_price_alert');
  });
  it('SKUs', () => {
    expect(ru('артикул sofa 001').intent).toEqual({ name: 'get_product', args: { sku: 'SOFA-001' } });
    expect(ru('арт. BED-012').intent).toEqual({ name: 'get_product', args: { sku: 'BED-012' } });
    expect(ru('SOFA 001').intent).toEqual({ name: 'get_product', args: { sku: 'SOFA-001' } });
    expect(ru('50-100k').intent.name).toBe('search_products');
    expect(ru('сколько стоит ст-1/a').intent).toEqual({ name: 'get_product', args: { sku: 'СТ-1/A' } });
    expect(ru('арт. УД-0042').intent).toEqual({ name: 'get_product', args: { sku: 'УД-0042' } });
    expect(ru('есть КГ 17/3?').intent).toEqual({ name: 'get_product', args: { sku: 'КГ 17/3' } });
    expect(ru('код 7701-55').intent).toEqual({ name: 'get_product', args: { sku: '7701-55' } });
    expect(ru('50-100').intent.name).toBe('search_products');
    expect(ru('какой-то диван').intent.name).toBe('search_products');
    // a short capital abbreviation or a slash makes a code; a preposition does not
    expect(ru('УД 0042').intent).toEqual({ name: 'get_product', args: { sku: 'УД 0042' } });
    expect(ru('кр 22/1').intent).toEqual({ name: 'get_product', args: { sku: 'КР 22/1' } });
    expect(ru('ДО 150000').intent).toMatchObject({ name: 'search_products', args: { price_max: 150_000 } });
    expect(ru('стол на 6/8 персон').intent.name).toBe('search_products');
    expect(ru('ДИВАН ДО 150000').intent).toMatchObject({
      name: 'search_products',
      args: { category: 'sofa', price_max: 150_000 },
    });
  });
  it('a lone bare number may be an article code: the catalog decides, the price reading stays', () => {
    expect(ru('есть 000123456?')).toMatchObject({
      intent: { name: 'search_products', args: { price_max: 123_456 } },
      skuOrPrice: '000123456',
    });
    expect(ru('диван 150000').skuOrPrice).toBeUndefined();
    // a dashed pair of plain numbers is code-shaped: looked up first, beside other criteria too
    expect(ru('7701-55')).toMatchObject({
      intent: { name: 'search_products', args: { price_min: 7701, price_max: 55_000 } },
      skuOrPrice: '7701-55',
    });
    expect(ru('прихожая 7701-55').skuOrPrice).toBe('7701-55');
    expect(ru('комод 50000-80000')).toMatchObject({
      intent: { args: { category: 'dresser', price_min: 50_000, price_max: 80_000 } },
      skuOrPrice: '50000-80000',
    });
    expect(ru('50 - 100').skuOrPrice).toBeUndefined();
    expect(ru('от 50-100').skuOrPrice).toBeUndefined();
    expect(ru('50-100 тыс').skuOrPrice).toBeUndefined();
    expect(ru('до 150000').skuOrPrice).toBeUndefined();
    expect(ru('150000 тг').skuOrPrice).toBeUndefined();
  });
  it('languages', () => {
    expect(ru('говори по-казахски').intent).toEqual({ name: 'set_language', args: { lang: 'kk' } });
    expect(ru('english please').intent).toEqual({ name: 'set_language', args: { lang: 'en' } });
    expect(ru('қазақша').intent).toEqual({ name: 'set_language', args: { lang: 'kk' } });
    expect(ru('диван керек').lang).toBe('kk');
    expect(ru('сәлем').lang).toBe('kk');
    expect(ru('red sofa').lang).toBe('en');
    expect(ru('красный диван').lang).toBe('ru');
    expect(ru('диван').lang).toBeUndefined();
  });
});

describe('bad input', () => {
  it.each([
    ['empty', ''],
    ['spaces', '   '],
    ['emoji', '😀🛋️🔥'],
    ['zero-width', '\u200b\u200c\u200d\ufeff'],
    ['10k chars', 'я'.repeat(10_000)],
    ['mixed scripts', 'дивaн sofa ДИВАН 123 ٣'],
    ['punctuation', '?!.,;:()[]{}'],
    ['control chars', '\u0000\u0001\u0007'],
    ['lone surrogate', '\ud800abc'],
    ['huge number', '9'.repeat(400)],
  ])('%s never throws', (_name, text) => {
    const u = understandText(text, { lang: 'ru' });
    expect(u.source).toBe('rules');
  });
  it('non-string input is unknown', () => {
    expect(understandText(undefined as unknown as string, { lang: 'ru' }).intent.name).toBe('unknown');
  });
  it('stretched letters, caps and zero-width characters are read through', () => {
    expect(args(ru('ДИИИВАН КРАСНЫЙ!!!'))).toMatchObject({ category: 'sofa', color: 'red' });
    expect(args(ru('ди\u200bван'))).toMatchObject({ category: 'sofa' });
  });
});

describe('fuzz', () => {
  // deterministic pseudo-random strings: every answer must validate against the contract
  let seed = 12345;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const alphabet = [
    'д',
    'и',
    'в',
    'а',
    'н',
    ' ',
    '1',
    '0',
    '5',
    'к',
    'тыс',
    'до',
    'от',
    '-',
    '₸',
    'ә',
    'қ',
    'SOFA-',
    'x',
    'e',
    '\u200b',
    '😀',
    'мың',
    'нан',
    'ға',
    'дейін',
    '.',
    ',',
    'не',
    'емес',
  ];
  it('random messages never throw and always match the Understanding schema', async () => {
    const v = await import('valibot');
    const { UnderstandingSchema } = await import('../intent.ts');
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const len = Math.floor(next() * 25);
      for (let k = 0; k < len; k++) text += alphabet[Math.floor(next() * alphabet.length)];
      const u = understandText(text, { lang: 'ru', criteria: { category: 'sofa' } });
      const parsed = v.safeParse(UnderstandingSchema, u);
      if (!parsed.success) throw new Error(`${JSON.stringify(text)} → ${JSON.stringify(u)}`);
    }
  });
});
