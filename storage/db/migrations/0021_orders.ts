import { sql, type Kysely } from 'kysely';

/**
 * Orders, their lines, their history and their payments.
 * - `order_numbers`: the last number handed out per city. An order takes the next one with one
 *   `INSERT … ON CONFLICT DO UPDATE … RETURNING` in the transaction that inserts it: the row lock
 *   serialises concurrent checkouts of a city, and a rolled-back order gives its number back, so
 *   numbers run 1, 2, 3 … per city without gaps or duplicates (`UNIQUE (city_id, number)` holds
 *   it anyway).
 * - `orders`: who ordered (channel, conversation key, name, phone), how it reaches them
 *   (delivery to an address or pickup at a store), how it is paid, its status and its total — the
 *   sum of its lines, computed by the server.
 * - `order_items`: what was bought at which price; the product's SKU, name and 1C Ид are copied, so
 *   an order reads the same after the catalog changes or the product is deleted.
 * - `order_events`: every status change with who made it (the system, the shopper, a manager by
 *   user id, a payment provider) and when; `notified_at` is set once the shopper was told, so a
 *   crash between the change and the message is caught by the next sweep.
 * - `payments`: every payment notification or manual payment, unique per (provider, reference),
 *   with the raw payload; one that could not mark its order paid says why in `flagged_reason`.
 */
const UP: string[] = [
  `CREATE TABLE order_numbers (
    city_id uuid PRIMARY KEY REFERENCES cities(id) ON DELETE CASCADE,
    last_number integer NOT NULL CHECK (last_number > 0)
  )`,
  `CREATE TABLE orders (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    city_id uuid NOT NULL REFERENCES cities(id) ON DELETE RESTRICT,
    number integer NOT NULL CHECK (number > 0),
    channel text NOT NULL CHECK (channel IN ('telegram', 'whatsapp', 'web', 'admin')),
    conversation_key text,
    user_id text,
    customer_name text NOT NULL DEFAULT '' CHECK (length(customer_name) <= 200),
    customer_phone text NOT NULL DEFAULT '' CHECK (length(customer_phone) <= 32),
    delivery_kind text NOT NULL CHECK (delivery_kind IN ('delivery', 'pickup')),
    address text CHECK (address IS NULL OR length(address) <= 500),
    store text CHECK (store IS NULL OR length(store) <= 200),
    payment_method text NOT NULL CHECK (payment_method ~ '^[a-z0-9_]{1,32}$'),
    status text NOT NULL DEFAULT 'new' CHECK (status IN
      ('new', 'awaiting_payment', 'paid', 'confirmed', 'shipped', 'ready_for_pickup', 'completed', 'cancelled')),
    total numeric(14,2) NOT NULL CHECK (total >= 0),
    currency text NOT NULL DEFAULT 'KZT' CHECK (currency ~ '^[A-Z]{3}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (city_id, number),
    CHECK (delivery_kind <> 'delivery' OR address IS NOT NULL),
    CHECK (delivery_kind <> 'pickup' OR store IS NOT NULL)
  )`,
  `CREATE INDEX orders_city_created_idx ON orders (city_id, created_at DESC)`,
  `CREATE INDEX orders_status_idx ON orders (status, created_at DESC)`,
  `CREATE INDEX orders_conversation_idx ON orders (conversation_key, created_at DESC)`,
  `CREATE TABLE order_items (
    order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position >= 0),
    product_id uuid REFERENCES products(id) ON DELETE SET NULL,
    sku text NOT NULL,
    external_id text,
    name text NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    price numeric(12,2) NOT NULL CHECK (price >= 0),
    PRIMARY KEY (order_id, position)
  )`,
  `CREATE TABLE order_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    from_status text,
    to_status text NOT NULL,
    actor_kind text NOT NULL CHECK (actor_kind IN ('system', 'shopper', 'manager', 'provider')),
    actor_id text,
    note text CHECK (note IS NULL OR length(note) <= 1000),
    created_at timestamptz NOT NULL DEFAULT now(),
    notified_at timestamptz
  )`,
  `CREATE INDEX order_events_order_idx ON order_events (order_id, created_at)`,
  `CREATE INDEX order_events_unnotified_idx ON order_events (created_at) WHERE notified_at IS NULL`,
  `CREATE TABLE payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id uuid REFERENCES orders(id) ON DELETE SET NULL,
    provider text NOT NULL CHECK (provider ~ '^[a-z0-9_]{1,32}$'),
    reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
    amount numeric(14,2) NOT NULL,
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    flagged_reason text,
    recorded_by text,
    raw jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, reference)
  )`,
  `CREATE INDEX payments_order_idx ON payments (order_id, created_at)`,
  `CREATE INDEX payments_flagged_idx ON payments (created_at) WHERE flagged_reason IS NOT NULL`,
];

const DOWN: string[] = [
  `DROP TABLE IF EXISTS payments`,
  `DROP TABLE IF EXISTS order_events`,
  `DROP TABLE IF EXISTS order_items`,
  `DROP TABLE IF EXISTS orders`,
  `DROP TABLE IF EXISTS order_numbers`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
