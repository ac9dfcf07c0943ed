import { sql } from 'kysely';
import { inTransaction, type Db } from '../../repos/common.ts';
import { toItem, toOrder, type OrderWithItems } from '../../orders/types.ts';

/**
 * Which orders 1C still has to receive, and the bookkeeping that makes `success` exact: `query`
 * remembers the orders it returned at the version (`updated_at`) it sent; `success` marks those
 * versions exported, so an order placed or changed after the query is not marked and goes next
 * time.
 */
export const MAX_ORDERS_PER_QUERY = 500;

/** the city's orders never exported or changed since, oldest first, at most `limit`; never a test order */
export async function ordersToExport(db: Db, cityId: string, limit = MAX_ORDERS_PER_QUERY): Promise<OrderWithItems[]> {
  const rows = await db
    .selectFrom('orders')
    .leftJoin('onec_order_exports as e', 'e.order_id', 'orders.id')
    .selectAll('orders')
    .where('orders.city_id', '=', cityId)
    .where('orders.is_test', '=', false)
    // versions travel through JavaScript dates: compared to the millisecond
    .where(sql<boolean>`e.version IS NULL OR e.version <> date_trunc('milliseconds', orders.updated_at)`)
    .orderBy('orders.updated_at')
    .orderBy('orders.number')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const items = await db
    .selectFrom('order_items')
    .selectAll()
    .where(
      'order_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ ...toOrder(r), items: items.filter((i) => i.order_id === r.id).map(toItem) }));
}

/** what this session's `query` sent; a repeated query (1C retrying) replaces it */
export async function rememberQuery(db: Db, sessionId: string, orders: readonly OrderWithItems[]): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.deleteFrom('onec_sale_queries').where('session_id', '=', sessionId).execute();
    if (orders.length === 0) return;
    await tx
      .insertInto('onec_sale_queries')
      .values(orders.map((o) => ({ session_id: sessionId, order_id: o.id, version: o.updatedAt })))
      .execute();
  });
}

/** `success`: the versions this session's query sent are now 1C's; returns how many orders */
export async function markExported(db: Db, sessionId: string, now: Date): Promise<number> {
  return inTransaction(db, async (tx) => {
    const marked = await sql<{ order_id: string }>`
      INSERT INTO onec_order_exports (order_id, version, exported_at)
      SELECT order_id, version, ${now} FROM onec_sale_queries WHERE session_id = ${sessionId}::uuid
      ON CONFLICT (order_id) DO UPDATE SET version = EXCLUDED.version, exported_at = EXCLUDED.exported_at
      RETURNING order_id`.execute(tx);
    await tx.deleteFrom('onec_sale_queries').where('session_id', '=', sessionId).execute();
    return marked.rows.length;
  });
}

/**
 * An order 1C itself changed need not go back to it: when 1C had the version before its change,
 * it has the one after too.
 */
export async function exportedThrough(db: Db, orderId: string, before: string, after: string): Promise<void> {
  await db
    .updateTable('onec_order_exports')
    .set({ version: after })
    .where('order_id', '=', orderId)
    .where('version', '=', new Date(before))
    .execute();
}
