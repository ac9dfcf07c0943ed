import * as v from 'valibot';
import { toMinorUnits } from '../money.ts';
import type { PaymentEvent } from '../types.ts';

/**
 * CloudPayments' notifications, form-urlencoded: `Check` asks whether a payment may be taken
 * before the card is charged, `Pay` reports money taken (`Status=Completed`; `Authorized` when a
 * two-stage payment still waits for confirmation), `Fail` a refused attempt (the shopper may try
 * again). Every one carries the `TransactionId`, `Amount` and `Currency` and our `InvoiceId`.
 */
export const NOTIFICATION_KINDS = ['check', 'pay', 'fail'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Check answers: 0 take the payment, 10 no such order, 12 wrong amount, 13 the order cannot be paid now */
export const CHECK_CODES = { ok: 0, unknownOrder: 10, wrongAmount: 12, rejected: 13 } as const;

const Fields = v.object({
  TransactionId: v.pipe(v.string(), v.regex(/^\d{1,20}$/, 'TransactionId must be a number')),
  Amount: v.string(),
  Currency: v.pipe(v.string(), v.regex(/^[A-Za-z]{3}$/, 'Currency must be an ISO code')),
  InvoiceId: v.optional(v.string()),
  Status: v.optional(v.string()),
  OperationType: v.optional(v.string()),
  Reason: v.optional(v.string()),
  TestMode: v.optional(v.string()),
});

export type CloudPaymentsReading = { event: PaymentEvent; testMode: boolean } | { invalid: string };

export function readCloudPaymentsNotification(kind: NotificationKind, form: URLSearchParams): CloudPaymentsReading {
  const parsed = v.safeParse(Fields, Object.fromEntries(form));
  if (!parsed.success) return { invalid: parsed.issues[0].message };
  const f = parsed.output;
  const amountMinor = toMinorUnits(f.Amount);
  if (amountMinor === undefined) return { invalid: `Amount "${f.Amount}" is not an amount` };
  const outcome = kind === 'fail' ? 'failed' : kind === 'pay' && f.Status !== 'Authorized' ? 'paid' : 'pending';
  return {
    event: {
      provider: 'cloudpayments',
      reference: f.TransactionId,
      orderId: f.InvoiceId?.trim() || undefined,
      amountMinor,
      currency: f.Currency.toUpperCase(),
      outcome,
      eventId: `${kind} ${f.TransactionId}${f.Reason ? ` ${f.Reason}` : ''}`,
    },
    testMode: f.TestMode === '1',
  };
}
