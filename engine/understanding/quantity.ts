import type { Token } from './normalize.ts';

/**
 * How many of a product the shopper asks for: «2 штуки», «две шт», «екі дана», "two pieces",
 * «возьму два», «3 таких». A number is a count only beside a count word (a unit or «таких») or
 * right after a verb of taking, so «диван на 3 человека» or «2 спальная» are never read as one.
 * The value is passed on as said — 0, -1 and 10 000 too: the engine answers what is wrong with it.
 */

/** count words; a number word with no unit counts only after a taking verb («возьму два») */
const COUNT_WORDS: Readonly<Record<string, number>> = {
  один: 1,
  одна: 1,
  одну: 1,
  одно: 1,
  два: 2,
  две: 2,
  три: 3,
  четыре: 4,
  пять: 5,
  шесть: 6,
  семь: 7,
  восемь: 8,
  девять: 9,
  десять: 10,
  пару: 2,
  пара: 2,
  оба: 2,
  обе: 2,
  both: 2,
  бір: 1,
  бир: 1,
  екі: 2,
  еки: 2,
  үш: 3,
  уш: 3,
  төрт: 4,
  торт: 4,
  бес: 5,
  алты: 6,
  жеті: 7,
  жети: 7,
  сегіз: 8,
  сегиз: 8,
  тоғыз: 9,
  тогыз: 9,
  он: 10,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

/** Kazakh collective numerals, inflected: «екеуін» (the two of them), «үшеуі», «бесеуін» */
const COLLECTIVE: readonly [RegExp, number][] = [
  [/^екеу\p{L}*$/u, 2],
  [/^(?:үшеу|ушеу)\p{L}*$/u, 3],
  [/^(?:төртеу|тортеу)\p{L}*$/u, 4],
  [/^бесеу\p{L}*$/u, 5],
  [/^алтау\p{L}*$/u, 6],
  [/^жетеу\p{L}*$/u, 7],
];
export const countWord = (w: string): number | undefined =>
  COUNT_WORDS[w] ?? COLLECTIVE.find(([form]) => form.test(w))?.[1];

/** «ещё два», «тағы екеуін», "another two" — more of it, said before the count */
const MORE_BEFORE = /^(?:еще|тағы|тагы|another)$/u;

/** «штуки», «шт», «штучку», «дана», "pcs", "pieces", «единицы» */
const UNIT = /^(?:штук\p{L}*|шт|штуч\p{L}*|дана\p{L}*|pcs|pc|pieces?|items?|units?|единиц\p{L}*|ед)$/u;
/** «3 таких», «два этих», "two of these", «екі осындай» */
const SUCH = /^(?:таких|такие|этих|these|those|осындай\p{L}*|мұндай\p{L}*|мундай\p{L}*)$/u;
/** "this one", "the one": a pronoun, not a count */
const ONE_PRONOUN = /^(?:this|that|the|which|other|another)$/u;

export interface Quantity {
  value: number;
  /** the tokens the count was read from (number, sign, unit), so they are not taken for other words */
  tokens: number[];
  /** said as more of it: «ещё два», «тағы екеуін», "two more" — added to what is in the cart */
  more?: true;
}

/**
 * The first count in `tokens`. `takes(i)` says whether token i is a verb of taking or adding
 * («беру», «возьму», "add", «аламын»), after which a bare number or number word is a count; so is
 * one after «ещё»/«тағы»/"another" when such a verb is anywhere in the message («беру ещё два»,
 * «тағы екеуін аламын»), and one before "more" ("two more please").
 */
export function findQuantity(tokens: readonly Token[], takes: (i: number) => boolean): Quantity | undefined {
  const anyTake = tokens.some((_, j) => takes(j));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const value = t.kind === 'number' ? t.value : t.kind === 'word' ? countWord(t.text) : undefined;
    if (value === undefined || !Number.isFinite(value)) continue;
    if (t.text === 'one' && ONE_PRONOUN.test(tokens[i - 1]?.text ?? '')) continue;
    const next = tokens[i + 1];
    const unit = next?.kind === 'word' && (UNIT.test(next.text) || SUCH.test(next.text));
    const afterMore = MORE_BEFORE.test(tokens[i - 1]?.text ?? '');
    const beforeMore = next?.text === 'more';
    const verbAt = i - (afterMore ? 2 : 1);
    const afterVerb = verbAt >= 0 && takes(verbAt);
    if (!unit && !afterVerb && !(afterMore && anyTake) && !beforeMore) continue;
    const used = unit || beforeMore ? [i, i + 1] : [i];
    if (afterMore) used.push(i - 1);
    const prev = tokens[i - 1];
    // «-1 шт», «минус 2»
    const negative = t.kind === 'number' && prev !== undefined && (prev.text === '-' || prev.text === 'минус');
    if (negative) used.push(i - 1);
    const more = afterMore || beforeMore ? { more: true as const } : {};
    return { value: negative ? -value : value, tokens: used, ...more };
  }
  return undefined;
}
