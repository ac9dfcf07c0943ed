import { sql } from 'kysely';
import type { Db } from '../repos/common.ts';
import type { TtlCache } from '../ttlCache.ts';

/** similarity below this is not a plausible typo of a catalog word */
const MIN_TYPO_SIMILARITY = 0.3;
const CORRECTIONS_PER_TOKEN = 3;

/**
 * Typo corrections by word (an empty list: no correction). They depend only on the catalog
 * vocabulary, which changes with imports, not between a shopper's messages: a bot remembers them
 * for a while instead of asking the database for every search with the same words.
 */
export type CorrectionMemo = TtlCache<string, readonly string[]>;

/**
 * For each token that is not itself a catalog word, the nearest catalog words by trigram distance
 * (GiST KNN on `search_terms`, a few thousand rows however large the catalog).
 */
export async function typoCorrections(
  db: Db,
  tokens: string[],
  memo?: CorrectionMemo,
): Promise<Map<string, readonly string[]>> {
  const map = new Map<string, readonly string[]>();
  const candidates: string[] = [];
  for (const token of tokens) {
    if (token.length < 3) continue;
    const known = memo?.lookup(token);
    if (!known) candidates.push(token);
    else if (known.value.length > 0) map.set(token, known.value);
  }
  if (candidates.length === 0) return map;
  const { rows } = await sql<{ tok: string; word: string; sim: number; known: boolean }>`
    SELECT t.tok, w.word, similarity(w.word, t.tok) AS sim,
           EXISTS (SELECT 1 FROM search_terms s WHERE s.word = t.tok) AS known
      FROM unnest(${sql.val(candidates)}::text[]) AS t(tok)
      CROSS JOIN LATERAL (SELECT word FROM search_terms ORDER BY word <-> t.tok LIMIT ${CORRECTIONS_PER_TOKEN}) w`.execute(
    db,
  );
  const best = new Map<string, number>();
  for (const r of rows) best.set(r.tok, Math.max(best.get(r.tok) ?? 0, Number(r.sim)));
  for (const r of rows) {
    if (r.known || r.word === r.tok || !/^[\p{L}\p{N}]+$/u.test(r.word)) continue;
    // only the closest words: «кроватей» means «кровать/кровати», not also «кроватка»
    const sim = Number(r.sim);
    if (sim < MIN_TYPO_SIMILARITY || sim < (best.get(r.tok) ?? 0) - 0.03) continue;
    map.set(r.tok, [...(map.get(r.tok) ?? []), r.word]);
  }
  if (memo) for (const token of candidates) memo.set(token, map.get(token) ?? []);
  return map;
}
