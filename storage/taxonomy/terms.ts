import type { Names, Taxonomy } from '../../engine/taxonomy.ts';
import { fold } from '../search/fold.ts';
import { slugFromName } from './slug.ts';

/** The three taxonomy terms a product row holds in columns of its own. */
export type TermKind = 'category' | 'color' | 'material';
export type NewTerm = { kind: TermKind; slug: string; name: string };

type Entry = { slug: string; names: string[]; words: string[] };

const variants = (word: string): string[] => {
  const key = fold(word.trim());
  return [key, key.replace(/[-_]+/g, ' '), key.replace(/[\s_-]+/g, '')];
};

const wordsOf = (text: string): string[] =>
  fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

const namesOf = (names: Names): string[] => [names.ru, names.kk, names.en].filter((n): n is string => !!n);

/**
 * Reads a spreadsheet's or 1C's word for a category, colour or material as the retailer's own
 * taxonomy knows it (slug, names in ru/kk/en, synonyms — whatever the case, ё or dashes): the
 * taxonomy is the only list of words (the demo's words are its seed rows, 0017). A word it does not
 * know is a new term: `resolve` names the slug it will have, and `planned()` lists what the caller
 * must create before products refer to it.
 */
export class TermIndex {
  readonly #words = new Map<TermKind, Map<string, string>>();
  readonly #keywords = new Map<TermKind, Map<string, string[]>>();
  /** each term's names of one word, by kind: «leather» is the name of `leather` */
  readonly #named = new Map<TermKind, Map<string, Set<string>>>();
  readonly #planned = new Map<string, NewTerm>();

  constructor(taxonomy: Taxonomy) {
    this.#add(
      'category',
      taxonomy.categories.map((c) => ({
        slug: c.slug,
        names: namesOf(c.names),
        words: [...namesOf(c.names), ...c.synonyms],
      })),
    );
    for (const attribute of taxonomy.attributes) {
      if (attribute.kind !== 'enum' || (attribute.key !== 'color' && attribute.key !== 'material')) continue;
      this.#add(
        attribute.key,
        attribute.values.map((v) => ({
          slug: v.value,
          names: namesOf(v.names),
          words: [...namesOf(v.names), ...v.synonyms],
        })),
      );
    }
  }

  #add(kind: TermKind, entries: Entry[]): void {
    const words = this.#words.get(kind) ?? new Map<string, string>();
    const keywords = this.#keywords.get(kind) ?? new Map<string, string[]>();
    const named = this.#named.get(kind) ?? new Map<string, Set<string>>();
    for (const { slug, names, words: list } of entries) {
      for (const name of names.map(wordsOf))
        if (name.length === 1) named.set(name[0]!, (named.get(name[0]!) ?? new Set()).add(slug));
      words.set(slug, slug);
      for (const word of list) for (const variant of variants(word)) if (!words.has(variant)) words.set(variant, slug);
      // shoppers' words are the synonyms; the names (what the panel shows: «Кухни», "Kitchens") only
      // when there are none — plural display names would outweigh the words of the goods themselves
      const synonyms = list.slice(names.length);
      keywords.set(slug, [...new Set((synonyms.length > 0 ? synonyms : names).map(fold))]);
    }
    this.#words.set(kind, words);
    this.#keywords.set(kind, keywords);
    this.#named.set(kind, named);
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
    const slug = slugFromName(text);
    if (!this.#keywords.get(kind)!.has(slug)) {
      this.#planned.set(`${kind}:${slug}`, { kind, slug, name: text });
      this.#add(kind, [{ slug, names: [text], words: [text] }]);
    }
    words.set(fold(text), slug);
    return slug;
  }

  /**
   * The words a product is found by for its terms (their synonyms in every language, else their names), each
   * once. In a colour's or material's synonym of several words, a word that is another value's own
   * name is left out: «faux leather» makes an eco-leather sofa no answer to "leather", whose name it is.
   */
  keywords(terms: Partial<Record<TermKind, string | null | undefined>>): string {
    const words = new Set<string>();
    for (const kind of ['category', 'color', 'material'] as const) {
      const slug = terms[kind];
      if (!slug) continue;
      // a category's words say what it is for («Стулья для кухни»): only colours and materials are pruned
      const named = kind === 'category' ? undefined : this.#named.get(kind);
      const othersName = (word: string) => {
        const owners = named?.get(word);
        return owners !== undefined && !owners.has(slug);
      };
      for (const phrase of this.#keywords.get(kind)?.get(slug) ?? []) {
        const parts = wordsOf(phrase);
        for (const word of parts) if (parts.length === 1 || !othersName(word)) words.add(word);
      }
    }
    return [...words].join(' ');
  }

  /** terms `resolve` made up, in the order first seen */
  planned(): NewTerm[] {
    return [...this.#planned.values()];
  }
}
