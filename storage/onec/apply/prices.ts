import { nameKey, type Staged } from './staged.ts';
import type { Warnings } from './warnings.ts';

/**
 * The city's price is the configured price type (by name or Ид) or else the first the package
 * declares; a configured one the package lacks stops the apply, naming those it has.
 */
export class ApplyError extends Error {
  override readonly name = 'ApplyError';
}

export type PriceChoice = { id?: string };

export function choosePriceType(types: Staged<'price_type'>[], configured: string | undefined): PriceChoice {
  if (types.length === 0) return configured ? { id: configured } : {};
  if (!configured) return { id: types[0]!.id };
  const found = types.find((t) => t.id === configured || nameKey(t.name) === nameKey(configured));
  if (found) return { id: found.id };
  throw new ApplyError(
    `the price type «${configured}» is not in the package; it declares ${types.map((t) => `«${t.name}»`).join(', ')}`,
  );
}

export function priceOf(offer: Staged<'offer'>, choice: PriceChoice, warnings: Warnings): number | undefined {
  if (!offer.prices || offer.prices.length === 0) return undefined;
  const price = choice.id ? offer.prices.find((p) => p.type === choice.id) : offer.prices[0];
  if (!price)
    warnings.once(
      `price:${choice.id}`,
      `some offers have no price of the chosen type (${choice.id}); their prices stay`,
    );
  return price && price.value >= 0 ? Math.round(price.value * 100) / 100 : undefined;
}

/** the total an offer states (`Количество`), else the sum over its warehouses; never below zero */
export function quantityOf(offer: Staged<'offer'>): number | undefined {
  const quantity = offer.quantity ?? offer.stock?.reduce((sum, s) => sum + Math.max(0, s.quantity), 0);
  return quantity === undefined ? undefined : Math.max(0, quantity);
}
