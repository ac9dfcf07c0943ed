/**
 * Grounding: what a shopper sees about products comes from catalog rows, never from model text.
 * The brain only returns structured intents; these helpers guard the two places model-produced
 * strings still travel (a search query, an escalation reason).
 */

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

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
