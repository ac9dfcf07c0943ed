import type { Category, Color, Material } from '../catalog.ts';

/**
 * Word lists that map shopper words to the catalog's canonical slugs. Each entry is a stem plus
 * the endings it may take, so one line covers every inflection («диван», «диванов», «диванчик»,
 * «диванды»). Kazakh stems carry distinctive letters (әғқңөұүһі) and so may take any short suffix.
 */

export type SlotKind = 'category' | 'color' | 'material';
export interface SlotHit {
  readonly kind: SlotKind;
  readonly slug: Category | Color | Material;
  /** low-priority words (an adjective such as «кухонный») give way to a real category noun */
  readonly weak?: boolean;
}

const RU_NOUN = [
  '',
  'а',
  'я',
  'у',
  'ю',
  'ом',
  'ем',
  'е',
  'ы',
  'и',
  'ов',
  'ев',
  'ей',
  'ам',
  'ям',
  'ами',
  'ями',
  'ах',
  'ях',
  'ой',
];
const RU_DIM = [
  'чик',
  'чика',
  'чику',
  'чиком',
  'чике',
  'чики',
  'чиков',
  'чикам',
  'ик',
  'ика',
  'ику',
  'иком',
  'ике',
  'ики',
  'иков',
];
const RU_ADJ = [
  'ый',
  'ий',
  'ой',
  'ая',
  'яя',
  'ое',
  'ее',
  'ые',
  'ие',
  'ого',
  'его',
  'ому',
  'ему',
  'ым',
  'им',
  'ом',
  'ем',
  'ую',
  'юю',
  'ых',
  'их',
  'ыми',
  'ими',
  'ей',
  'енький',
  'енькая',
  'енькое',
  'енькие',
  'енького',
  'еньком',
  'енькую',
  'еньких',
  'енькой',
  'оватый',
  'оватая',
  'оватое',
  'оватые',
  'оватого',
  'оватом',
  'оватую',
  'оватых',
];
/** Kazakh case/plural/possessive suffixes, for shared stems without Kazakh letters («диванды»). */
const KK = [
  'ы',
  'і',
  'сы',
  'сі',
  'ды',
  'ді',
  'ты',
  'ті',
  'ны',
  'ні',
  'ға',
  'ге',
  'қа',
  'ке',
  'ның',
  'нің',
  'дың',
  'дің',
  'тың',
  'тің',
  'лар',
  'лер',
  'дар',
  'дер',
  'тар',
  'тер',
  'да',
  'де',
  'та',
  'те',
  'дан',
  'ден',
  'тан',
  'тен',
  'нан',
  'нен',
  'ым',
  'ім',
  'ың',
  'ің',
  'мен',
  'пен',
  'бен',
  'ын',
  'ін',
  'н',
  'лары',
  'лері',
  'дары',
  'дері',
  'тары',
  'тері',
  'ларды',
  'лерді',
  'дарды',
  'дерді',
  'тарды',
  'терді',
  'ларға',
  'лерге',
  'дарға',
  'дерге',
  'тарға',
  'терге',
  'ларын',
  'лерін',
  'дарын',
  'дерін',
  'тарын',
  'терін',
  'лы',
  'лі',
  'ды',
  'ты',
  'ша',
  'ше',
];
const EN = ['', 's', 'es'];

interface Entry {
  readonly kind: SlotKind;
  readonly slug: SlotHit['slug'];
  /** stems that take `ends` */
  readonly stems: readonly string[];
  readonly ends: readonly string[];
  readonly weak?: boolean;
}

const N = [...RU_NOUN, ...RU_DIM, ...KK];
const A = RU_ADJ;

function cat(slug: Category, stems: string[], ends: readonly string[] = N, weak = false): Entry {
  return { kind: 'category', slug, stems, ends, weak };
}
function col(slug: Color, stems: string[], ends: readonly string[] = A): Entry {
  return { kind: 'color', slug, stems, ends };
}
function mat(slug: Material, stems: string[], ends: readonly string[] = N): Entry {
  return { kind: 'material', slug, stems, ends };
}

const ENTRIES: Entry[] = [
  // ── categories ──
  cat('sofa', ['диван', 'софа', 'софу', 'софы', 'тахта', 'тахту', 'тахты', 'кушетк']),
  cat('sofa', ['sofa', 'couch', 'settee', 'sofas', 'couches'], ['']),
  cat('armchair', ['кресл'], ['о', 'а', 'у', 'ом', 'е', 'ам', 'ами', 'ах', 'ице', 'ица', 'ица', 'еца', 'ицо', 'ицу']),
  cat('armchair', ['кресел', 'креслице', 'креслица', 'кресло'], ['', ...KK]),
  cat('armchair', ['armchair', 'recliner'], EN),
  cat(
    'bed',
    ['кроват'],
    ['ь', 'и', 'ью', 'ей', 'ям', 'ями', 'ях', 'ка', 'ки', 'ку', 'кой', 'ке', 'ок', 'очка', 'очку', 'очки'],
  ),
  cat('bed', ['кровать', 'кереует', 'керует', 'кереуеті', 'керует', 'төсек'], ['', ...KK]),
  cat('bed', ['bed'], EN),
  cat(
    'chair',
    ['стул'],
    [
      '',
      'а',
      'у',
      'ом',
      'е',
      'ья',
      'ьев',
      'ьям',
      'ьями',
      'ьях',
      'ьчик',
      'ьчика',
      'ьчики',
      'ьчиков',
      'ьчику',
      'ьчиком',
      'ия',
    ],
  ),
  cat('chair', ['табурет', 'табуретк'], RU_NOUN),
  cat('chair', ['орындық', 'орындығ', 'орындык'], ['', ...KK]),
  cat('chair', ['chair', 'stool'], EN),
  cat('table', ['стол'], [...RU_NOUN, 'ик', 'ика', 'ики', 'иков', 'ику', 'иком', 'ике', 'ишко']),
  cat('table', ['үстел', 'устел', 'үстелі'], ['', ...KK]),
  cat('table', ['table'], EN),
  cat('desk', ['desk'], EN),
  cat('desk', ['парт'], ['а', 'ы', 'у', 'ой', 'е']),
  cat('wardrobe', ['шкаф'], [...RU_NOUN, 'чик', 'чика', 'чики', 'чиков', 'чиком', 'чику', ...KK]),
  cat('wardrobe', ['гардероб'], [...RU_NOUN, ...KK]),
  cat('wardrobe', ['купе'], ['']),
  cat('wardrobe', ['wardrobe', 'closet', 'armoire'], EN),
  cat('dresser', ['комод'], [...RU_NOUN, 'ик', 'ика', 'ики', 'иков', ...KK]),
  cat('dresser', ['dresser'], EN),
  cat('shelf', ['полк'], ['а', 'и', 'у', 'ой', 'е', 'ами', 'ах', 'ам']),
  cat('shelf', ['полочк'], ['а', 'и', 'у', 'ой', 'е', 'ами', 'ах']),
  cat('shelf', ['полок', 'полочек'], ['']),
  cat('shelf', ['стеллаж', 'этажерк'], [...RU_NOUN, 'ик', 'ики', ...KK]),
  cat('shelf', ['сөре'], ['', ...KK]),
  cat(
    'shelf',
    ['shelf', 'shelves', 'bookcase', 'bookcases', 'bookshelf', 'bookshelves', 'shelving', 'rack', 'racks'],
    [''],
  ),
  cat(
    'nightstand',
    ['тумб'],
    ['а', 'у', 'ы', 'е', 'ой', 'очка', 'очку', 'очки', 'очек', 'очкой', 'очке', 'очками', 'асы', 'аны', 'алар'],
  ),
  cat('nightstand', ['nightstand', 'nightstands', 'nightable', 'nightables'], ['']),
  cat('kitchen', ['кухн'], ['я', 'и', 'ю', 'е', 'ей', 'ями', 'ях']),
  cat('kitchen', ['кухонн'], A, true),
  cat('kitchen', ['kitchen', 'kitchens'], ['']),
  cat('mattress', ['матрас', 'матрац'], [...RU_NOUN, 'ик', 'ика', 'ики', 'иков', ...KK]),
  cat('mattress', ['mattress', 'mattresses', 'matress'], ['']),
  cat('pouf', ['пуф'], ['', 'а', 'ы', 'ов', 'ик', 'ика', 'ики', 'иков', 'е', 'у', 'ом', 'ам', ...KK]),
  cat('pouf', ['банкетк'], ['а', 'и', 'у', 'ой', 'е']),
  cat('pouf', ['pouf', 'poufs', 'pouffe', 'pouffes', 'ottoman', 'ottomans', 'footstool', 'footstools'], ['']),
  cat(
    'hallway',
    ['прихож'],
    A.filter(
      (e) => e.startsWith('а') || e.startsWith('е') || e.startsWith('у') || e.startsWith('и') || e.startsWith('я'),
    ),
  ),
  cat('hallway', ['кіреберіс', 'кіреберіске', 'дәліз'], ['', ...KK]),
  cat('hallway', ['hallway', 'hallways', 'entryway', 'hall'], ['']),
  cat('kids', ['детск'], A),
  cat('kids', ['балалар', 'бала', 'балаға', 'балам', 'балама'], ['', ...KK]),
  cat('kids', ['kids', "kid's", "kids'", 'children', "children's", 'nursery', 'childrens'], ['']),

  // ── colours ──
  col('red', ['красн', 'крастн']),
  col('red', ['ал'], ['ый', 'ая', 'ое', 'ые', 'ого', 'ую', 'ых']),
  col('red', ['red', 'қызыл', 'кызыл', 'scarlet'], ['', 'ы', 'ды', 'дар', 'ға', 'ын']),
  col(
    'blue',
    ['син'],
    [
      'ий',
      'яя',
      'ее',
      'ие',
      'его',
      'ему',
      'им',
      'ем',
      'юю',
      'их',
      'ими',
      'ей',
      'енький',
      'енькая',
      'енькое',
      'енькие',
      'еньком',
      'енького',
      'еньких',
    ],
  ),
  col('blue', ['blue', 'көк'], ['']),
  col('lightblue', ['голуб']),
  col('lightblue', ['көгілдір'], ['', ...KK]),
  col('green', ['зелен', 'зеленн', 'изумрудн', 'салатов', 'мятн', 'оливков']),
  col('green', ['хаки', 'green', 'olive', 'mint', 'emerald', 'жасыл'], ['', ...KK]),
  col('yellow', ['желт', 'горчичн', 'лимонн']),
  col('yellow', ['yellow', 'mustard', 'сары'], ['', 'сы', 'ға', 'лар']),
  col('orange', ['оранжев', 'рыж', 'терракотов']),
  col('orange', ['orange', 'оранж'], ['']),
  col('pink', ['розов', 'пудров', 'малинов']),
  col('pink', ['pink', 'қызғылт', 'кызгылт'], ['', ...KK]),
  col('purple', ['фиолетов', 'сиренев', 'лилов', 'лавандов']),
  col('purple', ['purple', 'violet', 'lilac', 'lavender', 'күлгін', 'кулгин'], ['', ...KK]),
  col('brown', ['коричнев', 'коричнив', 'шоколадн', 'кофейн']),
  col('brown', ['венге', 'brown', 'chocolate', 'қоңыр', 'коныр'], ['', ...KK]),
  col('beige', ['бежев', 'песочн']),
  col('beige', ['беж', 'beige', 'sand', 'taupe'], ['']),
  col('white', ['бел', 'белоснежн']),
  col('white', ['white', 'ақ'], ['']),
  col('black', ['черн']),
  col('black', ['black', 'қара'], ['']),
  col('grey', ['сер', 'графитов', 'пепельн', 'серебрист']),
  col('grey', ['grey', 'gray', 'graphite', 'charcoal', 'антрацит', 'сұр', 'сур'], ['', ...KK]),
  col('navy', ['темносин']),
  col('navy', ['navy'], ['']),
  col('turquoise', ['бирюзов']),
  col('turquoise', ['бирюза', 'turquoise', 'teal'], ['']),
  col('burgundy', ['бордов', 'винн']),
  col('burgundy', ['бордо', 'марсала', 'burgundy', 'maroon'], ['']),
  col('cream', ['кремов', 'молочн']),
  col('cream', ['айвори', 'cream', 'ivory'], ['']),
  col('walnut', ['орехов']),
  col('walnut', ['орех', 'ореха', 'орехом', 'орехе', 'walnut', 'жаңғақ'], ['']),

  // ── materials ──
  mat('leather', ['кож'], ['а', 'и', 'у', 'ей', 'е', 'ой']),
  mat('leather', ['кожан'], A),
  mat('leather', ['leather', 'былғары', 'былгары'], ['', ...KK]),
  mat('eco_leather', ['экокож'], ['а', 'и', 'у', 'ей', 'е', 'ой', ...A.map((e) => `ан${e}`)]),
  mat('eco_leather', ['кожзам'], ['', 'а', 'у', 'ом', 'е', 'енитель', 'енителя', 'енителем', 'енителе']),
  mat('eco_leather', ['leatherette', 'экобылғары'], ['']),
  mat('fabric', ['ткан'], ['ь', 'и', 'ью', 'ей', ...A.map((e) => `ев${e}`)]),
  mat('fabric', ['текстил'], ['ь', 'я', 'ем', 'е', ...A.map((e) => `ьн${e}`)]),
  mat('fabric', ['рогожк'], ['а', 'и', 'у', 'ой', 'е']),
  mat('fabric', ['fabric', 'textile', 'cloth', 'upholstered', 'мата'], ['', ...KK]),
  mat('velour', ['велюр'], [...RU_NOUN, ...A.map((e) => `ов${e}`)]),
  mat('velour', ['velour'], ['']),
  mat('velvet', ['бархат'], [...RU_NOUN, ...A.map((e) => `н${e}`)]),
  mat('velvet', ['velvet', 'барқыт'], ['', ...KK]),
  mat('wood', ['дерев'], ['о', 'а', 'ом', 'е', 'ьев', ...A.map((e) => `янн${e}`)]),
  mat('wood', ['древесин'], ['а', 'ы', 'у', 'ой', 'е']),
  mat('wood', ['массив'], ['', 'а', 'е', 'ом']),
  mat('wood', ['wood', 'wooden', 'timber', 'ағаш', 'агаш'], ['', ...KK]),
  mat('oak', ['дуб'], ['', 'а', 'у', 'ом', 'е', ...A.map((e) => `ов${e}`)]),
  mat('oak', ['oak', 'oaken'], ['']),
  mat('pine', ['сосн'], ['а', 'ы', 'у', 'ой', 'е', ...A.map((e) => `ов${e}`)]),
  mat('pine', ['pine', 'қарағай'], ['', ...KK]),
  mat('chipboard', ['лдсп', 'дсп', 'chipboard', 'particleboard'], ['']),
  mat('mdf', ['мдф', 'mdf'], ['']),
  mat('metal', ['металл'], [...RU_NOUN, ...A.map((e) => `ическ${e === 'ый' ? 'ий' : e}`)]),
  mat('metal', ['metal', 'metallic', 'steel', 'iron', 'темір'], ['', ...KK]),
  mat('metal', ['сталь', 'сталью'], ['']),
  mat('metal', ['стальн'], A),
  mat('glass', ['стекл'], ['о', 'а', 'ом', 'е', ...A.map((e) => `янн${e}`)]),
  mat('glass', ['glass', 'шыны'], ['', ...KK]),
  mat('rattan', ['ротанг', 'ратанг'], [...RU_NOUN, ...A.map((e) => `ов${e}`)]),
  mat('rattan', ['плетен'], A),
  mat('rattan', ['rattan', 'wicker'], ['']),
  mat('plastic', ['пластик'], [...RU_NOUN, ...A.map((e) => `ов${e}`)]),
  mat('plastic', ['пластмасс'], ['а', 'ы', 'у', 'ой', 'е', ...A]),
  mat('plastic', ['plastic'], ['']),
  mat('marble', ['мрамор'], [...RU_NOUN, ...A.map((e) => `н${e}`)]),
  mat('marble', ['marble', 'мәрмәр'], ['', ...KK]),
  mat('linen', ['лен', 'льна', 'льном', 'льне'], ['']),
  mat('linen', ['льнян'], A),
  mat('linen', ['linen'], ['']),
  mat('boucle', ['букле', 'boucle', 'bouclé', 'буклированн'], ['', ...A]),
];

/** Misspellings too short for typo matching but common enough to list. */
const KNOWN_TYPOS: ReadonlyArray<readonly [string, SlotHit]> = [
  ['шкав', { kind: 'category', slug: 'wardrobe' }],
  ['шкафф', { kind: 'category', slug: 'wardrobe' }],
  ['шкавы', { kind: 'category', slug: 'wardrobe' }],
  ['кравать', { kind: 'category', slug: 'bed' }],
  ['диванн', { kind: 'category', slug: 'sofa' }],
  ['шкафкупе', { kind: 'category', slug: 'wardrobe' }],
  ['стулл', { kind: 'category', slug: 'chair' }],
];

/** Every inflected form → its slot. Built once at module load (≈ 10k entries). */
const FORMS = new Map<string, SlotHit>();
/** stems ≥ 5 letters (and whole base words) that typo matching compares against */
const FUZZY_BASES: Array<{ base: string; hit: SlotHit }> = [];

for (const e of ENTRIES) {
  const hit: SlotHit = e.weak ? { kind: e.kind, slug: e.slug, weak: true } : { kind: e.kind, slug: e.slug };
  for (const stem of e.stems) {
    for (const end of e.ends) {
      const form = stem + end;
      if (!FORMS.has(form)) FORMS.set(form, hit);
    }
    if (stem.length >= 5 && e.kind !== 'color' && !e.weak) FUZZY_BASES.push({ base: stem, hit });
    if (e.kind === 'color' && stem.length >= 5) FUZZY_BASES.push({ base: stem, hit });
  }
}
for (const [form, hit] of KNOWN_TYPOS) if (!FORMS.has(form)) FORMS.set(form, hit);
// whole base words for typos in the dictionary form («дтван», «крвать», «крсло»)
for (const [base, slug] of [
  ['диван', 'sofa'],
  ['кровать', 'bed'],
  ['кресло', 'armchair'],
  ['стулья', 'chair'],
  ['столик', 'table'],
  ['шкафчик', 'wardrobe'],
  ['комод', 'dresser'],
  ['стеллаж', 'shelf'],
  ['тумба', 'nightstand'],
  ['тумбочка', 'nightstand'],
  ['кухня', 'kitchen'],
  ['матрас', 'mattress'],
  ['прихожая', 'hallway'],
  ['гардероб', 'wardrobe'],
  ['wardrobe', 'wardrobe'],
  ['mattress', 'mattress'],
  ['armchair', 'armchair'],
  ['dresser', 'dresser'],
  ['bookcase', 'shelf'],
  ['nightstand', 'nightstand'],
  ['kitchen', 'kitchen'],
] as const) {
  FUZZY_BASES.push({ base, hit: { kind: 'category', slug } });
}

const FUZZY_BY_LENGTH = new Map<number, Array<{ base: string; hit: SlotHit }>>();
for (const entry of FUZZY_BASES) {
  const bucket = FUZZY_BY_LENGTH.get(entry.base.length) ?? [];
  bucket.push(entry);
  FUZZY_BY_LENGTH.set(entry.base.length, bucket);
}

/** Real words that sit one typo away from a lexicon stem and must not be "corrected". */
const NOT_TYPOS = new Set([
  'иван',
  'ивана',
  'иваном',
  'дива',
  'дивы',
  'дивно',
  'дивный',
  'дивная',
  'дивное',
  'диваны',
  'полна',
  'полно',
  'палка',
  'полки',
  'стала',
  'стало',
  'стали',
  'столб',
  'столба',
  'комок',
  'метод',
  'сосед',
  'тумбы',
  'кожи',
  'кухни',
  'белый',
  'целый',
  'верный',
  'черный',
  'серый',
  'сырой',
  'красный',
  'ткань',
  'тканей',
  'мебель',
  'мебели',
  'модель',
  'модели',
  'размер',
  'больше',
  'меньше',
  'можно',
  'нужно',
  'ставить',
  'строить',
  'стоять',
  'стоит',
  'стоимость',
  'давайте',
  'давай',
  'сделать',
  'красиво',
  'креслом',
  'розой',
  'серой',
  'белой',
  'целой',
  'верой',
  'красной',
  'зелень',
  'спальная',
  'спальный',
  'спальное',
  'спальные',
  'спальня',
  'спальни',
  'спальню',
  'спальной',
  'спальных',
  'столько',
  'стулом',
  'matter',
  'masters',
  'bedroom',
  'dressed',
  'kitchens',
  'tables',
  'stable',
  'chairs',
  'charm',
  'black',
  'blank',
  'crate',
  'great',
  'order',
  'border',
  'sender',
  'metal',
  'medal',
  'pedal',
  'petal',
  'model',
]);

const COMMON_ENDINGS = [
  'чик',
  'чег',
  'чек',
  'а',
  'я',
  'у',
  'ю',
  'ом',
  'ем',
  'е',
  'ы',
  'и',
  'ов',
  'ей',
  'ам',
  'ами',
  'ах',
  'ой',
  'ь',
  'ый',
  'ая',
  'ое',
  'ые',
  'ий',
  'ого',
  's',
];

export function lookupWord(word: string): SlotHit | undefined {
  const exact = FORMS.get(word);
  if (exact) return exact;
  return lookupKazakhPrefix(word);
}

/** Kazakh stems with Kazakh letters may take any suffix of up to six letters («орындықтарды»). */
const KK_PREFIXES: Array<{ stem: string; hit: SlotHit }> = [];
for (const e of ENTRIES) {
  for (const stem of e.stems) {
    if (/[әғқңөұүһі]/.test(stem) && stem.length >= 3) KK_PREFIXES.push({ stem, hit: { kind: e.kind, slug: e.slug } });
  }
}
function lookupKazakhPrefix(word: string): SlotHit | undefined {
  if (!/[әғқңөұүһі]/.test(word)) return undefined;
  for (const { stem, hit } of KK_PREFIXES) {
    if (stem.length >= 4 && word.startsWith(stem) && word.length - stem.length <= 6) return hit;
  }
  return undefined;
}

/**
 * Typo tolerance: one edit (Damerau-Levenshtein ≤ 1) against stems of five letters or more, for
 * words of four letters or more — with or without a common ending. Real words that happen to sit
 * one edit away («иван», «целый») are listed in NOT_TYPOS.
 */
export function fuzzyLookup(word: string, withinOneEdit: (a: string, b: string) => boolean): SlotHit | undefined {
  if (word.length < 4 || word.length > 16 || NOT_TYPOS.has(word) || /\d/.test(word)) return undefined;
  const direct = nearest(word, withinOneEdit);
  if (direct) return direct;
  for (const end of COMMON_ENDINGS) {
    if (!word.endsWith(end)) continue;
    const stem = word.slice(0, word.length - end.length);
    if (stem.length < 4) continue;
    const hit = nearest(stem, withinOneEdit);
    if (hit) return hit;
  }
  return undefined;
}

function nearest(word: string, withinOneEdit: (a: string, b: string) => boolean): SlotHit | undefined {
  const w0 = word.charCodeAt(0);
  const w1 = word.charCodeAt(1);
  for (let len = word.length - 1; len <= word.length + 1; len++) {
    for (const { base, hit } of FUZZY_BY_LENGTH.get(len) ?? []) {
      // one edit always leaves one of these pairs equal — a cheap filter before the full check
      const b0 = base.charCodeAt(0);
      const b1 = base.charCodeAt(1);
      if (w0 !== b0 && w1 !== b1 && w0 !== b1 && w1 !== b0) continue;
      if (withinOneEdit(word, base)) return hit;
    }
  }
  return undefined;
}
