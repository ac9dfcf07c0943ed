import type { ColumnType, Generated } from 'kysely';

/**
 * The tables the embedded backend uses. They are created by the storage migrations
 * (storage/db); the shape here is what this code relies on.
 */
export interface StateTables {
  conversation_snapshots: { key: string; version: number; data: string; expires_at: Date | null };
  idempotency_keys: { key: string; expires_at: Date };
  timers: { id: string; payload: string; due_at: Date; claimed_until: Date | null; fired_at: Date | null };
  record_outbox: { namespace: string; seq: Generated<string>; data: string; taken_until: Date | null };
  inbox: {
    conversation_key: string;
    id: string;
    seq: ColumnType<string, never, never>;
    payload: string;
    accepted_at: Generated<Date>;
    acked_at: Date | null;
  };
}
