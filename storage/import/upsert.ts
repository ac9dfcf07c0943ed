import { sql } from 'kysely';
import type { Db } from '../repos/common.ts';
import { productValues, withKeywords, type ProductInput } from '../repos/products.ts';

/**
 * One multi-row `INSERT … ON CONFLICT (city_id, sku) DO UPDATE` for a batch. Returns how many
 * rows were new and how many replaced an existing product (xmax = 0 marks a fresh insert).
 */
export async function upsertProducts(
  db: Db,
  cityId: string,
  products: ProductInput[],
): Promise<{ inserted: number; updated: number }> {
  if (products.length === 0) return { inserted: 0, updated: 0 };
  const rows = await db
    .insertInto('products')
    .values((await withKeywords(db, products)).map((p) => productValues(cityId, p)))
    .onConflict((oc) =>
      oc.constraint('products_city_sku').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        description: eb.ref('excluded.description'),
        price: eb.ref('excluded.price'),
        currency: eb.ref('excluded.currency'),
        category: eb.ref('excluded.category'),
        color: eb.ref('excluded.color'),
        material: eb.ref('excluded.material'),
        dimensions: sql`coalesce(excluded.dimensions, products.dimensions)`,
        image_url: sql`coalesce(excluded.image_url, products.image_url)`,
        is_available: eb.ref('excluded.is_available'),
        search_keywords: eb.ref('excluded.search_keywords'),
        // the file's attributes over the stored ones: a column the file lacks keeps its values
        attributes: sql`products.attributes || excluded.attributes`,
        updated_at: new Date(),
      })),
    )
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .execute();
  const inserted = rows.filter((r) => r.inserted === true).length;
  return { inserted, updated: rows.length - inserted };
}
