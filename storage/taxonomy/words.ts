import type { Names } from '../../engine/taxonomy.ts';

/** Synonyms as stored: trimmed, without empties and without repeats (case and ё aside), in order. */
export function cleanSynonyms(words: readonly string[], except: readonly string[] = []): string[] {
  const seen = new Set(except.map(wordKey));
  const out: string[] = [];
  for (const raw of words) {
    const word = raw.trim().replace(/\s+/g, ' ');
    const key = wordKey(word);
    if (word === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(word);
  }
  return out;
}

const wordKey = (word: string) => word.trim().toLowerCase().replace(/ё/g, 'е');

/** the three name columns of a taxonomy row */
export const nameColumns = (names: Names) => ({
  name_ru: names.ru.trim(),
  name_kk: names.kk?.trim() || null,
  name_en: names.en?.trim() || null,
});

export const namesOf = (names: Names): string[] => [names.ru, names.kk, names.en].filter((n): n is string => !!n);
