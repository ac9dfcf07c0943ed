import * as v from 'valibot';
import type { PaymentEvent, PaymentOutcome } from '../types.ts';

/**
 * The Checkout Session events we act on, in our terms. A session is paid only when its
 * `payment_status` is `paid`: `checkout.session.completed` also arrives for delayed methods
 * (bank debits) with `unpaid`, and the money is confirmed later by
 * `checkout.session.async_payment_succeeded` — or refused by `…async_payment_failed`.
 * `checkout.session.expired` ends a session nobody paid. Other event types are acknowledged and ignored.
 */
const Event = v.object({
  id: v.string(),
  type: v.string(),
  data: v.object({
    object: v.object({
      id: v.string(),
      object: v.optional(v.string()),
      client_reference_id: v.nullish(v.string()),
      metadata: v.nullish(v.record(v.string(), v.string())),
      amount_total: v.nullish(v.number()),
      currency: v.nullish(v.string()),
      payment_status: v.optional(v.string()),
    }),
  }),
});

export type StripeEventReading = { event: PaymentEvent } | { ignored: string } | { invalid: string };

export function readStripeEvent(json: unknown): StripeEventReading {
  const parsed = v.safeParse(Event, json);
  if (!parsed.success) return { invalid: 'not a Stripe event with a data.object' };
  const { id, type } = parsed.output;
  const session = parsed.output.data.object;
  if (!type.startsWith('checkout.session.')) return { ignored: type };
  const paidOrPending = session.payment_status === 'paid' ? 'paid' : 'pending';
  const outcomes: Record<string, PaymentOutcome> = {
    'checkout.session.completed': paidOrPending,
    'checkout.session.async_payment_succeeded': paidOrPending,
    'checkout.session.async_payment_failed': 'failed',
    'checkout.session.expired': 'expired',
  };
  const outcome = outcomes[type];
  if (!outcome) return { ignored: type };
  return {
    event: {
      provider: 'stripe',
      reference: session.id,
      orderId: session.client_reference_id ?? session.metadata?.order_id ?? undefined,
      amountMinor: session.amount_total ?? 0,
      currency: (session.currency ?? '').toUpperCase(),
      outcome,
      eventId: `${id} ${type}`,
    },
  };
}
