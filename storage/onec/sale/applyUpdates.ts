import type { OnecOrderUpdateOutcome } from '../../db/types.ts';
import { json, type Db } from '../../repos/common.ts';
import { isUuid } from '../../repos/products.ts';
import { changeOrderStatus, OrderTransitionError, recordPayment, toOrder, type Order } from '../../orders/index.ts';
import { exportedThrough } from './exports.ts';
import type { OrderUpdate } from './readUpdates.ts';
import { RANK, wantedChange, type Step } from './statusMap.ts';

/**
 * 1C's order updates applied through the orders' own status machine and payment path (so the
 * shopper is told by the usual order news), one document at a time: a move the machine refuses
 * (1C ships an unpaid order, revives a cancelled one) is recorded as refused and the rest of the
 * file goes on. Every document leaves a row in `onec_order_updates` saying what became of it.
 */
export const ONEC_PROVIDER = '1c';
const ACTOR = { kind: 'provider', provider: ONEC_PROVIDER } as const;

export type UpdatesSummary = Record<OnecOrderUpdateOutcome, number> & { changed: number };

export const emptySummary = (): UpdatesSummary => ({
  applied: 0,
  unchanged: 0,
  refused: 0,
  unknown_order: 0,
  unknown_status: 0,
  bad_file: 0,
  changed: 0,
});

type Where = { cityId: string; sessionId: string; fileName: string };

export async function recordUpdate(
  db: Db,
  where: Where,
  row: { orderId?: string; document?: string; outcome: OnecOrderUpdateOutcome; detail: string; requisites?: object },
): Promise<void> {
  await db
    .insertInto('onec_order_updates')
    .values({
      session_id: where.sessionId,
      city_id: where.cityId,
      order_id: row.orderId ?? null,
      file_name: where.fileName.slice(0, 300),
      document: (row.document ?? '').slice(0, 200),
      outcome: row.outcome,
      detail: row.detail.slice(0, 2000),
      requisites: json(row.requisites ?? {}),
    })
    .execute();
}

async function findOrder(db: Db, cityId: string, update: OrderUpdate): Promise<Order | undefined> {
  const byId = isUuid(update.id)
    ? await db
        .selectFrom('orders')
        .selectAll()
        .where('city_id', '=', cityId)
        .where('id', '=', update.id)
        .executeTakeFirst()
    : undefined;
  if (byId) return toOrder(byId);
  const number = /^\d{1,9}$/.test(update.number) ? Number(update.number) : undefined;
  if (number === undefined) return undefined;
  const byNumber = await db
    .selectFrom('orders')
    .selectAll()
    .where('city_id', '=', cityId)
    .where('number', '=', number)
    .executeTakeFirst();
  return byNumber ? toOrder(byNumber) : undefined;
}

type StepResult = { kind: 'applied' | 'unchanged'; order: Order } | { kind: 'refused'; reason: string };

async function takeStep(db: Db, order: Order, step: Step, update: OrderUpdate, reference: string): Promise<StepResult> {
  if (
    step === 'cancelled'
      ? order.status === 'cancelled'
      : RANK[order.status] >= RANK[step] && order.status !== 'cancelled'
  )
    return { kind: 'unchanged', order };
  if (step === 'paid') {
    if (update.sum !== undefined && !(update.sum >= 0 && update.sum < 1e12))
      return { kind: 'refused', reason: `payment not taken: Сумма ${update.sum} is not an amount` };
    const result = await recordPayment(db, {
      provider: ONEC_PROVIDER,
      reference: `${order.id}:${reference}`.slice(0, 200),
      orderId: order.id,
      amount: update.sum ?? order.total,
      currency: order.currency,
      status: 'succeeded',
      raw: update.requisites,
    });
    if (result.outcome === 'paid') return { kind: 'applied', order: result.change!.order };
    if (result.outcome === 'duplicate') return { kind: 'unchanged', order };
    return { kind: 'refused', reason: `payment not taken: ${result.payment.flaggedReason ?? result.outcome}` };
  }
  try {
    const change = await changeOrderStatus(db, order.id, step as Exclude<Step, 'paid' | 'new'>, ACTOR, '1C');
    return { kind: 'applied', order: change.order };
  } catch (error) {
    if (error instanceof OrderTransitionError) return { kind: 'refused', reason: error.message };
    throw error;
  }
}

export async function applyOrderUpdates(
  db: Db,
  where: Where,
  updates: readonly OrderUpdate[],
): Promise<UpdatesSummary> {
  const summary = emptySummary();
  for (const update of updates) {
    const document = update.number || update.id;
    const order = await findOrder(db, where.cityId, update);
    if (!order) {
      summary.unknown_order++;
      await recordUpdate(db, where, {
        document,
        outcome: 'unknown_order',
        detail: `no order with Ид ${update.id || '—'} or Номер ${update.number || '—'} in this city`,
        requisites: update.requisites,
      });
      continue;
    }
    const wanted = wantedChange(update.requisites, order.delivery.kind);
    const notes: string[] = [];
    let current = order;
    let changed = false;
    let refused: string | undefined;
    for (const step of wanted.steps) {
      const result = await takeStep(db, current, step, update, wanted.payment?.reference ?? 'status');
      if (result.kind === 'refused') {
        refused = result.reason;
        notes.push(`${step}: refused (${result.reason})`);
        break;
      }
      if (result.kind === 'applied') {
        notes.push(`${current.status} → ${result.order.status}`);
        await exportedThrough(db, order.id, current.updatedAt, result.order.updatedAt);
        changed = true;
      }
      current = result.order;
    }
    if (wanted.unknownStatus) notes.push(`unknown «Статус заказа» ${wanted.unknownStatus}`);
    const outcome: OnecOrderUpdateOutcome = refused
      ? 'refused'
      : wanted.unknownStatus
        ? 'unknown_status'
        : changed
          ? 'applied'
          : 'unchanged';
    summary[outcome]++;
    if (changed) summary.changed++;
    await recordUpdate(db, where, {
      orderId: order.id,
      document,
      outcome,
      detail: notes.join('; ') || `already ${order.status}`,
      requisites: update.requisites,
    });
  }
  return summary;
}
