import type { Product } from '../../engine/catalog.ts';
import type { CatalogPort, ProfilePort } from '../runtime/ports.ts';
import { isEmpty, learnSearch, learnView, recommendationQueries } from '../../engine/preferences.ts';
import type { PreferenceStore } from './store.ts';

/**
 * Preferences and «Вам может понравиться». The runtime hands every tracked engine signal to
 * `learn`: `search` and `zero_results` carry the criteria; `product_view` carries the SKU, which
 * is looked up for its category, colour, material and price. `recommend` searches the catalog
 * with the learned taste (most specific first), keeps available products the shopper has not
 * opened yet, and returns nothing for a shopper we know nothing about.
 */
/** the signals `learn` learns from */
const LEARNED = new Set(['search', 'zero_results', 'product_view']);

export function createProfilePort(deps: { store: PreferenceStore; catalog: CatalogPort }): ProfilePort {
  const { store, catalog } = deps;
  return {
    willLearn(conversationKey, signals) {
      if (signals.some((s) => LEARNED.has(s.name))) store.prefetch(conversationKey);
    },

    async learn(conversationKey, city, signal) {
      const props = signal.props ?? {};
      if (signal.name === 'search' || signal.name === 'zero_results') {
        await store.update(conversationKey, city, (p) => learnSearch(p, props));
        return;
      }
      if (signal.name === 'product_view' && typeof props.sku === 'string') {
        const product = await catalog.bySku(city, props.sku);
        if (product) await store.update(conversationKey, city, (p) => learnView(p, product));
      }
    },

    async recommend(conversationKey, city, limit) {
      if (limit <= 0) return [];
      const prefs = await store.get(conversationKey);
      if (!prefs || isEmpty(prefs)) return [];
      const seen = new Set(prefs.viewed);
      const picked: Product[] = [];
      for (const criteria of recommendationQueries(prefs)) {
        if (picked.length >= limit) break;
        const { items } = await catalog.search(city, criteria, 1, Math.min(50, limit * 4));
        for (const item of items) {
          if (picked.length >= limit) break;
          if (!item.available || seen.has(item.sku)) continue;
          seen.add(item.sku);
          picked.push(item);
        }
      }
      return picked;
    },

    async forget(conversationKey) {
      await store.delete(conversationKey);
    },
  };
}
