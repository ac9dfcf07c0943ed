import type { CartRef } from '../../engine/effects.ts';
import type { PricedLine } from '../../engine/events.ts';
import type { Db } from '../../storage/repos/common.ts';
import { isUuid } from '../../storage/repos/products.ts';
import { toMinor } from '../../storage/orders/index.ts';

/**
 * The cart read again from the city's catalog, straight from the database (not the catalog port's
 * few-seconds cache: a price changed a moment ago must be seen before the shopper pays). A line is
 * available when the product is, and the city has at least the quantity asked when it tracks
 * stock; a product gone from the catalog is unavailable. `lock`: inside the transaction that places
 * the order, the rows are held (FOR SHARE) so a price cannot change between this read and the order.
 */
export async function priceLines(
  db: Db,
  city: { id: string; currency: string },
  refs: readonly CartRef[],
  lock = false,
): Promise<PricedLine[]> {
  const ids = [...new Set(refs.map((r) => r.productId).filter(isUuid))];
  let q = db
    .selectFrom('products')
    .select(['id', 'sku', 'name', 'price', 'currency', 'is_available', 'stock_quantity'])
    .where('city_id', '=', city.id)
    .where('id', 'in', ids);
  if (lock) q = q.forShare();
  const byId = new Map((ids.length ? await q.execute() : []).map((p) => [p.id, p]));
  return refs.map((ref) => {
    const p = byId.get(ref.productId);
    if (!p)
      return {
        productId: ref.productId,
        sku: ref.sku,
        name: ref.sku,
        price: 0,
        currency: city.currency,
        available: false,
      };
    const stock = p.stock_quantity === null ? undefined : Number(p.stock_quantity);
    return {
      productId: p.id,
      sku: p.sku,
      name: p.name,
      price: Number(p.price),
      currency: p.currency,
      // zero stock is sold out whatever the flag says; tracked stock must cover the quantity
      available: p.is_available && stock !== 0 && (stock === undefined || stock >= ref.quantity),
      ...(stock !== undefined ? { stock: Math.floor(stock) } : {}),
    };
  });
}

/** whether any line is sold out now or priced differently from what the shopper was shown */
export function changedSince(shown: ReadonlyArray<{ price: number }>, now: readonly PricedLine[]): boolean {
  return now.some((line, i) => !line.available || toMinor(line.price) !== toMinor(shown[i]?.price ?? Number.NaN));
}
