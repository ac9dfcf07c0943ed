import type { EscalationAuthor, EscalationMessageRow, EscalationRow, EscalationStatus } from '../db/types.ts';
import { clampPage, inTransaction, json, type Db, type Page, type Paged } from './common.ts';
import { escalationMediaKinds } from './escalationMedia.ts';
import { isUuid } from './products.ts';

export type Escalation = {
  id: string;
  cityId?: string;
  channel: string;
  chatId: string;
  userId?: string;
  conversationKey: string;
  reason?: string;
  trigger?: string;
  conversationHistory: unknown[];
  status: EscalationStatus;
  assignedTo?: string;
  createdAt: string;
  firstResponseAt?: string;
  resolvedAt?: string;
};
/** `media`: the message is a photo or voice note the inbox can show (GET …/messages/:id/media) */
export type EscalationMessage = {
  id: string;
  escalationId: string;
  author: EscalationAuthor;
  authorUserId?: string;
  text: string;
  createdAt: string;
  media?: 'photo' | 'voice' | 'document';
};

const toEscalation = (r: EscalationRow): Escalation => ({
  id: r.id,
  ...(r.city_id ? { cityId: r.city_id } : {}),
  channel: r.channel,
  chatId: r.chat_id,
  ...(r.user_id ? { userId: r.user_id } : {}),
  conversationKey: r.conversation_key,
  ...(r.reason ? { reason: r.reason } : {}),
  ...(r.trigger ? { trigger: r.trigger } : {}),
  conversationHistory: r.conversation_history ?? [],
  status: r.status,
  ...(r.assigned_to ? { assignedTo: r.assigned_to } : {}),
  createdAt: r.created_at.toISOString(),
  ...(r.first_response_at ? { firstResponseAt: r.first_response_at.toISOString() } : {}),
  ...(r.resolved_at ? { resolvedAt: r.resolved_at.toISOString() } : {}),
});
const toMessage = (r: EscalationMessageRow): EscalationMessage => ({
  id: r.id,
  escalationId: r.escalation_id,
  author: r.author,
  ...(r.author_user_id ? { authorUserId: r.author_user_id } : {}),
  text: r.text,
  createdAt: r.created_at.toISOString(),
});

export type NewEscalation = {
  cityId?: string | null;
  channel: string;
  chatId: string;
  userId?: string | null;
  conversationKey: string;
  reason?: string | null;
  trigger?: string | null;
  conversationHistory?: unknown[];
};

/** Opens an escalation; while one is open for the conversation, that one is returned instead of a second. */
export async function createEscalation(
  db: Db,
  input: NewEscalation,
): Promise<{ escalation: Escalation; created: boolean }> {
  const open = await db
    .selectFrom('escalations')
    .selectAll()
    .where('conversation_key', '=', input.conversationKey)
    .where('status', '!=', 'resolved')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (open) return { escalation: toEscalation(open), created: false };
  const row = await db
    .insertInto('escalations')
    .values({
      city_id: input.cityId ?? null,
      channel: input.channel,
      chat_id: input.chatId,
      user_id: input.userId ?? null,
      conversation_key: input.conversationKey,
      reason: input.reason ?? null,
      trigger: input.trigger ?? null,
      conversation_history: json(input.conversationHistory ?? []),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { escalation: toEscalation(row), created: true };
}

export async function getEscalation(db: Db, id: string): Promise<Escalation | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toEscalation(row);
}

export async function openEscalationFor(db: Db, conversationKey: string): Promise<Escalation | undefined> {
  const row = await db
    .selectFrom('escalations')
    .selectAll()
    .where('conversation_key', '=', conversationKey)
    .where('status', '!=', 'resolved')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row && toEscalation(row);
}

export async function listEscalations(
  db: Db,
  filter: { status?: EscalationStatus; cityId?: string; assignedTo?: string } = {},
  page?: Partial<Page>,
): Promise<Paged<Escalation>> {
  const { limit, offset } = clampPage(page);
  let q = db.selectFrom('escalations');
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.cityId) q = q.where('city_id', '=', filter.cityId);
  if (filter.assignedTo) q = q.where('assigned_to', '=', filter.assignedTo);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toEscalation), total: Number(count.n) };
}

/** Status changes stamp first_response_at / resolved_at once. */
export async function updateEscalation(
  db: Db,
  id: string,
  patch: { status?: EscalationStatus; assignedTo?: string | null },
): Promise<{ before: Escalation; after: Escalation } | undefined> {
  if (!isUuid(id)) return undefined;
  return inTransaction(db, async (tx) => {
    const current = await tx.selectFrom('escalations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) return undefined;
    const now = new Date();
    const row = await tx
      .updateTable('escalations')
      .set({
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.assignedTo !== undefined ? { assigned_to: patch.assignedTo } : {}),
        ...(patch.status && patch.status !== 'pending' && !current.first_response_at ? { first_response_at: now } : {}),
        ...(patch.status === 'resolved' ? { resolved_at: now } : patch.status ? { resolved_at: null } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { before: toEscalation(current), after: toEscalation(row) };
  });
}

/** Appends a message; a manager's first message also stamps first_response_at and moves pending → in_progress. */
export async function addEscalationMessage(
  db: Db,
  input: { escalationId: string; author: EscalationAuthor; text: string; authorUserId?: string | null },
): Promise<EscalationMessage> {
  return inTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('escalation_messages')
      .values({
        escalation_id: input.escalationId,
        author: input.author,
        text: input.text,
        author_user_id: input.authorUserId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.author === 'manager') {
      await tx
        .updateTable('escalations')
        .set((eb) => ({
          first_response_at: eb.fn.coalesce('first_response_at', eb.val(row.created_at)),
          status: eb
            .case()
            .when('status', '=', 'pending')
            .then('in_progress' as EscalationStatus)
            .else(eb.ref('status'))
            .end(),
          updated_at: new Date(),
        }))
        .where('id', '=', input.escalationId)
        .execute();
    }
    return toMessage(row);
  });
}

export async function listEscalationMessages(db: Db, escalationId: string): Promise<EscalationMessage[]> {
  if (!isUuid(escalationId)) return [];
  const rows = await db
    .selectFrom('escalation_messages')
    .selectAll()
    .where('escalation_id', '=', escalationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const media = await escalationMediaKinds(
    db,
    rows.filter((r) => r.author === 'shopper').map((r) => r.id),
  );
  return rows.map((r) => {
    const kind = media.get(r.id);
    return kind ? { ...toMessage(r), media: kind } : toMessage(r);
  });
}
