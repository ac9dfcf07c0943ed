import { describe, expect, it } from 'vitest';
import { signAccessToken, verifyAccessToken } from './tokens.ts';

const secret = 'a test secret that is long enough for HS256';
const claims = { sub: '0b7c6a52-8a7c-4c53-9d1e-2a9b3f0c1d2e', role: 'viewer' as const, email: 'v@zeta.test' };
const at = (iso: string) => new Date(iso);

describe('access tokens are judged by the caller’s clock', () => {
  it('a token another replica issued a few seconds ahead still holds; one from far ahead does not', async () => {
    const ahead = await signAccessToken(secret, claims, at('2026-12-07T10:00:05Z'), 900);
    expect((await verifyAccessToken(secret, ahead, at('2026-12-07T10:00:00Z')))?.sub).toBe(claims.sub);
    const farAhead = await signAccessToken(secret, claims, at('2026-12-07T11:00:00Z'), 900);
    expect(await verifyAccessToken(secret, farAhead, at('2026-12-07T10:00:00Z'))).toBeUndefined();
  });

  it('expires when the caller’s clock passes its end, whatever the machine’s clock says', async () => {
    const token = await signAccessToken(secret, claims, at('2030-01-01T00:00:00Z'), 900);
    expect(await verifyAccessToken(secret, token, at('2030-01-01T00:14:59Z'))).toMatchObject({
      issuedAt: 1893456000,
      expiresAt: 1893456900,
    });
    expect(await verifyAccessToken(secret, token, at('2030-01-01T00:15:00Z'))).toBeUndefined();
    expect(
      await verifyAccessToken('another secret, equally long for HS256', token, at('2030-01-01T00:01:00Z')),
    ).toBeUndefined();
  });
});
