import { cloudPaymentsHmac } from '../cloudpayments/signature.ts';
import { startFakeHttp } from './httpServer.ts';

/**
 * A fake CloudPayments API on 127.0.0.1: `POST /orders/create` with HTTP Basic (Public ID : API
 * Secret) and a JSON body answers `{Success, Message, Model: {Id, Number, Amount, Currency, Url, …}}`
 * as CloudPayments does (a wrong login is HTTP 401). Like CloudPayments, it posts Check / Pay / Fail
 * notifications form-urlencoded with `X-Content-HMAC` and `Content-HMAC`.
 */
export type FakeCpOrder = {
  Id: string;
  Number: number;
  Amount: number;
  Currency: string;
  InvoiceId: string;
  Url: string;
  Description: string;
};

export type FakeCloudPayments = {
  apiBase: string;
  orders: FakeCpOrder[];
  requests: { body: Record<string, unknown>; authorized: boolean }[];
  /** the next create answers `{Success: false, Message}` */
  refuseNext(message: string): void;
  /** posts a notification as CloudPayments does; `sign` picks which header(s) carry the HMAC */
  notify(
    url: string,
    fields: Record<string, string>,
    secret: string,
    sign?: 'both' | 'x-content' | 'content',
  ): Promise<Response>;
  close(): Promise<void>;
};

export async function startFakeCloudPayments(opts: {
  publicId: string;
  apiSecret: string;
}): Promise<FakeCloudPayments> {
  const orders: FakeCpOrder[] = [];
  const requests: FakeCloudPayments['requests'] = [];
  let refusal: string | undefined;
  let seq = 0;
  const expected = `Basic ${Buffer.from(`${opts.publicId}:${opts.apiSecret}`).toString('base64')}`;
  const http = await startFakeHttp(({ method, path, headers, body }) => {
    if (method !== 'POST' || path !== '/orders/create')
      return { status: 404, json: { Success: false, Message: 'Not found' } };
    const authorized = headers.authorization === expected;
    const parsed = JSON.parse(body || '{}') as Record<string, unknown>;
    requests.push({ body: parsed, authorized });
    if (!authorized) return { status: 401, json: { Message: 'Authorization has been denied for this request.' } };
    if (refusal) {
      const Message = refusal;
      refusal = undefined;
      return { status: 200, json: { Success: false, Message } };
    }
    if (typeof parsed.Amount !== 'number' || parsed.Amount <= 0)
      return { status: 200, json: { Success: false, Message: 'Amount is required' } };
    const id = `f${++seq}${Math.random().toString(36).slice(2, 12)}`;
    const order: FakeCpOrder = {
      Id: id,
      Number: 100 + seq,
      Amount: parsed.Amount,
      Currency: String(parsed.Currency ?? 'RUB'),
      InvoiceId: String(parsed.InvoiceId ?? ''),
      Description: String(parsed.Description ?? ''),
      Url: `https://orders.cloudpayments.test/d/${id}`,
    };
    orders.push(order);
    return {
      status: 200,
      json: {
        Success: true,
        Message: null,
        Model: { ...order, CurrencyCode: 6, Status: 'Created', StatusCode: 0, RequireConfirmation: false },
      },
    };
  });
  return {
    apiBase: http.base,
    orders,
    requests,
    refuseNext(message) {
      refusal = message;
    },
    notify(url, fields, secret, sign = 'both') {
      const body = new URLSearchParams(fields).toString();
      const decoded = decodeURIComponent(body.replace(/\+/g, ' '));
      const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
      if (sign !== 'content') headers['X-Content-HMAC'] = cloudPaymentsHmac(secret, body);
      if (sign !== 'x-content') headers['Content-HMAC'] = cloudPaymentsHmac(secret, decoded);
      return fetch(url, { method: 'POST', headers, body });
    },
    close: http.close,
  };
}

/** The fields CloudPayments sends for a card payment of `amount` (decimal text) on our order. */
export function cpFields(transactionId: number, invoiceId: string, amount: string, extra: Record<string, string> = {}) {
  return {
    TransactionId: String(transactionId),
    Amount: amount,
    Currency: 'KZT',
    PaymentAmount: amount,
    PaymentCurrency: 'KZT',
    OperationType: 'Payment',
    InvoiceId: invoiceId,
    AccountId: '+77011234567',
    DateTime: '2026-12-07 15:30:00',
    CardFirstSix: '424242',
    CardLastFour: '4242',
    CardType: 'Visa',
    CardExpDate: '12/28',
    Status: 'Completed',
    TestMode: '1',
    ...extra,
  };
}
