import type { Category, Color, Material } from '../catalog.ts';
import { withinOneEdit } from './fuzzy.ts';
import { fuzzyLookup, lookupWord, type SlotHit, type SlotKind } from './lexicon.ts';
import type { Token } from './normalize.ts';
import { CHEAPER, MORE_WORDS, PRICIER, SIZE_WORDS, STOP_WORDS } from './words.ts';

/**
 * Category, colour and material from tokens: multi-word phrases first («шкаф-купе», «тумба под
 * ТВ», «тёмно-синий», «цвета дуб», «эко кожа»), then single words, then one-typo matches.
 *
 * Oak decision: «дуб», «дубовый», «из дуба», «массив дуба» are the material `oak`; «цвета дуб»,
 * «цвет дуба», «под дуб», «оттенок дуба», «дуб сонома» are the colour `oak` (a décor, usually on
 * chipboard). «орех» is always the colour `walnut` (the catalog has no walnut material).
 * Children's furniture: «детская …» selects the `kids` category; a furniture word next to it
 * («детская кровать») stays in the free-text query.
 */

export interface Slots {
  category?: Category;
  color?: Color;
  material?: Material;
}

type Pattern = string;
interface Phrase {
  readonly seq: readonly Pattern[];
  readonly kind: SlotKind;
  readonly slug: SlotHit['slug'];
  /** positions in `seq` that stay in the free-text query («журнальный» in «журнальный столик») */
  readonly keep?: readonly number[];
}

const PHRASES: readonly Phrase[] = [
  { seq: ['шкаф*', 'купе'], kind: 'category', slug: 'wardrobe' },
  { seq: ['книжн*', 'шкаф*|полк*|полочк*|стеллаж*'], kind: 'category', slug: 'shelf' },
  {
    seq: ['письменн*|компьютерн*|рабоч*|офисн*|геймерск*|игров*', 'стол|стола|столу|столом|столе|столы|столов|столик*'],
    kind: 'category',
    slug: 'desk',
  },
  { seq: ['writing|computer|office|work|gaming|study', 'desk*|table*'], kind: 'category', slug: 'desk' },
  { seq: ['жазу', 'үстел*'], kind: 'category', slug: 'desk' },
  { seq: ['тумб*', 'под|для', 'тв|телевизор*|телек*|телик*|tv'], kind: 'category', slug: 'tv_stand' },
  { seq: ['тв|tv|телевизор*|теледидар*', 'тумб*|stand*|unit*|cabinet*|console*'], kind: 'category', slug: 'tv_stand' },
  { seq: ['тумб*', 'тв|tv|телевизор*|телик*'], kind: 'category', slug: 'tv_stand' },
  { seq: ['прикроватн*', 'тумб*|столик*'], kind: 'category', slug: 'nightstand' },
  { seq: ['bedside|night', 'table*|stand*|cabinet*'], kind: 'category', slug: 'nightstand' },
  { seq: ['chest', 'of', 'drawers'], kind: 'category', slug: 'dresser' },
  { seq: ['кухонн*', 'гарнитур*|уголок|уголк*'], kind: 'category', slug: 'kitchen' },
  { seq: ['ас', 'үй*|уй*'], kind: 'category', slug: 'kitchen' },
  { seq: ['kitchen', 'set*|unit*|cabinet*'], kind: 'category', slug: 'kitchen' },
  {
    seq: [
      'журнальн*|кофейн*|обеденн*|кухонн*|сервировочн*|туалетн*|coffee|dining|side',
      'стол|стола|столу|столом|столе|столы|столов|столик*|table*',
    ],
    kind: 'category',
    slug: 'table',
    keep: [0],
  },
  { seq: ['балалар*|бала', 'жиһаз*|бөлме*'], kind: 'category', slug: 'kids' },
  { seq: ['для', 'детей|ребенка|ребенку|детской|малыша|школьника|подростка'], kind: 'category', slug: 'kids' },
  { seq: ['for', 'kids|children|child|baby'], kind: 'category', slug: 'kids' },
  // colours
  { seq: ['темно|тёмно', 'син*'], kind: 'color', slug: 'navy' },
  { seq: ['светло', 'син*|голуб*'], kind: 'color', slug: 'lightblue' },
  { seq: ['dark', 'blue'], kind: 'color', slug: 'navy' },
  { seq: ['navy', 'blue'], kind: 'color', slug: 'navy' },
  { seq: ['light|sky|baby', 'blue'], kind: 'color', slug: 'lightblue' },
  { seq: ['ашық|ашык', 'көк|кок'], kind: 'color', slug: 'lightblue' },
  { seq: ['қою|кою|күңгірт', 'көк|кок'], kind: 'color', slug: 'navy' },
  { seq: ['қызғылт|кызгылт', 'сары'], kind: 'color', slug: 'orange' },
  { seq: ['слонов*', 'кост*'], kind: 'color', slug: 'cream' },
  { seq: ['off', 'white'], kind: 'color', slug: 'cream' },
  { seq: ['цвет*|оттен*|под|тон*|color|colour|декор*', 'дуб*|oak'], kind: 'color', slug: 'oak' },
  { seq: ['дуб*', 'сонома|sonoma|крафт|беленый|беленый|молочный'], kind: 'color', slug: 'oak' },
  { seq: ['oak', 'color|colour|finish|look'], kind: 'color', slug: 'oak' },
  // materials
  { seq: ['эко|eco|искусственн*|искуственн*|иск', 'кож*'], kind: 'material', slug: 'eco_leather' },
  { seq: ['натуральн*|натур|настоящ*', 'кож*'], kind: 'material', slug: 'leather' },
  { seq: ['genuine|real|natural|full', 'leather|grain'], kind: 'material', slug: 'leather' },
  { seq: ['faux|vegan|eco|pu|fake|artificial|synthetic', 'leather'], kind: 'material', slug: 'eco_leather' },
  { seq: ['жасанды|эко', 'былғары*|былгары*|тері*'], kind: 'material', slug: 'eco_leather' },
  { seq: ['массив*|solid', 'дуб*|oak'], kind: 'material', slug: 'oak' },
  { seq: ['массив*|solid', 'сосн*|pine'], kind: 'material', slug: 'pine' },
  { seq: ['solid', 'wood'], kind: 'material', slug: 'wood' },
];

/** «светло-серый», «темно-коричневый», "dark grey": the shade word goes with the colour */
const SHADE = new Set([
  'светло',
  'темно',
  'ярко',
  'бледно',
  'насыщенно',
  'светлый',
  'light',
  'dark',
  'bright',
  'pale',
  'ашық',
  'қою',
  'ақшыл',
]);

/** words with their own meaning that typo matching must leave alone («дешевый» is not «деревый») */
function NEVER_FUZZY(word: string): boolean {
  return STOP_WORDS.has(word) || MORE_WORDS.has(word) || CHEAPER.test(word) || PRICIER.test(word) || word in SIZE_WORDS;
}

/** a pattern «шкаф*|полк*|стеллаж» compiled once: exact words and prefixes */
interface Compiled {
  readonly exact: ReadonlySet<string>;
  readonly prefixes: readonly string[];
}
function compile(pattern: Pattern): Compiled {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const alt of pattern.split('|')) {
    if (alt.endsWith('*')) prefixes.push(alt.slice(0, -1));
    else exact.add(alt);
  }
  return { exact, prefixes };
}
type CompiledPhrase = { phrase: Phrase; seq: readonly Compiled[] };
/** phrases indexed by the first letter of their first word, so each word tries only a few */
const BY_FIRST_LETTER = new Map<string, CompiledPhrase[]>();
for (const phrase of PHRASES) {
  const compiled: CompiledPhrase = { phrase, seq: phrase.seq.map(compile) };
  const letters = new Set(phrase.seq[0]!.split('|').map((alt) => alt[0]!));
  for (const letter of letters) {
    const bucket = BY_FIRST_LETTER.get(letter) ?? [];
    bucket.push(compiled);
    BY_FIRST_LETTER.set(letter, bucket);
  }
}

function matches(pattern: Compiled, word: string): boolean {
  if (pattern.exact.has(word)) return true;
  for (const p of pattern.prefixes) if (word.startsWith(p)) return true;
  return false;
}

/** Fills `used` for the tokens it takes; `keepForQuery` for category words that lost to another. */
/**
 * Kazakh colour words typed without Kazakh letters («ак», «кара», «кок») are ordinary Russian
 * syllables, so they count only when the message is Kazakh.
 */
const KK_TRANSLIT: Readonly<Record<string, SlotHit>> = {
  ак: { kind: 'color', slug: 'white' },
  кара: { kind: 'color', slug: 'black' },
  кок: { kind: 'color', slug: 'blue' },
  коныр: { kind: 'color', slug: 'brown' },
  кызгылт: { kind: 'color', slug: 'pink' },
  орындык: { kind: 'category', slug: 'chair' },
  устел: { kind: 'category', slug: 'table' },
  соре: { kind: 'category', slug: 'shelf' },
  тосек: { kind: 'category', slug: 'bed' },
  былгары: { kind: 'material', slug: 'leather' },
  агаш: { kind: 'material', slug: 'wood' },
};

export function extractSlots(tokens: readonly Token[], used: boolean[], kazakh = false): Slots {
  const slots: Slots = {};
  const words: number[] = [];
  for (let i = 0; i < tokens.length; i++) if (tokens[i]!.kind !== 'symbol' && !used[i]) words.push(i);

  const categoryHits: Array<{ slug: Category; at: number[]; weak: boolean; keep: number[] }> = [];
  const claimed = new Set<number>();

  for (let w = 0; w < words.length; w++) {
    for (const { phrase: p, seq } of BY_FIRST_LETTER.get(tokens[words[w]!]!.text[0] ?? '') ?? []) {
      if (w + seq.length > words.length) continue;
      let ok = true;
      for (let k = 0; k < seq.length; k++) {
        const idx = words[w + k]!;
        if (claimed.has(idx) || !matches(seq[k]!, tokens[idx]!.text)) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const at = p.seq.map((_, k) => words[w + k]!);
      const keep = (p.keep ?? []).map((k) => at[k]!);
      for (const idx of at) claimed.add(idx);
      if (p.kind === 'category') categoryHits.push({ slug: p.slug as Category, at, weak: false, keep });
      else assign(slots, p.kind, p.slug, at, used);
      break;
    }
  }

  for (const idx of words) {
    if (claimed.has(idx)) continue;
    const text = tokens[idx]!.text;
    if (text.length < 2 && !/^[а-яa-z]$/.test(text)) continue;
    const hit =
      lookupWord(text) ??
      (kazakh ? KK_TRANSLIT[text] : undefined) ??
      (text.length >= 4 && !NEVER_FUZZY(text) ? fuzzyLookup(text, withinOneEdit) : undefined);
    if (!hit) continue;
    claimed.add(idx);
    // «не хочу диван», «не из кожи», «без стекла», «былғары емес»: a rejected value is no criterion
    const negation = negatedBy(tokens, idx);
    if (negation.length > 0) {
      for (const k of [idx, ...negation]) used[k] = true;
      continue;
    }
    if (hit.kind === 'category') {
      categoryHits.push({ slug: hit.slug as Category, at: [idx], weak: hit.weak === true, keep: [] });
    } else {
      const at = [idx];
      const prev = words[words.indexOf(idx) - 1];
      if (hit.kind === 'color' && prev !== undefined && SHADE.has(tokens[prev]!.text) && !claimed.has(prev))
        at.push(prev);
      assign(slots, hit.kind, hit.slug, at, used);
    }
  }

  if (categoryHits.length > 0) {
    const kids = categoryHits.find((h) => h.slug === 'kids');
    const strong = categoryHits.filter((h) => !h.weak);
    const winner = kids ?? strong.sort((a, b) => a.at[0]! - b.at[0]!)[0] ?? categoryHits[0]!;
    slots.category = winner.slug;
    for (const h of categoryHits) {
      // a second, different furniture word stays in the query («диван-кровать», «детская кровать»)
      if (h !== winner && h.slug !== winner.slug && !h.weak) continue;
      for (const idx of h.at) if (!h.keep.includes(idx)) used[idx] = true;
    }
  }
  return slots;
}

/** generic materials that a more specific one overrides («ткань велюр» → velour, «дерево дуб» → oak) */
const GENERIC_MATERIAL: Partial<Record<Material, readonly Material[]>> = {
  fabric: ['velour', 'velvet', 'linen', 'boucle'],
  wood: ['oak', 'pine'],
  leather: ['eco_leather'],
};

function assign(slots: Slots, kind: SlotKind, slug: SlotHit['slug'], at: number[], used: boolean[]): void {
  if (kind === 'color' && slots.color === undefined) slots.color = slug as Color;
  if (kind === 'material') {
    const current = slots.material;
    if (current === undefined || GENERIC_MATERIAL[current]?.includes(slug as Material))
      slots.material = slug as Material;
  }
  for (const idx of at) used[idx] = true;
}

const NEGATORS = new Set(['не', 'без', 'not', 'no', 'without']);
const NEGATION_BRIDGE = new Set([
  'из',
  'хочу',
  'нужен',
  'нужна',
  'нужно',
  'надо',
  'в',
  'a',
  'an',
  'want',
  'need',
  'in',
  'made',
  'of',
  'керек',
  'подходит',
]);

/** indices of the words that negate the slot word at `idx`, or [] */
function negatedBy(tokens: readonly Token[], idx: number): number[] {
  const next = tokens[idx + 1]?.text;
  if (next === 'емес' || next === 'емeс') return [idx + 1];
  const prev = tokens[idx - 1]?.text;
  if (prev && NEGATORS.has(prev)) return [idx - 1];
  if (prev && NEGATION_BRIDGE.has(prev) && tokens[idx - 2] && NEGATORS.has(tokens[idx - 2]!.text))
    return [idx - 2, idx - 1];
  return [];
}
