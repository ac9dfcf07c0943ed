import type { Attribute, Taxonomy } from '../../engine/taxonomy.ts';
import type { ProductAttributes } from '../db/types.ts';
import type { Db } from '../repos/common.ts';
import type { ProductInput } from '../repos/products.ts';
import { fold } from '../search/fold.ts';
import { slugFromName } from '../taxonomy/slug.ts';
import { namesOf } from '../taxonomy/words.ts';
import { BUILT_IN_ATTRIBUTES } from '../taxonomy/attributes.ts';

/** What an import created beyond categories, colours and materials. */
export type CreatedAttribute =
  | { kind: 'attribute'; slug: string; name: string; type: 'number' | 'text'; unit?: string }
  | { kind: 'value'; attribute: string; slug: string; name: string };

export type ExtraItem = { line: number; product: ProductInput; extras: Record<string, unknown> };

const UNITS = ['cm', 'mm', 'm', 'kg', 'g', 'l', 'см', 'мм', 'м', 'кг', 'г', 'л', 'шт', 'pcs', '%'];
const UNIT_SUFFIX = new RegExp(`^(.+?)(?:\\s*[,(]\\s*|[\\s_-]+)(${UNITS.join('|')})\\)?\\s*$`, 'i');

/** «Ширина, см» → Ширина + см; `width_cm` → width + cm; «Страна» → Страна */
export function readHeader(header: string): { name: string; unit?: string } {
  const text = header.trim();
  const m = UNIT_SUFFIX.exec(text);
  return m ? { name: m[1]!.trim(), unit: m[2]!.toLowerCase() } : { name: text };
}

const UNIT_SPELLINGS: Record<string, string> = { см: 'cm', мм: 'mm', м: 'm', кг: 'kg', г: 'g', л: 'l', шт: 'pcs' };
const sameUnit = (a: string, b: string) => {
  const canonical = (u: string) => UNIT_SPELLINGS[u.toLowerCase()] ?? u.toLowerCase();
  return canonical(a) === canonical(b);
};

/** «80», «80,5», «1 200», 80 → a number; anything else → undefined */
export function readNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.replace(/[\s\u00a0\u202f]/g, '').replace(/^(-?\d+),(\d+)$/, '$1.$2');
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}

const blank = (raw: unknown) => raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '');

type Plan = { key: string; attribute: Attribute | undefined; created?: CreatedAttribute };

/**
 * Reads the columns a file has beyond the product's own (`width_cm`, «Ширина, см», «Страна») as
 * attributes: one the taxonomy has (by key or name) takes the column; otherwise the column becomes
 * a new attribute, a number (with the unit its header names) when every filled cell is a number,
 * else text. A value an enumerated attribute lacks becomes a new value. A cell that does not fit
 * the attribute (a word where a number is kept) refuses its row with a reason. Sets each product's
 * `attributes`; returns the rows refused and what must be created.
 */
export function readAttributes(
  taxonomy: Taxonomy,
  items: ExtraItem[],
): { refused: { line: number; reason: string }[]; created: CreatedAttribute[]; accepted: ExtraItem[] } {
  const headers = [...new Set(items.flatMap((i) => Object.keys(i.extras)))];
  const plans = new Map(headers.map((h) => [h, plan(taxonomy, h, items)] as const));
  const created = new Map<string, CreatedAttribute>();
  for (const p of plans.values()) if (p.created && !created.has(p.key)) created.set(p.key, p.created);
  const refused: { line: number; reason: string }[] = [];
  const accepted: ExtraItem[] = [];
  const newValues = new Map<string, CreatedAttribute>();
  for (const item of items) {
    const attributes: ProductAttributes = {};
    const problems: string[] = [];
    for (const [header, raw] of Object.entries(item.extras)) {
      const p = plans.get(header)!;
      if (blank(raw) || !p.attribute) continue;
      const value = cellValue(p.attribute, raw, newValues);
      if (value === undefined) problems.push(`${header} must be ${describe(p.attribute)} (found «${String(raw)}»)`);
      else attributes[p.key] = value;
    }
    if (problems.length > 0) refused.push({ line: item.line, reason: problems.join('; ') });
    else {
      if (Object.keys(attributes).length > 0) item.product.attributes = attributes;
      accepted.push(item);
    }
  }
  return { refused, created: [...created.values(), ...newValues.values()], accepted };
}

function plan(taxonomy: Taxonomy, header: string, items: ExtraItem[]): Plan {
  const { name, unit } = readHeader(header);
  const key = slugFromName(header);
  const words = new Set([fold(header), fold(name)]);
  // colour and material have columns of their own (the header aliases lead there); a number kept
  // in other units is another attribute (centimetres are not millimetres)
  const known = taxonomy.attributes.find(
    (a) =>
      !BUILT_IN_ATTRIBUTES.includes(a.key as 'color') &&
      (a.key === key || a.key === slugFromName(name) || namesOf(a.names).some((n) => words.has(fold(n)))) &&
      (a.key === key || a.kind !== 'number' || !unit || !a.unit || sameUnit(a.unit, unit)),
  );
  if (known) return { key: known.key, attribute: known };
  const cells = items.map((i) => i.extras[header]).filter((raw) => !blank(raw));
  // an empty column has nothing to keep
  if (cells.length === 0) return { key, attribute: undefined };
  const numeric = cells.every((raw) => readNumber(raw) !== undefined);
  const attribute: Attribute = numeric
    ? { key, kind: 'number', names: { ru: name }, ...(unit ? { unit } : {}) }
    : { key, kind: 'text', names: { ru: header.trim() } };
  const created: CreatedAttribute = {
    kind: 'attribute',
    slug: key,
    name: attribute.names.ru,
    type: attribute.kind as 'number' | 'text',
    ...(numeric && unit ? { unit } : {}),
  };
  return { key, attribute, created };
}

function cellValue(
  attribute: Attribute,
  raw: unknown,
  newValues: Map<string, CreatedAttribute>,
): string | number | undefined {
  if (attribute.kind === 'number') return readNumber(raw);
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return undefined;
  const text = String(raw).trim().replace(/\s+/g, ' ').slice(0, 500);
  if (attribute.kind === 'text') return text;
  const word = fold(text);
  const known = attribute.values.find(
    (v) => v.value === text || [...namesOf(v.names), ...v.synonyms].some((w) => fold(w) === word),
  );
  if (known) return known.value;
  const slug = slugFromName(text);
  const id = `${attribute.key}:${slug}`;
  if (!attribute.values.some((v) => v.value === slug) && !newValues.has(id))
    newValues.set(id, { kind: 'value', attribute: attribute.key, slug, name: text });
  return slug;
}

const describe = (attribute: Attribute) =>
  attribute.kind === 'number' ? `a number${attribute.unit ? ` (${attribute.unit})` : ''}` : 'text';

/** Creates the attributes and values an import met first; ones another writer created meanwhile stay as they are. */
export async function createAttributes(db: Db, created: CreatedAttribute[]): Promise<CreatedAttribute[]> {
  const done: CreatedAttribute[] = [];
  for (const term of created) {
    const row =
      term.kind === 'attribute'
        ? await db
            .insertInto('attributes')
            .values({ key: term.slug, kind: term.type, name_ru: term.name, unit: term.unit ?? null, position: 1000 })
            .onConflict((oc) => oc.column('key').doNothing())
            .returning('key')
            .executeTakeFirst()
        : await db
            .insertInto('attribute_values')
            .values({
              attribute_key: term.attribute,
              value: term.slug,
              name_ru: term.name,
              synonyms: JSON.stringify([term.name]),
              position: 1000,
            })
            .onConflict((oc) => oc.columns(['attribute_key', 'value']).doNothing())
            .returning('value')
            .executeTakeFirst();
    if (row) done.push(term);
  }
  return done;
}
