import { sql, type Kysely } from 'kysely';

/**
 * `crm_outbox`: what still has to reach the CRM (Bitrix24). One row per order or lead, not per
 * change: the worker sends the entity as it is now (the deal's stage follows the order's current
 * status), so a change made while Bitrix24 was down is never replayed out of order and never sent
 * twice. A change sets the row `pending` again and bumps `version` in the same transaction as the
 * order, payment or lead it comes from; the worker marks it `delivered` only if `version` did not
 * move while it worked (otherwise it goes again).
 * `crm_id`: the deal or lead id in Bitrix24 once known, so later stage moves skip the look-up.
 * `synced_status`: the order status the deal's stage was last set for.
 * `locked_until`: a lease while one worker delivers it (claimed with FOR UPDATE SKIP LOCKED).
 * `failed`: Bitrix24 refused it for good (e.g. invalid fields); `last_error` says why.
 */
const UP: string[] = [
  `CREATE TABLE crm_outbox (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL CHECK (kind IN ('order', 'lead')),
    entity_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    version integer NOT NULL DEFAULT 1,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz,
    crm_id text,
    synced_status text,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, entity_id)
  )`,
  `CREATE INDEX crm_outbox_due_idx ON crm_outbox (next_attempt_at) WHERE status = 'pending'`,
  `CREATE INDEX crm_outbox_status_idx ON crm_outbox (status, updated_at DESC)`,
];
const DOWN: string[] = [`DROP TABLE IF EXISTS crm_outbox`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
