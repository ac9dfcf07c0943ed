import { nameKey } from './staged.ts';

/**
 * Terms the retailer had before 1C (the seed's categories, colours, materials; a spreadsheet's new
 * words) that a 1C group, property or value may take over by name. A term is taken once: «Серый»
 * takes `grey`, and «Графитовый» — a synonym of grey — then becomes a value of its own instead of
 * taking `grey` away from «Серый». Names beat synonyms.
 */
export class Adoptable {
  readonly #byName = new Map<string, string>();
  readonly #bySynonym = new Map<string, string>();
  readonly #taken = new Set<string>();

  add(slug: string, names: (string | null)[], synonyms: readonly string[] = []): void {
    for (const name of names) if (name && !this.#byName.has(nameKey(name))) this.#byName.set(nameKey(name), slug);
    for (const word of synonyms) if (!this.#bySynonym.has(nameKey(word))) this.#bySynonym.set(nameKey(word), slug);
  }

  /** the term `name` names, now taken; undefined when none is free */
  take(name: string): string | undefined {
    for (const slug of [this.#byName.get(nameKey(name)), this.#bySynonym.get(nameKey(name))]) {
      if (slug === undefined || this.#taken.has(slug)) continue;
      this.#taken.add(slug);
      return slug;
    }
    return undefined;
  }
}
