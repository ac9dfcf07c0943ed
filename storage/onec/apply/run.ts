import { sql } from 'kysely';
import type { Db } from '../../repos/common.ts';
import { mergePendingSearchEntries } from '../../search/pending.ts';
import { loadTaxonomy, TermIndex } from '../../taxonomy/index.ts';
import { AttributeReader } from './attributes.ts';
import { applyGoods, type GoodsCounts } from './goods.ts';
import { applyGroups, categoriesByGroup, type GroupCounts } from './groups.ts';
import { applyOffers, type OffersCounts } from './offers.ts';
import { applyProperties, propertiesById, type PropertyCounts } from './properties.ts';
import { choosePriceType } from './prices.ts';
import { allStaged, type Scope } from './staged.ts';
import { declareWarehouses } from './stock.ts';
import { Warnings } from './warnings.ts';

/**
 * Applies staged files to the catalog in ONE transaction: the taxonomy first (groups, properties),
 * then goods, the full-sync deactivation, then offers. Either all of it is in the catalog or none
 * of it. The session's row is locked (NOWAIT) for the duration, so a second replica asked about
 * the same session sees `busy` instead of applying twice; a replica that died mid-apply leaves
 * nothing behind (its transaction rolls back) and the next request applies again.
 */
export type ApplyRequest = Scope & { cityId: string; priceType?: string };
export type ApplyReport = {
  groups: GroupCounts;
  properties: PropertyCounts;
  goods: GoodsCounts;
  /** products of the city a full package did not name: unavailable now (never deleted) */
  deactivated: number;
  offers: OffersCounts;
  warnings: string[];
};
export type ApplyOutcome =
  | { kind: 'applied'; report: ApplyReport; drops: string[] }
  | { kind: 'busy' }
  | { kind: 'already' };

export async function applyStaged(db: Db, request: ApplyRequest): Promise<ApplyOutcome> {
  return db.transaction().execute(async (tx) => {
    try {
      await sql`SELECT id FROM onec_sessions WHERE id = ${request.sessionId}::uuid FOR UPDATE NOWAIT`.execute(tx);
    } catch (error) {
      if ((error as { code?: string }).code === '55P03') return { kind: 'busy' as const };
      throw error;
    }
    const files = await tx
      .selectFrom('onec_files')
      .select(['name', 'state', 'goods_full'])
      .where('session_id', '=', request.sessionId)
      .where('name', 'in', request.files)
      .execute();
    const pending = files.filter((f) => f.state === 'staged');
    if (pending.length === 0) return { kind: 'already' as const };
    const scope: Scope = { sessionId: request.sessionId, files: pending.map((f) => f.name) };
    // staged just now, unseen by autovacuum: without statistics the planner would scan every
    // staged offer for each batch of goods it prices
    await sql`ANALYZE onec_staged`.execute(tx);
    const city = await tx
      .selectFrom('cities')
      .select('currency')
      .where('id', '=', request.cityId)
      .executeTakeFirstOrThrow();
    const warnings = new Warnings();
    const groups = await applyGroups(tx, scope);
    const properties = await applyProperties(tx, scope);
    const terms = new TermIndex(await loadTaxonomy(tx));
    const attributes = new AttributeReader(tx, await propertiesById(tx), terms, warnings);
    const priceType = choosePriceType(await allStaged(tx, scope, 'price_type'), request.priceType);
    const hasOffers = await tx
      .selectFrom('onec_staged')
      .select('id')
      .where('session_id', '=', scope.sessionId)
      .where('kind', '=', 'offer')
      .where('file_name', 'in', scope.files)
      .limit(1)
      .executeTakeFirst();
    await declareWarehouses(tx, scope, request.cityId);
    const goods = await applyGoods(tx, scope, {
      cityId: request.cityId,
      currency: city.currency,
      categories: await categoriesByGroup(tx),
      attributes,
      terms,
      warnings,
      // a package with goods and their offers: a new product is written once, priced
      ...(hasOffers ? { pricing: priceType } : {}),
    });
    const deactivated = pending.some((f) => f.goods_full === true)
      ? await deactivateMissing(tx, request.cityId, scope)
      : 0;
    const changed = { drops: [] as string[] };
    const offers = await applyOffers(tx, scope, { cityId: request.cityId, priceType, warnings }, changed);
    await tx
      .deleteFrom('onec_staged')
      .where('session_id', '=', scope.sessionId)
      .where('file_name', 'in', scope.files)
      .execute();
    await tx
      .updateTable('onec_files')
      .set({ state: 'applied' })
      .where('session_id', '=', scope.sessionId)
      .where('name', 'in', scope.files)
      .execute();
    // searches right after a large exchange would otherwise read its rows from the indexes' pending lists
    await mergePendingSearchEntries(tx);
    const report = { groups, properties, goods, deactivated, offers, warnings: warnings.list() };
    return { kind: 'applied' as const, report, drops: changed.drops };
  });
}

/** goods of the city a full package (СодержитТолькоИзменения="false") did not name, with their variants */
async function deactivateMissing(tx: Db, cityId: string, scope: Scope): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`
    WITH gone AS (
      UPDATE products p SET is_available = false, updated_at = now()
       WHERE p.city_id = ${cityId}::uuid AND p.external_id IS NOT NULL AND p.is_available
         AND NOT EXISTS (SELECT 1 FROM onec_staged s
                          WHERE s.session_id = ${scope.sessionId}::uuid AND s.kind = 'good'
                            AND s.file_name IN (${sql.join(scope.files)})
                            AND s.ext_id = split_part(p.external_id, '#', 1))
      RETURNING p.id),
    forgot AS (
      -- search alerts that saw these products in stock will tell shoppers when they return
      UPDATE alert_products m SET available = false FROM gone WHERE m.product_id = gone.id AND m.available RETURNING 1)
    SELECT count(*) AS n FROM gone`.execute(tx);
  return Number(rows[0]?.n ?? 0);
}
