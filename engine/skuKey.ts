/**
 * Retailers' own article codes as they are: `УД-0042`, `000123456`, `КГ 17/3`, `SOFA-001`.
 * Letters (Latin or Cyrillic), digits, spaces, `/`, `.` and `-`, with at least one letter or digit.
 */
export const SKU_TEXT_PATTERN = /^[\p{L}\d](?:[\p{L}\d ./-]*[\p{L}\d])?$/u;
export const MAX_SKU_LENGTH = 40;

/** Cyrillic letters that print like Latin ones; price tags and shoppers mix them freely. */
const LOOKALIKE: Record<string, string> = {
  А: 'A',
  В: 'B',
  Е: 'E',
  Ё: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  І: 'I',
};

/**
 * The key two spellings of one code share: upper case, Cyrillic look-alikes folded to Latin,
 * and spaces, dots, slashes and dashes dropped — so «ст-1/a», «СТ-1/А» and «CT 1 A» are one code.
 * Import refuses two codes of one city with the same key; every lookup compares keys.
 */
export function skuKey(sku: string): string {
  return sku
    .toUpperCase()
    .replace(/[АВЕЁКМНОРСТУХІ]/g, (ch) => LOOKALIKE[ch] ?? ch)
    .replace(/[\s./\-–—_]+/g, '');
}

/** A code as stored: trimmed, inner whitespace runs collapsed to one space, upper case. */
export const normalizeSku = (sku: string): string => sku.trim().replace(/\s+/g, ' ').toUpperCase();
