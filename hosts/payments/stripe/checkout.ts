import * as v from 'valibot';
import { toMinorUnits } from '../money.ts';
import { PaymentProviderError, type PayableOrder, type PaymentStart } from '../types.ts';
import { stripeForm } from './form.ts';

/**
 * Creates a Stripe Checkout Session for an order (`POST /v1/checkout/sessions`, form-encoded,
 * the secret key as bearer): one line carrying the order's server-computed total in minor units
 * (KZT is a two-decimal currency at Stripe: 1 ₸ = 100), `client_reference_id` = the order id, and an
 * `Idempotency-Key`, so a retried request returns the session already made instead of a second one.
 * Card data is entered on Stripe's page; none of it passes through us.
 */
export type StripeCheckoutOptions = {
  secretKey: string;
  /** https://api.stripe.com unless tests point it at a fake */
  apiBase: string;
  /** where Stripe sends the shopper after paying or giving up */
  returnUrl: string;
  /** a session lives this long (Stripe allows 30 minutes to 24 hours) */
  sessionHours: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
};

const Session = v.object({
  id: v.string(),
  url: v.nullish(v.string()),
  expires_at: v.optional(v.number()),
  amount_total: v.nullish(v.number()),
  currency: v.nullish(v.string()),
});
const StripeError = v.object({ error: v.object({ message: v.optional(v.string()), type: v.optional(v.string()) }) });

export async function createCheckoutSession(
  order: PayableOrder,
  idempotencyKey: string,
  options: StripeCheckoutOptions,
  now: Date,
): Promise<PaymentStart> {
  const amount = toMinorUnits(order.total);
  if (amount === undefined || amount <= 0)
    throw new PaymentProviderError('stripe', `order ${order.id} has no payable total (${order.total})`, false);
  const body = stripeForm({
    mode: 'payment',
    client_reference_id: order.id,
    success_url: options.returnUrl,
    cancel_url: options.returnUrl,
    expires_at: Math.floor(now.getTime() / 1000) + Math.round(options.sessionHours * 3600),
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: order.currency.toLowerCase(),
          unit_amount: amount,
          product_data: { name: `№ ${order.number}` },
        },
      },
    ],
    metadata: { order_id: order.id, order_number: order.number, city: order.citySlug },
    payment_intent_data: { metadata: { order_id: order.id } },
  });
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(`${options.apiBase.replace(/\/$/, '')}/v1/checkout/sessions`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${options.secretKey}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        'Idempotency-Key': idempotencyKey,
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new PaymentProviderError('stripe', `unreachable: ${String(error)}`, true);
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = v.safeParse(StripeError, json);
    const reason = parsed.success ? (parsed.output.error.message ?? parsed.output.error.type) : undefined;
    throw new PaymentProviderError(
      'stripe',
      `HTTP ${response.status}${reason ? `: ${reason}` : ''}`,
      response.status === 429 || response.status >= 500,
    );
  }
  const session = v.safeParse(Session, json);
  if (!session.success || !session.output.url)
    throw new PaymentProviderError('stripe', 'answered without a Checkout Session URL', true);
  return {
    provider: 'stripe',
    reference: session.output.id,
    url: session.output.url,
    ...(session.output.expires_at ? { expiresAt: new Date(session.output.expires_at * 1000) } : {}),
  };
}
