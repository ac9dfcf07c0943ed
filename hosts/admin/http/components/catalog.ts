import type { JsonSchema } from '../jsonSchema.ts';
import { s, n, int, b, obj, arr, opt } from '../docs.ts';

/** The catalog: cities, products, search results and imports. */
export const CATALOG_COMPONENTS: Record<string, JsonSchema> = {
  City: obj(
    {
      id: s('uuid'),
      name: s(),
      slug: s(),
      timezone: s(),
      currency: s(),
      language: s(),
      isActive: b,
      createdAt: s('date-time'),
      updatedAt: s('date-time'),
      managerHours: s(),
    },
    ['id', 'name', 'slug', 'timezone', 'currency', 'language', 'isActive', 'createdAt', 'updatedAt'],
  ),
  Product: opt(
    obj({
      id: s('uuid'),
      cityId: s('uuid'),
      sku: s(),
      name: s(),
      description: s(),
      price: n,
      currency: s(),
      category: s(),
      color: s(),
      material: s(),
      dimensions: obj({ width: n, depth: n, height: n, unit: { const: 'cm' } }, []),
      imageUrl: s(),
      available: b,
      createdAt: s('date-time'),
      updatedAt: s('date-time'),
    }),
    'description',
    'category',
    'color',
    'material',
    'dimensions',
  ),
  SearchResult: obj({ items: arr({ type: 'object', description: 'Product plus rank' }), total: int }),
  ImportResult: obj({ imported: int, updated: int, errors: arr(obj({ line: int, reason: s() })) }),
};
