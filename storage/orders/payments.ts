import type { PaymentStatus } from '../db/types.ts';
import { inTransaction, json, type Db } from '../repos/common.ts';
import { UNPAID_STATUSES } from './status.ts';
import { applyTransition, lockOrder, type StatusChange } from './transitions.ts';
import { toMinor, toOrder, toPayment, type Payment } from './types.ts';

/** the provider of payments a manager records by hand after the shopper paid a Kaspi invoice */
export const KASPI_MANUAL = 'kaspi_manual';

export type PaymentNotice = {
  provider: string;
  /** the provider's id of this payment (session, transaction, invoice): unique per provider */
  reference: string;
  /** null or unknown: the notification named an order we do not have (recorded and flagged) */
  orderId: string | null;
  amount: number;
  currency: string;
  status: PaymentStatus;
  /** what the provider sent, kept for disputes */
  raw?: unknown;
  /** a manual payment: the user who recorded it (the order's event names them as the actor) */
  recordedBy?: string;
};

/**
 * - `paid`: the order became paid now;
 * - `duplicate`: this (provider, reference) was recorded already in this state: nothing changed;
 * - `flagged`: recorded, but the order was not marked paid (`payment.flaggedReason` says why);
 * - `recorded`: a pending or failed payment, kept for the record.
 */
export type PaymentOutcome = 'paid' | 'duplicate' | 'flagged' | 'recorded';
export type PaymentResult = { payment: Payment; outcome: PaymentOutcome; change?: StatusChange };

export type FlagReason = 'unknown_order' | 'currency_mismatch' | 'amount_mismatch' | 'refund_due' | 'already_paid';

/**
 * Records a payment notification, idempotent on (provider, reference): the same notification twice
 * changes nothing, and a pending payment that later succeeds or fails is updated once. A successful
 * payment marks its order paid only when the order waits for money and the amount and currency are
 * exactly the order's; otherwise it is flagged: a wrong amount or currency, an unknown order, an
 * order already paid, or a cancelled one (refund due). One transaction: a crash before the commit
 * leaves nothing, and the provider's redelivery does it all once.
 */
export async function recordPayment(db: Db, given: PaymentNotice): Promise<PaymentResult> {
  const notice = normalised(given);
  return inTransaction(db, async (tx) => {
    const existing = await tx
      .selectFrom('payments')
      .selectAll()
      .where('provider', '=', notice.provider)
      .where('reference', '=', notice.reference)
      .forUpdate()
      .executeTakeFirst();
    if (existing && (existing.status !== 'pending' || notice.status === 'pending'))
      return { payment: toPayment(existing), outcome: 'duplicate' as const };

    const order = notice.orderId ? await lockOrder(tx, notice.orderId) : undefined;
    const columns = {
      order_id: order?.id ?? null,
      amount: notice.amount,
      currency: notice.currency,
      status: notice.status,
      raw: json(notice.raw ?? {}),
      recorded_by: notice.recordedBy ?? null,
      updated_at: new Date(),
    };
    let row = existing
      ? await tx.updateTable('payments').set(columns).where('id', '=', existing.id).returningAll().executeTakeFirst()
      : await tx
          .insertInto('payments')
          .values({ provider: notice.provider, reference: notice.reference, ...columns })
          .onConflict((oc) => oc.columns(['provider', 'reference']).doNothing())
          .returningAll()
          .executeTakeFirst();
    if (!row) {
      // a concurrent delivery of the same notification committed first
      const first = await tx
        .selectFrom('payments')
        .selectAll()
        .where('provider', '=', notice.provider)
        .where('reference', '=', notice.reference)
        .executeTakeFirstOrThrow();
      return { payment: toPayment(first), outcome: 'duplicate' as const };
    }
    if (notice.status !== 'succeeded') return { payment: toPayment(row), outcome: 'recorded' as const };

    const reason = flagReason(order && toOrder(order), notice);
    if (reason) {
      row = await tx
        .updateTable('payments')
        .set({ flagged_reason: reason })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { payment: toPayment(row), outcome: 'flagged' as const };
    }
    const change = await applyTransition(
      tx,
      toOrder(order!),
      'paid',
      notice.recordedBy
        ? { kind: 'manager', userId: notice.recordedBy }
        : { kind: 'provider', provider: notice.provider },
      notice.recordedBy ? `${notice.provider} ${notice.reference}` : notice.reference,
    );
    return { payment: toPayment(row), outcome: 'paid' as const, change };
  });
}

function flagReason(order: ReturnType<typeof toOrder> | undefined, notice: PaymentNotice): FlagReason | undefined {
  if (!order) return 'unknown_order';
  if (notice.currency !== order.currency) return 'currency_mismatch';
  if (toMinor(notice.amount) !== toMinor(order.total)) return 'amount_mismatch';
  if (order.status === 'cancelled') return 'refund_due';
  if (!UNPAID_STATUSES.includes(order.status)) return 'already_paid';
  return undefined;
}

/**
 * What a provider sent, made storable: a currency that is no ISO code is kept as `XXX` (the raw
 * payload has what came) and so never matches an order; an amount that is no number is refused.
 */
function normalised(notice: PaymentNotice): PaymentNotice {
  if (!Number.isFinite(notice.amount)) throw new TypeError(`payment amount must be a number, not ${notice.amount}`);
  if (notice.reference.length < 1 || notice.reference.length > 200)
    throw new TypeError('payment reference must be 1 to 200 characters');
  const currency = notice.currency.trim().toUpperCase();
  return { ...notice, currency: /^[A-Z]{3}$/.test(currency) ? currency : 'XXX' };
}
