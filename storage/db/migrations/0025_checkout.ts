import { sql, type Kysely } from 'kysely';

/**
 * What the shopper's own checkout needs:
 * - `orders.idempotency_key`: the inbound message that placed the order (unique; null for orders
 *   made in the panel or by demo data). A turn run again after a crash finds the order it already
 *   placed instead of placing a second one.
 * - `orders.details`: the designer's own questions of the checkout flow and their answers
 *   (floor, lift, a convenient time …), shown to managers with the order.
 * - `cities.checkout`: the city's pickup stores (`[{id, name, address?}]`) and whether it takes
 *   payment on delivery or at pickup (`payOnDelivery`, `payAtPickup`); empty: no stores, online only.
 */
const UP: string[] = [
  `ALTER TABLE orders ADD COLUMN idempotency_key text CHECK (idempotency_key IS NULL OR length(idempotency_key) <= 300)`,
  `CREATE UNIQUE INDEX orders_idempotency_key_idx ON orders (idempotency_key) WHERE idempotency_key IS NOT NULL`,
  `ALTER TABLE orders ADD COLUMN details jsonb NOT NULL DEFAULT '{}'::jsonb`,
  `ALTER TABLE cities ADD COLUMN checkout jsonb NOT NULL DEFAULT '{}'::jsonb`,
];
const DOWN: string[] = [
  `ALTER TABLE cities DROP COLUMN IF EXISTS checkout`,
  `ALTER TABLE orders DROP COLUMN IF EXISTS details`,
  `DROP INDEX IF EXISTS orders_idempotency_key_idx`,
  `ALTER TABLE orders DROP COLUMN IF EXISTS idempotency_key`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
