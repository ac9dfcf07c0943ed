import type { Token } from './normalize.ts';
import type { Phrase, Sense, Vocabulary } from './vocabulary.ts';
import { lookupWord } from './wordLookup.ts';
import { CHEAPER, MORE_WORDS, PRICIER, SIZE_WORDS, STOP_WORDS } from './words.ts';

/**
 * Category, colour and material from tokens, read through the catalog's vocabulary: phrases first
 * («стеллаж для книг», «тумба под ТВ», «тёмно-синий», «дуб сонома»), then single words (inflected,
 * in either alphabet, or one typo away).
 *
 * Readings (documented, since shoppers are vague):
 * - a word that is both a colour and a material («дуб») is the material, and the colour after a
 *   colour word («цвета дуб», «под дуб», "oak finish");
 * - of several categories the first kind of furniture wins and the others stay in the query
 *   («диван-кровать»); a collection by audience or room («Детская мебель», «Мебель для ванной»)
 *   wins over a kind of furniture, which stays in the query («детская кровать»); an adjective
 *   («кухонный», «журнальный») gives way to a noun and then stays in the query as a ranking word;
 * - of two materials the one later in the taxonomy wins: a retailer lists the general material
 *   before its kinds («ткань велюр» → велюр);
 * - a rejected value («не из кожи», «без стекла», «былғары емес») is no criterion.
 */

export interface Slots {
  category?: string;
  color?: string;
  material?: string;
}

/** «светло-серый», «темно-коричневый», "dark grey": the shade word goes with the colour */
const SHADE = new Set('светло темно ярко бледно насыщенно светлый light dark bright pale ашық қою ақшыл'.split(' '));
const COLOUR_BEFORE = /^(?:цвет\p{L}*|оттен\p{L}*|под|тон\p{L}*|color|colour|декор\p{L}*)$/u;
const COLOUR_AFTER = /^(?:color|colour|finish|look|түст\p{L}*|түсі)$/u;
const KIND_ORDER: Readonly<Record<string, number>> = { category: 0, material: 1, color: 2 };

/** words with their own meaning that spelling and typo matching leave alone («дешевый» is not «деревый») */
function neverFuzzy(word: string): boolean {
  return STOP_WORDS.has(word) || MORE_WORDS.has(word) || CHEAPER.test(word) || PRICIER.test(word) || word in SIZE_WORDS;
}

type CategoryHit = { sense: Sense; at: number[] };

export function extractSlots(tokens: readonly Token[], used: boolean[], vocabulary: Vocabulary, kazakh = false): Slots {
  const slots: Slots = {};
  const words: number[] = [];
  for (let i = 0; i < tokens.length; i++) if (tokens[i]!.kind !== 'symbol' && !used[i]) words.push(i);
  const ids = words.map((idx) => {
    const { text, kind } = tokens[idx]!;
    if (kind !== 'word' || (text.length < 2 && !/^[а-яa-z]$/.test(text))) return [];
    return lookupWord(vocabulary, text, kazakh, neverFuzzy(text));
  });
  const claimed = new Set<number>();
  const categoryHits: CategoryHit[] = [];
  let materialOrder = -1;
  const place = (sense: Sense, at: number[]) => {
    if (sense.kind === 'category') return void categoryHits.push({ sense, at });
    if (sense.kind === 'color') slots.color ??= sense.slug;
    else if (sense.kind !== 'material')
      return; // other attributes stay in the query as search words
    else if (sense.order > materialOrder) {
      slots.material = sense.slug;
      materialOrder = sense.order;
    }
    for (const idx of at) used[idx] = true;
  };

  for (let w = 0; w < words.length; w++) {
    const phrase = longestPhrase(vocabulary, ids, claimed, w);
    if (!phrase) continue;
    const at: number[] = [];
    for (let k = 0; k < phrase.words.length; k++) {
      claimed.add(w + k);
      at.push(words[w + k]!);
    }
    place(phrase.sense, at);
  }

  for (let w = 0; w < words.length; w++) {
    if (claimed.has(w)) continue;
    const senses = ids[w]!.flatMap((id) => vocabulary.senses[id]!);
    if (senses.length === 0) continue;
    claimed.add(w);
    const idx = words[w]!;
    // «не хочу диван», «не из кожи», «без стекла», «былғары емес»: a rejected value is no criterion
    const negation = negatedBy(tokens, idx);
    if (negation.length > 0) {
      for (const k of [idx, ...negation]) used[k] = true;
      continue;
    }
    const before = w > 0 && !claimed.has(w - 1) ? words[w - 1] : undefined;
    const after = words[w + 1];
    const cue =
      (before !== undefined && COLOUR_BEFORE.test(tokens[before]!.text)) ||
      (after !== undefined && COLOUR_AFTER.test(tokens[after]!.text));
    const sense = choose(senses, cue);
    const at = [idx];
    if (sense.kind === 'color' && before !== undefined && (cue || SHADE.has(tokens[before]!.text))) at.push(before);
    place(sense, at);
  }

  if (categoryHits.length > 0) {
    const strong = categoryHits.filter((h) => !h.sense.weak).sort((a, b) => a.at[0]! - b.at[0]!);
    const winner = categoryHits.find((h) => h.sense.collection) ?? strong[0] ?? categoryHits[0]!;
    slots.category = winner.sense.slug;
    for (const h of categoryHits) {
      // a different kind of furniture, or an adjective beside its noun, stays in the query
      if (h !== winner && (h.sense.slug !== winner.sense.slug || h.sense.weak)) continue;
      for (const idx of h.at) used[idx] = true;
    }
  }
  return slots;
}

/** the longest phrase starting at word `w` whose words are all there and unclaimed */
function longestPhrase(
  vocabulary: Vocabulary,
  ids: readonly (readonly number[])[],
  claimed: ReadonlySet<number>,
  w: number,
): Phrase | undefined {
  if (claimed.has(w)) return undefined;
  let best: Phrase | undefined;
  for (const id of ids[w]!) {
    for (const p of vocabulary.phrases.get(id) ?? []) {
      if (
        best &&
        (p.words.length < best.words.length || (p.words.length === best.words.length && !better(p.sense, best.sense)))
      )
        continue;
      if (w + p.words.length > ids.length) continue;
      let k = 1;
      while (k < p.words.length && !claimed.has(w + k) && ids[w + k]!.includes(p.words[k]!)) k++;
      if (k === p.words.length) best = p;
    }
  }
  return best;
}

const better = (a: Sense, b: Sense): boolean => a.rank < b.rank || (a.rank === b.rank && a.order < b.order);

/** what one word means here: a colour after a colour word, else category, material, colour; a name over a synonym */
function choose(senses: readonly Sense[], colourCue: boolean): Sense {
  const colours = colourCue ? senses.filter((s) => s.kind === 'color') : [];
  const pool = colours.length > 0 ? colours : senses;
  let best = pool[0]!;
  for (const s of pool) {
    const kind = (KIND_ORDER[s.kind] ?? 3) - (KIND_ORDER[best.kind] ?? 3);
    if (kind < 0 || (kind === 0 && better(s, best))) best = s;
  }
  return best;
}

const NEGATORS = new Set(['не', 'без', 'not', 'no', 'without']);
const NEGATION_BRIDGE = new Set('из хочу нужен нужна нужно надо в a an want need in made of керек подходит'.split(' '));

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
