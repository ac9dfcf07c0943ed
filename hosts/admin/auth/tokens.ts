import { randomUUID } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import * as v from 'valibot';
import { USER_ROLES, type UserRole } from './roles.ts';

/**
 * Short-lived HS256 access tokens. The role inside is informational: every request re-reads the
 * user, so deactivation and role changes take effect at once.
 */
export type AccessClaims = { sub: string; role: UserRole; email: string };

const ClaimsSchema = v.object({
  sub: v.pipe(v.string(), v.uuid()),
  role: v.picklist(USER_ROLES as [UserRole, ...UserRole[]]),
  email: v.string(),
  typ: v.literal('access'),
  iat: v.optional(v.number(), 0),
  exp: v.number(),
});

/** what a verified access token says: its claims, when it was issued and until when it holds (epoch seconds) */
export type VerifiedAccess = AccessClaims & { issuedAt: number; expiresAt: number };

export async function signAccessToken(
  secret: string,
  claims: AccessClaims,
  now: Date,
  ttlSeconds: number,
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return sign({ ...claims, typ: 'access', iat, exp: iat + ttlSeconds }, secret, 'HS256');
}

/** replicas' clocks differ a little: a token another replica issued a moment "in the future" still holds */
const CLOCK_SKEW_SECONDS = 60;

/**
 * undefined for a forged, malformed, expired or foreign token — the caller answers 401. Time is
 * judged by the caller's clock (the same one that issued the token), not the library's.
 */
export async function verifyAccessToken(secret: string, token: string, now: Date): Promise<VerifiedAccess | undefined> {
  try {
    const payload = await verify(token, secret, { alg: 'HS256', exp: false, iat: false, nbf: false });
    const parsed = v.safeParse(ClaimsSchema, payload);
    if (!parsed.success) return undefined;
    const { sub, role, email, iat, exp } = parsed.output;
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (exp <= nowSeconds || iat > nowSeconds + CLOCK_SKEW_SECONDS) return undefined;
    return { sub, role, email, issuedAt: iat, expiresAt: exp };
  } catch {
    return undefined;
  }
}

/** Invitations are signed, single-purpose tokens; each carries its own id so that spending one never spends another. */
export type InvitationClaims = { email: string; role: UserRole };
export type VerifiedInvitation = InvitationClaims & { issuedAt: Date };

const InvitationSchema = v.object({
  email: v.string(),
  iat: v.number(),
  role: v.picklist(USER_ROLES as [UserRole, ...UserRole[]]),
  typ: v.literal('invite'),
  exp: v.number(),
});

export async function signInvitation(
  secret: string,
  claims: InvitationClaims,
  now: Date,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now.getTime() / 1000);
  const token = await sign(
    { ...claims, typ: 'invite', jti: randomUUID(), iat, exp: iat + ttlSeconds },
    secret,
    'HS256',
  );
  return { token, expiresAt: new Date((iat + ttlSeconds) * 1000) };
}

export async function verifyInvitation(secret: string, token: string): Promise<VerifiedInvitation | undefined> {
  try {
    const parsed = v.safeParse(InvitationSchema, await verify(token, secret, 'HS256'));
    return parsed.success
      ? { email: parsed.output.email, role: parsed.output.role, issuedAt: new Date(parsed.output.iat * 1000) }
      : undefined;
  } catch {
    return undefined;
  }
}
