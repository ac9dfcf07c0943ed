import { sql, type Kysely } from 'kysely';

/**
 * What each search alert has already seen: a product with the price and availability the shopper
 * was last told (or that it had when the alert was made). A search alert fires only for a product
 * new to it, cheaper than remembered, or back in stock, so re-importing unchanged products says
 * nothing. Active search alerts made before this table existed start from the products that match
 * their filters now and from what they already notified.
 */
const UP: string[] = [
  `CREATE TABLE alert_products (
    alert_id uuid NOT NULL REFERENCES price_alerts(id) ON DELETE CASCADE,
    product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    price numeric(12,2) NOT NULL,
    available boolean NOT NULL,
    notified_at timestamptz,
    PRIMARY KEY (alert_id, product_id)
  )`,
  `CREATE INDEX alert_products_product_idx ON alert_products (product_id)`,
  `INSERT INTO alert_products (alert_id, product_id, price, available, notified_at)
    SELECT a.id, p.id, p.price, p.is_available, NULL
      FROM price_alerts a JOIN products p ON p.city_id = a.city_id
     WHERE a.status = 'active' AND a.product_id IS NULL AND p.is_available
       AND (a.criteria->>'category' IS NULL OR a.criteria->>'category' = p.category)
       AND (a.criteria->>'color' IS NULL OR a.criteria->>'color' = p.color)
       AND (a.criteria->>'material' IS NULL OR a.criteria->>'material' = p.material)
       AND (a.criteria->>'priceMin' IS NULL OR p.price >= (a.criteria->>'priceMin')::numeric)
       AND (a.criteria->>'priceMax' IS NULL OR p.price <= (a.criteria->>'priceMax')::numeric)
    ON CONFLICT DO NOTHING`,
  `INSERT INTO alert_products (alert_id, product_id, price, available, notified_at)
    SELECT n.alert_id, n.product_id, min(n.new_price), true, max(n.sent_at)
      FROM alert_notifications n JOIN price_alerts a ON a.id = n.alert_id
     WHERE a.product_id IS NULL
     GROUP BY n.alert_id, n.product_id
    ON CONFLICT (alert_id, product_id) DO UPDATE SET price = least(alert_products.price, excluded.price), notified_at = excluded.notified_at`,
];
const DOWN: string[] = [`DROP TABLE IF EXISTS alert_products`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
