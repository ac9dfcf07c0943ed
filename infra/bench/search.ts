/**
 * Catalog benchmark: imports 100,000 synthetic products into one city through the real import
 * path (CSV → valibot → batched upserts), then measures search latency per query over a mix of
 * query shapes, on PostgreSQL (a scratch database on 127.0.0.1) and on the embedded PGlite. Two
 * catalogs: the demo's (its built-in categories) on both, and the retailer's own taxonomy
 * (retailerCatalog.ts: categories, colours and SKUs the import creates) on PostgreSQL.
 *   npm run bench -- search        (BENCH_PRODUCTS=100000, BENCH_REPS=40 per query,
 *                                   BENCH_SEARCH_CATALOGS=demo,retailer)
 * Numbers are printed, never asserted.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import type { DatabaseKind } from '../../storage/db/open.ts';
import { createCity } from '../../storage/repos/cities.ts';
import { importCatalog } from '../../storage/import/import.ts';
import { searchProducts, type ProductSearch } from '../../storage/search/search.ts';
import { buildDemoCatalog, MODELS } from '../../storage/seed/catalog.ts';
import { prng, shopPrice } from '../../storage/seed/random.ts';
import { retailerMix, syntheticRetailerCsv } from './retailerCatalog.ts';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const REPS = Number(process.env.BENCH_REPS ?? 40);
const CATALOGS = (process.env.BENCH_SEARCH_CATALOGS ?? 'demo,retailer').split(',');

type Q = { label: string; search: Omit<ProductSearch, 'cityId'> };
const MIX: Q[] = [
  { label: 'category word «диван»', search: { query: 'диван' } },
  { label: 'inflection «диванов»', search: { query: 'диванов' } },
  { label: 'colour+category «красный диван»', search: { query: 'красный диван' } },
  { label: 'material «кожаный диван»', search: { query: 'кожаный диван' } },
  { label: 'typo «крвать»', search: { query: 'крвать' } },
  { label: 'typo+colour «серый дтван»', search: { query: 'серый дтван' } },
  { label: 'kazakh «қызыл диван»', search: { query: 'қызыл диван' } },
  { label: 'latin «leather sofa»', search: { query: 'leather sofa' } },
  { label: 'model «кресло Верона»', search: { query: 'кресло Верона' } },
  { label: 'SKU «SOFA-000001»', search: { query: 'SOFA-000001' } },
  { label: 'text + price «кровать» ≤ 200k', search: { query: 'кровать', priceMax: 200_000 } },
  { label: 'filters only sofa/grey ≤ 300k', search: { category: 'sofa', color: 'grey', priceMax: 300_000 } },
  { label: 'no match «фывапролдж»', search: { query: 'фывапролдж' } },
  { label: 'page 5 of «стол»', search: { query: 'стол' } },
];

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** 100k rows shaped like the demo catalog: same kinds and words, new SKUs, models and prices. */
export function syntheticCatalogCsv(count: number): string {
  const templates = buildDemoCatalog();
  const rnd = prng(42);
  const lines = ['sku,name,description,price,category,color,material,image_url,is_available'];
  for (let i = 0; i < count; i++) {
    const t = templates[i % templates.length]!;
    const model = MODELS[Math.floor(rnd() * MODELS.length)]!;
    const sku = `${t.sku.split('-')[0]}-${String(i + 1).padStart(6, '0')}`;
    const name = t.name.replace(`«${t.model}»`, `«${model}»`);
    const description = t.description!.replace(`«${t.model}»`, `«${model}»`);
    const price = shopPrice(t.price * (0.7 + rnd() * 0.6));
    lines.push(
      [
        sku,
        csvField(name),
        csvField(description),
        String(price),
        t.category,
        t.color,
        t.material,
        '',
        rnd() > 0.1 ? '1' : '0',
      ].join(','),
    );
  }
  return lines.join('\n');
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

type BackendResult = {
  kind: DatabaseKind;
  catalog: string;
  importSeconds: number;
  rows: { label: string; p50: number; p95: number; total: number }[];
  all: { p50: number; p95: number };
  /** the machine's floor in the same run: one product read by its primary key through the same handle */
  floor: { p50: number; p95: number };
};

async function benchBackend(
  kind: DatabaseKind,
  catalog: string,
  csv: string,
  mixOf: (db: TestDatabase['db']) => Promise<Q[]>,
): Promise<BackendResult> {
  const t: TestDatabase = await createTestDatabase(kind);
  try {
    const city = await createCity(t.db, { name: 'Бенч', slug: 'bench' });
    const started = performance.now();
    let lastPrinted = 0;
    const result = await importCatalog(t.db, {
      cityId: city.id,
      source: csv,
      format: 'csv',
      onProgress: (p) => {
        if (p.processed - lastPrinted >= 25_000 || p.processed === p.total) {
          process.stderr.write(
            `  ${kind}: imported ${p.processed}/${p.total} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
          );
          lastPrinted = p.processed;
        }
      },
    });
    const importSeconds = (performance.now() - started) / 1000;
    if (result.errors.length)
      throw new Error(`bench import rejected ${result.errors.length} rows: ${result.errors[0]?.reason}`);
    await sql`ANALYZE`.execute(t.db);
    const mix = await mixOf(t.db);

    const someId = (await t.db.selectFrom('products').select('id').limit(1).executeTakeFirstOrThrow()).id;
    const floorSamples: number[] = [];
    for (let r = 0; r < REPS * 3; r++) {
      const s = performance.now();
      await t.db.selectFrom('products').select(['id', 'name', 'price']).where('id', '=', someId).execute();
      floorSamples.push(performance.now() - s);
    }
    floorSamples.sort((a, b) => a - b);
    const floor = { p50: quantile(floorSamples, 0.5), p95: quantile(floorSamples, 0.95) };
    const rows: BackendResult['rows'] = [];
    const all: number[] = [];
    for (const q of mix) {
      const page = q.label.startsWith('page 5') ? { limit: 10, offset: 40 } : { limit: 10, offset: 0 };
      let total = 0;
      for (let w = 0; w < 3; w++)
        total = (await searchProducts(t.search, { cityId: city.id, ...q.search }, page)).total;
      const samples: number[] = [];
      for (let r = 0; r < REPS; r++) {
        const s = performance.now();
        await searchProducts(t.search, { cityId: city.id, ...q.search }, page);
        samples.push(performance.now() - s);
      }
      samples.sort((a, b) => a - b);
      all.push(...samples);
      rows.push({ label: q.label, p50: quantile(samples, 0.5), p95: quantile(samples, 0.95), total });
    }
    all.sort((a, b) => a - b);
    return { kind, catalog, importSeconds, rows, all: { p50: quantile(all, 0.5), p95: quantile(all, 0.95) }, floor };
  } finally {
    await t.close();
  }
}

export async function runSearchBench(): Promise<BackendResult[]> {
  console.log(
    `catalog: ${PRODUCTS.toLocaleString('en')} synthetic products in one city, ${REPS} timed runs per query (after 3 warm-up), limit 10`,
  );
  const results: BackendResult[] = [];
  const runs: [DatabaseKind, string, () => string, (db: TestDatabase['db']) => Promise<Q[]>][] = [];
  if (CATALOGS.includes('demo')) {
    const csv = syntheticCatalogCsv(PRODUCTS);
    for (const kind of ['postgres', 'pglite'] as const) runs.push([kind, 'demo', () => csv, async () => MIX]);
  }
  if (CATALOGS.includes('retailer')) {
    const { csv, skus } = syntheticRetailerCsv(PRODUCTS);
    runs.push(['postgres', "retailer's taxonomy", () => csv, (db) => retailerMix(db, skus)]);
  }
  for (const [kind, catalog, csv, mix] of runs) {
    try {
      results.push(await benchBackend(kind, catalog, csv(), mix));
    } catch (error) {
      console.log(`${kind}, ${catalog}: skipped — ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const r of results) {
    console.log(
      `\n### ${r.kind}, ${r.catalog} catalog: import ${PRODUCTS.toLocaleString('en')} rows in ${r.importSeconds.toFixed(1)} s (${Math.round(PRODUCTS / r.importSeconds).toLocaleString('en')} rows/s)`,
    );
    console.log('| query | results | p50 ms | p95 ms |');
    console.log('|---|---:|---:|---:|');
    for (const row of r.rows)
      console.log(`| ${row.label} | ${row.total} | ${row.p50.toFixed(2)} | ${row.p95.toFixed(2)} |`);
    console.log(`| **all queries** | | **${r.all.p50.toFixed(2)}** | **${r.all.p95.toFixed(2)}** |`);
    console.log(
      `| floor: one row by primary key | 1 | ${r.floor.p50.toFixed(2)} | ${r.floor.p95.toFixed(2)} | (all queries' p95 = ${(r.all.p95 / r.floor.p95).toFixed(1)}× the floor's)`,
    );
  }
  return results;
}
