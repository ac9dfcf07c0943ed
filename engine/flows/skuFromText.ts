import { SKU_PATTERN } from '../catalog.ts';
import { MAX_SKU_LENGTH, SKU_TEXT_PATTERN, normalizeSku } from '../skuKey.ts';

/**
 * Finds a SKU in OCR text from a price tag or label: `SOFA-001`, «Артикул: BED-0042», «арт. KZ-TBL-7»,
 * "SKU: …". Tolerates typical OCR noise: Cyrillic look-alike letters, spaces around the dash,
 * O/o read for 0 and I/l for 1 in the digit part.
 */
const LOOKALIKE: Record<string, string> = {
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  У: 'Y',
  І: 'I',
};
const LABEL = /(?:артикул|арт\.?|sku|art\.?|код\s+товара|код)\s*[:№#]?\s*/iu;
const CANDIDATE = /[A-Z0-9]{2,12}(?:-[A-Z0-9]{1,12}){1,3}/g;

function latinise(text: string): string {
  return text
    .toUpperCase()
    .replace(/[АВЕКМНОРСТХУІ]/g, (ch) => LOOKALIKE[ch] ?? ch)
    .replace(/\s*[-–—‐]\s*/g, '-');
}

/** digit-like segments: O→0, I/L→1 when most of the segment is already digits */
function fixDigits(sku: string): string {
  return sku
    .split('-')
    .map((part, i) => {
      if (i === 0) return part;
      const digits = [...part].filter((c) => c >= '0' && c <= '9').length;
      return digits * 2 >= part.length ? part.replace(/O/g, '0').replace(/[IL]/g, '1') : part;
    })
    .join('-');
}

function candidates(text: string): string[] {
  return [...latinise(text).matchAll(CANDIDATE)].map((m) => fixDigits(m[0])).filter((c) => SKU_PATTERN.test(c));
}

/**
 * A retailer's own code right after its label, as printed: «КГ 17/3», «УД-0042», «000123456».
 * Words of four or more letters end it («Цена», «Диван»); it must hold a digit. Look-alike letters
 * need no fixing here: lookups compare folded keys.
 */
function retailerCode(tail: string): string | null {
  const line = tail.split('\n', 1)[0] ?? '';
  const parts: string[] = [];
  for (const token of line.trim().split(/\s+/)) {
    const word = token.replace(/[,;:]+$/, '');
    if (!/^[\p{L}\d](?:[\p{L}\d./-]*[\p{L}\d])?$/u.test(word) || (/^\p{L}{4,}$/u.test(word) && parts.length > 0)) break;
    parts.push(word);
    if (word !== token) break;
  }
  const code = normalizeSku(parts.join(' '));
  return /\d/.test(code) && code.length <= MAX_SKU_LENGTH && SKU_TEXT_PATTERN.test(code) ? code : null;
}

export function skuFromText(text: string): string | null {
  const bounded = text.slice(0, 5_000);
  const label = LABEL.exec(bounded);
  if (label) {
    const tail = bounded.slice(label.index + label[0].length, label.index + label[0].length + 60);
    const after = candidates(tail);
    if (after[0]) return after[0];
    const own = retailerCode(tail);
    if (own) return own;
  }
  // unlabelled: a letter prefix and a digit, so WI-FI and sizes such as 160-200 are not SKUs
  return candidates(bounded).find((c) => /\d/.test(c) && /[A-Z]/.test(c.split('-')[0] ?? '')) ?? null;
}
