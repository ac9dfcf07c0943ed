import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * HTTP Basic as 1C sends it. Both halves are compared in constant time through their SHA-256
 * digests (equal lengths whatever was typed), and both are always compared, so the answer's
 * timing tells nothing about which half was wrong or how much of it matched.
 */
export type BasicCheck = 'ok' | 'missing' | 'wrong';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function checkBasic(header: string | undefined, user: string, password: string): BasicCheck {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return 'missing';
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const givenUser = colon === -1 ? decoded : decoded.slice(0, colon);
  const givenPassword = colon === -1 ? '' : decoded.slice(colon + 1);
  const userOk = timingSafeEqual(digest(givenUser), digest(user));
  const passwordOk = timingSafeEqual(digest(givenPassword), digest(password));
  return userOk && passwordOk ? 'ok' : 'wrong';
}
