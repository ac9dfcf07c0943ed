import { SKU_PATTERN } from '../../engine/catalog.ts';
import { skuKey } from '../../engine/skuKey.ts';
import { findMeasures } from './measures.ts';
import { STOP_WORDS } from './stopWords.ts';
import { fold } from './fold.ts';

/**
 * Turns shopper text into safe search terms. Only letters and digits survive, so SQL and
 * tsquery syntax (`'`, `&`, `|`, `!`, `:*`, `\`, `(`, …) in user text can never reach a parser —
 * every token is also bound as a parameter, never spliced into SQL.
 */
export type ParsedQuery = {
  /** folded word tokens used for matching (stop words, numbers, one-letter tokens removed) */
  tokens: string[];
  /** SKU-looking tokens, upper-cased (`sofa-001` → `SOFA-001`) */
  skus: string[];
  /**
   * The keys (engine/skuKey.ts) of everything that may be one of the retailer's codes: the SKUs
   * above, codes with separators in any script (`ДЕ-0001/1`, `ПС/03`, `7701-56`) and runs of five
   * or more digits (`000123456`). Matched exactly against the catalog's keys, never required: a
   * «2-спальная» no product is coded as changes nothing.
   */
  codes: string[];
  /** sizes and counts as tsquery phrases (`160 <-> 200`, `3 <-> (двер:* | door:*)`), see measures.ts */
  phrases: { query: string; label: string }[];
};

const SKU_CANDIDATE = /[a-z0-9]{2,12}(?:-[a-z0-9]{1,12}){1,3}/gi;
const CODE_CANDIDATE = /[\p{L}\p{N}]+(?:[-/.][\p{L}\p{N}]+)+|\p{N}{5,}/gu;

export function parseQuery(raw: string | undefined): ParsedQuery {
  if (!raw) return { tokens: [], skus: [], codes: [], phrases: [] };
  const folded = fold(raw.normalize('NFC')).slice(0, 200);
  const skus = [
    ...new Set(
      (folded.match(SKU_CANDIDATE) ?? [])
        .map((s) => s.toUpperCase())
        .filter((s) => SKU_PATTERN.test(s) && /\d/.test(s)),
    ),
  ];
  const written = (folded.match(CODE_CANDIDATE) ?? []).filter((code) => /\p{N}/u.test(code));
  const codes = [...new Set([...skus, ...written].map(skuKey))].slice(0, 8);
  const { phrases, rest: text } = skus.length ? { phrases: [], rest: folded } : findMeasures(folded);
  const tokens: string[] = [];
  for (const token of text.split(/[^\p{L}\p{N}]+/u)) {
    if (token.length < 2 || STOP_WORDS.has(token)) continue;
    if (/^\d+$/.test(token)) continue; // prices and quantities are structured slots, not words
    if (skus.some((sku) => sku.toLowerCase().split('-').includes(token))) continue;
    if (!tokens.includes(token)) tokens.push(token);
    if (tokens.length >= 8) break;
  }
  return { tokens, skus, codes, phrases: phrases.slice(0, 4) };
}
