/**
 * One port for every payment provider: an order becomes a link (or instructions), a provider's
 * notification becomes a `PaymentEvent`, and events are recorded against the order by the orders
 * ledger, which alone decides whether the order is paid.
 */

export const PROVIDERS = ['stripe', 'cloudpayments', 'kaspi'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** What a provider needs to know about an order: totals come from the server's order, never from a model. */
export type PayableOrder = {
  id: string;
  /** the number the shopper is told («№ 12»), per city */
  number: string;
  citySlug: string;
  /** decimal text in the order's currency, e.g. "152000.00" */
  total: string;
  /** ISO 4217, upper case */
  currency: string;
  /** the shopper's phone as the order holds it (+77011234567); Kaspi invoices are sent to it */
  phone?: string;
};

/** What the shopper is given to pay: a link, or words when a person has to act (a manual Kaspi invoice). */
export type PaymentStart = {
  provider: ProviderName;
  /** the provider's id of what was created (Checkout Session, CloudPayments order, ApiPay invoice); absent for the manual path */
  reference?: string;
  url?: string;
  /** the shopper-facing instructions when there is no link, e.g. the manual Kaspi path */
  instructions?: 'manual_kaspi_invoice' | 'kaspi_invoice_sent';
  expiresAt?: Date;
};

export type PaymentOutcome = 'paid' | 'pending' | 'failed' | 'expired';

/** A verified provider notification, in our terms. */
export type PaymentEvent = {
  provider: ProviderName;
  /** the provider's id of the payment; with `provider`, the key that makes a repeated notification change nothing */
  reference: string;
  /** the order id as the provider carries it back (client_reference_id, InvoiceId, external_order_id); may be unknown or absent */
  orderId: string | undefined;
  amountMinor: number;
  currency: string;
  outcome: PaymentOutcome;
  /** the provider's own event id or kind, for logs */
  eventId?: string;
};

/** Thrown when a provider refuses or cannot be reached; `retryable` says whether asking again may help. */
export class PaymentProviderError extends Error {
  override readonly name = 'PaymentProviderError';
  constructor(
    readonly provider: ProviderName,
    message: string,
    readonly retryable: boolean,
  ) {
    super(`${provider}: ${message}`);
  }
}
