import { MAX_SKU_LENGTH, normalizeSku, SKU_TEXT_PATTERN } from '../../../engine/skuKey.ts';

/**
 * The SKU of a 1C good: its `Артикул` as the retailer wrote it (`УД-0042`, `000123456`, `КГ 17/3`),
 * with characters a code may not hold (`*`, `#`, `_`, …) read as dashes. `Артикул` is optional in
 * 1C; a good without one (or with one no code can be made of) is known by its `Ид`.
 */
export function skuFromArticle(article: string | undefined): string | undefined {
  if (!article) return undefined;
  const cleaned = normalizeSku(article.replace(/[^\p{L}\d ./-]+/gu, '-'))
    .replace(/^[\s./-]+|[\s./-]+$/g, '')
    .replace(/-{2,}/g, '-');
  return cleaned.length <= MAX_SKU_LENGTH && SKU_TEXT_PATTERN.test(cleaned) ? cleaned : undefined;
}

/** a code made of the 1C Ид: a GUID fits; anything longer keeps its last characters (the distinct part) */
export function skuFromId(id: string): string {
  const cleaned = skuFromArticle(id.replace(/#/g, '/')) ?? id.replace(/[^\p{L}\d]+/gu, '');
  return cleaned.length <= MAX_SKU_LENGTH ? cleaned : cleaned.slice(-MAX_SKU_LENGTH).replace(/^[\s./-]+/, '');
}

/** a variant's code: its own Артикул when it has one the good does not, else the good's code and a short mark */
export function variantSku(baseSku: string, offerArticle: string | undefined, characteristicId: string): string {
  const own = skuFromArticle(offerArticle);
  if (own && own !== baseSku) return own;
  const mark =
    characteristicId
      .replace(/[^0-9a-z]/gi, '')
      .slice(0, 6)
      .toUpperCase() || 'V';
  const head = baseSku.slice(0, MAX_SKU_LENGTH - mark.length - 1).replace(/[\s./-]+$/, '');
  return `${head}/${mark}`;
}
