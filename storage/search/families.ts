/**
 * Words shoppers use for what a product is for or has, and the words catalogs write for the same
 * thing. The `russian` stemmer leaves these apart: «для кухни» is `кухн`, the name says «кухонный»
 * (`кухон`); «для книг» / «книжный»; «ребенку» / «детская»; «тумбочка» / «тумба»; «белья» stems to
 * `бел`, which would find every white product. A query word that belongs to a family is searched
 * by the family's prefixes (unstemmed), in every language the family lists.
 */
type Family = {
  /** a query word belongs when it starts with one of these */
  readonly triggers: readonly string[];
  /** prefixes searched instead (`simple` configuration, so no stemmer widens them) */
  readonly prefixes: readonly string[];
};

const FAMILIES: readonly Family[] = [
  // purposes and rooms
  { triggers: ['кухн', 'кухон', 'kitchen'], prefixes: ['кухн', 'кухон', 'kitchen'] },
  { triggers: ['книг', 'книж', 'book', 'кітап'], prefixes: ['книг', 'книж', 'book', 'кітап'] },
  {
    triggers: ['ванн', 'санузел', 'санузл', 'bathroom', 'bath', 'жуынатын'],
    prefixes: ['ванн', 'санузл', 'bathroom', 'жуынатын'],
  },
  {
    triggers: ['детск', 'детей', 'дети', 'детям', 'ребен', 'малыш', 'школьн', 'подрост', 'kid', 'child', 'балалар'],
    prefixes: ['детск', 'детей', 'дети', 'ребен', 'малыш', 'школьн', 'подрост', 'kid', 'child', 'балалар'],
  },
  { triggers: ['спальн', 'bedroom', 'жатын'], prefixes: ['спальн', 'bedroom', 'жатын'] },
  {
    triggers: ['прихож', 'коридор', 'hallway', 'кіреберіс', 'дәліз'],
    prefixes: ['прихож', 'коридор', 'hallway', 'кіреберіс', 'дәліз'],
  },
  { triggers: ['гостин', 'living'], prefixes: ['гостин', 'living'] },
  { triggers: ['офис', 'office'], prefixes: ['офис', 'office'] },
  // furniture named in Kazakh or English next to a category word of the other language
  { triggers: ['төсе', 'кереует', 'bed'], prefixes: ['кроват', 'төсек', 'кереует', 'bed'] },
  { triggers: ['орындық', 'chair', 'stool'], prefixes: ['стул', 'табурет', 'орындық', 'chair'] },
  { triggers: ['үстел', 'table'], prefixes: ['стол', 'үстел', 'table'] },
  { triggers: ['обеден', 'dining'], prefixes: ['обеден', 'dining'] },
  // parts and features
  { triggers: ['зеркал', 'mirror', 'айна'], prefixes: ['зеркал', 'mirror', 'айна'] },
  { triggers: ['бель', 'linen', 'storage'], prefixes: ['бель', 'linen', 'storage'] },
  { triggers: ['ящик', 'ящич', 'drawer', 'тартпа'], prefixes: ['ящик', 'ящич', 'drawer', 'тартпа'] },
  { triggers: ['подъем', 'подьем', 'lift'], prefixes: ['подъем', 'подьем', 'lift'] },
  { triggers: ['полок', 'полк', 'полоч', 'shel'], prefixes: ['полок', 'полк', 'полоч', 'shel'] },
  { triggers: ['двер', 'door', 'есік'], prefixes: ['двер', 'door', 'есік'] },
  { triggers: ['человек', 'персон', 'people', 'person', 'кісі'], prefixes: ['человек', 'персон', 'people', 'person'] },
  { triggers: ['кругл', 'round', 'дөңгелек'], prefixes: ['кругл', 'round', 'дөңгелек'] },
  { triggers: ['раскладн', 'раздвижн', 'folding', 'extendable'], prefixes: ['раскладн', 'раздвижн', 'folding'] },
  { triggers: ['углов', 'corner', 'бұрыш'], prefixes: ['углов', 'угол', 'corner', 'бұрыш'] },
  { triggers: ['мягк', 'soft', 'жұмсақ'], prefixes: ['мягк', 'soft', 'жұмсақ'] },
  { triggers: ['обув', 'shoe', 'аяқкиім'], prefixes: ['обув', 'shoe'] },
  { triggers: ['раковин', 'sink', 'мойдодыр'], prefixes: ['раковин', 'sink'] },
];

/**
 * Diminutives and endearments name the same thing («диванчик», «комодик», «кроватка»,
 * «тумбочка», «серенький»): the base is searched too. Longest suffix first; the base must stay
 * long enough to mean something.
 */
const DIMINUTIVE = /^(\p{L}{3,}?)(?:еньк|оньк|очк|ечк|чик|ик|к)(?:а|и|у|ой|ом|е|ий|ая|ое|ие|ую|ого|их)?$/u;
const DIMINUTIVE_BASES =
  /^(?:диван|комод|стол|стул|шкаф|кресл|тумб|кроват|пуф|полоч|сер|бел|черн|красн|син|зелен|розов)/u;

/** words that say a product is for children: such goods come after the rest unless asked for */
export const AUDIENCE_PREFIXES: readonly string[] = FAMILIES.find((f) => f.triggers.includes('детск'))!.prefixes;

/** extra prefixes a query word is searched by (empty when it has none beyond its own stem) */
export function familyPrefixes(word: string): string[] {
  const out = new Set<string>();
  for (const family of FAMILIES) {
    if (family.triggers.some((t) => word.startsWith(t))) for (const p of family.prefixes) out.add(p);
  }
  const base = DIMINUTIVE.exec(word)?.[1];
  if (base && base !== word && DIMINUTIVE_BASES.test(base)) {
    // «тумбочка» → «тумб», «кроватка» → «кроват», «серенький» → «сер»
    out.add(base.replace(/[оеь]$/u, ''));
  }
  return [...out];
}

/** the family prefixes stand in for the word itself: its stem would widen it (`белья` → `бел`) */
export function replacesStem(word: string): boolean {
  return word.startsWith('бель');
}
