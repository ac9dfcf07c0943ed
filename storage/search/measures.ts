import { familyPrefixes } from './families.ts';

/**
 * Sizes and counts in a query, as catalogs write them in names and descriptions: «160 на 200»,
 * «160х200», «1,6 на 2 метра» (the name says «160×200»), «180 см», «2 метра» (a 200 cm wide
 * wardrobe), «на 6 человек» (the description says «на 6 персон»), «на три двери», «6 полок».
 * Each becomes a phrase of adjacent words, so «160 на 200» does not find any product that merely
 * has a 160 and a 200 somewhere. Prices never get here: the brain took them out as slots, and a
 * number without a unit or a counted word stays ignored.
 */
export type Measures = {
  /** tsquery phrases (digits and prefix terms only, safe to bind) with the words they came from */
  phrases: { query: string; label: string }[];
  /** the text with the measures taken out */
  rest: string;
};

const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
const UNIT = String.raw`(см|cm|мм|mm|м|m|метр\p{L}*|meters?|metres?)`;
const END = String.raw`(?![\p{L}\p{N}])`;
const PAIR = new RegExp(
  String.raw`${NUMBER}\s*(?:[xх×*]|\s+на\s+|\s+by\s+|\s+)\s*${NUMBER}(?:\s*${UNIT})?${END}`,
  'gu',
);
const SINGLE = new RegExp(String.raw`${NUMBER}\s*${UNIT}${END}`, 'gu');
const WORD_COUNTS: Readonly<Record<string, number>> = {
  один: 1,
  одна: 1,
  два: 2,
  две: 2,
  двух: 2,
  три: 3,
  трех: 3,
  четыре: 4,
  четырех: 4,
  пять: 5,
  пяти: 5,
  шесть: 6,
  шести: 6,
  семь: 7,
  восемь: 8,
  восьми: 8,
  десять: 10,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  eight: 8,
};
/** what catalogs count: doors, shelves, drawers, sections, seats for people */
const COUNTED = /^(?:двер|door|персон|человек|people|person|кісі|полок|полк|shel|ящик|drawer|створ|секци)/u;
const COUNT = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(\d{1,2}|${Object.keys(WORD_COUNTS).join('|')})\s+(\p{L}{3,})${END}`,
  'gu',
);

/** centimetres from a number and its unit; undefined when it is no furniture size */
function centimetres(raw: string, unit: string | undefined, bothSmall: boolean): number | undefined {
  const value = Number(raw.replace(',', '.'));
  let cm = value;
  if (unit && /^(?:м|m|метр|meter|metre)/u.test(unit)) cm = value * 100;
  else if (unit === 'мм' || unit === 'mm') cm = value / 10;
  else if (!unit && bothSmall) cm = value * 100;
  const rounded = Math.round(cm);
  return Math.abs(cm - rounded) < 1e-6 && rounded >= 10 && rounded <= 999 ? rounded : undefined;
}

export function findMeasures(text: string): Measures {
  const phrases: Measures['phrases'] = [];
  let rest = text.replace(PAIR, (whole, a: string, b: string, unit: string | undefined) => {
    const small = Number(a.replace(',', '.')) < 10 && Number(b.replace(',', '.')) < 10;
    const x = centimetres(a, unit, small);
    const y = centimetres(b, unit, small);
    if (x === undefined || y === undefined) return whole;
    phrases.push({ query: `${x} <-> ${y}`, label: whole.trim() });
    return ' ';
  });
  rest = rest.replace(SINGLE, (whole, a: string, unit: string) => {
    const cm = centimetres(a, unit, false);
    if (cm === undefined) return whole;
    phrases.push({ query: String(cm), label: whole.trim() });
    return ' ';
  });
  rest = rest.replace(COUNT, (whole, n: string, word: string) => {
    const count = WORD_COUNTS[n] ?? Number(n);
    const prefixes = familyPrefixes(word);
    if (!(count >= 1 && count <= 20) || !COUNTED.test(word) || prefixes.length === 0) return whole;
    phrases.push({ query: `${count} <-> (${prefixes.map((p) => `${p}:*`).join(' | ')})`, label: whole.trim() });
    return ' ';
  });
  return { phrases, rest };
}
