import * as v from 'valibot';
import { toMinorUnits, fromMinorUnits } from '../money.ts';
import { PaymentProviderError, type PayableOrder, type PaymentStart } from '../types.ts';

/**
 * A CloudPayments payment link for an order: `POST /orders/create` (JSON, HTTP Basic with the
 * Public ID as login and the API Secret as password) answers `{Success, Message, Model: {Id, Url, …}}`.
 * `InvoiceId` is our order id — CloudPayments returns it in every Check / Pay / Fail notification.
 * The shopper enters the card on CloudPayments' page; no card data passes through us.
 */
export type CloudPaymentsOptions = {
  publicId: string;
  apiSecret: string;
  /** https://api.cloudpayments.kz (or .ru) unless tests point it at a fake */
  apiBase: string;
  returnUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
};

const Answer = v.object({
  Success: v.boolean(),
  Message: v.nullish(v.string()),
  Model: v.nullish(v.object({ Id: v.string(), Url: v.nullish(v.string()) })),
});

export async function createCloudPaymentsLink(
  order: PayableOrder,
  options: CloudPaymentsOptions,
): Promise<PaymentStart> {
  const amount = toMinorUnits(order.total);
  if (amount === undefined || amount <= 0)
    throw new PaymentProviderError('cloudpayments', `order ${order.id} has no payable total (${order.total})`, false);
  const basic = Buffer.from(`${options.publicId}:${options.apiSecret}`, 'utf8').toString('base64');
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(`${options.apiBase.replace(/\/$/, '')}/orders/create`, {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        Amount: Number(fromMinorUnits(amount)),
        Currency: order.currency,
        Description: `№ ${order.number}`,
        InvoiceId: order.id,
        ...(order.phone ? { AccountId: order.phone, Phone: order.phone } : {}),
        RequireConfirmation: false,
        SendEmail: false,
        SuccessRedirectUrl: options.returnUrl,
        FailRedirectUrl: options.returnUrl,
      }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new PaymentProviderError('cloudpayments', `unreachable: ${String(error)}`, true);
  }
  if (response.status === 401)
    throw new PaymentProviderError('cloudpayments', 'refused the Public ID / API Secret (HTTP 401)', false);
  if (!response.ok)
    throw new PaymentProviderError(
      'cloudpayments',
      `HTTP ${response.status}`,
      response.status === 429 || response.status >= 500,
    );
  const parsed = v.safeParse(Answer, await response.json().catch(() => undefined));
  if (!parsed.success) throw new PaymentProviderError('cloudpayments', 'answered something that is not its JSON', true);
  const { Success, Message, Model } = parsed.output;
  if (!Success || !Model?.Url)
    throw new PaymentProviderError('cloudpayments', `refused the order: ${Message ?? 'no message'}`, false);
  return { provider: 'cloudpayments', reference: Model.Id, url: Model.Url };
}
