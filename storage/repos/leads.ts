import type { LeadRow, LeadStatus } from '../db/types.ts';
import { clampPage, inTransaction, json, type Db, type Paged, type Page } from './common.ts';
import { isUuid } from './products.ts';
import { enqueueCrmSync } from '../crm/outbox.ts';

/**
 * Leads: requests a designer flow collected for the staff (the slots the shopper gave and the
 * conversation up to then). Written from committed turns by the record relay, handled in the panel
 * (marked done). Each shopper's lead is queued for the CRM (Bitrix24) as it is written.
 */
export type LeadHistoryEntry = { role: 'shopper' | 'bot' | 'manager'; text: string; at: string };

/** A lead as lists show it: everything but the conversation. */
export type LeadSummary = {
  id: string;
  cityId?: string;
  channel: string;
  userId: string;
  conversationKey: string;
  flow: string;
  slots: Record<string, string>;
  status: LeadStatus;
  doneBy?: string;
  doneAt?: string;
  /** left by staff talking to the bot (playground, API tokens), not by a shopper */
  test: boolean;
  createdAt: string;
};
export type Lead = LeadSummary & { history: LeadHistoryEntry[] };

const toSummary = (r: LeadRow): LeadSummary => ({
  id: r.id,
  ...(r.city_id ? { cityId: r.city_id } : {}),
  channel: r.channel,
  userId: r.user_id,
  conversationKey: r.conversation_key,
  flow: r.flow,
  slots: r.slots ?? {},
  status: r.status,
  ...(r.done_by ? { doneBy: r.done_by } : {}),
  ...(r.done_at ? { doneAt: r.done_at.toISOString() } : {}),
  test: r.is_test,
  createdAt: r.created_at.toISOString(),
});
const toLead = (r: LeadRow): Lead => ({ ...toSummary(r), history: (r.history ?? []) as LeadHistoryEntry[] });

/** `recordKey`: unique per relayed lead (turn | position); a lead whose key was written before is skipped */
export type NewLead = {
  recordKey: string;
  cityId?: string | null;
  channel: string;
  userId: string;
  conversationKey: string;
  flow: string;
  slots: Record<string, string>;
  history: LeadHistoryEntry[];
  test?: boolean;
  at?: Date;
};

/** Writes new leads; each shopper's lead (not staff tests) is queued for the CRM in the same transaction. */
export async function recordLeads(db: Db, leads: readonly NewLead[]): Promise<void> {
  if (leads.length === 0) return;
  await inTransaction(db, async (tx) => {
    const written = await tx
      .insertInto('leads')
      .values(
        leads.map((l) => ({
          record_key: l.recordKey,
          city_id: l.cityId ?? null,
          channel: l.channel,
          user_id: l.userId,
          conversation_key: l.conversationKey,
          flow: l.flow,
          slots: json(l.slots),
          history: json(l.history),
          ...(l.test ? { is_test: true } : {}),
          ...(l.at ? { created_at: l.at } : {}),
        })),
      )
      .onConflict((oc) => oc.column('record_key').doNothing())
      .returning(['id', 'is_test', 'created_at'])
      .execute();
    for (const lead of written) if (!lead.is_test) await enqueueCrmSync(tx, 'lead', lead.id, lead.created_at);
  });
}

/** `from` inclusive, `to` exclusive; test leads (staff talking to the bot) only with `includeTest` */
export type LeadFilter = {
  cityId?: string;
  flow?: string;
  status?: LeadStatus;
  from?: Date;
  to?: Date;
  includeTest?: boolean;
};

/** Newest first. */
export async function listLeads(db: Db, filter: LeadFilter = {}, page?: Partial<Page>): Promise<Paged<LeadSummary>> {
  const { limit, offset } = clampPage(page);
  let q = db.selectFrom('leads');
  if (filter.cityId) q = q.where('city_id', '=', filter.cityId);
  if (filter.flow) q = q.where('flow', '=', filter.flow);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.from) q = q.where('created_at', '>=', filter.from);
  if (filter.to) q = q.where('created_at', '<', filter.to);
  if (!filter.includeTest) q = q.where('is_test', '=', false);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toSummary), total: Number(count.n) };
}

export async function getLead(db: Db, id: string): Promise<Lead | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toLead(row);
}

/**
 * Marks a lead handled by `userId`. Marking a done lead again changes nothing (the first who
 * handled it stays); `changed` says whether this call did it.
 */
export async function markLeadDone(
  db: Db,
  id: string,
  userId: string,
): Promise<{ before: Lead; after: Lead; changed: boolean } | undefined> {
  if (!isUuid(id)) return undefined;
  return inTransaction(db, async (tx) => {
    const current = await tx.selectFrom('leads').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) return undefined;
    if (current.status === 'done') return { before: toLead(current), after: toLead(current), changed: false };
    const row = await tx
      .updateTable('leads')
      .set({ status: 'done', done_by: userId, done_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { before: toLead(current), after: toLead(row), changed: true };
  });
}
