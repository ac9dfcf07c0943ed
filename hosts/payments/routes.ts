import { Hono, type Context } from 'hono';
import { readBodyLimited } from '../http/body.ts';
import type { Logger } from '../runtime/ports.ts';
import {
  readCloudPaymentsNotification,
  NOTIFICATION_KINDS,
  type NotificationKind,
} from './cloudpayments/notifications.ts';
import { verifyCloudPaymentsSignature } from './cloudpayments/signature.ts';
import { readApiPayWebhook, verifyApiPaySignature } from './kaspi/apipay.ts';
import type { PaymentService } from './service.ts';
import { readStripeEvent } from './stripe/events.ts';
import { verifyStripeSignature } from './stripe/signature.ts';
import type { PaymentEvent } from './types.ts';

/**
 * The providers' webhooks, each verified over the raw body before anything is read from it:
 * - `POST /webhooks/payments/stripe` (`Stripe-Signature`, within 5 minutes);
 * - `POST /webhooks/payments/cloudpayments/check|pay|fail` (`X-Content-HMAC` or `Content-HMAC`);
 *   Check answers `{"code":0}`, 10 (no such order), 12 (wrong amount) or 13 (not payable now);
 * - `POST /webhooks/payments/kaspi` (ApiPay.kz, `X-Webhook-Signature`).
 * A forged, stale or missing signature is a 4xx and changes nothing. A verified notification is
 * recorded and answered 2xx; if recording fails the answer is a 5xx, so the provider delivers it
 * again — recording is idempotent, so a redelivery after a crash marks paid exactly once.
 * `GET /payments/return` is where the providers' pages send the shopper back.
 */
const MAX_BODY = 256 * 1024;

export function paymentRoutes(deps: { payments: PaymentService; clock?: () => Date; log: Logger }): Hono {
  const { payments, log } = deps;
  const config = payments.config;
  const clock = deps.clock ?? (() => new Date());
  const app = new Hono();
  const rawBody = async (c: Context) => {
    const raw = await readBodyLimited(c.req.raw, MAX_BODY);
    return raw === 'too-large' ? undefined : raw;
  };
  const refuse = (c: Context, provider: string, status: 400 | 401 | 413 | 503, reason: string, body?: object) => {
    log.warn({ provider, reason, ip: c.req.header('x-forwarded-for') }, 'payment webhook refused');
    return c.json(body ?? { error: reason }, status);
  };
  const record = (event: PaymentEvent, raw: unknown) => payments.record(event, raw);

  app.post('/webhooks/payments/stripe', async (c) => {
    const stripe = config.stripe;
    if (!stripe) return refuse(c, 'stripe', 503, 'Stripe is not configured (STRIPE_SECRET_KEY)');
    const raw = await rawBody(c);
    if (!raw) return refuse(c, 'stripe', 413, 'body too large');
    const signature = verifyStripeSignature(raw, c.req.header('stripe-signature'), stripe.webhookSecret, clock());
    if (signature !== 'ok') return refuse(c, 'stripe', 400, `signature ${signature}`);
    const json = parseJson(raw);
    const reading = readStripeEvent(json);
    if ('invalid' in reading) return refuse(c, 'stripe', 400, reading.invalid);
    if ('ignored' in reading) return c.json({ received: true, ignored: reading.ignored });
    const result = await record(reading.event, json);
    return c.json({ received: true, outcome: result.outcome });
  });

  app.post('/webhooks/payments/cloudpayments/:kind', async (c) => {
    const cp = config.cloudpayments;
    const kind = c.req.param('kind') as NotificationKind;
    if (!NOTIFICATION_KINDS.includes(kind)) return c.json({ error: `no notification ${kind} (check, pay, fail)` }, 404);
    if (!cp) return refuse(c, 'cloudpayments', 503, 'CloudPayments is not configured (CLOUDPAYMENTS_PUBLIC_ID)');
    const raw = await rawBody(c);
    if (!raw) return refuse(c, 'cloudpayments', 413, 'body too large');
    const headers = { xContentHmac: c.req.header('x-content-hmac'), contentHmac: c.req.header('content-hmac') };
    if (!verifyCloudPaymentsSignature(raw, headers, cp.apiSecret))
      return refuse(c, 'cloudpayments', 401, 'signature mismatch', { code: 13, message: 'signature mismatch' });
    const form = new URLSearchParams(Buffer.from(raw).toString('utf8'));
    const reading = readCloudPaymentsNotification(kind, form);
    if ('invalid' in reading)
      return refuse(c, 'cloudpayments', 400, reading.invalid, { code: 13, message: reading.invalid });
    if (kind === 'check') {
      const { event } = reading;
      const answer = await payments.check(event.orderId, event.amountMinor, event.currency);
      if (answer.code !== 0) log.warn({ provider: 'cloudpayments', order: event.orderId, ...answer }, 'Check refused');
      return c.json({ code: answer.code });
    }
    // the masked card number, expiry and card token are not ours to keep
    for (const field of ['CardFirstSix', 'CardLastFour', 'CardExpDate', 'Token']) form.delete(field);
    await record(reading.event, Object.fromEntries(form));
    return c.json({ code: 0 });
  });

  app.post('/webhooks/payments/kaspi', async (c) => {
    const gateway = config.kaspiGateway;
    if (!gateway) return refuse(c, 'kaspi', 503, 'the Kaspi gateway is not configured (KASPI_APIPAY_API_KEY)');
    const raw = await rawBody(c);
    if (!raw) return refuse(c, 'kaspi', 413, 'body too large');
    if (!verifyApiPaySignature(raw, c.req.header('x-webhook-signature'), gateway.webhookSecret))
      return refuse(c, 'kaspi', 401, 'signature mismatch');
    const json = parseJson(raw);
    const reading = readApiPayWebhook(json);
    if ('invalid' in reading) return refuse(c, 'kaspi', 400, reading.invalid);
    if ('ignored' in reading) return c.json({ ok: true, ignored: reading.ignored });
    const result = await record(reading.event, json);
    return c.json({ ok: true, outcome: result.outcome });
  });

  app.get('/payments/return', (c) =>
    c.html(
      '<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
        '<title>ZETA</title><p>Спасибо! Вернитесь в чат: бот напишет, когда оплата подтвердится.</p>' +
        '<p>Рахмет! Чатқа оралыңыз: төлем расталғанда бот жазады.</p>' +
        '<p>Thank you! Go back to the chat: the bot will write once the payment is confirmed.</p>',
    ),
  );
  return app;
}

function parseJson(raw: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    return undefined;
  }
}
