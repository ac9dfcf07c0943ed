import { readFileSync } from 'node:fs';
import type { Lang } from '../../engine/catalog.ts';
import { RecordedQueue, type TranscriptHeader } from '../../engine/transcript/index.ts';
import type { DatabaseKind } from '../../storage/db/open.ts';
import { importCatalog, type ImportError } from '../../storage/import/index.ts';
import { createCity, getCityBySlug } from '../../storage/repos/cities.ts';
import { evaluateOnEveryBackend, ndcgAt, SUCCESS_AT_3_TARGET } from '../../storage/search/eval.ts';
import { createTestDatabase } from '../../storage/testing.ts';
import { loadTaxonomy } from '../../storage/taxonomy/index.ts';
import { buildVocabulary, type Vocabulary } from '../../engine/understanding/index.ts';
import { CityDirectory } from '../platform/cities.ts';
import { catalogPort } from '../platform/ports/catalog.ts';
import { withCatalog } from './catalogExecutor.ts';
import { fixtureTarget, loadFixtures, type Fixtures } from './fixtures.ts';
import { loadRetailerSet, RETAILER_LABELS, type RetailerCase, type RetailerSet } from './retailerSet.ts';

/**
 * `npm run eval -- search --set retailer`: imports the retailer's catalog through the real
 * import into a fresh database and plays every labelled case as a shopper's conversation through
 * the engine (rules brain, no model) with that database as its catalog. A case succeeds when a
 * correct product is among the first three shown after its last turn, or, for a case with no
 * correct product, when nothing is shown.
 */

export type RetailerScore = {
  id: number;
  turns: string[];
  tags: string[];
  success1: boolean;
  success3: boolean;
  ndcg: number;
  shown: string[];
  expected: string[];
};
export type RetailerReport = {
  backend: DatabaseKind;
  rows: number;
  imported: number;
  refused: ImportError[];
  cases: number;
  successAt1: number;
  successAt3: number;
  ndcg10: number;
  perTag: Record<string, { n: number; successAt3: number }>;
  failures: RetailerScore[];
};

const langOf = (c: RetailerCase): Lang => (c.tags.includes('kk') ? 'kk' : c.tags.includes('en') ? 'en' : 'ru');

type Catalog = Parameters<typeof withCatalog>[1];

/** The SKUs shown (in order) in answer to the last of the case's turns. */
async function play(
  fixtures: Fixtures,
  catalog: Catalog,
  vocabulary: Vocabulary,
  city: string,
  item: RetailerCase,
): Promise<string[]> {
  const { target } = fixtureTarget(fixtures, undefined, (host) => withCatalog(host, catalog), vocabulary);
  let clock = Date.parse('2026-12-07T09:00:00Z');
  const header: TranscriptHeader = {
    city,
    channel: 'telegram',
    lang: langOf(item),
    at: new Date(clock).toISOString(),
    vision: false,
    voice: false,
    extra: {},
  };
  await target.start(header);
  let shown: string[] = [];
  for (const text of item.turns) {
    clock += 5_000;
    const output = await target.perform(
      { kind: 'text', text },
      { at: new Date(clock).toISOString(), recorded: new RecordedQueue([]) },
    );
    if (output.error) throw new Error(`case #${item.id} «${text}»: ${output.error}`);
    shown = output.replies.flatMap((r) => (r.type === 'products' ? r.items.map((p) => p.sku) : []));
  }
  return shown;
}

function score(item: RetailerCase, shown: string[]): RetailerScore {
  const expected = Object.keys(item.relevant);
  const hit = (k: number) =>
    expected.length === 0 ? shown.length === 0 : shown.slice(0, k).some((sku) => item.relevant[sku] === 2);
  const ndcg = expected.length === 0 ? (shown.length === 0 ? 1 : 0) : ndcgAt(10, shown, item.relevant);
  return { id: item.id, turns: item.turns, tags: item.tags, success1: hit(1), success3: hit(3), ndcg, shown, expected };
}

export async function evaluateRetailerOn(
  kind: DatabaseKind,
  set: RetailerSet = loadRetailerSet(),
): Promise<RetailerReport> {
  const fixtures = await loadFixtures();
  const t = await createTestDatabase(kind);
  try {
    const city = (await getCityBySlug(t.db, set.city)) ?? (await createCity(t.db, { name: 'Алматы', slug: set.city }));
    const source = readFileSync(set.catalogFile);
    const result = await importCatalog(t.db, { cityId: city.id, source, format: 'csv' });
    const cities = new CityDirectory(t.db);
    await cities.reload();
    const port = catalogPort(t, cities);
    const catalog: Catalog = {
      search: (criteria, page, pageSize) => port.search(set.city, criteria, page, pageSize),
      findSku: (sku) => port.bySku(set.city, sku),
    };
    // the rules brain reads the imported catalog's own words, as the platform does
    const vocabulary = buildVocabulary(await loadTaxonomy(t.db));
    const scores: RetailerScore[] = [];
    for (const item of set.queries) scores.push(score(item, await play(fixtures, catalog, vocabulary, set.city, item)));
    const mean = (xs: boolean[] | number[]) =>
      xs.length ? xs.reduce<number>((a, b) => a + Number(b), 0) / xs.length : 0;
    const perTag: RetailerReport['perTag'] = {};
    for (const tag of [...new Set(scores.flatMap((s) => s.tags))].sort()) {
      const group = scores.filter((s) => s.tags.includes(tag));
      perTag[tag] = { n: group.length, successAt3: mean(group.map((s) => s.success3)) };
    }
    return {
      backend: kind,
      rows: result.imported + result.updated + result.errors.length,
      imported: result.imported,
      refused: result.errors,
      cases: scores.length,
      successAt1: mean(scores.map((s) => s.success1)),
      successAt3: mean(scores.map((s) => s.success3)),
      ndcg10: mean(scores.map((s) => s.ndcg)),
      perTag,
      failures: scores.filter((s) => !s.success3),
    };
  } finally {
    await t.close();
  }
}

function print(r: RetailerReport, file: string): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `\nRetailer search eval on ${r.backend} — ${r.cases} labelled conversations (${file.replace(`${process.cwd()}/`, '')})`,
  );
  console.log(`  import     ${r.imported} of ${r.rows} rows imported, ${r.refused.length} refused`);
  const reasons = new Map<string, number>();
  for (const e of r.refused)
    reasons.set(e.reason.replace(/\d+/g, 'N'), (reasons.get(e.reason.replace(/\d+/g, 'N')) ?? 0) + 1);
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`    ${n} × ${reason}`);
  console.log(`  success@3  ${pct(r.successAt3)}   (target ≥ ${pct(SUCCESS_AT_3_TARGET)})`);
  console.log(`  success@1  ${pct(r.successAt1)}`);
  console.log(`  nDCG@10    ${r.ndcg10.toFixed(3)}`);
  console.log(
    '  by tag:   ' +
      Object.entries(r.perTag)
        .map(([tag, s]) => `${tag} ${s.n}: ${pct(s.successAt3)}`)
        .join(' · '),
  );
  for (const f of r.failures) {
    const want = f.expected.length
      ? `${f.expected.slice(0, 3).join(', ')}${f.expected.length > 3 ? ` …(${f.expected.length})` : ''}`
      : 'nothing';
    console.log(
      `  ✗ #${f.id} «${f.turns.join(' → ')}» → ${f.shown.slice(0, 3).join(', ') || '(nothing)'}   want ${want}`,
    );
  }
}

/** Prints the scores on PGlite (and PostgreSQL when DATABASE_URL is set); true when every backend meets the target. */
export function runRetailerEval(file = RETAILER_LABELS): Promise<boolean> {
  const set = loadRetailerSet(file);
  return evaluateOnEveryBackend(
    (kind) => evaluateRetailerOn(kind, set),
    (r) => print(r, file),
  );
}
