import type { DeadLetterKind, DeadLetterRow, DeadLetterStatus } from '../db/types.ts';
import { clampPage, json, type Db, type Page, type Paged } from './common.ts';
import { isUuid } from './products.ts';

/**
 * Dead letters: what the conversation runtime gave up on (a message whose turn kept failing, or
 * replies that could not be delivered), written by the record relay with the inbox
 * acknowledgement. Admins list them and retry one; nothing here enqueues anything.
 */
export type DeadLetter = {
  id: string;
  kind: DeadLetterKind;
  cityId?: string;
  city: string;
  channel: string;
  userId: string;
  conversationKey: string;
  messageId: string;
  /** not a shopper's message: a timer, a manager's reply, a price drop */
  system: boolean;
  event: unknown;
  replies: unknown[];
  error: string;
  attempts: number;
  status: DeadLetterStatus;
  retriedBy?: string;
  retriedAt?: string;
  test: boolean;
  createdAt: string;
};

const toDeadLetter = (r: DeadLetterRow): DeadLetter => ({
  id: r.id,
  kind: r.kind,
  ...(r.city_id ? { cityId: r.city_id } : {}),
  city: r.city,
  channel: r.channel,
  userId: r.user_id,
  conversationKey: r.conversation_key,
  messageId: r.message_id,
  system: r.system,
  event: r.event,
  replies: r.replies ?? [],
  error: r.error,
  attempts: r.attempts,
  status: r.status,
  ...(r.retried_by ? { retriedBy: r.retried_by } : {}),
  ...(r.retried_at ? { retriedAt: r.retried_at.toISOString() } : {}),
  test: r.is_test,
  createdAt: r.created_at.toISOString(),
});

/** `recordKey`: unique per relayed dead letter; one whose key was written before is skipped */
export type NewDeadLetter = {
  recordKey: string;
  kind: DeadLetterKind;
  cityId?: string | null;
  city: string;
  channel: string;
  userId: string;
  conversationKey: string;
  messageId: string;
  system: boolean;
  event: unknown;
  replies: unknown[];
  error: string;
  attempts: number;
  test?: boolean;
  at?: Date;
};

/** an error text longer than this is a stack trace nobody reads in a list */
const MAX_ERROR_CHARS = 2_000;

export async function recordDeadLetters(db: Db, letters: readonly NewDeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await db
    .insertInto('dead_letters')
    .values(
      letters.map((l) => ({
        record_key: l.recordKey,
        kind: l.kind,
        city_id: l.cityId ?? null,
        city: l.city,
        channel: l.channel,
        user_id: l.userId,
        conversation_key: l.conversationKey,
        message_id: l.messageId,
        system: l.system,
        event: json(l.event),
        replies: json(l.replies),
        error: l.error.slice(0, MAX_ERROR_CHARS),
        attempts: l.attempts,
        ...(l.test ? { is_test: true } : {}),
        ...(l.at ? { created_at: l.at } : {}),
      })),
    )
    .onConflict((oc) => oc.column('record_key').doNothing())
    .execute();
}

export type DeadLetterFilter = { status?: DeadLetterStatus; kind?: DeadLetterKind; cityId?: string };

/** Newest first. */
export async function listDeadLetters(
  db: Db,
  filter: DeadLetterFilter = {},
  page?: Partial<Page>,
): Promise<Paged<DeadLetter>> {
  const { limit, offset } = clampPage(page);
  let q = db.selectFrom('dead_letters');
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.cityId) q = q.where('city_id', '=', filter.cityId);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toDeadLetter), total: Number(count.n) };
}

/** Dead letters nobody has retried yet (the dashboard's figure). */
export async function countNewDeadLetters(db: Db): Promise<number> {
  const row = await db
    .selectFrom('dead_letters')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('status', '=', 'new')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getDeadLetter(db: Db, id: string): Promise<DeadLetter | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('dead_letters').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDeadLetter(row);
}

/** Marks a dead letter retried by `userId`; undefined when there is no such one. */
export async function markDeadLetterRetried(
  db: Db,
  id: string,
  userId: string,
  at: Date,
): Promise<DeadLetter | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db
    .updateTable('dead_letters')
    .set({ status: 'retried', retried_by: userId, retried_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toDeadLetter(row);
}
