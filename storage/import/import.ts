import { isStorageUnavailable } from '../db/errors.ts';
import { inTransaction, type Db } from '../repos/common.ts';
import { parseCsv } from './csv.ts';
import { decodeSource } from './decode.ts';
import { validateRow } from './row.ts';
import { upsertProducts } from './upsert.ts';
import { skuKey } from '../../engine/skuKey.ts';
import { mergePendingSearchEntries } from '../search/pending.ts';
import { createTerms, loadTaxonomy, TermIndex, type NewTerm } from '../taxonomy/index.ts';
import { createAttributes, readAttributes, type CreatedAttribute, type ExtraItem } from './attributes.ts';

export type ImportError = { line: number; reason: string };
export type ImportProgress = { processed: number; total: number; imported: number; updated: number; errors: number };
export type ImportOptions = {
  cityId: string;
  source: string | Buffer | Uint8Array;
  format: 'csv' | 'json';
  onProgress?: (p: ImportProgress) => void;
  /** rows per transaction (default 2000) */
  batchSize?: number;
};
/**
 * `created`: categories, colours and materials the file named that the taxonomy did not have, and
 * the attributes (with their values) its extra columns brought
 */
export type ImportResult = {
  imported: number;
  updated: number;
  errors: ImportError[];
  created: (NewTerm | CreatedAttribute)[];
};

export const IMPORT_COLUMNS = [
  'sku',
  'name',
  'description',
  'price',
  'category',
  'color',
  'material',
  'image_url',
  'is_available',
] as const;
const REQUIRED = ['sku', 'name', 'price'] as const;
const HEADER_ALIASES: Record<string, string> = {
  available: 'is_available',
  image: 'image_url',
  imageurl: 'image_url',
  colour: 'color',
  артикул: 'sku',
  наименование: 'name',
  название: 'name',
  описание: 'description',
  цена: 'price',
  категория: 'category',
  группа: 'category',
  цвет: 'color',
  материал: 'material',
  изображение: 'image_url',
  картинка: 'image_url',
  наличие: 'is_available',
  в_наличии: 'is_available',
};

/**
 * Imports a catalog (CSV with a header row, or a JSON array of objects with the same keys) into
 * one city. Every row is validated; bad rows are reported with their line (CSV) or element
 * number (JSON, 1-based) and the rest is upserted by (city, sku) in batched transactions.
 * `imported` counts new products, `updated` counts existing SKUs that were overwritten.
 */
export async function importCatalog(db: Db, options: ImportOptions): Promise<ImportResult> {
  const text = decodeSource(options.source);
  const errors: ImportError[] = [];
  const rows = options.format === 'json' ? jsonRows(text, errors) : csvRows(text, errors);
  // rows that could not even be parsed count as processed too
  const total = rows.length + errors.length;
  const seen = new Map<string, { line: number; sku: string }>();
  const valid: ExtraItem[] = [];
  for (const row of rows) {
    const result = validateRow(row.values);
    if (!result.ok) {
      errors.push({ line: row.line, reason: result.reason });
      continue;
    }
    const key = skuKey(result.product.sku);
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ line: row.line, reason: duplicateReason(result.product.sku, first) });
      continue;
    }
    seen.set(key, { line: row.line, sku: result.product.sku });
    valid.push({ line: row.line, product: result.product, extras: row.extras });
  }
  const taken = await storedLookalikes(
    db,
    options.cityId,
    valid.map((v) => v.product.sku),
  );
  const accepted = valid.filter((item) => {
    const stored = taken.get(skuKey(item.product.sku));
    if (stored === undefined || stored === item.product.sku) return true;
    errors.push({
      line: item.line,
      reason: `SKU ${item.product.sku} reads the same as ${stored} already in the catalog (letters, case and separators aside)`,
    });
    return false;
  });
  valid.splice(0, valid.length, ...accepted);
  const created = await readTerms(db, valid, errors);

  const batchSize = Math.max(1, options.batchSize ?? 2000);
  let imported = 0;
  let updated = 0;
  let processed = total - valid.length;
  for (let start = 0; start < valid.length; start += batchSize) {
    const batch = valid.slice(start, start + batchSize);
    try {
      const r = await inTransaction(db, (tx) =>
        upsertProducts(
          tx,
          options.cityId,
          batch.map((b) => b.product),
        ),
      );
      imported += r.inserted;
      updated += r.updated;
    } catch (error) {
      if (isStorageUnavailable(error)) throw error;
      // isolate the row the database refused; the others of the batch still go in
      for (const item of batch) {
        try {
          const r = await upsertProducts(db, options.cityId, [item.product]);
          imported += r.inserted;
          updated += r.updated;
        } catch (rowError) {
          if (isStorageUnavailable(rowError)) throw rowError;
          errors.push({
            line: item.line,
            reason: `rejected by the database: ${rowError instanceof Error ? rowError.message : String(rowError)}`,
          });
        }
      }
    }
    processed += batch.length;
    options.onProgress?.({ processed, total, imported, updated, errors: errors.length });
  }
  if (valid.length === 0) options.onProgress?.({ processed: total, total, imported, updated, errors: errors.length });
  errors.sort((a, b) => a.line - b.line);
  // searches right after a large import would otherwise read its rows from the indexes' pending lists
  if (imported + updated > 0) await mergePendingSearchEntries(db);
  return { imported, updated, errors, created };
}

/**
 * Reads each row's category, colour and material as taxonomy slugs and its extra columns as
 * attributes (refusing, into `errors`, the rows whose cells do not fit), creating what is new.
 * `items` keeps the rows to upsert.
 */
async function readTerms(db: Db, items: ExtraItem[], errors: ImportError[]): Promise<ImportResult['created']> {
  if (items.length === 0) return [];
  const taxonomy = await loadTaxonomy(db);
  const { refused, created: attributes, accepted } = readAttributes(taxonomy, items);
  errors.push(...refused);
  items.splice(0, items.length, ...accepted);
  const terms = new TermIndex(taxonomy);
  for (const { product } of items) {
    product.category = terms.resolve('category', product.category);
    product.color = terms.resolve('color', product.color);
    product.material = terms.resolve('material', product.material);
    product.keywords = terms.keywords(product);
  }
  if (items.length === 0) return [];
  return [...(await createTerms(db, terms.planned())), ...(await createAttributes(db, attributes))];
}

/** `extras`: the cells of columns beyond IMPORT_COLUMNS, by header as the file has it */
type RawRow = { line: number; values: Record<string, unknown>; extras: Record<string, unknown> };

function duplicateReason(sku: string, first: { line: number; sku: string }): string {
  return first.sku === sku
    ? `duplicate SKU ${sku} (first on line ${first.line})`
    : `SKU ${sku} reads the same as ${first.sku} on line ${first.line} (letters, case and separators aside)`;
}

/** the city's stored codes sharing a key with one of `skus`, by key */
async function storedLookalikes(db: Db, cityId: string, skus: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const keys = [...new Set(skus.map(skuKey))];
  for (let start = 0; start < keys.length; start += 1000) {
    const rows = await db
      .selectFrom('products')
      .select(['sku', 'sku_key'])
      .where('city_id', '=', cityId)
      .where('sku_key', 'in', keys.slice(start, start + 1000))
      .execute();
    for (const row of rows) found.set(row.sku_key, row.sku);
  }
  return found;
}

function csvRows(text: string, errors: ImportError[]): RawRow[] {
  const records = parseCsv(text);
  const headerRecord = records.next();
  if (headerRecord.done) {
    errors.push({ line: 1, reason: 'the file is empty' });
    return [];
  }
  const written = headerRecord.value.fields.map((h) => h.replace(/^\uFEFF/, '').trim());
  const header = written.map((h) => {
    const key = h.toLowerCase().replace(/\s+/g, '_');
    return HEADER_ALIASES[key] ?? key;
  });
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) {
    errors.push({ line: 1, reason: `header is missing ${missing.join(', ')} (expected ${IMPORT_COLUMNS.join(',')})` });
    return [];
  }
  const rows: RawRow[] = [];
  for (const record of records) {
    if (record.error) {
      errors.push({ line: record.line, reason: `malformed CSV: ${record.error}` });
      continue;
    }
    if (record.fields.length !== header.length) {
      errors.push({ line: record.line, reason: `expected ${header.length} columns, found ${record.fields.length}` });
      continue;
    }
    // a column the file lacks reads as empty
    const values: Record<string, unknown> = Object.fromEntries(IMPORT_COLUMNS.map((key) => [key, undefined]));
    const extras: Record<string, unknown> = {};
    header.forEach((key, idx) => {
      if ((IMPORT_COLUMNS as readonly string[]).includes(key)) values[key] = record.fields[idx];
      else extras[written[idx] || `column ${idx + 1}`] = record.fields[idx];
    });
    rows.push({ line: record.line, values, extras });
  }
  return rows;
}

function jsonRows(text: string, errors: ImportError[]): RawRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    errors.push({ line: 1, reason: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
    return [];
  }
  if (!Array.isArray(data)) {
    errors.push({ line: 1, reason: 'expected a JSON array of products' });
    return [];
  }
  const rows: RawRow[] = [];
  data.forEach((item: unknown, idx) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ line: idx + 1, reason: 'element is not an object' });
      return;
    }
    const src = item as Record<string, unknown>;
    const values: Record<string, unknown> = {};
    for (const key of IMPORT_COLUMNS) values[key] = src[key] ?? src[camel(key)];
    if (values.is_available === undefined && 'available' in src) values.is_available = src.available;
    rows.push({ line: idx + 1, values, extras: jsonExtras(src) });
  });
  return rows;
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const OWN_KEYS = new Set<string>([...IMPORT_COLUMNS, ...IMPORT_COLUMNS.map(camel), 'available', 'attributes']);

/** keys beyond the product's own, and the entries of an `attributes` object */
function jsonExtras(src: Record<string, unknown>): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(src)) if (!OWN_KEYS.has(key)) extras[key] = value;
  const nested = src.attributes;
  if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) Object.assign(extras, nested);
  return extras;
}
