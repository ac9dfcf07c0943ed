import { CATEGORIES, COLORS, MATERIALS, type Category, type Color, type Material } from '../../engine/catalog.ts';

/**
 * Words shoppers and spreadsheets use for each canonical slug, in Russian, Kazakh and English.
 * They feed two things: the `search_keywords` of a product (so «кожаный диван» finds a row whose
 * material is `leather` even if its name says «кожа»), and the import's word → slug mapping.
 */
export const CATEGORY_WORDS: Record<Category, string[]> = {
  sofa: ['диван', 'диваны', 'диванчик', 'софа', 'тахта', 'sofa', 'couch', 'settee'],
  armchair: ['кресло', 'кресла', 'креслокровать', 'armchair', 'recliner', 'орындық'],
  bed: ['кровать', 'кровати', 'койка', 'bed', 'кереует', 'төсек'],
  chair: ['стул', 'стулья', 'табурет', 'chair', 'stool', 'орындық'],
  table: ['стол', 'столы', 'столик', 'обеденный', 'журнальный', 'table', 'үстел'],
  desk: ['письменный', 'компьютерный', 'стол', 'desk', 'парта', 'үстел'],
  wardrobe: ['шкаф', 'шкафы', 'шкафкупе', 'гардероб', 'wardrobe', 'closet', 'шкаф'],
  dresser: ['комод', 'комоды', 'dresser', 'chest', 'drawers'],
  shelf: ['стеллаж', 'полка', 'полки', 'этажерка', 'shelf', 'bookcase', 'сөре'],
  nightstand: ['тумба', 'тумбочка', 'прикроватная', 'nightstand', 'nighttable'],
  kitchen: ['кухня', 'кухонный', 'гарнитур', 'kitchen', 'ас', 'асүй'],
  mattress: ['матрас', 'матрац', 'матрасы', 'mattress', 'матрас'],
  pouf: ['пуф', 'пуфик', 'банкетка', 'pouf', 'ottoman', 'пуф'],
  tv_stand: ['тумба', 'тв', 'телевизор', 'тумбапод', 'tv', 'stand', 'теледидар'],
  hallway: ['прихожая', 'прихожей', 'вешалка', 'обувница', 'hallway', 'дәліз'],
  kids: ['детская', 'детский', 'детская', 'двухъярусная', 'kids', 'children', 'балалар'],
};

export const COLOR_WORDS: Record<Color, string[]> = {
  red: ['красный', 'красная', 'красное', 'red', 'қызыл'],
  blue: ['синий', 'синяя', 'синее', 'blue', 'көк'],
  lightblue: ['голубой', 'голубая', 'голубое', 'light blue', 'көгілдір'],
  green: ['зеленый', 'зеленая', 'зеленое', 'green', 'жасыл'],
  yellow: ['желтый', 'желтая', 'горчичный', 'yellow', 'mustard', 'сары'],
  orange: ['оранжевый', 'оранжевая', 'терракотовый', 'orange', 'қызғылтсары'],
  pink: ['розовый', 'розовая', 'пудровый', 'pink', 'қызғылт'],
  purple: ['фиолетовый', 'фиолетовая', 'сиреневый', 'лавандовый', 'purple', 'violet', 'күлгін'],
  brown: ['коричневый', 'коричневая', 'шоколадный', 'brown', 'қоңыр'],
  beige: ['бежевый', 'бежевая', 'песочный', 'beige', 'sand', 'бежевый'],
  white: ['белый', 'белая', 'белое', 'white', 'ақ'],
  black: ['черный', 'черная', 'черное', 'black', 'қара'],
  grey: ['серый', 'серая', 'серое', 'графитовый', 'grey', 'gray', 'сұр'],
  navy: ['темно-синий', 'темносиний', 'индиго', 'navy', 'қоюкөк'],
  turquoise: ['бирюзовый', 'бирюзовая', 'мятный', 'turquoise', 'teal', 'көгілдір'],
  burgundy: ['бордовый', 'бордовая', 'винный', 'burgundy', 'wine', 'шие'],
  cream: ['кремовый', 'молочный', 'айвори', 'cream', 'ivory', 'milk'],
  walnut: ['орех', 'ореховый', 'walnut'],
  oak: ['дуб', 'дубовый', 'сонома', 'oak'],
};

export const MATERIAL_WORDS: Record<Material, string[]> = {
  leather: ['кожа', 'кожаный', 'кожаная', 'натуральная', 'leather', 'былғары', 'тері'],
  eco_leather: ['экокожа', 'экокожи', 'экокожаный', 'искусственная', 'кожзам', 'ecoleather', 'faux'],
  fabric: ['ткань', 'тканевый', 'рогожка', 'шенилл', 'fabric', 'маталар', 'мата'],
  velour: ['велюр', 'велюровый', 'velour'],
  velvet: ['бархат', 'бархатный', 'микровельвет', 'velvet', 'барқыт'],
  wood: ['дерево', 'деревянный', 'массив', 'wood', 'wooden', 'ағаш'],
  oak: ['дуб', 'дубовый', 'массив дуба', 'oak'],
  pine: ['сосна', 'сосновый', 'pine', 'қарағай'],
  chipboard: ['лдсп', 'дсп', 'chipboard'],
  mdf: ['мдф', 'mdf'],
  metal: ['металл', 'металлический', 'сталь', 'metal', 'steel', 'металл', 'темір'],
  glass: ['стекло', 'стеклянный', 'glass', 'шыны'],
  rattan: ['ротанг', 'плетеный', 'rattan', 'wicker'],
  plastic: ['пластик', 'пластиковый', 'plastic'],
  marble: ['мрамор', 'мраморный', 'marble', 'мәрмәр'],
  linen: ['лен', 'льняной', 'linen', 'зығыр'],
  boucle: ['букле', 'boucle', 'bouclé'],
};

/** lower-case, ё → е: the same folding the database applies to names and queries */
export function fold(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

/** Keywords stored with a product row (weight C in the search vector). */
export function productKeywords(category?: string | null, color?: string | null, material?: string | null): string {
  const words = new Set<string>();
  const add = (list: readonly string[] | undefined) => list?.forEach((w) => words.add(fold(w)));
  if (category && category in CATEGORY_WORDS) add(CATEGORY_WORDS[category as Category]);
  if (color && color in COLOR_WORDS) add(COLOR_WORDS[color as Color]);
  if (material && material in MATERIAL_WORDS) add(MATERIAL_WORDS[material as Material]);
  return [...words].join(' ');
}

function buildLookup<T extends string>(
  slugs: readonly T[],
  words: Record<T, string[]>,
  extra: Record<string, T> = {},
): Map<string, T> {
  const map = new Map<string, T>();
  for (const slug of slugs) {
    map.set(slug, slug);
    map.set(slug.replace(/_/g, ' '), slug);
    for (const word of words[slug]) if (!map.has(fold(word))) map.set(fold(word), slug);
  }
  for (const [word, slug] of Object.entries(extra)) map.set(fold(word), slug);
  return map;
}

// The first listed slug wins for words shared by two slugs («дуб» is both a colour and a material).
const CATEGORY_LOOKUP = buildLookup(CATEGORIES, CATEGORY_WORDS, {
  стол: 'table',
  тумба: 'nightstand',
  орындық: 'chair',
  'диван-кровать': 'sofa',
  'шкаф-купе': 'wardrobe',
  'тумба под тв': 'tv_stand',
  'тв-тумба': 'tv_stand',
  'письменный стол': 'desk',
  'компьютерный стол': 'desk',
  'детская мебель': 'kids',
  'мягкая мебель': 'sofa',
  'кухонный гарнитур': 'kitchen',
});
const COLOR_LOOKUP = buildLookup(COLORS, COLOR_WORDS);
const MATERIAL_LOOKUP = buildLookup(MATERIALS, MATERIAL_WORDS, {
  дуб: 'oak',
  'массив дуба': 'oak',
  'натуральная кожа': 'leather',
  'искусственная кожа': 'eco_leather',
});

function lookup<T extends string>(map: Map<string, T>, raw: string | undefined | null): T | undefined {
  if (!raw) return undefined;
  const key = fold(raw.trim());
  return map.get(key) ?? map.get(key.replace(/[-_]+/g, ' ')) ?? map.get(key.replace(/[\s_-]+/g, ''));
}

/** Maps a spreadsheet word («Диван», «sofa», «мягкая мебель») to a category slug; undefined if unknown. */
export const categorySlug = (raw: string | undefined | null): Category | undefined => lookup(CATEGORY_LOOKUP, raw);
export const colorSlug = (raw: string | undefined | null): Color | undefined => lookup(COLOR_LOOKUP, raw);
export const materialSlug = (raw: string | undefined | null): Material | undefined => lookup(MATERIAL_LOOKUP, raw);
