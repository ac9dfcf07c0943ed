import { sql, type Kysely } from 'kysely';

/**
 * Initial schema. Plain SQL that PostgreSQL 15 and PGlite both run; one statement per entry
 * because PGlite prepares each query (no multi-statement strings).
 */
const UP: string[] = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,

  `CREATE TABLE cities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    slug text NOT NULL UNIQUE,
    timezone text NOT NULL DEFAULT 'Asia/Almaty',
    currency text NOT NULL DEFAULT 'KZT',
    language text NOT NULL DEFAULT 'ru',
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE products (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    city_id uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
    sku text NOT NULL,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    price numeric(12,2) NOT NULL CHECK (price >= 0),
    currency text NOT NULL DEFAULT 'KZT',
    category text,
    color text,
    material text,
    dimensions jsonb,
    image_url text,
    is_available boolean NOT NULL DEFAULT true,
    search_keywords text NOT NULL DEFAULT '',
    search_text text GENERATED ALWAYS AS (
      translate(lower(name || ' ' || search_keywords), 'ё', 'е')
    ) STORED,
    search_tsv tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('russian'::regconfig, translate(lower(name), 'ё', 'е')), 'A') ||
      setweight(to_tsvector('simple'::regconfig, translate(lower(name), 'ё', 'е')), 'A') ||
      setweight(to_tsvector('russian'::regconfig, translate(lower(left(description, 20000)), 'ё', 'е')), 'B') ||
      setweight(to_tsvector('russian'::regconfig, search_keywords), 'C') ||
      setweight(to_tsvector('simple'::regconfig, search_keywords), 'C')
    ) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT products_city_sku UNIQUE (city_id, sku)
  )`,
  `CREATE INDEX products_tsv_idx ON products USING gin (search_tsv)`,
  `CREATE INDEX products_city_category_price_idx ON products (city_id, category, price)`,
  `CREATE INDEX products_city_price_idx ON products (city_id, price)`,
  `CREATE INDEX products_city_upper_sku_idx ON products (upper(sku))`,

  // Vocabulary of catalog words, the dictionary for typo correction (trigram KNN).
  `CREATE TABLE search_terms (word text PRIMARY KEY)`,
  `CREATE INDEX search_terms_trgm_idx ON search_terms USING gist (word gist_trgm_ops)`,
  `CREATE FUNCTION products_collect_terms() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_terms (word)
        SELECT DISTINCT w FROM new_rows, unnest(tsvector_to_array(to_tsvector('simple'::regconfig, new_rows.search_text))) AS w
        WHERE length(w) >= 3
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$`,
  `CREATE TRIGGER products_terms_insert AFTER INSERT ON products
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION products_collect_terms()`,
  `CREATE TRIGGER products_terms_update AFTER UPDATE ON products
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION products_collect_terms()`,

  `CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    password_hash text NOT NULL,
    name text NOT NULL DEFAULT '',
    role text NOT NULL CHECK (role IN ('owner','admin','manager','designer','viewer')),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE UNIQUE INDEX users_email_idx ON users (lower(email))`,

  `CREATE TABLE refresh_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`,

  `CREATE TABLE audit_log (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid REFERENCES users(id) ON DELETE SET NULL,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id text,
    before jsonb,
    after jsonb,
    ip text,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC)`,
  `CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id)`,

  `CREATE TABLE bot_configs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    city_id uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
    channel text NOT NULL CHECK (channel IN ('telegram','whatsapp')),
    bot_token text,
    webhook_secret text,
    managers_chat_id text,
    whatsapp_phone_number_id text,
    whatsapp_template_name text,
    settings jsonb NOT NULL DEFAULT '{}'::jsonb,
    scenario_id text,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT bot_configs_city_channel UNIQUE (city_id, channel)
  )`,

  `CREATE TABLE prompts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    city_id uuid REFERENCES cities(id) ON DELETE CASCADE,
    name text NOT NULL,
    content text NOT NULL,
    version integer NOT NULL,
    is_active boolean NOT NULL DEFAULT false,
    created_by uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE UNIQUE INDEX prompts_version_idx ON prompts
    (coalesce(city_id, '00000000-0000-0000-0000-000000000000'::uuid), name, version)`,
  `CREATE UNIQUE INDEX prompts_one_active_idx ON prompts
    (coalesce(city_id, '00000000-0000-0000-0000-000000000000'::uuid), name) WHERE is_active`,

  `CREATE TABLE escalations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    city_id uuid REFERENCES cities(id) ON DELETE SET NULL,
    channel text NOT NULL,
    chat_id text NOT NULL,
    user_id text,
    conversation_key text NOT NULL,
    reason text,
    trigger text,
    conversation_history jsonb NOT NULL DEFAULT '[]'::jsonb,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','in_progress','resolved')),
    assigned_to uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    first_response_at timestamptz,
    resolved_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX escalations_status_idx ON escalations (status, created_at DESC)`,
  `CREATE INDEX escalations_conversation_idx ON escalations (conversation_key, created_at DESC)`,
  `CREATE INDEX escalations_city_idx ON escalations (city_id, created_at DESC)`,

  `CREATE TABLE escalation_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    escalation_id uuid NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
    author text NOT NULL CHECK (author IN ('shopper','manager','bot')),
    author_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
    text text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX escalation_messages_idx ON escalation_messages (escalation_id, created_at)`,

  `CREATE TABLE analytics_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_type text NOT NULL,
    channel text,
    city_id uuid REFERENCES cities(id) ON DELETE SET NULL,
    user_id text,
    conversation_key text,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX analytics_created_idx ON analytics_events (created_at)`,
  `CREATE INDEX analytics_type_created_idx ON analytics_events (event_type, created_at)`,
  `CREATE INDEX analytics_city_created_idx ON analytics_events (city_id, created_at)`,

  `CREATE TABLE price_alerts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    city_id uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
    channel text NOT NULL,
    chat_id text NOT NULL,
    conversation_key text NOT NULL,
    product_id uuid REFERENCES products(id) ON DELETE CASCADE,
    criteria jsonb,
    target_price numeric(12,2),
    price_at_creation numeric(12,2),
    last_notified_price numeric(12,2),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','cancelled')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT price_alerts_target CHECK (product_id IS NOT NULL OR criteria IS NOT NULL)
  )`,
  `CREATE UNIQUE INDEX price_alerts_one_active_idx ON price_alerts (conversation_key, product_id)
    WHERE status = 'active' AND product_id IS NOT NULL`,
  `CREATE INDEX price_alerts_product_idx ON price_alerts (product_id) WHERE status = 'active'`,
  `CREATE INDEX price_alerts_city_search_idx ON price_alerts (city_id) WHERE status = 'active' AND product_id IS NULL`,
  `CREATE INDEX price_alerts_conversation_idx ON price_alerts (conversation_key)`,

  `CREATE TABLE alert_notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    alert_id uuid NOT NULL REFERENCES price_alerts(id) ON DELETE CASCADE,
    product_id uuid NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    old_price numeric(12,2) NOT NULL,
    new_price numeric(12,2) NOT NULL,
    sent_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT alert_notifications_once_per_drop UNIQUE (alert_id, product_id, new_price)
  )`,

  `CREATE TABLE conversation_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_key text NOT NULL,
    channel text NOT NULL,
    city_id uuid REFERENCES cities(id) ON DELETE SET NULL,
    direction text NOT NULL CHECK (direction IN ('in','out')),
    text text,
    payload jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX conversation_messages_key_idx ON conversation_messages (conversation_key, created_at)`,

  `CREATE TABLE shopper_profiles (
    conversation_key text PRIMARY KEY,
    channel text NOT NULL,
    chat_id text NOT NULL,
    city_id uuid REFERENCES cities(id) ON DELETE SET NULL,
    language text,
    categories jsonb NOT NULL DEFAULT '{}'::jsonb,
    colors jsonb NOT NULL DEFAULT '{}'::jsonb,
    price_min_seen numeric(12,2),
    price_max_seen numeric(12,2),
    last_inbound_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX shopper_profiles_chat_idx ON shopper_profiles (channel, chat_id)`,

  `CREATE TABLE scenarios (
    id text NOT NULL,
    version integer NOT NULL,
    content text NOT NULL,
    is_active boolean NOT NULL DEFAULT false,
    created_by uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, version)
  )`,
  `CREATE UNIQUE INDEX scenarios_one_active_idx ON scenarios (id) WHERE is_active`,

  // ---- embedded state backend (storage/state) ----
  `CREATE TABLE conversation_snapshots (
    key text PRIMARY KEY,
    version integer NOT NULL,
    data text NOT NULL,
    expires_at timestamptz
  )`,
  `CREATE TABLE idempotency_keys (
    key text PRIMARY KEY,
    expires_at timestamptz NOT NULL
  )`,
  `CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`,
  `CREATE TABLE timers (
    id text PRIMARY KEY,
    payload text NOT NULL,
    due_at timestamptz NOT NULL,
    claimed_until timestamptz,
    fired_at timestamptz
  )`,
  `CREATE INDEX timers_due_idx ON timers (due_at) WHERE fired_at IS NULL`,
  `CREATE TABLE inbox (
    conversation_key text NOT NULL,
    id text NOT NULL,
    seq bigserial,
    payload text NOT NULL,
    accepted_at timestamptz NOT NULL DEFAULT now(),
    acked_at timestamptz,
    PRIMARY KEY (conversation_key, id)
  )`,
  `CREATE INDEX inbox_pending_idx ON inbox (conversation_key, seq) WHERE acked_at IS NULL`,
];

const DOWN: string[] = [
  'inbox',
  'timers',
  'idempotency_keys',
  'conversation_snapshots',
  'scenarios',
  'shopper_profiles',
  'conversation_messages',
  'alert_notifications',
  'price_alerts',
  'analytics_events',
  'escalation_messages',
  'escalations',
  'prompts',
  'bot_configs',
  'audit_log',
  'refresh_tokens',
  'users',
  'search_terms',
  'products',
  'cities',
]
  .map((table) => `DROP TABLE IF EXISTS ${table} CASCADE`)
  .concat(['DROP FUNCTION IF EXISTS products_collect_terms()']);

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
