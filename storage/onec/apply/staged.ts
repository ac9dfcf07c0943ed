import { sql } from 'kysely';
import * as v from 'valibot';
import type { OnecStagedKind } from '../../db/types.ts';
import type { Db } from '../../repos/common.ts';

/**
 * What the reading steps staged, read back for the apply: each row is checked against the shape
 * the reader wrote, so a row changed by hand (or by an older version) stops the apply with its id
 * instead of writing nonsense into the catalog.
 */
const text = v.string();
const optionalText = v.optional(v.string());

const SCHEMAS = {
  group: v.object({ id: text, name: text, parent: optionalText, position: v.number() }),
  property: v.object({
    id: text,
    name: text,
    type: v.picklist(['enum', 'number', 'text']),
    values: v.array(v.object({ id: text, name: text })),
  }),
  good: v.object({
    id: text,
    article: optionalText,
    name: text,
    description: optionalText,
    groups: v.array(text),
    properties: v.array(v.object({ id: text, values: v.array(text) })),
    images: v.nullable(v.array(text)),
    deleted: v.boolean(),
  }),
  price_type: v.object({ id: text, name: text, currency: optionalText }),
  warehouse: v.object({ id: text, name: text }),
  offer: v.object({
    id: text,
    article: optionalText,
    name: optionalText,
    characteristics: v.array(v.object({ name: text, value: text })),
    prices: v.optional(v.array(v.object({ type: text, value: v.number(), currency: optionalText }))),
    quantity: v.optional(v.number()),
    stock: v.optional(v.array(v.object({ warehouse: text, quantity: v.number() }))),
  }),
} satisfies Record<OnecStagedKind, v.GenericSchema>;

export type Staged<K extends OnecStagedKind> = v.InferOutput<(typeof SCHEMAS)[K]>;
export type Scope = { sessionId: string; files: readonly string[] };

/** staged rows of `kind` from the files in scope, in the order they were read, `batch` at a time */
export async function* stagedRows<K extends OnecStagedKind>(
  db: Db,
  scope: Scope,
  kind: K,
  batch = 1000,
): AsyncGenerator<Staged<K>[]> {
  if (scope.files.length === 0) return;
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('onec_staged')
      .select(['id', 'data'])
      .where('session_id', '=', scope.sessionId)
      .where('kind', '=', kind)
      .where('file_name', 'in', scope.files)
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return;
    after = Number(rows.at(-1)!.id);
    yield rows.map((row) => parseStaged(kind, row.data, row.id));
  }
}

/**
 * Staged goods in the order they were read, `batch` at a time; with `withOffers`, each with its
 * offer from the files in scope (the parts from several files merged in order) read in the same
 * statement, so a package of goods and offers prices its new products without a query per batch.
 */
export type GoodWithOffer = { good: Staged<'good'>; offer?: Staged<'offer'> };

export async function* stagedGoods(
  db: Db,
  scope: Scope,
  withOffers: boolean,
  batch = 1000,
): AsyncGenerator<GoodWithOffer[]> {
  if (scope.files.length === 0) return;
  const files = [...scope.files];
  const offers = withOffers
    ? sql`(SELECT json_agg(json_build_array(o.id, o.data) ORDER BY o.id) FROM onec_staged o
            WHERE o.session_id = g.session_id AND o.kind = 'offer' AND o.ext_id = g.ext_id
              AND o.file_name = ANY(${files}::text[]))`
    : sql`NULL::json`;
  let after = 0;
  for (;;) {
    const { rows } = await sql<{ id: string | number; data: unknown; offers: [string | number, unknown][] | null }>`
      SELECT g.id, g.data, ${offers} AS offers FROM onec_staged g
       WHERE g.session_id = ${scope.sessionId}::uuid AND g.kind = 'good' AND g.file_name = ANY(${files}::text[])
         AND g.id > ${after}
       ORDER BY g.id LIMIT ${batch}`.execute(db);
    if (rows.length === 0) return;
    after = Number(rows.at(-1)!.id);
    yield rows.map((row) => {
      const good = parseStaged('good', row.data, row.id);
      let offer: Staged<'offer'> | undefined;
      for (const [id, data] of row.offers ?? []) offer = { ...offer, ...parseStaged('offer', data, id) };
      return offer ? { good, offer } : { good };
    });
  }
}

export function parseStaged<K extends OnecStagedKind>(kind: K, data: unknown, id: string | number): Staged<K> {
  const parsed = v.safeParse(SCHEMAS[kind], data);
  if (!parsed.success) throw new Error(`staged ${kind} #${id} is not what the reader writes`);
  return parsed.output as Staged<K>;
}

export async function allStaged<K extends OnecStagedKind>(db: Db, scope: Scope, kind: K): Promise<Staged<K>[]> {
  const out: Staged<K>[] = [];
  for await (const rows of stagedRows(db, scope, kind)) out.push(...rows);
  return out;
}

/** names compared the way a retailer reads them: case, ё and spacing aside */
export const nameKey = (name: string): string => name.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
