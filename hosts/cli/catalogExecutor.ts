import type { Product, SearchCriteria } from '../../engine/catalog.ts';
import type { MemoryHost } from '../../engine/testing/memoryHost.ts';
import type { EffectExecutor } from '../../engine/transcript/index.ts';

/** A real catalog (the database) as the chat CLI needs it. */
export type CatalogPort = {
  search(
    criteria: SearchCriteria,
    page: number,
    pageSize: number,
  ): Promise<{ items: Product[]; total: number; totalCapped?: boolean; relaxed?: { dropped: string[] } }>;
  findSku(sku: string): Promise<Product | null>;
};

/**
 * The in-memory host with its catalog swapped for a real one: search and SKU lookups go to the
 * port, everything else (brain, fixtures, timers, alerts, ids) stays in memory. Used by
 * `npm run chat -- --db`; sessions recorded this way keep every search result in `=` lines so
 * they replay on the fixture world.
 */
export function withCatalog(host: MemoryHost, catalog: CatalogPort): EffectExecutor {
  return {
    start: (header) => host.start(header),
    async execute(effect, at) {
      if (effect.type === 'search') {
        const { items, total, totalCapped, relaxed } = await catalog.search(
          effect.criteria,
          effect.page,
          effect.pageSize,
        );
        return {
          type: 'search.done',
          items,
          total,
          ...(totalCapped ? { totalCapped: true } : {}),
          ...(relaxed ? { relaxed } : {}),
          at,
        };
      }
      if (effect.type === 'lookupSku') {
        return { type: 'lookupSku.done', sku: effect.sku, product: await catalog.findSku(effect.sku), at };
      }
      return host.execute(effect, at);
    },
    findSku: (sku) => catalog.findSku(sku),
    takeDueTimers: (until) => host.takeDueTimers(until),
    async admin(action, at) {
      // alerts live in the memory host: make sure it knows the products before the change
      const skus = action.kind === 'catalogImport' ? action.rows.map((r) => r.sku) : [action.sku];
      for (const sku of skus) {
        const product = await catalog.findSku(sku);
        if (product && !host.catalog.some((p) => p.sku === product.sku)) host.catalog.push({ ...product });
      }
      return host.admin(action, at);
    },
  };
}
