import { createHmac, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import { toMinorUnits } from '../money.ts';
import { PaymentProviderError, type PayableOrder, type PaymentEvent, type PaymentStart } from '../types.ts';

/**
 * Kaspi Pay through ApiPay.kz, a gateway with a public REST API: it works as a «Кассир» (cashier)
 * of the retailer's own Kaspi Business account, so the money lands in that account directly.
 * `POST /invoices` (header `X-API-Key`) sends a Kaspi invoice to the shopper's phone, who pays it in
 * the Kaspi app; the gateway then posts `invoice.status_changed` to our webhook, signed
 * `X-Webhook-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the webhook's secret.
 * Phone invoices are whole tenge only.
 */
export type ApiPayOptions = {
  apiKey: string;
  /** https://api.apipay.kz/api/v1 unless tests point it at a fake */
  apiBase: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
};

/** +7 701 123 45 67, 87011234567, 7011234567 → 87011234567 (the form ApiPay takes); undefined when not a Kazakh mobile number */
export function kaspiPhone(phone: string | undefined): string | undefined {
  const digits = (phone ?? '').replace(/\D/g, '');
  const national = digits.length === 11 && /^[78]/.test(digits) ? digits.slice(1) : digits;
  return /^7\d{9}$/.test(national) ? `8${national}` : undefined;
}

const Invoice = v.object({ id: v.union([v.number(), v.string()]), status: v.optional(v.string()) });
const ApiError = v.object({ message: v.optional(v.string()), error: v.optional(v.string()) });

export async function createKaspiInvoice(order: PayableOrder, options: ApiPayOptions): Promise<PaymentStart> {
  const amount = toMinorUnits(order.total);
  if (amount === undefined || amount <= 0 || amount % 100 !== 0 || order.currency !== 'KZT')
    throw new PaymentProviderError(
      'kaspi',
      `a Kaspi invoice takes whole tenge; order ${order.id} is ${order.total} ${order.currency}`,
      false,
    );
  const phone = kaspiPhone(order.phone);
  if (!phone)
    throw new PaymentProviderError('kaspi', `order ${order.id} has no Kazakh mobile number to invoice`, false);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(`${options.apiBase.replace(/\/$/, '')}/invoices`, {
      method: 'POST',
      headers: { 'X-API-Key': options.apiKey, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        amount: amount / 100,
        phone_number: phone,
        description: `Заказ № ${order.number}`.slice(0, 60),
        external_order_id: order.id,
      }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new PaymentProviderError('kaspi', `unreachable: ${String(error)}`, true);
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = v.safeParse(ApiError, json);
    const reason = parsed.success ? (parsed.output.error ?? parsed.output.message) : undefined;
    throw new PaymentProviderError(
      'kaspi',
      `HTTP ${response.status}${reason ? `: ${reason}` : ''}`,
      response.status === 429 || response.status >= 500,
    );
  }
  const invoice = v.safeParse(Invoice, json);
  if (!invoice.success) throw new PaymentProviderError('kaspi', 'answered without an invoice id', true);
  return { provider: 'kaspi', reference: String(invoice.output.id), instructions: 'kaspi_invoice_sent' };
}

export const apiPaySignature = (secret: string, raw: Uint8Array | string): string =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

export function verifyApiPaySignature(raw: Uint8Array, header: string | null | undefined, secret: string): boolean {
  if (!header || !secret) return false;
  const given = Buffer.from(header.trim(), 'utf8');
  const expected = Buffer.from(apiPaySignature(secret, raw), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const StatusChanged = v.object({
  event: v.string(),
  invoice: v.object({
    id: v.union([v.number(), v.string()]),
    external_order_id: v.nullish(v.string()),
    amount: v.union([v.string(), v.number()]),
    status: v.string(),
  }),
});

const OUTCOMES: Record<string, PaymentEvent['outcome']> = {
  paid: 'paid',
  cancelled: 'failed',
  expired: 'expired',
  failed: 'failed',
};

export type ApiPayReading = { event: PaymentEvent } | { ignored: string } | { invalid: string };

/**
 * One invoice as the gateway sees it now (`GET /invoices/{id}`), read like its webhook. ApiPay does
 * not retry invoice webhooks, so pending invoices are asked for: a lost `paid` is found this way.
 */
export async function fetchKaspiInvoice(id: string, options: ApiPayOptions): Promise<ApiPayReading> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(
      `${options.apiBase.replace(/\/$/, '')}/invoices/${encodeURIComponent(id)}`,
      {
        headers: { 'X-API-Key': options.apiKey, Accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      },
    );
  } catch (error) {
    throw new PaymentProviderError('kaspi', `unreachable: ${String(error)}`, true);
  }
  if (!response.ok)
    throw new PaymentProviderError(
      'kaspi',
      `HTTP ${response.status} for invoice ${id}`,
      response.status === 429 || response.status >= 500,
    );
  const invoice: unknown = await response.json().catch(() => undefined);
  return readApiPayWebhook({ event: 'invoice.status_changed', invoice });
}

/** `invoice.status_changed` in our terms; refunds and subscription events are acknowledged and ignored. */
export function readApiPayWebhook(json: unknown): ApiPayReading {
  const parsed = v.safeParse(StatusChanged, json);
  if (!parsed.success) {
    const event = v.safeParse(v.object({ event: v.string() }), json);
    return event.success ? { ignored: event.output.event } : { invalid: 'not an ApiPay webhook' };
  }
  const { event, invoice } = parsed.output;
  if (event !== 'invoice.status_changed') return { ignored: event };
  const outcome = OUTCOMES[invoice.status];
  if (!outcome) return { ignored: `${event} ${invoice.status}` };
  const amountMinor = toMinorUnits(invoice.amount);
  if (amountMinor === undefined) return { invalid: `amount "${invoice.amount}" is not an amount` };
  return {
    event: {
      provider: 'kaspi',
      reference: String(invoice.id),
      orderId: invoice.external_order_id ?? undefined,
      amountMinor,
      currency: 'KZT',
      outcome,
      eventId: `${event} ${invoice.id} ${invoice.status}`,
    },
  };
}
