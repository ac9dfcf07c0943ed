import { apiPaySignature } from '../kaspi/apipay.ts';
import { startFakeHttp } from './httpServer.ts';

/**
 * A fake ApiPay.kz (Kaspi Pay gateway) on 127.0.0.1: `POST /invoices` with `X-API-Key` and a JSON
 * body answers the invoice (`{id, amount: "15000.00", status: "processing", …}`); a fractional amount
 * is `422 amount_must_be_whole_tenge`. Like the gateway, it posts `invoice.status_changed` signed
 * `X-Webhook-Signature: sha256=<hex>`.
 */
export type FakeApiPayInvoice = {
  id: number;
  amount: string;
  phone_number: string;
  external_order_id: string;
  status: string;
};

export type FakeApiPay = {
  apiBase: string;
  invoices: FakeApiPayInvoice[];
  requests: { body: Record<string, unknown>; authorized: boolean }[];
  /** what `GET /invoices/{id}` answers from now on; no webhook is sent (a lost one) */
  setStatus(invoice: FakeApiPayInvoice, status: string): void;
  /** posts `invoice.status_changed` for an invoice (amount overridable), signed with the webhook secret */
  statusChanged(
    url: string,
    invoice: FakeApiPayInvoice,
    status: string,
    secret: string,
    amount?: string,
  ): Promise<Response>;
  close(): Promise<void>;
};

export async function startFakeApiPay(opts: { apiKey: string }): Promise<FakeApiPay> {
  const invoices: FakeApiPayInvoice[] = [];
  const requests: FakeApiPay['requests'] = [];
  let seq = 40;
  const http = await startFakeHttp(({ method, path, headers, body }) => {
    const authorized = headers['x-api-key'] === opts.apiKey;
    const one = /^\/invoices\/(\d+)$/.exec(path);
    if (method === 'GET' && one) {
      if (!authorized) return { status: 401, json: { message: 'Unauthenticated.' } };
      const invoice = invoices.find((i) => i.id === Number(one[1]));
      return invoice
        ? { status: 200, json: { ...invoice, items: [] } }
        : { status: 404, json: { message: 'Not Found' } };
    }
    if (method !== 'POST' || path !== '/invoices') return { status: 404, json: { message: 'Not Found' } };
    const parsed = JSON.parse(body || '{}') as Record<string, unknown>;
    requests.push({ body: parsed, authorized });
    if (!authorized) return { status: 401, json: { message: 'Unauthenticated.' } };
    const amount = parsed.amount;
    if (typeof amount !== 'number' || !Number.isInteger(amount))
      return { status: 422, json: { message: 'Validation failed', error: 'amount_must_be_whole_tenge' } };
    if (!/^8\d{10}$/.test(String(parsed.phone_number)))
      return { status: 422, json: { message: 'Validation failed', errors: { phone_number: ['invalid'] } } };
    const invoice: FakeApiPayInvoice = {
      id: ++seq,
      amount: amount.toFixed(2),
      phone_number: String(parsed.phone_number),
      external_order_id: String(parsed.external_order_id ?? ''),
      status: 'processing',
    };
    invoices.push(invoice);
    return {
      status: 201,
      json: {
        ...invoice,
        description: parsed.description,
        error_message: null,
        paid_at: null,
        created_at: new Date().toISOString(),
      },
    };
  });
  return {
    apiBase: http.base,
    invoices,
    requests,
    setStatus(invoice, status) {
      invoice.status = status;
    },
    statusChanged(url, invoice, status, secret, amount = invoice.amount) {
      const body = JSON.stringify({
        event: 'invoice.status_changed',
        invoice: {
          id: invoice.id,
          external_order_id: invoice.external_order_id,
          amount,
          status,
          description: 'Заказ',
          client_name: 'Айгерим',
          paid_at: status === 'paid' ? new Date().toISOString() : null,
        },
        source: 'api',
        timestamp: new Date().toISOString(),
      });
      return fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Webhook-Signature': apiPaySignature(secret, body) },
        body,
      });
    },
    close: http.close,
  };
}
