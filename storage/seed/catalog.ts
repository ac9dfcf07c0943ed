import type { Category, Color, Material } from '../../engine/catalog.ts';
import type { ProductInput } from '../repos/products.ts';
import { placeholderImageUrl } from '../repos/products.ts';
import { between, pick, prng, shopPrice } from './random.ts';

/**
 * The demo catalog: 530 furniture products with Russian names and descriptions, generated
 * deterministically from a seeded PRNG. Names look like «Диван угловой «Милан» велюр, серый».
 */
type Gender = 'm' | 'f' | 'n' | 'pl';
type Kind = { name: string; gender: Gender };

type CategorySpec = {
  prefix: string;
  count: number;
  kinds: Kind[];
  materials: Material[];
  colors: Color[];
  price: [number, number];
  size: { w: [number, number]; d: [number, number]; h: [number, number] };
  features: string[];
};

const k = (name: string, gender: Gender = 'm'): Kind => ({ name, gender });

export const CATEGORY_SPECS: Record<Category, CategorySpec> = {
  sofa: {
    prefix: 'SOFA',
    count: 70,
    price: [90_000, 900_000],
    kinds: [
      k('Диван'),
      k('Диван угловой'),
      k('Диван прямой'),
      k('Диван-кровать'),
      k('Диван модульный'),
      k('Диван трёхместный'),
      k('Диван двухместный'),
    ],
    materials: ['velour', 'eco_leather', 'leather', 'fabric', 'velvet', 'boucle', 'linen'],
    colors: [
      'grey',
      'beige',
      'blue',
      'green',
      'brown',
      'black',
      'white',
      'cream',
      'navy',
      'burgundy',
      'yellow',
      'turquoise',
      'pink',
      'red',
    ],
    size: { w: [160, 340], d: [85, 180], h: [75, 95] },
    features: [
      'механизм трансформации «еврокнижка»',
      'вместительный ящик для белья',
      'независимый пружинный блок',
      'съёмные чехлы',
      'мягкие подлокотники',
      'высокие ножки из массива бука',
      'ортопедическое основание',
    ],
  },
  armchair: {
    prefix: 'ARM',
    count: 40,
    price: [45_000, 350_000],
    kinds: [
      k('Кресло', 'n'),
      k('Кресло мягкое', 'n'),
      k('Кресло-реклайнер', 'n'),
      k('Кресло-качалка', 'n'),
      k('Кресло-кровать', 'n'),
    ],
    materials: ['velour', 'eco_leather', 'leather', 'fabric', 'velvet', 'boucle', 'rattan'],
    colors: ['grey', 'beige', 'blue', 'green', 'brown', 'black', 'cream', 'yellow', 'pink', 'burgundy', 'turquoise'],
    size: { w: [65, 100], d: [70, 95], h: [80, 110] },
    features: [
      'удобная высокая спинка',
      'механизм качания',
      'каркас из берёзовой фанеры',
      'декоративная подушка в комплекте',
      'поворотное основание',
    ],
  },
  bed: {
    prefix: 'BED',
    count: 50,
    price: [80_000, 600_000],
    kinds: [
      k('Кровать', 'f'),
      k('Кровать двуспальная', 'f'),
      k('Кровать полутороспальная', 'f'),
      k('Кровать с подъёмным механизмом', 'f'),
      k('Кровать односпальная', 'f'),
    ],
    materials: ['velour', 'eco_leather', 'wood', 'oak', 'pine', 'mdf', 'metal', 'boucle'],
    colors: ['grey', 'beige', 'white', 'brown', 'walnut', 'oak', 'black', 'blue', 'cream', 'green'],
    size: { w: [90, 200], d: [200, 220], h: [90, 130] },
    features: [
      'мягкое изголовье',
      'ортопедическое основание из ламелей',
      'подъёмный механизм и ящик для белья',
      'усиленный металлический каркас',
      'спальное место 160×200',
      'спальное место 180×200',
    ],
  },
  chair: {
    prefix: 'CHR',
    count: 40,
    price: [12_000, 120_000],
    kinds: [k('Стул'), k('Стул обеденный'), k('Стул барный'), k('Стул полубарный'), k('Табурет')],
    materials: ['wood', 'metal', 'plastic', 'velour', 'eco_leather', 'rattan', 'oak'],
    colors: ['black', 'white', 'grey', 'beige', 'green', 'brown', 'walnut', 'oak', 'blue'],
    size: { w: [40, 55], d: [45, 58], h: [75, 110] },
    features: [
      'мягкое сиденье',
      'металлические ножки с порошковой окраской',
      'подставка для ног',
      'штабелируемая конструкция',
      'спинка анатомической формы',
    ],
  },
  table: {
    prefix: 'TBL',
    count: 40,
    price: [35_000, 450_000],
    kinds: [k('Стол обеденный'), k('Стол раздвижной'), k('Стол журнальный'), k('Столик кофейный'), k('Стол круглый')],
    materials: ['oak', 'wood', 'glass', 'marble', 'chipboard', 'mdf', 'metal'],
    colors: ['white', 'black', 'walnut', 'oak', 'grey', 'brown'],
    size: { w: [60, 220], d: [60, 100], h: [45, 76] },
    features: [
      'раскладывается до 8 персон',
      'столешница из закалённого стекла',
      'устойчивое подстолье',
      'влагостойкое покрытие',
      'скруглённые углы',
    ],
  },
  desk: {
    prefix: 'DESK',
    count: 25,
    price: [40_000, 250_000],
    kinds: [
      k('Стол письменный'),
      k('Стол компьютерный'),
      k('Стол угловой письменный'),
      k('Стол с регулировкой высоты'),
    ],
    materials: ['chipboard', 'mdf', 'oak', 'wood', 'metal'],
    colors: ['white', 'black', 'walnut', 'oak', 'grey'],
    size: { w: [100, 160], d: [55, 80], h: [72, 76] },
    features: [
      'тумба с тремя ящиками',
      'кабель-канал',
      'полка для системного блока',
      'электропривод подъёма столешницы',
      'надстройка для книг',
    ],
  },
  wardrobe: {
    prefix: 'WRD',
    count: 35,
    price: [90_000, 700_000],
    kinds: [k('Шкаф-купе'), k('Шкаф распашной'), k('Шкаф двухдверный'), k('Шкаф трёхдверный'), k('Гардероб')],
    materials: ['chipboard', 'mdf', 'wood', 'oak'],
    colors: ['white', 'oak', 'walnut', 'grey', 'beige', 'black'],
    size: { w: [90, 270], d: [45, 65], h: [200, 240] },
    features: [
      'зеркальные двери',
      'штанга для одежды и полки',
      'доводчики дверей',
      'светодиодная подсветка',
      'выдвижные ящики внутри',
    ],
  },
  dresser: {
    prefix: 'DRS',
    count: 25,
    price: [45_000, 300_000],
    kinds: [k('Комод'), k('Комод с зеркалом'), k('Комод узкий')],
    materials: ['chipboard', 'mdf', 'wood', 'oak'],
    colors: ['white', 'oak', 'walnut', 'grey', 'beige', 'green', 'blue'],
    size: { w: [60, 160], d: [40, 50], h: [80, 110] },
    features: ['четыре выдвижных ящика', 'направляющие с доводчиками', 'фрезерованные фасады', 'металлические ручки'],
  },
  shelf: {
    prefix: 'SHLF',
    count: 25,
    price: [20_000, 180_000],
    kinds: [k('Стеллаж'), k('Стеллаж открытый'), k('Полка настенная', 'f'), k('Этажерка', 'f')],
    materials: ['metal', 'wood', 'chipboard', 'pine'],
    colors: ['white', 'black', 'oak', 'walnut'],
    size: { w: [40, 160], d: [25, 40], h: [60, 200] },
    features: [
      'пять открытых полок',
      'скрытый крепёж',
      'подходит для зонирования комнаты',
      'нагрузка на полку до 20 кг',
    ],
  },
  nightstand: {
    prefix: 'NST',
    count: 25,
    price: [15_000, 90_000],
    kinds: [k('Тумба прикроватная', 'f'), k('Тумбочка', 'f')],
    materials: ['chipboard', 'mdf', 'wood', 'oak'],
    colors: ['white', 'oak', 'walnut', 'grey', 'black'],
    size: { w: [40, 60], d: [35, 45], h: [45, 60] },
    features: ['два ящика', 'открытая ниша', 'ножки из массива', 'бесшумные направляющие'],
  },
  kitchen: {
    prefix: 'KIT',
    count: 20,
    price: [350_000, 2_500_000],
    kinds: [k('Кухонный гарнитур'), k('Кухня прямая', 'f'), k('Кухня угловая', 'f')],
    materials: ['mdf', 'chipboard', 'wood'],
    colors: ['white', 'grey', 'green', 'beige', 'black', 'blue', 'oak'],
    size: { w: [180, 360], d: [60, 60], h: [210, 240] },
    features: [
      'столешница из искусственного камня',
      'фасады с эмалью',
      'встроенная подсветка',
      'фурнитура Blum',
      'мойка в комплекте',
    ],
  },
  mattress: {
    prefix: 'MATR',
    count: 35,
    price: [40_000, 450_000],
    kinds: [k('Матрас ортопедический'), k('Матрас пружинный'), k('Матрас беспружинный'), k('Матрас детский')],
    materials: ['fabric', 'linen'],
    colors: ['white', 'grey', 'cream'],
    size: { w: [80, 200], d: [190, 200], h: [14, 30] },
    features: [
      'независимый пружинный блок',
      'кокосовая койра',
      'пена с эффектом памяти',
      'съёмный чехол на молнии',
      'разная жёсткость сторон',
    ],
  },
  pouf: {
    prefix: 'POUF',
    count: 20,
    price: [12_000, 90_000],
    kinds: [k('Пуф'), k('Пуфик'), k('Банкетка', 'f')],
    materials: ['velour', 'boucle', 'eco_leather', 'velvet', 'rattan'],
    colors: ['grey', 'beige', 'pink', 'green', 'blue', 'yellow', 'cream', 'black', 'burgundy'],
    size: { w: [40, 120], d: [35, 45], h: [40, 48] },
    features: ['отделение для хранения', 'каретная стяжка', 'золотистые ножки', 'лёгкий и устойчивый'],
  },
  tv_stand: {
    prefix: 'TVS',
    count: 20,
    price: [30_000, 250_000],
    kinds: [k('Тумба под ТВ', 'f'), k('ТВ-тумба подвесная', 'f'), k('Тумба под телевизор', 'f')],
    materials: ['chipboard', 'mdf', 'oak', 'wood', 'glass'],
    colors: ['white', 'black', 'oak', 'walnut', 'grey'],
    size: { w: [120, 240], d: [35, 45], h: [40, 60] },
    features: ['открытые ниши для техники', 'фасады push-to-open', 'отверстия для проводов', 'подсветка'],
  },
  hallway: {
    prefix: 'HALL',
    count: 20,
    price: [40_000, 300_000],
    kinds: [k('Прихожая', 'f'), k('Вешалка напольная', 'f'), k('Обувница', 'f'), k('Шкаф для прихожей')],
    materials: ['chipboard', 'mdf', 'metal'],
    colors: ['white', 'oak', 'walnut', 'black'],
    size: { w: [60, 200], d: [30, 45], h: [80, 210] },
    features: ['зеркало и крючки', 'откидные секции для обуви', 'сиденье с мягкой подушкой', 'компактная глубина'],
  },
  kids: {
    prefix: 'KIDS',
    count: 20,
    price: [35_000, 350_000],
    kinds: [
      k('Кровать детская', 'f'),
      k('Кровать двухъярусная', 'f'),
      k('Стол детский'),
      k('Шкаф детский'),
      k('Кроватка', 'f'),
    ],
    materials: ['chipboard', 'pine', 'mdf', 'wood'],
    colors: ['white', 'pink', 'blue', 'green', 'yellow', 'lightblue'],
    size: { w: [60, 200], d: [40, 100], h: [70, 180] },
    features: ['безопасные скруглённые углы', 'бортик от падения', 'экологичные краски', 'растёт вместе с ребёнком'],
  },
};

/** colour adjectives in the gender of the product noun */
const COLOR_FORMS: Record<Color, Record<Gender, string>> = {
  red: { m: 'красный', f: 'красная', n: 'красное', pl: 'красные' },
  blue: { m: 'синий', f: 'синяя', n: 'синее', pl: 'синие' },
  lightblue: { m: 'голубой', f: 'голубая', n: 'голубое', pl: 'голубые' },
  green: { m: 'зелёный', f: 'зелёная', n: 'зелёное', pl: 'зелёные' },
  yellow: { m: 'жёлтый', f: 'жёлтая', n: 'жёлтое', pl: 'жёлтые' },
  orange: { m: 'оранжевый', f: 'оранжевая', n: 'оранжевое', pl: 'оранжевые' },
  pink: { m: 'розовый', f: 'розовая', n: 'розовое', pl: 'розовые' },
  purple: { m: 'фиолетовый', f: 'фиолетовая', n: 'фиолетовое', pl: 'фиолетовые' },
  brown: { m: 'коричневый', f: 'коричневая', n: 'коричневое', pl: 'коричневые' },
  beige: { m: 'бежевый', f: 'бежевая', n: 'бежевое', pl: 'бежевые' },
  white: { m: 'белый', f: 'белая', n: 'белое', pl: 'белые' },
  black: { m: 'чёрный', f: 'чёрная', n: 'чёрное', pl: 'чёрные' },
  grey: { m: 'серый', f: 'серая', n: 'серое', pl: 'серые' },
  navy: { m: 'тёмно-синий', f: 'тёмно-синяя', n: 'тёмно-синее', pl: 'тёмно-синие' },
  turquoise: { m: 'бирюзовый', f: 'бирюзовая', n: 'бирюзовое', pl: 'бирюзовые' },
  burgundy: { m: 'бордовый', f: 'бордовая', n: 'бордовое', pl: 'бордовые' },
  cream: { m: 'кремовый', f: 'кремовая', n: 'кремовое', pl: 'кремовые' },
  walnut: { m: 'орех', f: 'орех', n: 'орех', pl: 'орех' },
  oak: { m: 'дуб сонома', f: 'дуб сонома', n: 'дуб сонома', pl: 'дуб сонома' },
};

const MATERIAL_NAMES: Record<Material, string> = {
  leather: 'натуральная кожа',
  eco_leather: 'экокожа',
  fabric: 'рогожка',
  velour: 'велюр',
  velvet: 'бархат',
  wood: 'массив берёзы',
  oak: 'массив дуба',
  pine: 'сосна',
  chipboard: 'ЛДСП',
  mdf: 'МДФ',
  metal: 'металл',
  glass: 'стекло',
  rattan: 'ротанг',
  plastic: 'пластик',
  marble: 'мрамор',
  linen: 'лён',
  boucle: 'букле',
};

const MATERIAL_PRICE: Partial<Record<Material, number>> = {
  leather: 1.6,
  velvet: 1.15,
  boucle: 1.2,
  oak: 1.45,
  marble: 1.5,
  wood: 1.2,
  chipboard: 0.8,
  plastic: 0.7,
  pine: 0.9,
  eco_leather: 1.05,
};

export const MODELS = [
  'Милан',
  'Верона',
  'Лондон',
  'Осло',
  'Честер',
  'Бостон',
  'Тоскана',
  'Фиеста',
  'Марсель',
  'Венеция',
  'Прага',
  'Лофт',
  'Сканди',
  'Алатау',
  'Медеу',
  'Барселона',
  'Сиена',
  'Ницца',
  'Женева',
  'Вена',
  'Берген',
  'Турин',
  'Капри',
  'Монако',
  'Неаполь',
  'Гранада',
  'Комфорт',
  'Релакс',
  'Орион',
  'Лира',
  'Соната',
  'Бриз',
  'Мистраль',
  'Аврора',
  'Вега',
  'Аспен',
  'Кантри',
  'Ёлка',
  'Хельсинки',
  'Амстердам',
];

export type DemoProduct = ProductInput & {
  sku: string;
  category: Category;
  color: Color;
  material: Material;
  model: string;
  kind: string;
};

export function buildDemoCatalog(): DemoProduct[] {
  const out: DemoProduct[] = [];
  let categoryIndex = 0;
  for (const [category, spec] of Object.entries(CATEGORY_SPECS) as [Category, CategorySpec][]) {
    categoryIndex++;
    for (let i = 1; i <= spec.count; i++) {
      const rnd = prng(categoryIndex * 100_003 + i * 7_919);
      const kind = pick(rnd, spec.kinds);
      const model = MODELS[(i * 7 + categoryIndex * 3) % MODELS.length]!;
      const material = pick(rnd, spec.materials);
      const color = pick(rnd, spec.colors);
      const [min, max] = spec.price;
      const base = min + (max - min) * Math.pow(rnd(), 1.6);
      const price = shopPrice(Math.min(max, base * (MATERIAL_PRICE[material] ?? 1)));
      const w = between(rnd, ...spec.size.w);
      const d = between(rnd, ...spec.size.d);
      const h = between(rnd, ...spec.size.h);
      const features = [pick(rnd, spec.features), pick(rnd, spec.features)].filter(
        (f, idx, all) => all.indexOf(f) === idx,
      );
      const colorWord = COLOR_FORMS[color][kind.gender];
      const sku = `${spec.prefix}-${String(i).padStart(3, '0')}`;
      const name = `${kind.name} «${model}» ${MATERIAL_NAMES[material]}, ${colorWord}`;
      const description =
        `${kind.name} «${model}»: ${features.join(', ')}. Материал — ${MATERIAL_NAMES[material]}, цвет — ${COLOR_FORMS[color].m}. ` +
        `Размеры (Ш×Г×В): ${w}×${d}×${h} см. Гарантия ${between(rnd, 12, 36)} мес., доставка по городу.`;
      out.push({
        sku,
        name,
        description,
        price,
        currency: 'KZT',
        category,
        color,
        material,
        model,
        kind: kind.name,
        dimensions: { width: w, depth: d, height: h, unit: 'cm' },
        imageUrl: placeholderImageUrl(sku),
        available: rnd() > 0.12,
      });
    }
  }
  return out;
}

export const DEMO_CITIES = [
  { name: 'Алматы', slug: 'almaty', timezone: 'Asia/Almaty', currency: 'KZT', language: 'ru', priceFactor: 1, seed: 1 },
  {
    name: 'Астана',
    slug: 'astana',
    timezone: 'Asia/Almaty',
    currency: 'KZT',
    language: 'ru',
    priceFactor: 1.03,
    seed: 2,
  },
  {
    name: 'Шымкент',
    slug: 'shymkent',
    timezone: 'Asia/Almaty',
    currency: 'KZT',
    language: 'kk',
    priceFactor: 0.98,
    seed: 3,
  },
] as const;

/** The city's copy of the catalog: same SKUs, its own prices and stock. Almaty gets the catalog as built. */
export function catalogForCity(catalog: DemoProduct[], city: (typeof DEMO_CITIES)[number]): DemoProduct[] {
  if (city.priceFactor === 1) return catalog;
  const rnd = prng(city.seed * 1_000_003);
  return catalog.map((p) => ({ ...p, price: shopPrice(p.price * city.priceFactor), available: rnd() > 0.15 }));
}
