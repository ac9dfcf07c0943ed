import type { JsonSchema } from './jsonSchema.ts';

/**
 * The shorthand the OpenAPI document's response shapes are written in (routes and components/):
 * `s` string (with format, description), `n` number, `int`, `b` boolean, `obj` (every property
 * required unless listed), `arr`, `ref` to a named component, `opt` (some properties optional), `paged`.
 */

export const s = (format?: string, description?: string): JsonSchema => ({
  type: 'string',
  ...(format ? { format } : {}),
  ...(description ? { description } : {}),
});
export const n: JsonSchema = { type: 'number' };
export const int: JsonSchema = { type: 'integer' };
export const b: JsonSchema = { type: 'boolean' };
export const obj = (
  properties: Record<string, JsonSchema>,
  required: string[] = Object.keys(properties),
): JsonSchema => ({ type: 'object', properties, required });
export const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const opt = (schema: JsonSchema, ...optional: string[]): JsonSchema => ({
  ...schema,
  required: (schema.required ?? []).filter((k) => !optional.includes(k)),
});
export const paged = (item: JsonSchema): JsonSchema => obj({ items: arr(item), total: int, limit: int, offset: int });
