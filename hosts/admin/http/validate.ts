import * as v from 'valibot';
import { validationFailed } from './errors.ts';

export type Issue = { path: string; message: string };

export function issuesOf(issues: readonly v.BaseIssue<unknown>[]): Issue[] {
  return issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message }));
}

/** valibot at the boundary: the parsed value, or a 400 naming every bad field */
export function parseOr400<S extends v.GenericSchema>(schema: S, input: unknown, what: string): v.InferOutput<S> {
  const parsed = v.safeParse(schema, input);
  if (!parsed.success) {
    const details = issuesOf(parsed.issues);
    throw validationFailed(
      details,
      `${what} is invalid: ${details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')}`,
    );
  }
  return parsed.output;
}

// ---- query-string helpers: every value arrives as text ----

const trimmed = v.pipe(v.string(), v.trim());

export const qText = (max = 200) =>
  v.optional(
    v.pipe(
      trimmed,
      v.maxLength(max),
      v.transform((s) => (s === '' ? undefined : s)),
    ),
  );

export const qInt = (min: number, max: number) =>
  v.optional(
    v.pipe(
      trimmed,
      v.regex(/^-?\d+$/, 'must be a whole number'),
      v.transform(Number),
      v.number(),
      v.minValue(min, `must be at least ${min}`),
      v.maxValue(max, `must be at most ${max}`),
      v.metadata({ openapi: { type: 'integer', minimum: min, maximum: max } }),
    ),
  );

export const qNumber = (min = 0) =>
  v.optional(
    v.pipe(
      trimmed,
      v.regex(/^\d+(?:\.\d+)?$/, 'must be a number'),
      v.transform(Number),
      v.number(),
      v.minValue(min, `must be at least ${min}`),
      v.metadata({ openapi: { type: 'number', minimum: min } }),
    ),
  );

export const qBool = () =>
  v.optional(
    v.pipe(
      trimmed,
      v.picklist(['true', 'false', '1', '0'], 'must be true or false'),
      v.transform((s) => s === 'true' || s === '1'),
      v.metadata({ openapi: { type: 'boolean' } }),
    ),
  );

export const qDate = () =>
  v.optional(
    v.pipe(
      trimmed,
      v.check((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date or date-time'),
      v.transform((s) => new Date(s)),
      v.metadata({ openapi: { type: 'string', format: 'date-time' } }),
    ),
  );

export const qPicklist = <T extends readonly [string, ...string[]]>(options: T) =>
  v.optional(v.picklist(options, `must be one of ${options.join(', ')}`));

export const Paging = { limit: qInt(1, 200), offset: qInt(0, 1_000_000) };

export const Uuid = v.pipe(v.string(), v.uuid('must be a UUID'));
