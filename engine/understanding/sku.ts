import { SKU_PATTERN } from '../catalog.ts';

/**
 * SKUs in free text: «SOFA-001», «sofa-001», «артикул sofa 001», «арт. BED-012», «SOFA 001».
 * The first part must hold a Latin letter (so «50-100» is a price range, not a SKU) and the
 * whole must hold a digit (so «wi-fi» is not one).
 */

const CUE = /(?:артикул\p{L}*|арт|sku|article|art|code|код|модель|model|тауар коды|№)\s*[.:#№-]?\s*$/u;
const HYPHENATED = /(?<![\p{L}\d-])([a-z][a-z0-9]{1,11})((?:[-_–][a-z0-9]{1,12}){1,3})(?![\p{L}\d])/giu;
const SPACED = /(?<![\p{L}\d-])([a-z][a-z0-9]{1,11})[ _]+(\d{1,12})(?![\p{L}\d])/giu;

export interface SkuMatch {
  sku: string;
  /** where the SKU (and its «артикул» cue) sit in the input, so they can be blanked out */
  start: number;
  end: number;
}

export function findSku(text: string): SkuMatch | undefined {
  for (const m of text.matchAll(HYPHENATED)) {
    const sku = `${m[1]}${m[2]}`.replace(/[_–]/g, '-').toUpperCase();
    if (!/\d/.test(sku) || !SKU_PATTERN.test(sku)) continue;
    return withCue(text, sku, m.index ?? 0, (m.index ?? 0) + m[0].length);
  }
  for (const m of text.matchAll(SPACED)) {
    const start = m.index ?? 0;
    const head = m[1] ?? '';
    const cued = CUE.test(text.slice(Math.max(0, start - 20), start));
    // «SOFA 001» written in capitals is a SKU; «sofa 3» is a sofa for three
    const capitals = head === head.toUpperCase() && /[A-Z]/.test(head) && (m[2] ?? '').length >= 2;
    if (!cued && !capitals) continue;
    if (/^(?:under|below|over|above|from|to|up|max|min|around|about|and|between|for|in)$/i.test(head)) continue;
    const sku = `${head}-${m[2]}`.toUpperCase();
    if (!SKU_PATTERN.test(sku)) continue;
    return withCue(text, sku, start, start + m[0].length);
  }
  return undefined;
}

function withCue(text: string, sku: string, start: number, end: number): SkuMatch {
  const before = text.slice(Math.max(0, start - 20), start);
  const cue = CUE.exec(before);
  return { sku, start: cue ? start - (before.length - cue.index) : start, end };
}
