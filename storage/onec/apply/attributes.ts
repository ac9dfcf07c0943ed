import type { ProductAttributes } from '../../db/types.ts';
import type { Db } from '../../repos/common.ts';
import { slugFromName, type TermIndex } from '../../taxonomy/index.ts';
import { numberOf } from '../xml/node.ts';
import { freeSlug } from './groups.ts';
import type { PropertyInfo } from './properties.ts';
import { nameKey, type Staged } from './staged.ts';
import type { Warnings } from './warnings.ts';

/**
 * A good's `ЗначенияСвойств` as the product's attributes: an enumeration's `ИдЗначения` becomes
 * the value's slug (a value named instead of identified, as some configurations write it, is
 * found or created by its name), numbers are read with a decimal comma, text is kept as written.
 * Colour and material land in the product's own columns, where search filters by them.
 */
export type ReadAttributes = { color?: string; material?: string; attributes: ProductAttributes };

export class AttributeReader {
  readonly #valuesByName = new Map<string, Map<string, string>>();

  constructor(
    private readonly tx: Db,
    private readonly properties: Map<string, PropertyInfo>,
    private readonly terms: TermIndex,
    private readonly warnings: Warnings,
  ) {}

  async read(good: Staged<'good'>): Promise<ReadAttributes> {
    const out: ReadAttributes = { attributes: {} };
    for (const { id, values } of good.properties) {
      const property = this.properties.get(id);
      if (!property) {
        this.warnings.once(
          `property:${id}`,
          `the property ${id} is not described in a Классификатор; its values are skipped`,
        );
        continue;
      }
      const value = await this.#value(property, values);
      if (value === undefined) continue;
      if (property.key === 'color' || property.key === 'material') {
        const slug = property.kind === 'enum' ? String(value) : this.terms.resolve(property.key, String(value));
        if (slug) out[property.key] = slug;
      } else out.attributes[property.key] = value;
    }
    return out;
  }

  async #value(property: PropertyInfo, values: string[]): Promise<string | number | undefined> {
    if (property.kind === 'number') {
      const n = numberOf(values[0]!);
      if (n === undefined) this.warnings.add(`«${values[0]}» is not a number for ${property.key}; skipped`);
      return n;
    }
    if (property.kind === 'text') return values.join(', ').slice(0, 1000);
    const first = values[0]!;
    return property.values.get(first) ?? (await this.#valueByName(property.key, first));
  }

  async #valueByName(key: string, name: string): Promise<string> {
    let names = this.#valuesByName.get(key);
    if (!names) {
      const rows = await this.tx
        .selectFrom('attribute_values')
        .select(['value', 'name_ru', 'synonyms'])
        .where('attribute_key', '=', key)
        .execute();
      names = new Map();
      for (const r of rows) {
        names.set(r.value, r.value);
        for (const n of [r.name_ru, ...r.synonyms]) names.set(nameKey(n), r.value);
      }
      this.#valuesByName.set(key, names);
    }
    const known = names.get(nameKey(name));
    if (known) return known;
    const slug = freeSlug(slugFromName(name), new Set(names.values()));
    await this.tx
      .insertInto('attribute_values')
      .values({
        attribute_key: key,
        value: slug,
        name_ru: name.slice(0, 200),
        synonyms: JSON.stringify([]),
        position: 1000,
      })
      .execute();
    names.set(nameKey(name), slug);
    names.set(slug, slug);
    return slug;
  }
}
