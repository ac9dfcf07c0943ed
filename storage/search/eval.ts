/**
 * Search quality on the labelled relevance set (relevance.json, built from catalog attributes by
 * relevance-build.ts): nDCG@10 (gain 2^grade − 1) and success@3 (a fully relevant product among
 * the first three). Runs on a fresh embedded PGlite with the demo catalog, and also on
 * PostgreSQL (a scratch database on that server) when DATABASE_URL is set.
 * `npm run eval -- search` calls runSearchEval().
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DatabaseKind } from '../db/open.ts';
import { getCityBySlug } from '../repos/cities.ts';
import { seedDemoData } from '../seed/seed.ts';
import { createTestDatabase } from '../testing.ts';
import type { Db } from '../repos/common.ts';
import { searchProducts, type ProductSearch } from './search.ts';

export const SUCCESS_AT_3_TARGET = 0.95;

type LabelledQuery = {
  id: number;
  query?: string;
  filters?: Omit<ProductSearch, 'cityId' | 'query'>;
  tags: string[];
  relevant: Record<string, number>;
};
type RelevanceSet = { city: string; queries: LabelledQuery[] };

export type QueryScore = { id: number; label: string; tags: string[]; ndcg: number; success: boolean; top: string[] };
export type SearchEvalReport = {
  backend: DatabaseKind;
  queries: number;
  ndcg10: number;
  successAt3: number;
  perTag: Record<string, { n: number; ndcg10: number; successAt3: number }>;
  failures: QueryScore[];
};

export function loadRelevanceSet(): RelevanceSet {
  return JSON.parse(readFileSync(fileURLToPath(new URL('./relevance.json', import.meta.url)), 'utf8')) as RelevanceSet;
}

const gain = (grade: number) => 2 ** grade - 1;

export function ndcgAt(k: number, ranked: string[], relevant: Record<string, number>): number {
  const dcg = ranked.slice(0, k).reduce((sum, sku, i) => sum + gain(relevant[sku] ?? 0) / Math.log2(i + 2), 0);
  const ideal = Object.values(relevant)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, g, i) => sum + gain(g) / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Scores the search function on an already seeded database. */
export async function evaluateSearch(
  db: Db,
  backend: DatabaseKind,
  set = loadRelevanceSet(),
): Promise<SearchEvalReport> {
  const city = await getCityBySlug(db, set.city);
  if (!city) throw new Error(`relevance set city "${set.city}" is not in the database (seed the demo data first)`);
  const scores: QueryScore[] = [];
  for (const item of set.queries) {
    const result = await searchProducts(
      db,
      { cityId: city.id, ...(item.query ? { query: item.query } : {}), ...item.filters },
      { limit: 10, offset: 0 },
    );
    const top = result.items.map((p) => p.sku);
    scores.push({
      id: item.id,
      label: item.query ?? JSON.stringify(item.filters),
      tags: item.tags,
      ndcg: ndcgAt(10, top, item.relevant),
      success: top.slice(0, 3).some((sku) => item.relevant[sku] === 2),
      top,
    });
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const perTag: SearchEvalReport['perTag'] = {};
  for (const tag of [...new Set(scores.flatMap((s) => s.tags))].sort()) {
    const group = scores.filter((s) => s.tags.includes(tag));
    perTag[tag] = {
      n: group.length,
      ndcg10: mean(group.map((s) => s.ndcg)),
      successAt3: mean(group.map((s) => (s.success ? 1 : 0))),
    };
  }
  return {
    backend,
    queries: scores.length,
    ndcg10: mean(scores.map((s) => s.ndcg)),
    successAt3: mean(scores.map((s) => (s.success ? 1 : 0))),
    perTag,
    failures: scores.filter((s) => !s.success),
  };
}

export async function evaluateOn(kind: DatabaseKind): Promise<SearchEvalReport> {
  const t = await createTestDatabase(kind);
  try {
    await seedDemoData(t.db);
    return await evaluateSearch(t.db, kind);
  } finally {
    await t.close();
  }
}

function print(report: SearchEvalReport): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `\nSearch eval on ${report.backend} — ${report.queries} labelled queries (storage/search/relevance.json)`,
  );
  console.log(`  nDCG@10    ${report.ndcg10.toFixed(3)}`);
  console.log(`  success@3  ${pct(report.successAt3)}   (target ≥ ${pct(SUCCESS_AT_3_TARGET)})`);
  console.log(
    '  by tag:   ' +
      Object.entries(report.perTag)
        .map(([tag, s]) => `${tag} ${s.n}: ${s.ndcg10.toFixed(2)}/${pct(s.successAt3)}`)
        .join(' · '),
  );
  for (const f of report.failures)
    console.log(`  ✗ #${f.id} «${f.label}» → ${f.top.slice(0, 3).join(', ') || '(nothing)'}`);
}

/** Runs an evaluation on PGlite (and PostgreSQL when DATABASE_URL is set) and prints it; true when every backend meets the target. */
export async function evaluateOnEveryBackend<R extends { successAt3: number }>(
  evaluate: (kind: DatabaseKind) => Promise<R>,
  report: (r: R) => void,
): Promise<boolean> {
  const reports: R[] = [await evaluate('pglite')];
  if (process.env.DATABASE_URL) {
    process.env.TEST_POSTGRES_URL ??= process.env.DATABASE_URL;
    reports.push(await evaluate('postgres'));
  }
  for (const r of reports) report(r);
  return reports.every((r) => r.successAt3 >= SUCCESS_AT_3_TARGET);
}

export function runSearchEval(): Promise<boolean> {
  return evaluateOnEveryBackend(evaluateOn, print);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ok = await runSearchEval();
  process.exit(ok ? 0 : 1);
}
