import { SKU_PATTERN } from '../../engine/catalog.ts';

/**
 * SKU-friendly clean-up of OCR text. Price tags mix Cyrillic words with Latin SKUs, and a
 * Russian-trained model happily reads `SOFA-001` as `СОFА-ОО1`: Cyrillic look-alikes become Latin,
 * letters in digit groups become digits, dashes and stray spaces around them are normalised.
 */

const HOMOGLYPHS: Record<string, string> = {
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
  Ѕ: 'S',
  а: 'A',
  в: 'B',
  е: 'E',
  ё: 'E',
  к: 'K',
  м: 'M',
  н: 'H',
  о: 'O',
  р: 'P',
  с: 'C',
  т: 'T',
  у: 'Y',
  х: 'X',
  і: 'I',
  ѕ: 'S',
};
const DIGIT_LOOKALIKES: Record<string, string> = { O: '0', Q: '0', D: '0', I: '1', L: '1', Z: '2', S: '5', B: '8' };

const WORD = '[A-Za-zА-Яа-яЁёІі0-9]';
const CANDIDATE = new RegExp(`${WORD}{2,12}(?:\\s?[-–—‐‑]\\s?${WORD}{1,12}){1,3}`, 'g');

/** SKU-shaped tokens in OCR text, normalised to catalog form (upper-case Latin, ASCII dash), in order, unique. */
export function findSkus(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const sku = normaliseCandidate(match[0]);
    if (sku && !found.includes(sku)) found.push(sku);
  }
  return found;
}

export function normaliseCandidate(raw: string): string | undefined {
  const parts = raw.split(/\s?[-–—‐‑]\s?/).map((p) =>
    [...p]
      .map((ch) => HOMOGLYPHS[ch] ?? ch)
      .join('')
      .toUpperCase(),
  );
  if (parts.some((p) => /[^A-Z0-9]/.test(p))) return undefined;
  // a group of digits and digit look-alikes was meant to be all digits: «OO1» → «001»
  const fixed = parts.map((p, i) => {
    if (i === 0 || !/\d/.test(p)) return p;
    return [...p].every((c) => /\d/.test(c) || c in DIGIT_LOOKALIKES)
      ? [...p].map((c) => DIGIT_LOOKALIKES[c] ?? c).join('')
      : p;
  });
  const sku = fixed.join('-');
  return /\d/.test(sku) && SKU_PATTERN.test(sku) ? sku : undefined;
}

/** true when the text already shows a SKU exactly as the catalog writes it */
export const hasCleanSku = (text: string) =>
  text.split(/[^A-Za-z0-9-]+/).some((t) => /\d/.test(t) && SKU_PATTERN.test(t));
