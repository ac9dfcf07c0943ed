import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../storage/repos/common.ts';
import type { ProductSearch } from '../../storage/search/search.ts';
import { prng, shopPrice } from '../../storage/seed/random.ts';

/**
 * The search bench's second catalog: the retailer's own taxonomy (scenarios/fixtures/
 * retailer-catalog.csv — its categories, colours and materials, extra columns, Cyrillic and
 * digits-only SKUs) grown to any size. Each of its 215 products is repeated with a copy number in
 * its SKU and name and a price moved by up to ±30 %; the import creates the categories and values
 * as it does for a retailer's first spreadsheet.
 */
export const RETAILER_CSV = join(process.cwd(), 'scenarios/fixtures/retailer-catalog.csv');

export function syntheticRetailerCsv(count: number): { csv: string; skus: string[] } {
  const [header, ...templates] = readFileSync(RETAILER_CSV, 'utf8').trimEnd().split('\n');
  const rnd = prng(7);
  const lines = [header!];
  const skus: string[] = [];
  for (let i = 0; i < count; i++) {
    const line = templates[i % templates.length]!;
    const copy = Math.floor(i / templates.length);
    // sku is the first field, the name the second (never quoted in this file), the price the fourth
    const [sku = '', name = '', ...rest] = splitFirst(line, 2);
    const newSku = copy === 0 ? sku : /^\d+$/.test(sku) ? `${sku}${String(copy).padStart(3, '0')}` : `${sku}/${copy}`;
    skus.push(newSku);
    const renamed = copy === 0 ? name : `${name} ${copy}`;
    lines.push([newSku, renamed, movePrice(rest.join(','), rnd)].join(','));
  }
  return { csv: lines.join('\n'), skus };
}

/** the line's first `n` fields and the rest (unsplit) */
function splitFirst(line: string, n: number): string[] {
  const out: string[] = [];
  let rest = line;
  for (let i = 0; i < n; i++) {
    const comma = rest.indexOf(',');
    out.push(rest.slice(0, comma));
    rest = rest.slice(comma + 1);
  }
  return [...out, rest];
}

/** description (maybe quoted), then the price: the price is moved by up to ±30 % */
function movePrice(rest: string, rnd: () => number): string {
  const match = /^("(?:[^"]|"")*"|[^,]*),(\d+),/.exec(rest);
  if (!match) return rest;
  const price = shopPrice(Number(match[2]) * (0.7 + rnd() * 0.6));
  return `${match[1]},${price},${rest.slice(match[0].length)}`;
}

type Q = { label: string; search: Omit<ProductSearch, 'cityId'> };

/** the query mix over the retailer's catalog: criteria as the rules brain reads these phrasings */
export async function retailerMix(db: Db, skus: string[]): Promise<Q[]> {
  const category = async (name: string) =>
    (await db.selectFrom('categories').select('slug').where('name_ru', '=', name).executeTakeFirstOrThrow()).slug;
  // a colour the demo taxonomy knew only as a synonym (графитовый of grey) may be a value of its own or not
  const colour = async (name: string) =>
    (
      await sql<{ value: string }>`SELECT value FROM attribute_values WHERE attribute_key = 'color'
        AND (lower(name_ru) = ${name} OR synonyms::jsonb ? ${name}) ORDER BY lower(name_ru) = ${name} DESC LIMIT 1`.execute(
        db,
      )
    ).rows[0]!.value;
  const shelves = await category('Стеллажи для книг');
  const euro = await category('Диваны-еврокнижки');
  const beds = await category('Детские кровати');
  const graphite = await colour('графитовый');
  const digits = skus.find((s) => /^\d{9,}$/.test(s)) ?? skus[0]!;
  const cyrillic = skus.find((s) => /^[А-Я]{2}-\d+\/\d+$/.test(s)) ?? skus[1]!;
  return [
    { label: 'category only «Стеллажи для книг»', search: { category: shelves } },
    { label: 'words «стеллаж для книг»', search: { query: 'стеллаж для книг' } },
    { label: 'category + colour: еврокнижка, графитовый', search: { category: euro, color: graphite } },
    { label: 'category + price ≤ 150k: еврокнижка', search: { category: euro, priceMax: 150_000 } },
    { label: 'feature «кровать с ящиком для белья»', search: { query: 'кровать с ящиком для белья' } },
    { label: 'category + words: детские кровати «розовая»', search: { category: beds, query: 'розовая' } },
    { label: 'typo «прихожя с зеркалом»', search: { query: 'прихожя с зеркалом' } },
    { label: `SKU, Cyrillic «${cyrillic}»`, search: { query: cyrillic } },
    { label: `SKU, digits «${digits}»`, search: { query: digits } },
    { label: 'no match «фывапролдж»', search: { query: 'фывапролдж' } },
  ];
}
