import { createHmac, timingSafeEqual } from 'node:crypto';

/** Constant-time check of X-Hub-Signature-256 (`sha256=` + hex HMAC-SHA256 of the raw body with the app secret). */
export function verifySignature(raw: Uint8Array, header: string | undefined | null, appSecret: string): boolean {
  if (!header || !appSecret) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
