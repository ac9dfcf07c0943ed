import type { JsonSchema } from '../jsonSchema.ts';
import { b, int, obj, opt, ref, s } from '../docs.ts';

/** Who calls the API: errors, users and their sessions. */
export const ACCOUNTS_COMPONENTS: Record<string, JsonSchema> = {
  Error: obj({
    error: opt(
      obj({
        code: s(
          undefined,
          'machine-readable: validation_failed, unauthorized, forbidden, csrf_failed, not_found, conflict, rate_limited, scenario_invalid, …',
        ),
        message: s(),
        details: { description: 'for validation errors: [{ path, message }]; for scenarios: [{ file, path, reason }]' },
      }),
      'details',
    ),
  }),
  User: obj({
    id: s('uuid'),
    email: s('email'),
    name: s(),
    role: { enum: ['owner', 'admin', 'manager', 'designer', 'viewer'] },
    isActive: b,
    createdAt: s('date-time'),
    updatedAt: s('date-time'),
  }),
  Session: opt(
    obj({
      accessToken: s(undefined, 'HS256 JWT for Authorization: Bearer; also set as the httpOnly zeta_access cookie'),
      refreshToken: s(undefined, 'opaque; also set as the httpOnly zeta_refresh cookie (path /api/auth)'),
      expiresIn: { ...int, description: 'access token lifetime, seconds' },
      csrfToken: s(
        undefined,
        'the value of the zeta_csrf cookie; send it as X-CSRF-Token on cookie-authenticated POST/PUT/DELETE',
      ),
      user: ref('User'),
    }),
  ),
};
