import type { Token } from './normalize.ts';

/**
 * Reading the amounts in a message for price.ts: a number or number words («двести пятьдесят»,
 * «екі жүз») with its unit (к/тыс/мың/млн), currency (₸/тг/тенге) and Kazakh case ending.
 * Kept apart from price.ts because what counts as an amount (and what is a size, a count or an
 * order number instead) is independent of which way the shopper's price words point.
 */

/** which way a price cue points: a ceiling, a floor or a window around the amount */
export type Dir = 'max' | 'min' | 'approx';

export interface Amount {
  start: number;
  /** index after the last token of the amount (number + unit + currency + suffix) */
  end: number;
  value: number;
  hasUnit: boolean;
  mult: number;
  currency: boolean;
  /** Kazakh case on the amount: ablative «-нан» (from/than) or dative «-ға» (to) */
  kcase?: 'abl' | 'dat';
  /** set by price.ts from the words around the amount; undefined when nothing points a way */
  dir?: Dir;
  /** indices of the cue words that belong to this amount, so they are marked used with it */
  cueTokens: number[];
  /** number words with no unit («до ста пятидесяти»): a price only after a price cue */
  wordOnly?: boolean;
}

const THOUSAND = new Set([
  'к',
  'k',
  'тыс',
  'тысяч',
  'тысячи',
  'тысяча',
  'тысячу',
  'тысячей',
  'тысячами',
  'тысячам',
  'тысячах',
  'тыщ',
  'тыщи',
  'тыщу',
  'тысяч',
  'тр',
  'тыр',
  'thousand',
  'thousands',
  'thou',
  'кк',
  'косарей',
  'косаря',
  'кусков',
  'куска',
]);
const MILLION = new Set([
  'млн',
  'миллион',
  'миллиона',
  'миллионов',
  'миллионом',
  'лям',
  'ляма',
  'лямов',
  'mln',
  'million',
  'millions',
  'mil',
  'm',
  'миллиона',
]);
const CURRENCY = new Set(['тг', 'тенге', 'теңге', 'tenge', 'kzt', '₸', 'тнг', 'тңг', 'tg', 'т']);
const ABL = ['нан', 'нен', 'дан', 'ден', 'тан', 'тен'];
const DAT = ['ға', 'ге', 'қа', 'ке', 'га', 'а', 'е'];
/** Kazakh case words that follow a hyphen: «50000-нан», «150к-ға» */
const KK_CASE_WORDS = new Set([...ABL, 'ға', 'ге', 'қа', 'ке', 'га']);

/** words after a number that make it a size, a count or a date — never a price */
const NON_PRICE_UNIT =
  /^(?:м|метр\p{L}*|см|мм|сантиметр\p{L}*|миллиметр\p{L}*|человек\p{L}*|чел|персон\p{L}*|мест\p{L}*|местн\p{L}*|спальн\p{L}*|сп|двер\p{L}*|створ\p{L}*|ящик\p{L}*|секци\p{L}*|шт|штук\p{L}*|кг|числ\p{L}*|раз|минут\p{L}*|час\p{L}*|дн\p{L}*|день|дня|лет|год\p{L}*|недел\p{L}*|месяц\p{L}*|сидени\p{L}*|полок|полки|ярус\p{L}*|уровн\p{L}*|кісі\p{L}*|адам\p{L}*|орын\p{L}*|есік\p{L}*|person|persons|people|seat\p{L}*|seater|door\p{L}*|drawer\p{L}*|cm|mm|m|kg|pcs|pieces?|years?|months?|days?|weeks?|hours?|minutes?|x|х|ка|ком|ки|мин|th|st|nd|rd|й|го|ой|ая|ый|ое|е|ми|ти|ех|х|sm|kvm|кв)$/u;

/** the multiplier a unit word stands for («тысяч» 1 000, «миллионов» 1 000 000), or undefined */
export function unitMultiplier(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  if (isThousand(word)) return 1000;
  return MILLION.has(word) && word !== 'm' ? 1_000_000 : undefined;
}

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
  сто: 100,
  ста: 100,
  двести: 200,
  двухсот: 200,
  триста: 300,
  трехсот: 300,
  четыреста: 400,
  четырехсот: 400,
  пятьсот: 500,
  пятисот: 500,
  пятьдесят: 50,
  пятидесяти: 50,
  сорок: 40,
  сорока: 40,
  тридцать: 30,
  тридцати: 30,
  двадцать: 20,
  двадцати: 20,
  шестьсот: 600,
  семьсот: 700,
  восемьсот: 800,
  девятьсот: 900,
  полтора: 1.5,
  полторы: 1.5,
  полутора: 1.5,
  полмиллиона: 500_000,
  жүз: 100,
  елу: 50,
  қырық: 40,
  отыз: 30,
  жиырма: 20,
  екі: 2,
  үш: 3,
  төрт: 4,
  бес: 5,
  алты: 6,
  жеті: 7,
  сегіз: 8,
  тоғыз: 9,
  он: 10,
  hundred: 100,
  fifty: 50,
  two: 2,
  three: 3,
  one: 1,
};

/** words that are an amount with its unit: «полмиллиона», «сотка» (a hundred thousand) */
const SELF_UNIT: Readonly<Record<string, number>> = {
  полмиллиона: 500_000,
  полумиллиона: 500_000,
  полмиллион: 500_000,
  сотка: 100_000,
  сотки: 100_000,
  сотку: 100_000,
  соток: 100_000,
  соткой: 100_000,
};

/** The amounts in tokens (skipping used ones), left to right, with unit, currency and Kazakh case read; cues are attached later. */
export function findAmounts(tokens: readonly Token[], used: boolean[]): Amount[] {
  const out: Amount[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (used[i]) continue;
    let value: number | undefined;
    let wordOnly = false;
    let j = i + 1;
    if (t.kind === 'number' && t.value !== undefined && Number.isFinite(t.value)) {
      value = t.value;
    } else if (t.kind === 'word' && (WORD_NUMBERS[t.text] ?? SELF_UNIT[t.text]) !== undefined) {
      value = (WORD_NUMBERS[t.text] ?? SELF_UNIT[t.text])!;
      // «екі жүз мың», «двести пятьдесят тысяч»
      while (j < tokens.length && tokens[j]!.kind === 'word' && WORD_NUMBERS[tokens[j]!.text] !== undefined) {
        const w = WORD_NUMBERS[tokens[j]!.text]!;
        value = w === 100 && value < 10 ? value * 100 : value + w;
        j++;
      }
      const next = tokens[j];
      const wordUnit = next && next.kind === 'word' && (isThousand(next.text) || MILLION.has(next.text));
      // «до ста пятидесяти», «от ста до ста пятидесяти тысяч»: price.ts counts it only after a cue
      if (!wordUnit && SELF_UNIT[t.text] === undefined) wordOnly = true;
    } else if (
      t.kind === 'word' &&
      MILLION.has(t.text) &&
      t.text !== 'm' &&
      !(i > 0 && tokens[i - 1]!.kind === 'number')
    ) {
      // «до миллиона»
      out.push({ start: i, end: i + 1, value: 1, hasUnit: true, mult: 1_000_000, currency: false, cueTokens: [] });
      continue;
    } else {
      continue;
    }
    if (value === undefined) continue;
    // «номер заказа 123456», «№ 123456», "order 123456": an identifier, not a budget
    const before = tokens[i - 1]?.text ?? '';
    if (
      /^(?:заказ\p{L}*|номер\p{L}*|тел\p{L}*|order|phone|number|код|code|id|ид|#|№|no|nr|тапсырыс\p{L}*|нөмір\p{L}*)$/u.test(
        before,
      )
    ) {
      i = j - 1;
      continue;
    }
    // dimensions «200х90», «160 x 200»
    const after = tokens[j];
    if (after && (after.text === 'x' || after.text === 'х' || after.text === '*') && tokens[j + 1]?.kind === 'number') {
      i = j + 1;
      continue;
    }
    const whole = SELF_UNIT[t.text];
    if (whole !== undefined) {
      out.push({ start: i, end: j, value: whole, hasUnit: true, mult: 1, currency: false, cueTokens: [] });
      continue;
    }
    const a: Amount = { start: i, end: j, value, hasUnit: false, mult: 1, currency: false, cueTokens: [] };
    if (wordOnly) a.wordOnly = true;
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
