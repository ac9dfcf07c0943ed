import { sql } from 'kysely';
import type { Db } from '../repos/common.ts';

/**
 * The lexemes a shopper's word is searched by, as prefixes of the `simple` document vectors: what
 * `to_tsquery('russian', 'word:*')` makes of it (its Snowball stem: «прихожей» → прихож) and what
 * `to_tsquery('simple', 'word:*')` does (the word as written, wanted for Latin and Kazakh letters).
 *
 * Knowing them lets a search say each prefix once: «прихожя» with its corrections «прихожей»,
 * «прихожая» and its family's «прихож» were four copies of one prefix, and GIN scans every copy of a
 * prefix in full (its entries carry per-operand data, so they are never merged) — a quarter of the
 * work for the same rows. A word's stems depend on nothing but the word and the server's
 * dictionaries, so each is asked of a database once (`LexemeMemo`, one per database handle).
 */
export type Lexemes = { russian: readonly string[]; simple: readonly string[] };

export type LexemeMemo = Map<string, Lexemes>;

const memos = new WeakMap<object, LexemeMemo>();
/** distinct words remembered; beyond it the memory starts over (a shopper's vocabulary is far smaller) */
const MAX_KNOWN = 50_000;

/** the memory of the database behind `handle` (two servers' Snowball versions may stem a word apart) */
export function lexemeMemo(handle: object): LexemeMemo {
  let memo = memos.get(handle);
  if (!memo) memos.set(handle, (memo = new Map()));
  return memo;
}

const LEXEME = /^[\p{L}\p{N}]+$/u;
const NONE: Lexemes = { russian: [], simple: [] };

export async function lexemesOf(
  db: Db,
  words: readonly string[],
  known: LexemeMemo,
): Promise<ReadonlyMap<string, Lexemes>> {
  const missing = [...new Set(words)].filter((w) => !known.has(w));
  if (missing.length) {
    const { rows } = await sql<{ word: string; russian: string[] | null; simple: string[] | null }>`
      SELECT w AS word,
             tsvector_to_array(to_tsvector('russian'::regconfig, w)) AS russian,
             tsvector_to_array(to_tsvector('simple'::regconfig, w)) AS simple
        FROM unnest(${sql.val(missing)}::text[]) AS w`.execute(db);
    if (known.size + rows.length > MAX_KNOWN) known.clear();
    // letters and digits only, as the words were: nothing that could be tsquery syntax
    const clean = (forms: string[] | null) => (forms ?? []).filter((f) => LEXEME.test(f));
    for (const r of rows) known.set(r.word, { russian: clean(r.russian), simple: clean(r.simple) });
  }
  return new Map(words.map((w) => [w, known.get(w) ?? NONE]));
}
