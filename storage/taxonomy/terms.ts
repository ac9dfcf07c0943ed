import type { Names, Taxonomy } from '../../engine/taxonomy.ts';
import { categorySlug, colorSlug, fold, materialSlug } from '../search/vocabulary.ts';
import { slugFromName } from './slug.ts';

/** The three taxonomy terms a product row holds in columns of its own. */
export type TermKind = 'category' | 'color' | 'material';
export type NewTerm = { kind: TermKind; slug: string; name: string };

type Entry = { slug: string; words: string[] };
const CODE_LOOKUP: Record<TermKind, (raw: string) => string | undefined> = {
  category: categorySlug,
  color: colorSlug,
  material: materialSlug,
};

const variants = (word: string): string[] => {
  const key = fold(word.trim());
  return [key, key.replace(/[-_]+/g, ' '), key.replace(/[\s_-]+/g, '')];
};

const namesOf = (names: Names): string[] => [names.ru, names.kk, names.en].filter((n): n is string => !!n);

/**
 * Reads a spreadsheet's or 1C's word for a category, colour or material as the retailer's own
 * taxonomy knows it (slug, names in ru/kk/en, synonyms — whatever the case, ё or dashes), then as the
 * built-in word lists do (inflections). A word neither knows is a new term: `resolve` names the slug
 * it will have, and `planned()` lists what the caller must create before products refer to it.
 */
export class TermIndex {
  readonly #words = new Map<TermKind, Map<string, string>>();
  readonly #keywords = new Map<TermKind, Map<string, string[]>>();
  readonly #planned = new Map<string, NewTerm>();

  constructor(taxonomy: Taxonomy) {
    this.#add(
      'category',
      taxonomy.categories.map((c) => ({ slug: c.slug, words: [...namesOf(c.names), ...c.synonyms] })),
    );
    for (const attribute of taxonomy.attributes) {
      if (attribute.kind !== 'enum' || (attribute.key !== 'color' && attribute.key !== 'material')) continue;
      this.#add(
        attribute.key,
        attribute.values.map((v) => ({ slug: v.value, words: [...namesOf(v.names), ...v.synonyms] })),
      );
    }
  }

  #add(kind: TermKind, entries: Entry[]): void {
    const words = this.#words.get(kind) ?? new Map<string, string>();
    const keywords = this.#keywords.get(kind) ?? new Map<string, string[]>();
    for (const { slug, words: list } of entries) {
      words.set(slug, slug);
      for (const word of list) for (const variant of variants(word)) if (!words.has(variant)) words.set(variant, slug);
      keywords.set(slug, [...new Set(list.map(fold))]);
    }
    this.#words.set(kind, words);
    this.#keywords.set(kind, keywords);
  }

  /** the slug for `raw`, planning a new term when nobody knows the word */
  resolve(kind: TermKind, raw: string | null | undefined): string | null {
    const text = raw?.trim();
    if (!text) return null;
    const words = this.#words.get(kind)!;
    for (const variant of variants(text)) {
      const known = words.get(variant);
      if (known !== undefined) return known;
    }
    const builtIn = CODE_LOOKUP[kind](text);
    if (builtIn !== undefined && this.#keywords.get(kind)!.has(builtIn)) return builtIn;
    const slug = slugFromName(text);
    if (!this.#keywords.get(kind)!.has(slug)) {
      this.#planned.set(`${kind}:${slug}`, { kind, slug, name: text });
      this.#add(kind, [{ slug, words: [text] }]);
    }
    words.set(fold(text), slug);
    return slug;
  }

  /** the words a product is found by for its terms (names and synonyms in every language) */
  keywords(terms: Partial<Record<TermKind, string | null | undefined>>): string {
    const words = new Set<string>();
    for (const kind of ['category', 'color', 'material'] as const) {
      const slug = terms[kind];
      if (slug) for (const word of this.#keywords.get(kind)?.get(slug) ?? []) words.add(word);
    }
    return [...words].join(' ');
  }

  /** terms `resolve` made up, in the order first seen */
  planned(): NewTerm[] {
    return [...this.#planned.values()];
  }
}
