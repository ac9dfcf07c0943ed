import type { AttributeKind } from '../../db/types.ts';
import type { Db } from '../../repos/common.ts';
import { slugFromName } from '../../taxonomy/index.ts';
import { freeSlug, keepName } from './groups.ts';
import { Adoptable } from './adopt.ts';
import { allStaged, type Scope } from './staged.ts';

/**
 * 1C properties (`Классификатор/Свойства`) become attributes: a `Справочник` an enumeration whose
 * values keep their `ИдЗначения`, `Число` a number, anything else text. A property seen for the
 * first time takes over the attribute of the same name no property owns yet — so «Цвет» and
 * «Материал» fill the colour and material the bot searches by — and otherwise becomes a new one.
 */
export type PropertyCounts = { created: number; updated: number; values: number };
export type PropertyInfo = { key: string; kind: AttributeKind; values: Map<string, string> };

export async function applyProperties(tx: Db, scope: Scope): Promise<PropertyCounts> {
  const properties = await allStaged(tx, scope, 'property');
  const counts: PropertyCounts = { created: 0, updated: 0, values: 0 };
  if (properties.length === 0) return counts;
  const rows = await tx
    .selectFrom('attributes')
    .select(['key', 'kind', 'name_ru', 'name_kk', 'name_en', 'external_id'])
    .execute();
  const byExternal = new Map(rows.filter((r) => r.external_id).map((r) => [r.external_id!, r.key]));
  const keys = new Set(rows.map((r) => r.key));
  const unowned = new Adoptable();
  for (const r of rows) if (!r.external_id) unowned.add(r.key, [r.name_ru, r.name_kk, r.name_en, r.key]);
  const now = new Date();
  for (const property of properties) {
    let key = byExternal.get(property.id);
    if (key) {
      await tx
        .updateTable('attributes')
        .set({ name_ru: property.name, updated_at: now })
        .where('key', '=', key)
        .execute();
      counts.updated++;
    } else if ((key = unowned.take(property.name))) {
      await tx
        .updateTable('attributes')
        .set({ external_id: property.id, name_ru: property.name, updated_at: now })
        .where('key', '=', key)
        .execute();
      counts.updated++;
    } else {
      key = freeSlug(slugFromName(property.name), keys);
      await tx
        .insertInto('attributes')
        .values({
          key,
          kind: property.type,
          name_ru: property.name,
          name_kk: null,
          name_en: null,
          unit: null,
          external_id: property.id,
          position: 100,
        })
        .execute();
      keys.add(key);
      counts.created++;
    }
    byExternal.set(property.id, key);
    if (property.values.length > 0) counts.values += await applyValues(tx, key, property.values);
  }
  return counts;
}

async function applyValues(tx: Db, key: string, values: { id: string; name: string }[]): Promise<number> {
  const rows = await tx
    .selectFrom('attribute_values')
    .select(['value', 'name_ru', 'name_kk', 'name_en', 'synonyms', 'external_id'])
    .where('attribute_key', '=', key)
    .execute();
  const byExternal = new Map(rows.filter((r) => r.external_id).map((r) => [r.external_id!, r.value]));
  const slugs = new Set(rows.map((r) => r.value));
  const unowned = new Adoptable();
  for (const r of rows) if (!r.external_id) unowned.add(r.value, [r.name_ru, r.name_kk, r.name_en], r.synonyms);
  let written = 0;
  for (const value of values) {
    const known = byExternal.get(value.id);
    if (known) {
      await tx
        .updateTable('attribute_values')
        .set({ name_ru: value.name })
        .where('attribute_key', '=', key)
        .where('value', '=', known)
        .execute();
    } else {
      const adopted = unowned.take(value.name);
      if (adopted) {
        const before = rows.find((r) => r.value === adopted)!;
        await tx
          .updateTable('attribute_values')
          .set({
            external_id: value.id,
            name_ru: value.name,
            synonyms: JSON.stringify(keepName(before.synonyms, before.name_ru, value.name)),
          })
          .where('attribute_key', '=', key)
          .where('value', '=', adopted)
          .execute();
        byExternal.set(value.id, adopted);
      } else {
        const slug = freeSlug(slugFromName(value.name), slugs);
        await tx
          .insertInto('attribute_values')
          .values({
            attribute_key: key,
            value: slug,
            name_ru: value.name,
            synonyms: JSON.stringify([]),
            external_id: value.id,
            position: 1000,
          })
          .execute();
        slugs.add(slug);
        byExternal.set(value.id, slug);
      }
    }
    written++;
  }
  return written;
}

/** every attribute a 1C property owns, with its values by ИдЗначения */
export async function propertiesById(tx: Db): Promise<Map<string, PropertyInfo>> {
  const attributes = await tx
    .selectFrom('attributes')
    .select(['key', 'kind', 'external_id'])
    .where('external_id', 'is not', null)
    .execute();
  // a NUL placeholder for «none» is refused by PostgreSQL (invalid UTF8): a catalog without 1C properties asks nothing
  const values =
    attributes.length === 0
      ? []
      : await tx
          .selectFrom('attribute_values')
          .select(['attribute_key', 'value', 'external_id'])
          .where('external_id', 'is not', null)
          .where(
            'attribute_key',
            'in',
            attributes.map((a) => a.key),
          )
          .execute();
  const out = new Map<string, PropertyInfo>();
  for (const a of attributes) out.set(a.external_id!, { key: a.key, kind: a.kind, values: new Map() });
  const byKey = new Map([...out.values()].map((p) => [p.key, p]));
  for (const v of values) byKey.get(v.attribute_key)?.values.set(v.external_id!, v.value);
  return out;
}
