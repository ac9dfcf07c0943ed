import * as v from 'valibot';

/**
 * A city's checkout settings: where its shoppers may pick an order up, and whether they may pay
 * when they receive it (cash or card to the courier, or at the store's till) besides the online
 * providers. Kept in `cities.checkout`; the admin API validates them with `CityCheckoutSchema`.
 */
export type PickupStore = { id: string; name: string; address?: string };
export type CityCheckout = { stores: PickupStore[]; payOnDelivery: boolean; payAtPickup: boolean };

export const MAX_PICKUP_STORES = 20;
export const NO_CHECKOUT_SETTINGS: CityCheckout = { stores: [], payOnDelivery: false, payAtPickup: false };

export const PickupStoreSchema = v.strictObject({
  id: v.pipe(
    v.string('a store id is text'),
    v.trim(),
    v.regex(/^[a-z0-9_-]{1,32}$/, 'a store id is 1 to 32 lower-case latin letters, digits, _ or - (e.g. dostyk)'),
  ),
  name: v.pipe(
    v.string('a store name is text'),
    v.trim(),
    v.minLength(1, 'a store needs a name'),
    v.maxLength(100, 'a store name is at most 100 characters'),
  ),
  address: v.optional(
    v.pipe(
      v.string('a store address is text'),
      v.trim(),
      v.maxLength(200, 'a store address is at most 200 characters'),
    ),
  ),
});

/** the settings as an admin writes them, replaced whole; what is left out is off */
export const CityCheckoutSchema = v.pipe(
  v.strictObject({
    stores: v.optional(
      v.pipe(
        v.array(PickupStoreSchema, 'stores is a list of {id, name, address}'),
        v.maxLength(MAX_PICKUP_STORES, `a city has at most ${MAX_PICKUP_STORES} pickup stores`),
        v.rawCheck(({ dataset, addIssue }) => {
          if (!dataset.typed) return;
          const seen = new Set<string>();
          for (const store of dataset.value) {
            if (seen.has(store.id)) addIssue({ message: `store id "${store.id}" is used twice` });
            seen.add(store.id);
          }
        }),
      ),
      [],
    ),
    payOnDelivery: v.optional(v.boolean('payOnDelivery is true or false'), false),
    payAtPickup: v.optional(v.boolean('payAtPickup is true or false'), false),
  }),
  v.check((c) => !c.payAtPickup || c.stores.length > 0, 'payAtPickup needs at least one pickup store'),
  v.transform(
    (c): CityCheckout => ({
      stores: c.stores.map(({ id, name, address }) => ({ id, name, ...(address ? { address } : {}) })),
      payOnDelivery: c.payOnDelivery,
      payAtPickup: c.payAtPickup,
    }),
  ),
);

/**
 * The settings as stored, for the checkout: each valid store kept, anything else left out (a row
 * written by hand must not stop a checkout).
 */
export function readCityCheckout(stored: unknown): CityCheckout {
  if (!stored || typeof stored !== 'object') return NO_CHECKOUT_SETTINGS;
  const raw = stored as Record<string, unknown>;
  const stores: PickupStore[] = [];
  for (const candidate of Array.isArray(raw.stores) ? raw.stores : []) {
    const parsed = v.safeParse(PickupStoreSchema, candidate);
    if (parsed.success && !stores.some((s) => s.id === parsed.output.id) && stores.length < MAX_PICKUP_STORES) {
      const { id, name, address } = parsed.output;
      stores.push({ id, name, ...(address ? { address } : {}) });
    }
  }
  return { stores, payOnDelivery: raw.payOnDelivery === true, payAtPickup: raw.payAtPickup === true };
}
