import { MAX_SKU_LENGTH, SKU_TEXT_PATTERN } from '../skuKey.ts';

/**
 * SKUs in free text: «SOFA-001», «sofa-001», «артикул sofa 001», «арт. BED-012», «SOFA 001», and the
 * retailer's own codes «ст-1/a», «УД-0042», «арт. КГ 17/3». The first part must hold a letter (so
 * «50-100» is a price range, not a SKU) and the whole must hold a digit (so «wi-fi» and «какой-то»
 * are not one). The code is passed on as typed (upper-cased): lookups compare folded keys, so a
 * Latin «a» typed for a Cyrillic «А» still finds the product. Digits-only codes («000123456») are
 * not read here — a bare number is a price unless the catalog has it as a code.
 */

const CUE = /(?:артикул\p{L}*|арт|sku|article|art|code|код|модель|model|тауар коды|№)\s*[.:#№-]?\s*$/u;
const HYPHENATED =
  /(?<![\p{L}\d-])(\p{L}[\p{L}\d]{1,11})((?:(?:[-_–/]|\.(?=\d))[\p{L}\d]{1,12}){1,3})(?![\p{L}\d]|[-/.][\p{L}\d])/gu;
const SPACED = /(?<![\p{L}\d-])(\p{L}[\p{L}\d]{1,11})[ _]+(\d{1,12}(?:[/.-][\p{L}\d]{1,12}){0,2})(?![\p{L}\d])/gu;
const DIGITS_FIRST = /(?<![\p{L}\d-])(\d[\p{L}\d]{0,11}(?:[-/.][\p{L}\d]{1,12}){0,3})(?![\p{L}\d])/gu;
const LATIN_HEAD = /^[a-z][a-z0-9]*$/i;
/** short words that come before a number in shoppers' sentences («ДО 150000», «на 6/8 персон») */
const FUNCTION_WORD =
  /^(?:до|от|за|по|на|из|под|над|для|без|про|ещ[её]|тыс|млн|тг|не|и|в|к|с|у|о|об|со|ко|во|мың|up|to|at|by|of|on|in|for)$/iu;

export interface SkuMatch {
  sku: string;
  /** where the SKU (and its «артикул» cue) sit in the input, so they can be blanked out */
  start: number;
  end: number;
}

const isCode = (sku: string) => /\d/.test(sku) && sku.length <= MAX_SKU_LENGTH && SKU_TEXT_PATTERN.test(sku);

export function findSku(text: string): SkuMatch | undefined {
  for (const m of text.matchAll(HYPHENATED)) {
    const sku = `${m[1]}${m[2]}`.replace(/[_–]/g, '-').toUpperCase();
    if (!isCode(sku)) continue;
    return withCue(text, sku, m.index ?? 0, (m.index ?? 0) + m[0].length);
  }
  for (const m of text.matchAll(DIGITS_FIRST)) {
    // «код 7701-55»: a code that starts with a digit only after a cue (else «50-100» is a price range)
    const start = m.index ?? 0;
    if (!CUE.test(text.slice(Math.max(0, start - 20), start))) continue;
    const sku = (m[1] ?? '').toUpperCase();
    if (isCode(sku)) return withCue(text, sku, start, start + m[0].length);
  }
  for (const m of text.matchAll(SPACED)) {
    const start = m.index ?? 0;
    const head = m[1] ?? '';
    const tail = m[2] ?? '';
    const cued = CUE.test(text.slice(Math.max(0, start - 20), start));
    // «SOFA 001» written in capitals is a SKU; «sofa 3» is a sofa for three. A Cyrillic head
    // («ДО 150000» typed in capitals) needs a cue or a code-like tail («КГ 17/3»).
    const capitals = head === head.toUpperCase() && tail.replace(/\D/g, '').length >= 2;
    const latinCapitals = capitals && LATIN_HEAD.test(head) && /^\d+$/.test(tail);
    // «УД 0042»: a short capital abbreviation that is no word of its own; «кр 22/1»: a slash is no price
    const shortHead = head.length <= 3 && !FUNCTION_WORD.test(head);
    const cyrillicCode = capitals && !FUNCTION_WORD.test(head) && (/[/.-]/.test(tail) || shortHead);
    const slashCode = shortHead && /^\d+\/[\p{L}\d]+$/u.test(tail);
    if (!cued && !latinCapitals && !cyrillicCode && !slashCode) continue;
    if (/^(?:under|below|over|above|from|to|up|max|min|around|about|and|between|for|in)$/i.test(head)) continue;
    // Latin codes keep their house style (SOFA-001); others are kept as typed
    const sku = (LATIN_HEAD.test(head) && /^\d+$/.test(tail) ? `${head}-${tail}` : `${head} ${tail}`).toUpperCase();
    if (!isCode(sku)) continue;
    return withCue(text, sku, start, start + m[0].length);
  }
  return undefined;
}

function withCue(text: string, sku: string, start: number, end: number): SkuMatch {
  const before = text.slice(Math.max(0, start - 20), start);
  const cue = CUE.exec(before);
  return { sku, start: cue ? start - (before.length - cue.index) : start, end };
}
