import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../repos/common.ts';
import { allStaged, type Scope, type Staged } from './staged.ts';

export type WarehouseQuantity = { warehouse: string; quantity: number };

/** the quantities an offer states per warehouse, never below zero; none when it states none */
export function warehouseQuantities(offer: Staged<'offer'>): WarehouseQuantity[] | null {
  if (!offer.stock || offer.stock.length === 0) return null;
  return offer.stock.map((s) => ({ warehouse: s.warehouse, quantity: Math.max(0, s.quantity) }));
}

/**
 * The warehouses a package declares become the city's before its goods are written, so that a new
 * product is inserted with the stock shoppers will see (`cityStock`) rather than corrected by a
 * second write of every row whose warehouses lie in several cities.
 */
export async function declareWarehouses(tx: Db, scope: Scope, cityId: string): Promise<void> {
  const warehouses = await allStaged(tx, scope, 'warehouse');
  for (const w of new Map(warehouses.map((x) => [x.id, x])).values())
    await tx
      .insertInto('warehouses')
      .values({ city_id: cityId, id: w.id, name: w.name })
      .onConflict((oc) => oc.columns(['city_id', 'id']).doUpdateSet({ name: w.name }))
      .execute();
}

/**
 * What shoppers see is the city's own stock: where 1C sends quantities per warehouse (`stock`, a
 * jsonb array of `WarehouseQuantity`), a product's `stock_quantity` is their sum over the
 * warehouses of its city (and over warehouses no city declares), not `Количество`, which 1C counts
 * over every warehouse it has. Where `stock` is NULL the offer's own total (`quantity`) stands.
 * Computed from the offer itself, not read back from `product_stock`: the rows its batch writes
 * there are exactly these quantities, and reading them back cost a pass over the table per batch
 * and a second UPDATE of every product whose total was not its city's.
 */
export function cityStock(cityId: string, stock: RawBuilder<unknown>, quantity: RawBuilder<unknown>) {
  return sql`CASE WHEN ${stock} IS NULL THEN ${quantity} ELSE (
    SELECT coalesce(sum(s.quantity) FILTER (
             WHERE w.id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM warehouses o WHERE o.id = s.warehouse)), 0)
      FROM jsonb_to_recordset(${stock}) AS s(warehouse text, quantity numeric)
      LEFT JOIN warehouses w ON w.city_id = ${cityId}::uuid AND w.id = s.warehouse) END`;
}
