import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CloudPayments signs every notification with the site's API Secret: `X-Content-HMAC` is the base64
 * HMAC-SHA256 of the body exactly as sent (URL-encoded), `Content-HMAC` the same over the body with
 * its URL encoding undone. Either one matching is enough; a notification carrying neither, or only
 * wrong ones, is refused.
 */
export const cloudPaymentsHmac = (secret: string, text: Uint8Array | string): string =>
  createHmac('sha256', secret).update(text).digest('base64');

/** The form body with its URL encoding undone ('+' is a space in form encoding); undefined when it is not valid encoding. */
export function urlDecoded(raw: Uint8Array): string | undefined {
  try {
    return decodeURIComponent(Buffer.from(raw).toString('utf8').replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

const same = (given: string | null | undefined, expected: string): boolean => {
  if (!given) return false;
  const a = Buffer.from(given.trim(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
};

export function verifyCloudPaymentsSignature(
  raw: Uint8Array,
  headers: { xContentHmac?: string | null; contentHmac?: string | null },
  secret: string,
): boolean {
  if (!secret || (!headers.xContentHmac && !headers.contentHmac)) return false;
  if (same(headers.xContentHmac, cloudPaymentsHmac(secret, raw))) return true;
  const decoded = urlDecoded(raw);
  return decoded !== undefined && same(headers.contentHmac, cloudPaymentsHmac(secret, decoded));
}
