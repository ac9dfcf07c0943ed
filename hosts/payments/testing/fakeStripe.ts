import { stripeSignature } from '../stripe/signature.ts';
import { startFakeHttp, type FakeAnswer } from './httpServer.ts';

/**
 * A fake Stripe API on 127.0.0.1 speaking its wire protocol: `POST /v1/checkout/sessions` takes a
 * form-encoded body with the secret key as bearer, honours `Idempotency-Key` (the same key answers
 * the same session; the same key with other parameters is an `idempotency_error`), and answers a
 * Checkout Session object; errors come as `{error: {type, message}}`. Like Stripe, it posts signed
 * events (`Stripe-Signature: t=…,v1=…`) to a webhook endpoint.
 */
export type FakeSession = {
  id: string;
  object: 'checkout.session';
  url: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  expires_at: number;
  mode: string;
};

export type FakeStripe = {
  apiBase: string;
  sessions: FakeSession[];
  /** every create request: its form fields flattened as Stripe reads them, and headers of interest */
  requests: { form: Record<string, string>; idempotencyKey?: string; authorized: boolean }[];
  /** the next create answers this HTTP status with a Stripe error */
  failNext(status: number, type?: string, message?: string): void;
  /** an event as Stripe sends it for a session (`payment_status` and amounts overridable) */
  event(type: string, session: FakeSession, overrides?: Partial<FakeSession>): { id: string; body: string };
  /** posts an event body signed with the endpoint secret, as Stripe delivers it */
  deliver(url: string, body: string, secret: string, at?: Date): Promise<Response>;
  close(): Promise<void>;
};

export async function startFakeStripe(opts: { secretKey: string }): Promise<FakeStripe> {
  const sessions: FakeSession[] = [];
  const requests: FakeStripe['requests'] = [];
  const byKey = new Map<string, { body: string; answer: FakeAnswer }>();
  let failure: FakeAnswer | undefined;
  let seq = 0;
  const error = (status: number, type: string, message: string): FakeAnswer => ({
    status,
    json: { error: { type, message } },
  });
  const http = await startFakeHttp(({ method, path, headers, body }) => {
    if (method !== 'POST' || path !== '/v1/checkout/sessions')
      return error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`);
    const authorized = headers.authorization === `Bearer ${opts.secretKey}`;
    const form = Object.fromEntries(new URLSearchParams(body));
    const idempotencyKey = headers['idempotency-key'] as string | undefined;
    requests.push({ form, authorized, ...(idempotencyKey ? { idempotencyKey } : {}) });
    if (!authorized) return error(401, 'invalid_request_error', 'Invalid API Key provided');
    if (failure) {
      const answer = failure;
      failure = undefined;
      return answer;
    }
    if (idempotencyKey) {
      const seen = byKey.get(idempotencyKey);
      if (seen && seen.body !== body)
        return error(
          400,
          'idempotency_error',
          'Keys for idempotent requests can only be used with the same parameters they were first used with.',
        );
      if (seen) return seen.answer;
    }
    const id = `cs_test_${++seq}${Math.random().toString(36).slice(2, 10)}`;
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(form)) {
      const m = /^metadata\[(.+)\]$/.exec(k);
      if (m) metadata[m[1]!] = v;
    }
    const session: FakeSession = {
      id,
      object: 'checkout.session',
      url: `https://checkout.stripe.test/c/pay/${id}`,
      status: 'open',
      payment_status: 'unpaid',
      amount_total:
        Number(form['line_items[0][price_data][unit_amount]']) * Number(form['line_items[0][quantity]'] ?? 1),
      currency: form['line_items[0][price_data][currency]'] ?? 'usd',
      client_reference_id: form.client_reference_id ?? null,
      metadata,
      expires_at: Number(form.expires_at ?? Math.floor(Date.now() / 1000) + 86_400),
      mode: form.mode ?? 'payment',
    };
    sessions.push(session);
    const answer = { status: 200, json: session };
    if (idempotencyKey) byKey.set(idempotencyKey, { body, answer });
    return answer;
  });
  let eventSeq = 0;
  return {
    apiBase: http.base,
    sessions,
    requests,
    failNext(status, type = 'api_error', message = 'An unknown error occurred') {
      failure = error(status, type, message);
    },
    event(type, session, overrides = {}) {
      const id = `evt_test_${++eventSeq}`;
      const object = { ...session, ...overrides };
      const body = JSON.stringify({
        id,
        object: 'event',
        api_version: '2024-06-20',
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        pending_webhooks: 1,
        type,
        data: { object },
      });
      return { id, body };
    },
    deliver(url, body, secret, at = new Date()) {
      const t = Math.floor(at.getTime() / 1000);
      return fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Stripe-Signature': `t=${t},v1=${stripeSignature(secret, t, body)}`,
        },
        body,
      });
    },
    close: http.close,
  };
}
