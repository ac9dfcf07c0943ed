import type { Product, SearchCriteria } from '../catalog.ts';
import type { AlertTarget } from '../effects.ts';
import type { AlertHit } from '../events.ts';
import { byPrice, matches, matchesWords } from './catalogSearch.ts';

/**
 * Price and search alerts over the in-memory catalog, by the platform's rules: a product alert
 * fires when the price falls below what the shopper was last told (and to the target, if any); a
 * search alert remembers every product it has seen with its price and availability, and fires only
 * for a product new to it, cheaper than it was told, or back in stock — so re-importing unchanged
 * products says nothing. All hits of one catalog change go out together, as one digest.
 */
export type Seen = { price: number; available: boolean };
export type StoredAlert = { id: string; target: AlertTarget; active: boolean; told?: number; seen?: Map<string, Seen> };

const fits = (p: Product, criteria: SearchCriteria) => matches(p, criteria) && matchesWords(p, criteria.query);

/** a new search alert has seen what already matches: only what changes after it counts */
export function seedSearchAlert(alert: StoredAlert, catalog: readonly Product[]): void {
  if (alert.target.kind !== 'search') return;
  const criteria = alert.target.criteria;
  alert.seen = new Map(
    catalog.filter((p) => fits(p, criteria)).map((p) => [p.id, { price: p.price, available: p.available }]),
  );
}

export function alertHits(alerts: readonly StoredAlert[], catalog: readonly Product[]): AlertHit[] {
  const hits: AlertHit[] = [];
  for (const alert of alerts) {
    if (!alert.active) continue;
    const target = alert.target;
    if (target.kind === 'product') {
      const p = catalog.find((x) => x.id === target.productId);
      const told = alert.told ?? target.price;
      if (!p || !p.available || p.price >= told) continue;
      if (target.targetPrice !== undefined && p.price > target.targetPrice) continue;
      alert.told = p.price;
      hits.push({ alertId: alert.id, kind: 'product', product: { ...p }, reason: 'cheaper', oldPrice: told });
      continue;
    }
    const seen = alert.seen ?? new Map<string, Seen>();
    alert.seen = seen;
    // as the platform tells them: cheapest first
    for (const p of [...catalog].sort(byPrice)) {
      const before = seen.get(p.id);
      if (!p.available) {
        if (before) seen.set(p.id, { ...before, available: false });
        continue;
      }
      if (!fits(p, target.criteria)) continue;
      const reason = !before ? 'new' : !before.available ? 'back' : p.price < before.price ? 'cheaper' : null;
      if (!reason) continue;
      seen.set(p.id, { price: p.price, available: true });
      hits.push({
        alertId: alert.id,
        kind: 'search',
        product: { ...p },
        reason,
        ...(before ? { oldPrice: before.price } : {}),
      });
    }
  }
  return hits;
}
