/**
 * Latin and Cyrillic spellings of one word meet in a skeleton: «графитовый», "grafitovyj",
 * "grafitovyi" and "grafitoviy" all become `grafitovi`; «стеллаж» and "stelazh" become `stelazh`.
 * Й, И and Ы (y, i, j) fall together, soft and hard signs vanish, doubled letters count once and the
 * usual digraphs (zh, sh, ch, kh) are kept — enough to read a shopper on a Latin keyboard, or a
 * Latin catalog word typed in Cyrillic («лофт» for "loft").
 */

const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'h',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sh',
  ъ: '',
  ы: 'i',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
  ә: 'a',
  ғ: 'g',
  қ: 'k',
  ң: 'n',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
  і: 'i',
};

const LATIN_DIGRAPHS: ReadonlyArray<[RegExp, string]> = [
  [/shch|sch/g, 'sh'],
  [/kh/g, 'h'],
  [/tz/g, 'ts'],
  [/x/g, 'ks'],
  [/w/g, 'v'],
  [/q/g, 'k'],
  [/c(?!h)/g, 'k'],
  [/[yj]/g, 'i'],
  [/['’]/g, ''],
];

export const isLatin = (word: string): boolean => /^[a-z'’]+$/.test(word);
export const isCyrillic = (word: string): boolean => /^[\u0400-\u04ff]+$/.test(word);

/** the spelling-neutral skeleton of a Latin or Cyrillic word (lower case) */
export function skeleton(word: string): string {
  let s = '';
  if (isLatin(word)) {
    s = word;
    for (const [re, to] of LATIN_DIGRAPHS) s = s.replace(re, to);
  } else {
    for (const ch of word) s += CYRILLIC[ch] ?? ch;
  }
  return s.replace(/(.)\1+/g, '$1');
}
