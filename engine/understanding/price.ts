import { type Amount, type Dir, findAmounts, unitMultiplier } from './amount.ts';
import type { Token } from './normalize.ts';
import { APPROX_WORDS, BRIDGE, MAX_WORDS, MIN_WORDS } from './priceWords.ts';

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
  /**
   * the digits of a number read as a ceiling with no cue at all («000123456»), or of two read as a
   * range only because of a dash between them («7701-55»): it may be an article code instead
   */
  bare?: string;
}

export function extractPrice(tokens: readonly Token[], used: boolean[]): PriceRange {
  const amounts = findAmounts(tokens, used);
  if (amounts.length === 0) return {};
  for (const a of amounts) attachCues(tokens, a, amounts);
  const range: PriceRange = {};
  for (let i = 0; i < amounts.length; i++) {
    const a = amounts[i]!;
    const b = amounts[i + 1];
    if (b && isRange(tokens, a, b)) {
      if (isBareDashPair(tokens, a, b)) range.bare = `${tokens[a.start]!.text}-${tokens[b.start]!.text}`;
      if (!a.hasUnit && b.hasUnit && a.value < 1000) a.value *= b.mult;
      const lo = finish(a);
      const hi = finish(b);
      if (range.min === undefined) range.min = Math.min(lo, hi);
      if (range.max === undefined) range.max = Math.max(lo, hi);
      markUsed(used, a, b);
      i++;
      continue;
    }
    const isPrice = a.wordOnly
      ? a.dir !== undefined
      : a.hasUnit || a.currency || a.dir !== undefined || a.value >= 5000;
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
      if (
        !a.hasUnit &&
        !a.currency &&
        a.dir === undefined &&
        a.kcase === undefined &&
        a.end === a.start + 1 &&
        only?.kind === 'number'
      )
        range.bare = only.text;
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

/** «7701-55»: two plain numbers joined by a dash and nothing else — no unit, currency, case or price word */
function isBareDashPair(tokens: readonly Token[], a: Amount, b: Amount): boolean {
  const plain = (x: Amount) =>
    !x.hasUnit && !x.currency && x.dir === undefined && x.kcase === undefined && x.end === x.start + 1;
  const dash = tokens[a.end];
  return (
    plain(a) &&
    plain(b) &&
    b.start === a.end + 1 &&
    dash?.text === '-' &&
    dash.glued === true &&
    tokens[b.start]!.glued === true &&
    tokens[a.start]!.kind === 'number' &&
    tokens[b.start]!.kind === 'number'
  );
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
      // the unit said first: «тысяч до ста пятидесяти», «миллиона до полутора»
      const lead = k > prevEnd ? unitMultiplier(tokens[k - 1]?.text) : undefined;
      if (lead !== undefined && !a.hasUnit) {
        a.hasUnit = true;
        a.mult = lead;
        a.cueTokens.push(k - 1);
      }
      if (
        (w === 'to' && tokens[k - 1]?.text === 'up') ||
        ((w === 'least' || w === 'most') && tokens[k - 1]?.text === 'at')
      )
        a.cueTokens.push(k - 1);
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
      if (
        sawCue ||
        w === 'цена' ||
        w === 'бюджет' ||
        w === 'price' ||
        w === 'budget' ||
        w === 'бағасы' ||
        w === 'чем' ||
        w === 'than' ||
        w === 'за' ||
        w === 'в'
      )
        a.cueTokens.push(k);
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
      if (tokens[k]!.text === 'где')
        for (let m = k + 1; m < a.start; m++)
          if (tokens[m]!.text === 'то' || tokens[m]!.text === '-') a.cueTokens.push(m);
      if (tokens[k]!.text === 'районе' && tokens[k - 1]?.text === 'в') a.cueTokens.push(k - 1);
      break;
    }
  }
  // after the amount: «100 мыңнан арзан», «150 мың теңгеге дейін», "100k or less", «и выше», "100k+"
  for (let k = a.end, seen = 0; k < tokens.length && seen < 3; k++, seen++) {
    const w = tokens[k]!.text;
    if (
      w === 'дейін' ||
      w === 'дейінгі' ||
      w === 'дейінгі' ||
      w === 'дейн' ||
      w === 'дейин' ||
      w === 'шейін' ||
      w === 'арзан' ||
      w === 'төмен' ||
      w === 'less' ||
      w === 'ниже' ||
      w === 'дешевле' ||
      w === 'максимум' ||
      w === 'max' ||
      w === 'арзанырақ'
    ) {
      if (a.dir === undefined || a.kcase) a.dir = 'max';
      a.cueTokens.push(k);
      break;
    }
    if (
      w === 'қымбат' ||
      w === 'жоғары' ||
      w === 'выше' ||
      w === 'дороже' ||
      (w === 'more' && (a.hasUnit || a.currency || a.value >= 100 || tokens[k + 1]?.text === 'than')) ||
      w === 'up' ||
      w === '+' ||
      w === 'плюс' ||
      w === 'минимум' ||
      w === 'қымбатырақ'
    ) {
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
    if (
      w === 'и' ||
      w === 'or' ||
      w === 'and' ||
      w === 'или' ||
      w === 'теңгеге' ||
      w === 'тенгеге' ||
      w === 'тг' ||
      w === 'each' ||
      w === 'per' ||
      w === 'piece' ||
      w === 'за' ||
      w === 'штуку'
    ) {
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
  const between = tokens
    .slice(a.end, b.start)
    .map((t) => t.text)
    .filter((w) => !BRIDGE.has(w) || w === 'до' || w === 'to');
  if (a.kcase === 'abl' && (b.kcase === 'dat' || b.dir === 'max') && between.length === 0) return true;
  if (between.length === 0) return false;
  if (between.length > 2) return false;
  const joined = between.join(' ');
  if (['-', 'до', 'to', 'and', 'и', 'по', '—', 'till', 'until', 'or', 'или'].includes(joined)) {
    if (joined === 'and' || joined === 'и' || joined === 'or' || joined === 'или') {
      // «между 50 и 100», "between 50 and 100k"; plain «и» needs a range opener before the first amount
      return (
        a.dir === 'min' ||
        tokens
          .slice(Math.max(0, a.start - 2), a.start)
          .some((t) => t.text === 'between' || t.text === 'между' || t.text === 'от' || t.text === 'from')
      );
    }
    return true;
  }
  return false;
}
