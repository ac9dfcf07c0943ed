import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { parseCsv } from '../../storage/import/index.ts';

/**
 * The retailer set: a second catalog in a retailer's own taxonomy and SKU shapes
 * (scenarios/fixtures/retailer-catalog.csv) and queries labelled from it before the search code
 * was read (storage/search/retailer-relevance.json). Each case is one conversation; its labels
 * are the correct answers to the last turn, and an empty `relevant` means nothing fits.
 */
export const RETAILER_LABELS = fileURLToPath(new URL('../../storage/search/retailer-relevance.json', import.meta.url));
/** Cases written after the first two rounds of fixes, over the same catalog, to measure them on phrasings they were not tuned on. */
export const RETAILER_HELDOUT_LABELS = fileURLToPath(
  new URL('../../storage/search/retailer-heldout.json', import.meta.url),
);

const RetailerCaseSchema = v.object({
  id: v.pipe(v.number(), v.integer()),
  turns: v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1)),
  tags: v.array(v.string()),
  relevant: v.record(v.string(), v.literal(2)),
});
const RetailerSetSchema = v.object({
  catalog: v.string(),
  city: v.pipe(v.string(), v.minLength(1)),
  note: v.optional(v.string()),
  queries: v.pipe(v.array(RetailerCaseSchema), v.minLength(1)),
});
export type RetailerCase = v.InferOutput<typeof RetailerCaseSchema>;
export type RetailerSet = v.InferOutput<typeof RetailerSetSchema> & { catalogFile: string };

export function loadRetailerSet(file = RETAILER_LABELS): RetailerSet {
  const parsed = v.safeParse(RetailerSetSchema, JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `${file}: ${parsed.issues
        .slice(0, 3)
        .map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  // the catalog path is relative to the repository root
  return { ...parsed.output, catalogFile: fileURLToPath(new URL(`../../${parsed.output.catalog}`, import.meta.url)) };
}

/** The SKUs of the catalog file as written (before any import normalises or refuses them). */
export function catalogSkus(csv: string): string[] {
  const records = [...parseCsv(csv)];
  const column = records[0]?.fields.indexOf('sku') ?? -1;
  if (column < 0) throw new Error('the catalog has no sku column');
  return records.slice(1).map((r) => r.fields[column] ?? '');
}
