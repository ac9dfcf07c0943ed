import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stripe signs each webhook delivery with the endpoint's secret: the `Stripe-Signature` header is
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=…]` (several v1 while a secret is
 * being rolled). The body must be the bytes as received — parsed and re-serialised JSON no longer
 * matches. A timestamp further than `toleranceSeconds` from now is refused, so a captured delivery
 * cannot be replayed later.
 */
export type StripeSignatureCheck = 'ok' | 'missing' | 'malformed' | 'mismatch' | 'stale';

export const STRIPE_TOLERANCE_SECONDS = 300;

export function stripeSignature(secret: string, timestamp: number, raw: Uint8Array | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest('hex');
}

export function verifyStripeSignature(
  raw: Uint8Array,
  header: string | null | undefined,
  secret: string,
  now: Date,
  toleranceSeconds = STRIPE_TOLERANCE_SECONDS,
): StripeSignatureCheck {
  if (!header) return 'missing';
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at < 1) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) return 'malformed';
  const expected = Buffer.from(stripeSignature(secret, timestamp, raw), 'hex');
  if (!signatures.some((given) => timingSafeEqual(given, expected))) return 'mismatch';
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return 'stale';
  return 'ok';
}
