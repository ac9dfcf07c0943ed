import type { Names, Taxonomy } from '../taxonomy.ts';
import { EXACT, type Endings, guessLang, isAdjective, KAZAKH_LETTERS, paradigmsOf, type WordLang } from './inflect.ts';
import { cleanRaw, normalizeText, tokenize } from './normalize.ts';
import { isLatin, skeleton } from './translit.ts';
import { TypoIndex } from './typos.ts';

/**
 * The rules brain's vocabulary, built from the retailer's taxonomy: every category and enumerated
 * attribute value (colour, material, …) under its names in ru/kk/en and its synonyms, each word
 * with its inflections, Latin/Cyrillic spellings and typos; names of several words («стеллаж для
 * книг», «мебель для ванной») are phrases matched word by word. Pure data, built once per catalog
 * change and handed to `understandText`.
 */

/** What a word or phrase means: a category, or a value of an attribute (`color`, `material`, …). */
export interface Sense {
  /** `category` or the attribute's key */
  readonly kind: string;
  readonly slug: string;
  /** 0: the term's own name, 1: a synonym — a name wins over another term's synonym */
  readonly rank: 0 | 1;
  /** the term's place in the taxonomy: the earlier wins a tie */
  readonly order: number;
  /** an adjective for a kind of furniture («кухонный», «прихожая»): it gives way to a noun */
  readonly weak: boolean;
  /** a collection by audience or room («Детская мебель», «Мебель для ванной»): wins over a kind of furniture */
  readonly collection: boolean;
}
export interface Phrase {
  readonly words: readonly number[];
  readonly sense: Sense;
}
export interface StemEntry {
  readonly word: number;
  readonly endings: Endings;
  readonly folded: boolean;
}
export interface SkeletonEntry {
  readonly word: number;
  readonly endings: ReadonlySet<string>;
}

export interface Vocabulary {
  /** stem → the vocabulary words it begins, with the endings each takes */
  readonly stems: ReadonlyMap<string, readonly StemEntry[]>;
  /** Cyrillic stems by skeleton: for words typed in Latin letters ("stellazh") */
  readonly fromLatin: ReadonlyMap<string, readonly SkeletonEntry[]>;
  /** Latin stems by skeleton: for Latin catalog words typed in Cyrillic («лофт») */
  readonly fromCyrillic: ReadonlyMap<string, readonly SkeletonEntry[]>;
  /** by word id: what the word means on its own */
  readonly senses: readonly (readonly Sense[])[];
  /** by the id of their first word, longest first */
  readonly phrases: ReadonlyMap<number, readonly Phrase[]>;
  readonly typos: TypoIndex;
}

/** words that only say "furniture" or "colour": «Детская мебель» is also just «детская» */
const GENERIC = /^(?:мебел\p{L}*|жиһаз\p{L}*|furniture|түст\p{L}*|түсі|цвета?)$/u;

export const wordsOfText = (text: string): string[] =>
  tokenize(normalizeText(cleanRaw(text)))
    .filter((t) => t.kind !== 'symbol')
    .map((t) => t.text);

const namesOf = (names: Names): Array<[string, WordLang]> => [
  [names.ru, 'ru'],
  ...(names.kk ? [[names.kk, 'kk'] as [string, WordLang]] : []),
  ...(names.en ? [[names.en, 'en'] as [string, WordLang]] : []),
];

type Term = { kind: string; slug: string; names: Names; synonyms: readonly string[] };

export function buildVocabulary(taxonomy: Taxonomy): Vocabulary {
  const builder = new Builder();
  const terms: Term[] = taxonomy.categories.map((c) => ({ kind: 'category', ...c }));
  for (const attribute of taxonomy.attributes) {
    if (attribute.kind !== 'enum') continue;
    for (const v of attribute.values) terms.push({ kind: attribute.key, slug: v.value, ...v });
  }
  terms.forEach((term, order) => builder.addTerm(term, order));
  return builder.vocabulary;
}

/**
 * A lookup over loose words (a scenario's designer intents): each word with its inflections,
 * Latin/Cyrillic spellings and typos, exactly as the catalog's, found with `lookupWord`. Returns the
 * index and each word's id in the order given.
 */
export function buildWordIndex(words: ReadonlyArray<readonly [string, WordLang]>): {
  vocabulary: Vocabulary;
  ids: number[];
} {
  const builder = new Builder();
  const ids = words.map(([word, lang]) => builder.word(word, lang));
  return { vocabulary: builder.vocabulary, ids };
}

class Builder {
  readonly #ids = new Map<string, number>();
  readonly #registered = new Set<string>();
  readonly #skeletonEndings = new Map<Endings, ReadonlySet<string>>();
  readonly vocabulary = {
    stems: new Map<string, StemEntry[]>(),
    fromLatin: new Map<string, SkeletonEntry[]>(),
    fromCyrillic: new Map<string, SkeletonEntry[]>(),
    senses: [] as Sense[][],
    phrases: new Map<number, Phrase[]>(),
    typos: new TypoIndex(),
  };

  addTerm(term: Term, order: number): void {
    const collection = term.kind === 'category' && wordsOfText(term.names.ru).some((w) => GENERIC.test(w));
    const texts: Array<[string, WordLang, 0 | 1]> = [
      ...namesOf(term.names).map(([text, lang]): [string, WordLang, 0] => [text, lang, 0]),
      ...term.synonyms.map((text): [string, WordLang, 1] => [text, guessLang(text), 1]),
    ];
    for (const [text, lang, rank] of texts) {
      const words = wordsOfText(text);
      const bare = words.filter((w) => !GENERIC.test(w));
      for (const variant of bare.length > 0 && bare.length < words.length ? [words, bare] : [words]) {
        const ids = variant.map((w) => this.#word(w, isLatin(w) ? 'en' : KAZAKH_LETTERS.test(w) ? 'kk' : lang));
        if (ids.length === 0) continue;
        const weak = term.kind === 'category' && !collection && ids.length === 1 && isAdjective(variant[0]!);
        const sense: Sense = { kind: term.kind, slug: term.slug, rank, order, weak, collection };
        if (ids.length === 1) this.#addSense(ids[0]!, sense);
        else this.#addPhrase(ids, sense);
      }
    }
  }

  #addSense(word: number, sense: Sense): void {
    const list = this.vocabulary.senses[word]!;
    const same = list.findIndex((s) => s.kind === sense.kind && s.slug === sense.slug);
    if (same === -1) list.push(sense);
    else if (sense.rank < list[same]!.rank) list[same] = sense;
  }

  #addPhrase(words: number[], sense: Sense): void {
    const bucket = this.vocabulary.phrases.get(words[0]!) ?? [];
    if (bucket.some((p) => p.sense.slug === sense.slug && p.words.join() === words.join())) return;
    bucket.push({ words, sense });
    bucket.sort((a, b) => b.words.length - a.words.length || a.sense.rank - b.sense.rank);
    this.vocabulary.phrases.set(words[0]!, bucket);
  }

  /** a word outside any term, with the same alphabet rule as a term's words */
  word(word: string, lang: WordLang): number {
    return this.#word(word, isLatin(word) ? 'en' : KAZAKH_LETTERS.test(word) ? 'kk' : lang);
  }

  /** the id of `word`, registering its inflections, spellings and typo bases in `lang` */
  #word(word: string, lang: WordLang): number {
    let id = this.#ids.get(word);
    if (id === undefined) {
      id = this.vocabulary.senses.length;
      this.#ids.set(word, id);
      this.vocabulary.senses.push([]);
    }
    const key = `${lang}:${word}`;
    if (this.#registered.has(key)) return id;
    this.#registered.add(key);
    const latin = isLatin(word);
    // an adjective's forms are its stem's typos; its dictionary form alone would catch «белья» as «белая»
    if (!isAdjective(word)) this.vocabulary.typos.add(word, id);
    for (const p of paradigmsOf(word, lang)) {
      push(this.vocabulary.stems, p.stem, { word: id, endings: p.endings, folded: p.folded === true });
      push(latin ? this.vocabulary.fromCyrillic : this.vocabulary.fromLatin, skeleton(p.stem), {
        word: id,
        endings: this.#skeletonsOf(p.endings),
      });
      if (p.endings !== EXACT && !p.folded) this.vocabulary.typos.add(p.stem, id);
    }
    return id;
  }

  #skeletonsOf(endings: Endings): ReadonlySet<string> {
    let set = this.#skeletonEndings.get(endings);
    if (!set) {
      set = new Set([...endings.set].map(skeleton));
      this.#skeletonEndings.set(endings, set);
    }
    return set;
  }
}

function push<T extends { word: number; endings: unknown }>(map: Map<string, T[]>, key: string, entry: T): void {
  const list = map.get(key);
  if (!list) map.set(key, [entry]);
  else if (!list.some((e) => e.word === entry.word && e.endings === entry.endings)) list.push(entry);
}
