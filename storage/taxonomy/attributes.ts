import { sql } from 'kysely';
import type { Attribute, AttributeValue, Names } from '../../engine/taxonomy.ts';
import type { AttributeKind } from '../db/types.ts';
import { inTransaction, isUniqueViolation, json, type Db } from '../repos/common.ts';
import { TaxonomyError } from './errors.ts';
import { loadTaxonomy } from './load.ts';
import { slugFromName } from './slug.ts';
import { cleanSynonyms, nameColumns } from './words.ts';

/** colour and material live in columns of their own (indexed, searched): they stay enumerated and cannot go */
export const BUILT_IN_ATTRIBUTES = ['color', 'material'] as const;
const SLUG = /^[a-z0-9_-]{1,64}$/;

export type NewAttributeValue = { value?: string; names: Names; synonyms?: string[]; position?: number };
export type AttributeValuePatch = Partial<Omit<NewAttributeValue, 'value'>>;
export type NewAttribute = {
  /** made from the Russian name when absent */
  key?: string;
  kind: AttributeKind;
  names: Names;
  /** numbers only: cm, kg, … */
  unit?: string | null;
  position?: number;
  /** enumerations only */
  values?: NewAttributeValue[];
};
/** key and kind are what products' values are read by: they never change */
export type AttributePatch = { names?: Names; unit?: string | null; position?: number };

export async function listAttributes(db: Db): Promise<Attribute[]> {
  return (await loadTaxonomy(db)).attributes;
}

export async function getAttribute(db: Db, key: string): Promise<Attribute | undefined> {
  return (await listAttributes(db)).find((a) => a.key === key);
}

export async function createAttribute(db: Db, input: NewAttribute): Promise<Attribute> {
  const key = checkedSlug(input.key ?? slugFromName(input.names.ru));
  if (input.kind !== 'enum' && input.values?.length)
    throw new TaxonomyError(
      'invalid',
      `only an enumerated attribute has values («${input.names.ru}» is ${input.kind})`,
    );
  await inTransaction(db, async (tx) => {
    try {
      await tx
        .insertInto('attributes')
        .values({
          key,
          kind: input.kind,
          ...nameColumns(input.names),
          unit: input.kind === 'number' ? input.unit?.trim() || null : null,
          position: input.position ?? (await nextPosition(tx)),
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new TaxonomyError('conflict', `an attribute with the key "${key}" exists`);
      throw error;
    }
    for (const [index, value] of (input.values ?? []).entries())
      await insertValue(tx, key, { ...value, position: value.position ?? index });
  });
  return (await getAttribute(db, key))!;
}

export async function updateAttribute(db: Db, key: string, patch: AttributePatch): Promise<Attribute> {
  const current = await requireAttribute(db, key);
  if (patch.unit && current.kind !== 'number')
    throw new TaxonomyError('invalid', `only a number has a unit («${current.names.ru}» is ${current.kind})`);
  await db
    .updateTable('attributes')
    .set({
      ...(patch.names ? nameColumns(patch.names) : {}),
      ...(patch.unit !== undefined ? { unit: patch.unit?.trim() || null } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
      updated_at: new Date(),
    })
    .where('key', '=', key)
    .execute();
  return (await getAttribute(db, key))!;
}

/** Deletes an attribute with its values and every product's value for it. */
export async function deleteAttribute(db: Db, key: string): Promise<Attribute> {
  const current = await requireAttribute(db, key);
  if ((BUILT_IN_ATTRIBUTES as readonly string[]).includes(key))
    throw new TaxonomyError('invalid', `«${current.names.ru}» is built in: edit its values instead`);
  await inTransaction(db, async (tx) => {
    await sql`UPDATE products SET attributes = attributes - ${key}::text, updated_at = now()
      WHERE attributes ? ${key}::text`.execute(tx);
    await tx.deleteFrom('attributes').where('key', '=', key).execute();
  });
  return current;
}

export async function createAttributeValue(db: Db, key: string, input: NewAttributeValue): Promise<AttributeValue> {
  await requireEnum(db, key);
  const value = await insertValue(db, key, {
    ...input,
    position: input.position ?? (await nextValuePosition(db, key)),
  });
  return (await requireValue(db, key, value)).value;
}

export async function updateAttributeValue(
  db: Db,
  key: string,
  value: string,
  patch: AttributeValuePatch,
): Promise<AttributeValue> {
  await requireValue(db, key, value);
  await db
    .updateTable('attribute_values')
    .set({
      ...(patch.names ? nameColumns(patch.names) : {}),
      ...(patch.synonyms ? { synonyms: json(cleanSynonyms(patch.synonyms)) } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
    })
    .where('attribute_key', '=', key)
    .where('value', '=', value)
    .execute();
  return (await requireValue(db, key, value)).value;
}

/** Deletes a value no product holds (one in use would leave products pointing at nothing). */
export async function deleteAttributeValue(db: Db, key: string, value: string): Promise<AttributeValue> {
  const { attribute, value: current } = await requireValue(db, key, value);
  const inUse = await productsWith(db, key, value);
  if (inUse > 0)
    throw new TaxonomyError(
      'conflict',
      `${inUse} product(s) have ${attribute.names.ru.toLowerCase()} «${current.names.ru}»: change them first`,
    );
  await db.deleteFrom('attribute_values').where('attribute_key', '=', key).where('value', '=', value).execute();
  return current;
}

async function productsWith(db: Db, key: string, value: string): Promise<number> {
  let q = db.selectFrom('products').select((eb) => eb.fn.countAll<string | number>().as('n'));
  q =
    key === 'color' || key === 'material'
      ? q.where(key, '=', value)
      : q.where(sql<boolean>`attributes ->> ${key}::text = ${value}`);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

async function insertValue(db: Db, key: string, input: NewAttributeValue): Promise<string> {
  const value = checkedSlug(input.value ?? slugFromName(input.names.ru));
  try {
    await db
      .insertInto('attribute_values')
      .values({
        attribute_key: key,
        value,
        ...nameColumns(input.names),
        synonyms: json(cleanSynonyms(input.synonyms ?? [])),
        position: input.position ?? 0,
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new TaxonomyError('conflict', `"${key}" already has the value "${value}"`);
    throw error;
  }
  return value;
}

async function requireAttribute(db: Db, key: string): Promise<Attribute> {
  const attribute = await getAttribute(db, key);
  if (!attribute) throw new TaxonomyError('not_found', `no attribute "${key}"`);
  return attribute;
}

async function requireEnum(db: Db, key: string): Promise<Extract<Attribute, { kind: 'enum' }>> {
  const attribute = await requireAttribute(db, key);
  if (attribute.kind !== 'enum')
    throw new TaxonomyError('invalid', `«${attribute.names.ru}» is ${attribute.kind}: only an enumeration has values`);
  return attribute;
}

async function requireValue(db: Db, key: string, value: string) {
  const attribute = await requireEnum(db, key);
  const found = attribute.values.find((v) => v.value === value);
  if (!found) throw new TaxonomyError('not_found', `«${attribute.names.ru}» has no value "${value}"`);
  return { attribute, value: found };
}

function checkedSlug(slug: string): string {
  if (!SLUG.test(slug)) throw new TaxonomyError('invalid', `"${slug}" is not a key (1–64 of a-z, 0-9, "_", "-")`);
  return slug;
}

async function nextPosition(db: Db): Promise<number> {
  const row = await db
    .selectFrom('attributes')
    .select((eb) => eb.fn.max('position').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

async function nextValuePosition(db: Db, key: string): Promise<number> {
  const row = await db
    .selectFrom('attribute_values')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('attribute_key', '=', key)
    .executeTakeFirst();
  return Number(row?.max ?? -1) + 1;
}
