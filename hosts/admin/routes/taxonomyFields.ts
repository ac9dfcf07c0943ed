import * as v from 'valibot';
import { SlugSchema } from '../../../engine/taxonomy.ts';
import { isTaxonomyError } from '../../../storage/taxonomy/errors.ts';
import { ApiError, badRequest, conflict, notFound } from '../http/errors.ts';
import type { JsonSchema } from '../http/jsonSchema.ts';
import { obj, arr } from '../http/docs.ts';
import { param } from '../http/route.ts';
import type { Ctx } from '../http/route.ts';

/** Request and response shapes shared by the category and attribute routes. */

const Name = (label: string) => v.pipe(v.string(), v.trim(), v.maxLength(200, `${label} is at most 200 characters`));
export const NamesBody = v.strictObject({
  ru: v.pipe(Name('names.ru'), v.minLength(1, 'names.ru (the Russian name) is required')),
  kk: v.optional(Name('names.kk')),
  en: v.optional(Name('names.en')),
});
export const SynonymsBody = v.pipe(
  v.array(v.pipe(v.string(), v.maxLength(200)), 'synonyms is a list of words'),
  v.maxLength(500, 'at most 500 synonyms'),
);
export const SlugBody = v.pipe(v.string(), v.trim(), v.toLowerCase(), SlugSchema);
export const Position = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));

/** a slug from the path: a malformed one cannot name anything */
export function slugParam(c: Ctx, name: string, what: string): string {
  const value = param(c, name);
  if (!v.is(SlugSchema, value)) throw notFound(`${what} "${value}"`);
  return value;
}

/** TaxonomyError → the API's error of the same meaning; anything else goes on */
export async function taxonomyCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isTaxonomyError(error)) throw error;
    if (error.code === 'not_found') throw new ApiError(404, 'not_found', error.message);
    if (error.code === 'conflict') throw conflict(error.message);
    throw badRequest(error.message);
  }
}

const s: JsonSchema = { type: 'string' };
export const NamesDoc = obj({ ru: s, kk: s, en: s }, ['ru']);
export const SynonymsDoc = arr(s);
