import type { Token } from './normalize.ts';

/**
 * Price ranges from shopper wording: «до 150 тыс», «150к», «от 50 до 100 тысяч», «1,2 млн»,
 * "under 150k", "between 50 and 100k", «150 мың теңгеге дейін», «100 мыңнан арзан».
 *
 * Choices (documented because shoppers are vague):
 * - a number is a price only with a price cue: a unit (к/тыс/мың/млн/k), a currency (₸/тг/тенге)
 *   or a price word (до/от/дешевле/under/…); a bare number ≥ 5 000 is read as a budget ceiling;
 *   small bare numbers («на 3 человека», «2 спальная») are never prices.
 * - a cued number below 1 000 with no unit means thousands («до 150» → 150 000): nothing in a
 *   furniture catalog costs under a thousand tenge.
 * - «около / примерно / around 100 тысяч» is a window of ±20 % (80 000 – 120 000).
 * - «за 90к» and «бюджет 200 тысяч» are ceilings.
 * - «к» is a thousand only right after a number («150к», «150 к»); «к 5 числу» is a preposition.
 */

export interface PriceRange {
  min?: number;
  max?: number;
  /** the digits of a number read as a ceiling with no cue at all: it may be an article code instead */
  bare?: string;
}

type Dir = 'max' | 'min' | 'approx';

interface Amount {
  start: number;
  /** index after the last token of the amount (number + unit + currency + suffix) */
  end: number;
  value: number;
  hasUnit: boolean;
  mult: number;
  currency: boolean;
  /** Kazakh case on the amount: ablative «-нан» (from/than) or dative «-ға» (to) */
  kcase?: 'abl' | 'dat';
  dir?: Dir;
  cueTokens: number[];
}

const THOUSAND = new Set(['к', 'k', 'тыс', 'тысяч', 'тысячи', 'тысяча', 'тысячу', 'тысячей', 'тысячами', 'тысячам', 'тысячах', 'тыщ', 'тыщи', 'тыщу', 'тысяч', 'тр', 'тыр', 'thousand', 'thousands', 'thou', 'кк', 'косарей', 'косаря', 'кусков', 'куска']);
const MILLION = new Set(['млн', 'миллион', 'миллиона', 'миллионов', 'миллионом', 'лям', 'ляма', 'лямов', 'mln', 'million', 'millions', 'mil', 'm', 'миллиона']);
const CURRENCY = new Set(['тг', 'тенге', 'теңге', 'tenge', 'kzt', '₸', 'тнг', 'тңг', 'tg', 'т']);
const ABL = ['нан', 'нен', 'дан', 'ден', 'тан', 'тен'];
const DAT = ['ға', 'ге', 'қа', 'ке', 'га', 'а', 'е'];
const KK_CASE_WORDS = new Set([...ABL, 'ға', 'ге', 'қа', 'ке', 'га']);

/** words after a number that make it a size, a count or a date — never a price */
const NON_PRICE_UNIT = /^(?:м|метр\p{L}*|см|мм|сантиметр\p{L}*|миллиметр\p{L}*|человек\p{L}*|чел|персон\p{L}*|мест\p{L}*|местн\p{L}*|спальн\p{L}*|сп|двер\p{L}*|створ\p{L}*|ящик\p{L}*|секци\p{L}*|шт|штук\p{L}*|кг|числ\p{L}*|раз|минут\p{L}*|час\p{L}*|дн\p{L}*|день|дня|лет|год\p{L}*|недел\p{L}*|месяц\p{L}*|сидени\p{L}*|полок|полки|ярус\p{L}*|уровн\p{L}*|кісі\p{L}*|адам\p{L}*|орын\p{L}*|есік\p{L}*|person|persons|people|seat\p{L}*|seater|door\p{L}*|drawer\p{L}*|cm|mm|m|kg|pcs|pieces?|years?|months?|days?|weeks?|hours?|minutes?|x|х|ка|ком|ки|мин|th|st|nd|rd|й|го|ой|ая|ый|ое|е|ми|ти|ех|х|sm|kvm|кв)$/u;

const MAX_WORDS = new Set(['до', 'дешевле', 'подешевле', 'ниже', 'меньше', 'максимум', 'макс', 'max', 'maximum', 'пределах', 'бюджет', 'бюджетом', 'бюджете', 'за', 'under', 'below', 'less', 'cheaper', 'within', 'budget', 'upto', 'till', 'until', 'дейін', 'дейн', 'дейин', 'шейін', 'арзан', 'cheaperthan', 'мах', 'дишевле', 'дешевели', 'дешевше', 'lower', 'потолок', 'предел']);
const MIN_WORDS = new Set(['от', 'дороже', 'выше', 'больше', 'свыше', 'минимум', 'мин', 'min', 'minimum', 'over', 'above', 'more', 'from', 'starting', 'қымбат', 'жоғары', 'pricier', 'costlier', 'higher']);
const APPROX_WORDS = new Set(['около', 'примерно', 'приблизительно', 'где', 'районе', 'порядка', 'around', 'about', 'approximately', 'approx', 'roughly', 'circa', 'шамамен', 'шамасында', 'шамасы', 'шақты', 'ориентировочно', '~']);
/** words that may sit between a cue and the number («до 150», «дешевле чем 200к», «в пределах») */
const BRIDGE = new Set(['чем', 'в', 'по', 'цена', 'цене', 'ценой', 'цены', 'стоимость', 'стоимостью', 'price', 'priced', 'the', 'a', 'of', 'at', 'is', 'to', 'than', 'не', 'бағасы', 'баға', 'ценник', 'бюджет', 'мой', 'у', 'меня', 'до', 'где', 'то', 'за', 'тенге', 'тг', 'ом', 'budget', 'my', 'for', 'up', 'no', 'not', 'least', 'most', 'under', 'around', 'about']);

function isThousand(word: string): boolean {
  if (THOUSAND.has(word)) return true;
  return /^(?:мың|мын)/.test(word) && word.length <= 7;
}
function currencyWord(word: string): boolean {
  if (CURRENCY.has(word)) return true;
  return /^(?:теңге|тенге|тг)(?:ге|ден|нен|ге|дан|ға|сына|мен)?$/.test(word);
}
function kazakhCase(word: string): 'abl' | 'dat' | undefined {
  for (const s of ABL) if (word.endsWith(s) && word.length > s.length) return 'abl';
  if (/^(?:мың|мын|теңге|тенге|тг|к|k|млн)/.test(word)) {
    for (const s of DAT) if (word.endsWith(s) && word.length > s.length + 1) return 'dat';
  }
  return undefined;
}

/** Small word numerals that shoppers combine with a unit: «до ста тысяч», «жүз мың». */
const WORD_NUMBERS: Readonly<Record<string, number>> = {
  сто: 100, ста: 100, двести: 200, двухсот: 200, триста: 300, трехсот: 300, четыреста: 400, четырехсот: 400,
  пятьсот: 500, пятисот: 500, пятьдесят: 50, пятидесяти: 50, сорок: 40, сорока: 40, тридцать: 30, тридцати: 30,
  двадцать: 20, двадцати: 20, шестьсот: 600, семьсот: 700, восемьсот: 800, девятьсот: 900, полтора: 1.5, полторы: 1.5,
  полмиллиона: 500_000,
  жүз: 100, елу: 50, қырық: 40, отыз: 30, жиырма: 20, екі: 2, үш: 3, төрт: 4, бес: 5, алты: 6, жеті: 7, сегіз: 8, тоғыз: 9, он: 10,
  hundred: 100, fifty: 50, two: 2, three: 3, one: 1,
};

export function extractPrice(tokens: readonly Token[], used: boolean[]): PriceRange {
  const amounts = findAmounts(tokens, used);
  if (amounts.length === 0) return {};
  for (const a of amounts) attachCues(tokens, a, amounts);
  const range: PriceRange = {};
  for (let i = 0; i < amounts.length; i++) {
    const a = amounts[i]!;
    const b = amounts[i + 1];
    if (b && isRange(tokens, a, b)) {
      if (!a.hasUnit && b.hasUnit && a.value < 1000) a.value *= b.mult;
      const lo = finish(a);
      const hi = finish(b);
      if (range.min === undefined) range.min = Math.min(lo, hi);
      if (range.max === undefined) range.max = Math.max(lo, hi);
      markUsed(used, a, b);
      i++;
      continue;
    }
    const isPrice = a.hasUnit || a.currency || a.dir !== undefined || a.value >= 5000;
    if (!isPrice) continue;
    const value = finish(a);
    // phone numbers, order ids: nothing in the catalog costs half a billion
    if (value > 500_000_000) continue;
    const dir: Dir = a.dir ?? (a.kcase === 'abl' ? 'min' : 'max');
    if (dir === 'approx') {
      if (range.min === undefined) range.min = Math.round(value * 0.8);
      if (range.max === undefined) range.max = Math.round(value * 1.2);
    } else if (dir === 'min') {
      if (range.min === undefined) range.min = value;
    } else if (range.max === undefined) {
      range.max = value;
      const only = tokens[a.start];
      if (!a.hasUnit && !a.currency && a.dir === undefined && a.kcase === undefined && a.end === a.start + 1 && only?.kind === 'number') range.bare = only.text;
    }
    markUsed(used, a);
  }
  if (range.min !== undefined && range.max !== undefined && range.min > range.max) {
    const t = range.min;
    range.min = range.max;
    range.max = t;
  }
  return range;
}

function finish(a: Amount): number {
  let v = a.value * a.mult;
  if (!a.hasUnit && v < 1000) v *= 1000;
  return Math.round(v);
}

function markUsed(used: boolean[], ...amounts: Amount[]): void {
  for (const a of amounts) {
    for (let k = a.start; k < a.end; k++) used[k] = true;
    for (const c of a.cueTokens) used[c] = true;
  }
}

function findAmounts(tokens: readonly Token[], used: boolean[]): Amount[] {
  const out: Amount[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (used[i]) continue;
    let value: number | undefined;
    let j = i + 1;
    if (t.kind === 'number' && t.value !== undefined && Number.isFinite(t.value)) {
      value = t.value;
    } else if (t.kind === 'word' && WORD_NUMBERS[t.text] !== undefined) {
      value = WORD_NUMBERS[t.text]!;
      // «екі жүз мың», «двести пятьдесят тысяч»
      while (j < tokens.length && tokens[j]!.kind === 'word' && WORD_NUMBERS[tokens[j]!.text] !== undefined) {
        const w = WORD_NUMBERS[tokens[j]!.text]!;
        value = w === 100 && value < 10 ? value * 100 : value + w;
        j++;
      }
      const next = tokens[j];
      const wordUnit = next && next.kind === 'word' && (isThousand(next.text) || MILLION.has(next.text));
      if (!wordUnit && t.text !== 'полмиллиона') continue;
    } else if (t.kind === 'word' && MILLION.has(t.text) && t.text !== 'm' && !(i > 0 && tokens[i - 1]!.kind === 'number')) {
      // «до миллиона»
      out.push({ start: i, end: i + 1, value: 1, hasUnit: true, mult: 1_000_000, currency: false, cueTokens: [] });
      continue;
    } else {
      continue;
    }
    if (value === undefined) continue;
    // «номер заказа 123456», «№ 123456», "order 123456": an identifier, not a budget
    const before = tokens[i - 1]?.text ?? '';
    if (/^(?:заказ\p{L}*|номер\p{L}*|тел\p{L}*|order|phone|number|код|code|id|ид|#|№|no|nr|тапсырыс\p{L}*|нөмір\p{L}*)$/u.test(before)) {
      i = j - 1;
      continue;
    }
    // dimensions «200х90», «160 x 200»
    const after = tokens[j];
    if (after && (after.text === 'x' || after.text === 'х' || after.text === '*') && tokens[j + 1]?.kind === 'number') {
      i = j + 1;
      continue;
    }
    if (t.text === 'полмиллиона') {
      out.push({ start: i, end: j, value: 500_000, hasUnit: true, mult: 1, currency: false, cueTokens: [] });
      continue;
    }
    const a: Amount = { start: i, end: j, value, hasUnit: false, mult: 1, currency: false, cueTokens: [] };
    let k = j;
    let unitWord: Token | undefined = tokens[k];
    if (unitWord?.kind === 'word') {
      if (isThousand(unitWord.text)) {
        a.hasUnit = true;
        a.mult = 1000;
        a.kcase = kazakhCase(unitWord.text);
        k++;
      } else if (unitWord.text === 'т' && tokens[k + 1]?.text === 'р') {
        a.hasUnit = true;
        a.mult = 1000;
        k += 2;
      } else if (MILLION.has(unitWord.text) && !(unitWord.text === 'm' && !unitWord.glued)) {
        a.hasUnit = true;
        a.mult = 1_000_000;
        k++;
      }
    }
    unitWord = tokens[k];
    if (unitWord && (unitWord.kind === 'word' || unitWord.text === '₸') && currencyWord(unitWord.text)) {
      // a lone «т» is a currency only when glued or after a unit («150т»)
      if (unitWord.text !== 'т' || unitWord.glued || a.hasUnit) {
        a.currency = true;
        a.kcase = a.kcase ?? kazakhCase(unitWord.text);
        k++;
      }
    }
    // Kazakh case written with a hyphen: «50000-нан», «150к-ға»
    if (tokens[k]?.text === '-' && tokens[k + 1]?.kind === 'word' && KK_CASE_WORDS.has(tokens[k + 1]!.text)) {
      a.kcase = ABL.includes(tokens[k + 1]!.text) ? 'abl' : 'dat';
      k += 2;
    }
    if (!a.hasUnit && !a.currency) {
      const nextWord = tokens[k]?.text === '-' ? tokens[k + 1] : tokens[k];
      if (nextWord && nextWord.kind === 'word' && NON_PRICE_UNIT.test(nextWord.text)) {
        i = k;
        continue;
      }
      if (!Number.isInteger(value) && value < 10) continue;
    }
    a.end = k;
    out.push(a);
    i = k - 1;
  }
  return out;
}

/** Looks at the words just before and just after an amount for its direction. */
function attachCues(tokens: readonly Token[], a: Amount, all: readonly Amount[]): void {
  const prevEnd = all.filter((o) => o.end <= a.start).reduce((m, o) => Math.max(m, o.end), 0);
  let negated = false;
  let sawCue = false;
  for (let k = a.start - 1, seen = 0; k >= prevEnd && seen < 4; k--, seen++) {
    const w = tokens[k]!.text;
    if (w === 'не' || w === 'no' || w === 'not') {
      if (sawCue) {
        negated = true;
        a.cueTokens.push(k);
      }
      break;
    }
    const dir = cueDir(w, tokens[k - 1]?.text);
    if (dir && !sawCue) {
      a.dir = dir;
      sawCue = true;
      a.cueTokens.push(k);
      if ((w === 'to' && tokens[k - 1]?.text === 'up') || ((w === 'least' || w === 'most') && tokens[k - 1]?.text === 'at')) a.cueTokens.push(k - 1);
      if (w === 'пределах' && tokens[k - 1]?.text === 'в') a.cueTokens.push(k - 1);
      if (w === 'районе' && tokens[k - 1]?.text === 'в') a.cueTokens.push(k - 1);
      continue;
    }
    if (tokens[k]!.kind === 'symbol' && (w === '<' || w === '≤')) {
      a.dir = 'max';
      sawCue = true;
      a.cueTokens.push(k);
      continue;
    }
    if (tokens[k]!.kind === 'symbol' && (w === '>' || w === '≥')) {
      a.dir = 'min';
      sawCue = true;
      a.cueTokens.push(k);
      continue;
    }
    if (w === '-' && tokens[k]!.kind === 'symbol') continue;
    if (BRIDGE.has(w)) {
      if (sawCue || w === 'цена' || w === 'бюджет' || w === 'price' || w === 'budget' || w === 'бағасы' || w === 'чем' || w === 'than' || w === 'за' || w === 'в') a.cueTokens.push(k);
      continue;
    }
    if (sawCue) break;
    break;
  }
  if (negated && a.dir) a.dir = a.dir === 'max' ? 'min' : a.dir === 'min' ? 'max' : a.dir;
  // «примерно за 500 тысяч», «где-то до 150»: an approximation word a little further back wins
  for (let k = a.start - 1; k >= Math.max(prevEnd, a.start - 4); k--) {
    if (APPROX_WORDS.has(tokens[k]!.text)) {
      a.dir = 'approx';
      a.cueTokens.push(k);
      if (tokens[k]!.text === 'где') for (let m = k + 1; m < a.start; m++) if (tokens[m]!.text === 'то' || tokens[m]!.text === '-') a.cueTokens.push(m);
      if (tokens[k]!.text === 'районе' && tokens[k - 1]?.text === 'в') a.cueTokens.push(k - 1);
      break;
    }
  }
  // after the amount: «100 мыңнан арзан», «150 мың теңгеге дейін», "100k or less", «и выше», "100k+"
  for (let k = a.end, seen = 0; k < tokens.length && seen < 3; k++, seen++) {
    const w = tokens[k]!.text;
    if (w === 'дейін' || w === 'дейінгі' || w === 'дейінгі' || w === 'дейн' || w === 'дейин' || w === 'шейін' || w === 'арзан' || w === 'төмен' || w === 'less' || w === 'ниже' || w === 'дешевле' || w === 'максимум' || w === 'max' || w === 'арзанырақ') {
      if (a.dir === undefined || a.kcase) a.dir = 'max';
      a.cueTokens.push(k);
      break;
    }
    if (w === 'қымбат' || w === 'жоғары' || w === 'выше' || w === 'дороже' || w === 'more' || w === 'up' || w === '+' || w === 'плюс' || w === 'минимум' || w === 'қымбатырақ') {
      if (a.dir === undefined || a.kcase) a.dir = 'min';
      a.cueTokens.push(k);
      // «150 мыңнан қымбат емес» — not dearer than: a ceiling
      if (tokens[k + 1]?.text === 'емес') {
        a.dir = 'max';
        a.cueTokens.push(k + 1);
      }
      break;
    }
    if (w === 'шамасында' || w === 'шамасы' || w === 'шақты' || w === 'около' || w === 'примерно') {
      a.dir = 'approx';
      a.cueTokens.push(k);
      break;
    }
    if (w === 'и' || w === 'or' || w === 'and' || w === 'или' || w === 'теңгеге' || w === 'тенгеге' || w === 'тг' || w === 'each' || w === 'per' || w === 'piece' || w === 'за' || w === 'штуку') {
      continue;
    }
    break;
  }
  if (a.dir === undefined && a.kcase === 'abl') a.dir = 'min';
}

function cueDir(w: string, before: string | undefined): Dir | undefined {
  if (APPROX_WORDS.has(w)) return 'approx';
  if (w === 'to' && before === 'up') return 'max';
  if (w === 'least' && before === 'at') return 'min';
  if (w === 'most' && before === 'at') return 'max';
  if (w === 'than' || w === 'чем') return undefined;
  if (MAX_WORDS.has(w)) return 'max';
  if (MIN_WORDS.has(w)) return 'min';
  if (w === 'more' && before === 'no') return 'max';
  return undefined;
}

/** «от 50 до 100», «50-100 тыс», "between 50 and 100k", "from 50k to 80k", «50 мыңнан 100 мыңға дейін» */
function isRange(tokens: readonly Token[], a: Amount, b: Amount): boolean {
  const between = tokens.slice(a.end, b.start).map((t) => t.text).filter((w) => !BRIDGE.has(w) || w === 'до' || w === 'to');
  if (a.kcase === 'abl' && (b.kcase === 'dat' || b.dir === 'max') && between.length === 0) return true;
  if (between.length === 0) return false;
  if (between.length > 2) return false;
  const joined = between.join(' ');
  if (['-', 'до', 'to', 'and', 'и', 'по', '—', 'till', 'until', 'or', 'или'].includes(joined)) {
    if (joined === 'and' || joined === 'и' || joined === 'or' || joined === 'или') {
      // «между 50 и 100», "between 50 and 100k"; plain «и» needs a range opener before the first amount
      return a.dir === 'min' || tokens.slice(Math.max(0, a.start - 2), a.start).some((t) => t.text === 'between' || t.text === 'между' || t.text === 'от' || t.text === 'from');
    }
    return true;
  }
  return false;
}
