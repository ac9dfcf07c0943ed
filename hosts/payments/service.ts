import type { Db } from '../../storage/repos/common.ts';
import {
  getOrder,
  recordPayment,
  UNPAID_STATUSES,
  type OrderDetail,
  type PaymentResult,
} from '../../storage/orders/index.ts';
import type { Logger } from '../runtime/ports.ts';
import { createCloudPaymentsLink } from './cloudpayments/client.ts';
import { CHECK_CODES } from './cloudpayments/notifications.ts';
import { providersFor, type PaymentsConfig } from './config.ts';
import { createKaspiInvoice, fetchKaspiInvoice } from './kaspi/apipay.ts';
import { fromMinorUnits, toMinorUnits } from './money.ts';
import { createCheckoutSession } from './stripe/checkout.ts';
import {
  PaymentProviderError,
  type PayableOrder,
  type PaymentEvent,
  type PaymentStart,
  type ProviderName,
} from './types.ts';

/**
 * The payment port of the platform: starts a payment for an order with one of its city's providers
 * (a link, or the manual Kaspi instructions), answers a provider's synchronous question before it
 * charges (`check`: CloudPayments' Check today, Telegram invoices' pre-checkout later), and records
 * verified notifications through the orders ledger, which alone marks an order paid — only for the
 * exact amount and currency of an order still waiting for its money; anything else is kept and flagged.
 */
export type PaymentServiceDeps = {
  db: Db;
  config: PaymentsConfig;
  citySlug: (cityId: string) => string | undefined;
  clock?: () => Date;
  log: Logger;
  fetch?: typeof fetch;
  /** an order became paid: the platform tells the shopper now (the worker's sweep catches what this misses) */
  onOrderChanged?: () => unknown;
};

export class PaymentRefused extends Error {
  override readonly name = 'PaymentRefused';
  constructor(
    readonly reason: 'no_order' | 'not_payable' | 'provider_not_offered' | 'test_order',
    message: string,
  ) {
    super(message);
  }
}

export type CheckAnswer = { code: number; reason?: 'unknown_order' | 'wrong_amount' | 'not_payable' };

/** a Stripe session is reused while it has at least this long left */
const SESSION_REUSE_MARGIN_MS = 10 * 60_000;

export class PaymentService {
  private readonly clock: () => Date;
  constructor(private readonly deps: PaymentServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  get config(): PaymentsConfig {
    return this.deps.config;
  }

  /** the providers the shopper may choose in a city, in the configured order */
  providers(citySlug: string): ProviderName[] {
    return providersFor(this.deps.config, citySlug);
  }

  /** Starts (or resumes) paying for an order with a provider its city offers; a test order takes no payment. */
  async start(orderId: string, provider: ProviderName): Promise<PaymentStart> {
    const order = await getOrder(this.deps.db, orderId);
    if (!order) throw new PaymentRefused('no_order', `no order ${orderId}`);
    if (order.test)
      throw new PaymentRefused('test_order', `order № ${order.number} is a test order: it takes no payment`);
    if (!UNPAID_STATUSES.includes(order.status))
      throw new PaymentRefused(
        'not_payable',
        `order № ${order.number} is ${order.status}: it is not waiting for a payment`,
      );
    const payable = this.payable(order);
    if (!this.providers(payable.citySlug).includes(provider))
      throw new PaymentRefused('provider_not_offered', `${provider} is not offered in ${payable.citySlug}`);
    if (provider === 'stripe') return this.startStripe(order, payable);
    if (provider === 'cloudpayments') {
      const cp = this.deps.config.cloudpayments!;
      return createCloudPaymentsLink(payable, {
        ...cp,
        returnUrl: this.deps.config.returnUrl!,
        fetch: this.deps.fetch,
      });
    }
    return this.startKaspi(payable);
  }

  /** The synchronous question a provider asks before charging: may this amount be taken for this order? */
  async check(orderId: string | undefined, amountMinor: number, currency: string): Promise<CheckAnswer> {
    const order = orderId ? await getOrder(this.deps.db, orderId) : undefined;
    if (!order) return { code: CHECK_CODES.unknownOrder, reason: 'unknown_order' };
    if (toMinorUnits(order.total) !== amountMinor || order.currency !== currency)
      return { code: CHECK_CODES.wrongAmount, reason: 'wrong_amount' };
    if (!UNPAID_STATUSES.includes(order.status)) return { code: CHECK_CODES.rejected, reason: 'not_payable' };
    return { code: CHECK_CODES.ok };
  }

  /** Records a verified notification; the same one twice changes nothing. */
  async record(event: PaymentEvent, raw: unknown): Promise<PaymentResult> {
    const result = await recordPayment(this.deps.db, {
      provider: event.provider,
      reference: event.reference,
      orderId: event.orderId ?? null,
      amount: Number(fromMinorUnits(event.amountMinor)),
      currency: event.currency,
      status: event.outcome === 'paid' ? 'succeeded' : event.outcome === 'pending' ? 'pending' : 'failed',
      raw,
    });
    const fields = {
      provider: event.provider,
      reference: event.reference,
      orderId: event.orderId,
      event: event.eventId,
    };
    if (result.outcome === 'flagged')
      this.deps.log.warn({ ...fields, flagged: result.payment.flaggedReason }, 'payment recorded and flagged');
    else this.deps.log.info({ ...fields, outcome: result.outcome }, 'payment notification recorded');
    if (result.outcome === 'paid')
      Promise.resolve()
        .then(() => this.deps.onOrderChanged?.())
        .catch((error: unknown) =>
          this.deps.log.warn(
            { err: String(error), orderId: event.orderId },
            'paid news not told now; the sweep will retry',
          ),
        );
    return result;
  }

  /**
   * Asks the Kaspi gateway about invoices still pending after `olderThanMs` (and sent within the
   * last two days: a phone invoice lives 24 hours) and records those that ended. ApiPay does not
   * retry invoice webhooks; this finds a lost one. Returns how many payments changed.
   */
  async reconcileKaspi(olderThanMs = 2 * 60_000): Promise<number> {
    const gateway = this.deps.config.kaspiGateway;
    if (!gateway) return 0;
    const now = this.clock().getTime();
    const pending = await this.deps.db
      .selectFrom('payments')
      .select('reference')
      .where('provider', '=', 'kaspi')
      .where('status', '=', 'pending')
      .where('created_at', '<', new Date(now - olderThanMs))
      .where('created_at', '>', new Date(now - 48 * 3600_000))
      .orderBy('created_at')
      .limit(100)
      .execute();
    let changed = 0;
    for (const { reference } of pending) {
      const reading = await fetchKaspiInvoice(reference, { ...gateway, fetch: this.deps.fetch });
      if (!('event' in reading)) continue;
      const result = await this.record(reading.event, { polled: reading.event.eventId });
      if (result.outcome !== 'duplicate') changed++;
    }
    return changed;
  }

  private payable(order: OrderDetail): PayableOrder {
    return {
      id: order.id,
      number: String(order.number),
      citySlug: this.deps.citySlug(order.cityId) ?? '',
      total: order.total.toFixed(2),
      currency: order.currency,
      ...(order.customer.phone ? { phone: order.customer.phone } : {}),
    };
  }

  /**
   * A Checkout Session is kept as a pending payment (its URL and expiry in `raw`), so asking again
   * returns the open session, and one that expired or is about to is replaced. The Idempotency-Key
   * names the session it replaces: two requests racing for the same order get one session.
   */
  private async startStripe(order: OrderDetail, payable: PayableOrder): Promise<PaymentStart> {
    const now = this.clock();
    const sessions = order.payments.filter((p) => p.provider === 'stripe');
    const open = sessions
      .filter((p) => p.status === 'pending')
      .map((p) => ({ p, link: p.raw as { url?: string; expiresAt?: string } }))
      .find(
        ({ p, link }) =>
          link.url &&
          link.expiresAt &&
          Date.parse(link.expiresAt) - now.getTime() > SESSION_REUSE_MARGIN_MS &&
          toMinorUnits(p.amount) === toMinorUnits(payable.total),
      );
    if (open)
      return {
        provider: 'stripe',
        reference: open.p.reference,
        url: open.link.url!,
        expiresAt: new Date(open.link.expiresAt!),
      };
    const stripe = this.deps.config.stripe!;
    const previous = sessions.at(-1)?.reference ?? 'none';
    const started = await createCheckoutSession(
      payable,
      `zeta:${order.id}:${toMinorUnits(payable.total)}:after:${previous}`,
      { ...stripe, returnUrl: this.deps.config.returnUrl!, fetch: this.deps.fetch },
      now,
    );
    await this.keepPending(payable, started, { url: started.url, expiresAt: started.expiresAt?.toISOString() });
    return started;
  }

  /** Through the gateway when there is one; the manual path when there is none or it cannot invoice this order. */
  private async startKaspi(payable: PayableOrder): Promise<PaymentStart> {
    const gateway = this.deps.config.kaspiGateway;
    if (!gateway) return { provider: 'kaspi', instructions: 'manual_kaspi_invoice' };
    try {
      const started = await createKaspiInvoice(payable, { ...gateway, fetch: this.deps.fetch });
      await this.keepPending(payable, started, { invoice: started.reference });
      return started;
    } catch (error) {
      if (!(error instanceof PaymentProviderError) || error.retryable) throw error;
      this.deps.log.warn({ order: payable.id, err: error.message }, 'Kaspi gateway cannot invoice; manual path');
      return { provider: 'kaspi', instructions: 'manual_kaspi_invoice' };
    }
  }

  private async keepPending(payable: PayableOrder, started: PaymentStart, raw: Record<string, unknown>): Promise<void> {
    await recordPayment(this.deps.db, {
      provider: started.provider,
      reference: started.reference!,
      orderId: payable.id,
      amount: Number(payable.total),
      currency: payable.currency,
      status: 'pending',
      raw,
    });
  }
}
