import { sql } from 'kysely';
import type { Db } from '../repos/common.ts';
import type { TtlCache } from '../ttlCache.ts';

/**
 * The lexemes a shopper's word is searched by, as prefixes of the `simple` document vectors: what
 * `to_tsquery('russian', 'word:*')` makes of it (its Snowball stem: «прихожей» → прихож) and what
 * `to_tsquery('simple', 'word:*')` does (the word as written, wanted for Latin and Kazakh letters).
 *
 * Knowing them lets a search say each prefix once: «прихожя» with its corrections «прихожей»,
 * «прихожая» and its family's «прихож» were four copies of one prefix, and GIN scans every copy of a
 * prefix in full (its entries carry per-operand data, so they are never merged) — a quarter of the
 * work for the same rows. A word's stems are asked of a database once (handleMemo.ts).
 */
export type Lexemes = { russian: readonly string[]; simple: readonly string[] };

const LEXEME = /^[\p{L}\p{N}]+$/u;
const NONE: Lexemes = { russian: [], simple: [] };

export async function lexemesOf(
  db: Db,
  words: readonly string[],
  memo: TtlCache<string, Lexemes>,
): Promise<ReadonlyMap<string, Lexemes>> {
  const found = new Map<string, Lexemes>();
  for (const w of words) {
    const known = memo.lookup(w);
    if (known) found.set(w, known.value);
  }
  const missing = [...new Set(words.filter((w) => !found.has(w)))];
  if (missing.length) {
    const { rows } = await sql<{ word: string; russian: string[] | null; simple: string[] | null }>`
      SELECT w AS word,
             tsvector_to_array(to_tsvector('russian'::regconfig, w)) AS russian,
             tsvector_to_array(to_tsvector('simple'::regconfig, w)) AS simple
        FROM unnest(${sql.val(missing)}::text[]) AS w`.execute(db);
    // letters and digits only, as the words were: nothing that could be tsquery syntax
    const clean = (forms: string[] | null) => (forms ?? []).filter((f) => LEXEME.test(f));
    for (const r of rows) {
      const lexemes = { russian: clean(r.russian), simple: clean(r.simple) };
      memo.set(r.word, lexemes);
      found.set(r.word, lexemes);
    }
  }
  return new Map(words.map((w) => [w, found.get(w) ?? NONE]));
}
