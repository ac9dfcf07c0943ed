import { sql, type RawBuilder } from 'kysely';
import { familyPrefixes, replacesStem } from './families.ts';
import type { ParsedQuery } from './query.ts';

/**
 * One thing the shopper asked for in words, and every way the catalog may write it. Its text is
 * letters, digits and tsquery operators built here from parsed tokens — never user syntax — and is
 * bound as a parameter.
 */
export type Term = {
  /** the shopper's word (or size, count) as it is reported when a search has to leave it out */
  label: string;
  /** searched through the `russian` stemmer: the word and its typo corrections, as prefixes */
  stemmed: string;
  /** searched as written (`simple`): family prefixes («кухни» → кухон:*), sizes and counts */
  exact: string;
};

/** terms for the words, sizes and counts of a parsed query; `corrections` widen misspelt words */
export function termsOf(parsed: ParsedQuery, corrections: ReadonlyMap<string, readonly string[]>): Term[] {
  const terms: Term[] = parsed.tokens.map((token) => {
    const family = familyPrefixes(token);
    const own = replacesStem(token) && family.length ? [] : [token, ...(corrections.get(token) ?? [])];
    return {
      label: token,
      stemmed: own.map((w) => `${w}:*`).join(' | '),
      exact: family.map((p) => `${p}:*`).join(' | '),
    };
  });
  for (const phrase of parsed.phrases) terms.push({ label: phrase.label, stemmed: '', exact: phrase.query });
  return terms;
}

/**
 * For Russian words the `russian` stem prefix already covers the `simple` form («дива:*» ⊇ «диван:*»),
 * so the second scan is skipped; Kazakh letters and Latin need both configurations.
 */
export function stemmedQuery(text: string): RawBuilder<unknown> {
  if (/^[а-я0-9:*|&() ]+$/.test(text)) return sql`to_tsquery('russian'::regconfig, ${text})`;
  return sql`(to_tsquery('russian'::regconfig, ${text}) || to_tsquery('simple'::regconfig, ${text}))`;
}

/** the tsquery of one term, or of the alternatives of several (`any`) */
export function termQuery(...terms: Term[]): RawBuilder<unknown> {
  const stemmed = terms.map((t) => t.stemmed).filter(Boolean);
  const exact = terms.map((t) => t.exact).filter(Boolean);
  const parts: RawBuilder<unknown>[] = [];
  if (stemmed.length) parts.push(stemmedQuery(stemmed.join(' | ')));
  // prefixes that are stems already; the stemmer would widen some («бель» → «бел», every white product)
  if (exact.length) parts.push(sql`to_tsquery('simple'::regconfig, ${exact.map((e) => `(${e})`).join(' | ')})`);
  if (parts.length === 0) return sql`to_tsquery('simple'::regconfig, 'x')`;
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` || `)})`;
}
