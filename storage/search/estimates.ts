import { sql } from 'kysely';
import type { Db } from '../repos/common.ts';
import type { TtlCache } from '../ttlCache.ts';
import { termQuery, type Term } from './terms.ts';

/**
 * How many products the planner expects a term to match, in the name and category words
 * (`title`) and anywhere (title or description).
 */
export type TermEstimate = { title: number; anywhere: number };

/**
 * The planner's estimates for each term, from its column statistics (one EXPLAIN of a SELECT per
 * term and column, for the terms `memo` does not hold; nothing is executed). Null when it cannot
 * tell them apart — no statistics yet, when every term gets the same default — or the plan is not
 * the expected shape.
 */
export async function estimateTerms(
  db: Db,
  terms: readonly Term[],
  memo: TtlCache<string, TermEstimate>,
): Promise<TermEstimate[] | null> {
  const keys = terms.map((t) => JSON.stringify([t.own, t.family, t.phrase ?? '', t.foreign]));
  const missing = terms.filter((_, i) => !memo.lookup(keys[i]!));
  if (missing.length) {
    const selects = missing.flatMap((t) => [
      sql`SELECT 1 FROM products p WHERE p.title_tsv @@ ${termQuery(t)}`,
      sql`SELECT 1 FROM products p WHERE p.desc_tsv @@ ${termQuery(t)}`,
    ]);
    const { rows } = await sql<{
      'QUERY PLAN': unknown;
    }>`EXPLAIN (FORMAT JSON) ${sql.join(selects, sql` UNION ALL `)}`.execute(db);
    const plan = rows[0]?.['QUERY PLAN'];
    const root = (typeof plan === 'string' ? JSON.parse(plan) : plan) as [{ Plan?: PlanNode }] | undefined;
    const counts = (root?.[0]?.Plan?.Plans ?? []).map((p) => p['Plan Rows']);
    if (counts.length !== selects.length || !counts.every((n) => typeof n === 'number')) return null;
    missing.forEach((t, i) =>
      memo.set(keys[terms.indexOf(t)]!, { title: counts[2 * i]!, anywhere: counts[2 * i]! + counts[2 * i + 1]! }),
    );
  }
  const estimates = keys.map((k) => memo.lookup(k)?.value);
  if (!estimates.every((e): e is TermEstimate => e !== undefined)) return null;
  return estimates.every((e) => e.anywhere === estimates[0]!.anywhere) ? null : estimates;
}

type PlanNode = { 'Plan Rows'?: number; Plans?: PlanNode[] };

/**
 * Which of the terms a search that needs all of them scans the text indexes by: the two with the
 * fewest estimated matches (`size`); every other one is checked on the rows those find. A word in a
 * third of all descriptions («ящиком») costs more to read from the index than the rows it rules
 * out, and a search stops at its window of matches long before it would have read them all. All of
 * them when there are no estimates.
 */
export function indexedTerms(
  estimates: readonly TermEstimate[] | null,
  size: (e: TermEstimate) => number,
): (i: number) => boolean {
  if (!estimates || estimates.length <= 2) return () => true;
  const rarest = estimates
    .map((e, i) => ({ i, n: size(e) }))
    .sort((a, b) => a.n - b.n || a.i - b.i)
    .slice(0, 2)
    .map((r) => r.i);
  return (i) => rarest.includes(i);
}
