/**
 * Builds storage/search/relevance.json — the labelled relevance set for the search eval —
 * from the demo catalog's *attributes* (category, colour, material, kind, model, SKU), never from
 * search output. Grade 2 = matches everything the query asks for, 1 = right category only.
 * Run: npx tsx storage/search/relevance-build.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Category, Color, Material } from '../../engine/catalog.ts';
import { buildDemoCatalog, type DemoProduct } from '../seed/catalog.ts';

type Spec = {
  query?: string;
  filters?: {
    category?: Category;
    color?: Color;
    material?: Material;
    priceMin?: number;
    priceMax?: number;
    availableOnly?: boolean;
  };
  cat?: Category[];
  color?: Color[];
  material?: Material[];
  kind?: RegExp;
  model?: string;
  sku?: string;
  tags: string[];
};

const q = (query: string, tags: string[], want: Omit<Spec, 'query' | 'tags'>): Spec => ({ query, tags, ...want });

const SPECS: Spec[] = [
  // category words and inflections
  q('диван', ['category'], { cat: ['sofa'] }),
  q('диваны', ['inflection'], { cat: ['sofa'] }),
  q('диванов', ['inflection'], { cat: ['sofa'] }),
  q('кресло', ['category'], { cat: ['armchair'] }),
  q('кресла', ['inflection'], { cat: ['armchair'] }),
  q('кровать', ['category'], { cat: ['bed', 'kids'], kind: /^Кровать/ }),
  q('кровати', ['inflection'], { cat: ['bed', 'kids'], kind: /^Кровать/ }),
  q('кроватей', ['inflection'], { cat: ['bed', 'kids'], kind: /^Кровать/ }),
  q('стул', ['category'], { cat: ['chair'] }),
  q('стулья', ['inflection'], { cat: ['chair'] }),
  q('стулья для кухни', ['inflection'], { cat: ['chair'] }),
  q('шкаф', ['category'], { cat: ['wardrobe', 'hallway', 'kids'], kind: /Шкаф|Гардероб/ }),
  q('шкафы', ['inflection'], { cat: ['wardrobe', 'hallway', 'kids'], kind: /Шкаф|Гардероб/ }),
  q('комод', ['category'], { cat: ['dresser'] }),
  q('комоды', ['inflection'], { cat: ['dresser'] }),
  q('стеллаж', ['category'], { cat: ['shelf'], kind: /Стеллаж/ }),
  q('полка', ['category'], { cat: ['shelf'] }),
  q('тумбочка', ['category'], { cat: ['nightstand'] }),
  q('прикроватная тумба', ['category'], { cat: ['nightstand'] }),
  q('кухня', ['category'], { cat: ['kitchen'] }),
  q('кухонный гарнитур', ['category'], { cat: ['kitchen'] }),
  q('матрас', ['category'], { cat: ['mattress'] }),
  q('матрасы', ['inflection'], { cat: ['mattress'] }),
  q('пуф', ['category'], { cat: ['pouf'] }),
  q('банкетка', ['category'], { cat: ['pouf'], kind: /Банкетка/ }),
  q('тумба под телевизор', ['category'], { cat: ['tv_stand'] }),
  q('прихожая', ['category'], { cat: ['hallway'] }),
  q('обувница', ['category'], { cat: ['hallway'], kind: /Обувница/ }),
  q('письменный стол', ['category'], { cat: ['desk'] }),
  q('компьютерный стол', ['kind'], { cat: ['desk'], kind: /компьютерный/ }),
  q('журнальный столик', ['kind'], { cat: ['table'], kind: /журнальный|кофейный/ }),
  q('обеденный стол', ['kind'], { cat: ['table'], kind: /обеденный/ }),
  q('детская кровать', ['kind'], { cat: ['kids'], kind: /Кровать|Кроватка/ }),
  // kinds
  q('диван-кровать', ['kind'], { cat: ['sofa'], kind: /Диван-кровать/ }),
  q('угловой диван', ['kind'], { cat: ['sofa'], kind: /угловой/ }),
  q('кресло-качалка', ['kind'], { cat: ['armchair'], kind: /качалка/ }),
  q('барный стул', ['kind'], { cat: ['chair'], kind: /барный/ }),
  q('двуспальная кровать', ['kind'], { cat: ['bed'], kind: /двуспальная/ }),
  q('ортопедический матрас', ['kind'], { cat: ['mattress'], kind: /ортопедический/ }),
  q('двухъярусная кровать', ['kind'], { cat: ['kids'], kind: /двухъярусная/ }),
  q('шкаф-купе', ['kind'], { cat: ['wardrobe'], kind: /Шкаф-купе/ }),
  q('модульный диван', ['kind'], { cat: ['sofa'], kind: /модульный/ }),
  q('кровать с подъемным механизмом', ['kind', 'yo'], { cat: ['bed'], kind: /подъёмным/ }),
  // category + colour
  q('красный диван', ['color'], { cat: ['sofa'], color: ['red'] }),
  q('серый диван', ['color'], { cat: ['sofa'], color: ['grey'] }),
  q('бежевый диван', ['color'], { cat: ['sofa'], color: ['beige'] }),
  q('синий диван', ['color'], { cat: ['sofa'], color: ['blue'] }),
  q('диван синего цвета', ['color', 'inflection'], { cat: ['sofa'], color: ['blue'] }),
  q('белый шкаф', ['color'], { cat: ['wardrobe'], color: ['white'] }),
  q('белая кровать', ['color'], { cat: ['bed'], color: ['white'] }),
  q('серая кровать', ['color'], { cat: ['bed'], color: ['grey'] }),
  q('зелёное кресло', ['color', 'yo'], { cat: ['armchair'], color: ['green'] }),
  q('зеленое кресло', ['color', 'yo'], { cat: ['armchair'], color: ['green'] }),
  q('чёрный стул', ['color', 'yo'], { cat: ['chair'], color: ['black'] }),
  q('черный стул', ['color', 'yo'], { cat: ['chair'], color: ['black'] }),
  q('желтое кресло', ['color', 'yo'], { cat: ['armchair'], color: ['yellow'] }),
  q('белый комод', ['color'], { cat: ['dresser'], color: ['white'] }),
  q('комод цвета дуб', ['color'], { cat: ['dresser'], color: ['oak'] }),
  q('тумба орех', ['color'], { cat: ['nightstand', 'tv_stand'], color: ['walnut'] }),
  q('розовый пуф', ['color'], { cat: ['pouf'], color: ['pink'] }),
  q('бордовый диван', ['color'], { cat: ['sofa'], color: ['burgundy'] }),
  q('белая кухня', ['color'], { cat: ['kitchen'], color: ['white'] }),
  q('синяя кровать', ['color'], { cat: ['bed'], color: ['blue'] }),
  q('коричневый диван', ['color'], { cat: ['sofa'], color: ['brown'] }),
  // category + material
  q('кожаный диван', ['material'], { cat: ['sofa'], material: ['leather'] }),
  q('диван из натуральной кожи', ['material', 'inflection'], { cat: ['sofa'], material: ['leather'] }),
  q('диван экокожа', ['material'], { cat: ['sofa'], material: ['eco_leather'] }),
  q('велюровый диван', ['material'], { cat: ['sofa'], material: ['velour'] }),
  q('диван букле', ['material'], { cat: ['sofa'], material: ['boucle'] }),
  q('бархатное кресло', ['material'], { cat: ['armchair'], material: ['velvet'] }),
  q('кресло из ротанга', ['material', 'inflection'], { cat: ['armchair'], material: ['rattan'] }),
  q('стеклянный стол', ['material'], { cat: ['table', 'tv_stand'], material: ['glass'] }),
  q('мраморный стол', ['material'], { cat: ['table'], material: ['marble'] }),
  q('стол из массива дуба', ['material', 'inflection'], { cat: ['table', 'desk'], material: ['oak'] }),
  q('металлический стеллаж', ['material'], { cat: ['shelf'], material: ['metal'] }),
  q('деревянная кровать', ['material'], { cat: ['bed'], material: ['wood', 'oak', 'pine'] }),
  q('стул металл', ['material'], { cat: ['chair'], material: ['metal'] }),
  q('кровать велюр синяя', ['material', 'color'], { cat: ['bed'], material: ['velour'], color: ['blue'] }),
  // typos
  q('крвать', ['typo'], { cat: ['bed', 'kids'], kind: /^Кровать/ }),
  q('кравать', ['typo'], { cat: ['bed', 'kids'], kind: /^Кровать/ }),
  q('дтван', ['typo'], { cat: ['sofa'] }),
  q('диаван', ['typo'], { cat: ['sofa'] }),
  q('крсло', ['typo'], { cat: ['armchair'] }),
  q('кресо', ['typo'], { cat: ['armchair'] }),
  q('шкав', ['typo'], { cat: ['wardrobe', 'hallway', 'kids'], kind: /Шкаф|Гардероб/ }),
  q('камод', ['typo'], { cat: ['dresser'] }),
  q('матрац', ['typo'], { cat: ['mattress'] }),
  q('стелаж', ['typo'], { cat: ['shelf'], kind: /Стеллаж/ }),
  q('тумбчка', ['typo'], { cat: ['nightstand'] }),
  q('прихажая', ['typo'], { cat: ['hallway'], kind: /Прихожая/ }),
  q('серый дтван', ['typo', 'color'], { cat: ['sofa'], color: ['grey'] }),
  q('крвать белая', ['typo', 'color'], { cat: ['bed'], color: ['white'] }),
  q('кожанный диван', ['typo', 'material'], { cat: ['sofa'], material: ['leather'] }),
  // Kazakh
  q('қызыл диван', ['kk', 'color'], { cat: ['sofa'], color: ['red'] }),
  q('сұр диван', ['kk', 'color'], { cat: ['sofa'], color: ['grey'] }),
  q('ақ шкаф', ['kk', 'color'], { cat: ['wardrobe'], color: ['white'] }),
  q('кереует', ['kk'], { cat: ['bed'] }),
  q('көк кереует', ['kk', 'color'], { cat: ['bed'], color: ['blue'] }),
  q('жасыл кресло', ['kk', 'color'], { cat: ['armchair'], color: ['green'] }),
  q('былғары диван', ['kk', 'material'], { cat: ['sofa'], material: ['leather'] }),
  q('қара үстел', ['kk', 'color'], { cat: ['table', 'desk'], color: ['black'] }),
  q('балалар кереует', ['kk'], { cat: ['kids'], kind: /Кровать|Кроватка/ }),
  // English / Latin
  q('sofa', ['en'], { cat: ['sofa'] }),
  q('grey sofa', ['en', 'color'], { cat: ['sofa'], color: ['grey'] }),
  q('leather sofa', ['en', 'material'], { cat: ['sofa'], material: ['leather'] }),
  q('bed', ['en'], { cat: ['bed'] }),
  q('white wardrobe', ['en', 'color'], { cat: ['wardrobe'], color: ['white'] }),
  q('oak table', ['en', 'material'], { cat: ['table'], material: ['oak'] }),
  q('armchair', ['en'], { cat: ['armchair'] }),
  q('mattress', ['en'], { cat: ['mattress'] }),
  q('black chair', ['en', 'color'], { cat: ['chair'], color: ['black'] }),
  q('velvet armchair', ['en', 'material'], { cat: ['armchair'], material: ['velvet'] }),
  q('dresser', ['en'], { cat: ['dresser'] }),
  // SKUs
  q('SOFA-001', ['sku'], { sku: 'SOFA-001' }),
  q('bed-014', ['sku'], { sku: 'BED-014' }),
  q('арт. CHR-020', ['sku'], { sku: 'CHR-020' }),
  q('KIT-005', ['sku'], { sku: 'KIT-005' }),
  q('есть ли WRD-010?', ['sku'], { sku: 'WRD-010' }),
  q('matr-003', ['sku'], { sku: 'MATR-003' }),
  // model names (combinations that exist in the catalog are picked below)
  // structured filters with and without text
  { query: 'диван', filters: { priceMax: 200_000 }, cat: ['sofa'], tags: ['filters'] },
  { query: 'кровать', filters: { priceMin: 150_000, priceMax: 300_000 }, cat: ['bed'], tags: ['filters'] },
  { filters: { category: 'sofa', color: 'grey' }, cat: ['sofa'], color: ['grey'], tags: ['filters'] },
  { filters: { category: 'armchair', availableOnly: true }, cat: ['armchair'], tags: ['filters'] },
  { query: 'кресло', filters: { material: 'velour' }, cat: ['armchair'], material: ['velour'], tags: ['filters'] },
  {
    query: 'стол',
    filters: { color: 'white', priceMax: 150_000 },
    cat: ['table', 'desk', 'kids'],
    color: ['white'],
    tags: ['filters'],
  },
];

const MODEL_QUERIES: [string, Category, string][] = [
  ['диван', 'sofa', 'Милан'],
  ['диван', 'sofa', 'Честер'],
  ['кресло', 'armchair', 'Верона'],
  ['кровать', 'bed', 'Осло'],
  ['комод', 'dresser', 'Бостон'],
  ['шкаф', 'wardrobe', 'Лофт'],
  ['стул', 'chair', 'Прага'],
  ['матрас', 'mattress', 'Милан'],
  ['пуф', 'pouf', 'Сканди'],
  ['диван', 'sofa', 'Ёлка'],
  ['прихожая', 'hallway', 'Елка'],
];

function grade(p: DemoProduct, s: Spec): number {
  if (s.sku) return p.sku === s.sku ? 2 : 0;
  if (s.cat && !s.cat.includes(p.category)) return 0;
  if (s.kind && !s.kind.test(p.kind)) return s.color || s.material || s.model ? 0 : 1;
  if (s.filters) {
    const f = s.filters;
    if (f.priceMin !== undefined && p.price < f.priceMin) return 0;
    if (f.priceMax !== undefined && p.price > f.priceMax) return 0;
    if (f.availableOnly && !p.available) return 0;
    if (f.category && p.category !== f.category) return 0;
    if (f.color && p.color !== f.color) return 0;
    if (f.material && p.material !== f.material) return 0;
  }
  const full =
    (!s.color || s.color.includes(p.color)) &&
    (!s.material || s.material.includes(p.material)) &&
    (!s.model || p.model.replace(/ё/g, 'е') === s.model.replace(/ё/g, 'е'));
  return full ? 2 : 1;
}

export function buildRelevanceSet() {
  const catalog = buildDemoCatalog();
  const specs: Spec[] = [...SPECS];
  for (const [word, cat, model] of MODEL_QUERIES) {
    if (catalog.some((p) => p.category === cat && p.model.replace(/ё/g, 'е') === model.replace(/ё/g, 'е'))) {
      specs.push({ query: `${word} ${model}`, cat: [cat], model, tags: ['model'] });
    }
  }
  const missing: string[] = [];
  const set = specs.map((s, i) => {
    const relevant: Record<string, number> = {};
    for (const p of catalog) {
      const g = grade(p, s);
      if (g > 0) relevant[p.sku] = g;
    }
    if (!Object.values(relevant).includes(2)) missing.push(s.query ?? JSON.stringify(s.filters));
    return {
      id: i + 1,
      ...(s.query ? { query: s.query } : {}),
      ...(s.filters ? { filters: s.filters } : {}),
      tags: s.tags,
      relevant,
    };
  });
  if (missing.length) throw new Error(`no fully relevant product in the demo catalog for: ${missing.join(' | ')}`);
  return set;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const set = buildRelevanceSet();
  const file = fileURLToPath(new URL('./relevance.json', import.meta.url));
  writeFileSync(
    file,
    `${JSON.stringify({ city: 'almaty', note: 'generated by relevance-build.ts from demo catalog attributes; grade 2 = fully relevant, 1 = right category', queries: set }, null, 1)}\n`,
  );
  console.log(`${set.length} queries → ${file}`);
}
