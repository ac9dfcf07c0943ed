import { sql, type RawBuilder } from 'kysely';
import { familyPrefixes, replacesStem } from './families.ts';
import type { Lexemes } from './lexemes.ts';
import type { ParsedQuery } from './query.ts';

/**
 * One thing the shopper asked for in words, and every way the catalog may write it. Its text is
 * letters, digits and tsquery operators built here from parsed tokens and their lexemes — never
 * user syntax — and is bound as a parameter.
 */
export type Term = {
  /** the shopper's word (or size, count) as it is reported when a search has to leave it out */
  label: string;
  /** lexemes (prefixes) of the word and its typo corrections (lexemes.ts): `russian` stems, `simple` forms */
  own: Lexemes;
  /** the word or a correction has letters beyond Russian (Latin, Kazakh): its `simple` forms are searched too */
  foreign: boolean;
  /** prefixes searched as written: the word's family («кухни» → кухон, кухн; families.ts) */
  family: readonly string[];
  /** a size or count as a tsquery phrase (`160 <-> 200`; measures.ts) */
  phrase?: string;
};

/**
 * Terms for the words, sizes and counts of a parsed query; `corrections` widen misspelt words and
 * `lexemes` gives each word's and correction's stems.
 */
export function termsOf(
  parsed: ParsedQuery,
  corrections: ReadonlyMap<string, readonly string[]>,
  lexemes: ReadonlyMap<string, Lexemes>,
): Term[] {
  const terms: Term[] = parsed.tokens.map((token) => {
    const family = familyPrefixes(token);
    const words = replacesStem(token) && family.length ? [] : [token, ...(corrections.get(token) ?? [])];
    const of = (pick: (l: Lexemes) => readonly string[]) => [...new Set(words.flatMap((w) => pick(lexemes.get(w)!)))];
    const own = { russian: of((l) => l.russian), simple: of((l) => l.simple) };
    return { label: token, own, foreign: words.some((w) => !RUSSIAN_ONLY.test(w)), family };
  });
  for (const phrase of parsed.phrases)
    terms.push({ label: phrase.label, own: NO_LEXEMES, foreign: false, family: [], phrase: phrase.query });
  return terms;
}

const NO_LEXEMES: Lexemes = { russian: [], simple: [] };

/** the words whose lexemes `termsOf` needs: each token and its corrections */
export function wordsOf(parsed: ParsedQuery, corrections: ReadonlyMap<string, readonly string[]>): string[] {
  return parsed.tokens.flatMap((token) => [token, ...(corrections.get(token) ?? [])]);
}

const RUSSIAN_ONLY = /^[а-я0-9]+$/;

/**
 * For Russian words the `russian` stem prefix already covers the `simple` form («дива:*» ⊇ «диван:*»),
 * so the second scan is skipped; Kazakh letters and Latin need both configurations.
 */
export function stemmedQuery(text: string): RawBuilder<unknown> {
  if (/^[а-я0-9:*|&() ]+$/.test(text)) return sql`to_tsquery('russian'::regconfig, ${text})`;
  return sql`(to_tsquery('russian'::regconfig, ${text}) || to_tsquery('simple'::regconfig, ${text}))`;
}

/** matches nothing: the query of no term */
const NOTHING = sql`to_tsquery('simple'::regconfig, 'x')`;

/**
 * The tsquery of one term, or of the alternatives of several (`any`): each prefix once, over the
 * `simple` vectors the documents are (lexemes and family prefixes are stems already; the stemmer
 * would widen some family prefixes: «бель» → «бел», every white product). As `stemmedQuery`, the
 * `simple` forms of the words join their stems when any of them has letters beyond Russian.
 */
export function termQuery(...terms: Term[]): RawBuilder<unknown> {
  const prefixes = termPrefixes(terms).map((p) => `${p}:*`);
  const phrases = terms.flatMap((t) => (t.phrase ? [`(${t.phrase})`] : []));
  const text = [...prefixes, ...phrases].join(' | ');
  return text ? sql`to_tsquery('simple'::regconfig, ${text})` : NOTHING;
}

/** the prefixes `termQuery(...terms)` searches, each once */
export function termPrefixes(terms: readonly Term[]): string[] {
  const foreign = terms.some((t) => t.foreign);
  const own = terms.flatMap((t) => (foreign ? [...t.own.russian, ...t.own.simple] : t.own.russian));
  return [...new Set([...own, ...terms.flatMap((t) => t.family)])];
}

/** every prefix a query of any of these terms may say: their `simple` forms too, which a foreign word beside them adds */
export function anyPrefixes(terms: readonly Term[]): string[] {
  return [...new Set(terms.flatMap((t) => [...t.own.russian, ...t.own.simple, ...t.family]))];
}
