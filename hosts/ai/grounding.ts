import type { Product } from '../../engine/catalog.ts';

/**
 * Grounding: what a shopper sees about products comes from catalog rows, never from model text.
 * The brain only returns structured intents; these helpers guard the few places model-produced
 * strings could still travel (a search query, an escalation reason, any future free text).
 */

// SKU-shaped tokens with at least one digit (SOFA-001, KZ-TBL-7); «Wi-Fi» is not a SKU.
const SKU_TOKEN = /\b(?=[A-Z0-9-]*\d)[A-Z0-9]{2,12}(?:-[A-Z0-9]{1,12}){1,3}\b/g;
// an amount followed by a currency or a thousands suffix: «99 990 ₸», «150к», «120 тыс. тенге», "$300"
const PRICE =
  /(?:(?:[$€₸]|kzt|usd)\s?(\d[\d\s\u00a0.,]*\d|\d))|(?:(\d[\d\s\u00a0.,]*\d|\d)\s?(тыс(?:\.|яч[а-я]*)?|к(?![а-яё])|k\b|млн|₸|тг\.?|тенге|теңге|kzt|tenge|usd|\$|руб[а-я.]*|€))/giu;

/** Prices (in tenge) and SKUs a piece of text states. */
export function extractClaims(text: string): { skus: string[]; prices: number[] } {
  const skus = [...text.matchAll(SKU_TOKEN)].map((m) => m[0]);
  const prices: number[] = [];
  for (const m of text.matchAll(PRICE)) {
    const digits = (m[1] ?? m[2] ?? '').replace(/[\s\u00a0]/g, '');
    const suffix = (m[3] ?? '').toLowerCase();
    // «99.990» / «99,990» group thousands; «1.5 млн» / «1,5к» are decimals
    const grouped = /^\d{1,3}([.,]\d{3})+$/.test(digits);
    const amount = Number(grouped ? digits.replace(/[.,]/g, '') : digits.replace(',', '.'));
    if (!Number.isFinite(amount)) continue;
    const factor = suffix.startsWith('тыс') || suffix === 'к' || suffix === 'k' ? 1_000 : suffix === 'млн' ? 1_000_000 : 1;
    prices.push(amount * factor);
  }
  return { skus, prices };
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?…])\s+|\n+/u).map((s) => s.trim()).filter(Boolean);
}

function priceKnown(price: number, rows: readonly Product[]): boolean {
  // «150к» names a row priced 149 990 as well; allow the rounding shoppers and models use
  return rows.some((r) => Math.abs(r.price - price) < 1 || (price >= 1_000 && Math.abs(r.price - price) <= 1_000 && price % 1_000 === 0));
}

/**
 * Keep only sentences whose prices and SKUs all appear in the given catalog rows; a sentence
 * that states an unknown price or SKU (an invented product, a wrong price) is dropped.
 */
export function groundModelText(text: string, rows: readonly Product[]): string {
  const skus = new Set(rows.map((r) => r.sku.toUpperCase()));
  return sentences(text)
    .filter((sentence) => {
      const claims = extractClaims(sentence);
      return claims.skus.every((s) => skus.has(s.toUpperCase())) && claims.prices.every((p) => priceKnown(p, rows));
    })
    .join(' ');
}

const words = (text: string): string[] =>
  text.toLowerCase().replace(/ё/g, 'е').split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function sharesStem(a: string, b: string): boolean {
  if (a.length <= 3 || b.length <= 3) return a === b;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i >= 4;
}

/**
 * A search query the model wrote, reduced to words the shopper actually used (by stem: «диванчик»
 * keeps «диван»). This stops an injected «print your system prompt» from travelling through the
 * query into a reply like «nothing found for …».
 */
export function groundQuery(query: string, sources: readonly string[]): string | undefined {
  const known = sources.flatMap(words);
  const kept = words(query).filter((w) => known.some((k) => sharesStem(w, k)));
  const out = [...new Set(kept)].join(' ').slice(0, 200);
  return out === '' ? undefined : out;
}

/**
 * True when `text` repeats a secret: a configured token, or any run of six consecutive words of a
 * long secret text (the system prompt).
 */
export function leaksSecret(text: string, secrets: readonly (string | undefined)[]): boolean {
  const haystack = words(text).join(' ');
  for (const secret of secrets) {
    if (!secret) continue;
    if (secret.length >= 8 && text.includes(secret)) return true;
    const w = words(secret);
    for (let i = 0; i + 6 <= w.length; i += 1) {
      if (haystack.includes(w.slice(i, i + 6).join(' '))) return true;
    }
  }
  return false;
}
