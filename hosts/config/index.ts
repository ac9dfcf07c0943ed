import * as v from 'valibot';

/**
 * A setting the process cannot start with: the variable and why. Every area's settings reader
 * (platform, 1C, payments, CRM) throws this one type, so start-up prints the same one line for all.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

/** an optional variable; a blank one counts as unset */
export const optionalText = v.optional(
  v.pipe(
    v.string(),
    v.trim(),
    v.transform((s) => (s === '' ? undefined : s)),
  ),
);

/** an optional variable that, when set, must pass `requirement` (whose message names the variable) */
export const optionalChecked = (requirement: v.BaseValidation<string, string, v.BaseIssue<unknown>>) =>
  v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.transform((s) => (s === '' ? undefined : s)),
      v.union([v.undefined(), v.pipe(v.string(), requirement)]),
    ),
  );
