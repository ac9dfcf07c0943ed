import { withinOneEdit } from './fuzzy.ts';

/**
 * Typo tolerance over the catalog's words: one edit (Damerau-Levenshtein ≤ 1) against stems and
 * words of five letters or more, for message words of four letters or more — with or without a
 * common ending («дтван», «крвать», «стелаж», «графитовй»). Candidates come from a one-deletion
 * index (every base and each of its one-letter deletions), so a word costs a few map reads whatever
 * the size of the catalog; each candidate is then checked exactly.
 */

/** Real words that sit one typo away from a catalog stem and must not be "corrected". */
const NOT_TYPOS = new Set(
  `пока иван ивана иваном дива дивы дивно дивный дивная дивное полна полно палка стала стало стали столб столба комок
метод сосед кожи белый целый верный черный серый сырой красный ткань тканей мебель мебели модель модели размер
больше меньше можно нужно ставить строить стоять стоит стоимость давайте давай сделать красиво розой серой
белой целой верой красной зелень спальная спальный спальное спальные спальня спальни спальню спальной спальных
столько стулом стены стене стену стена matter masters bedroom dressed stable charm blank crate
great order border sender medal pedal petal model`.split(/\s+/),
);

const COMMON_ENDINGS = [
  ...['чик', 'чег', 'чек', 'а', 'я', 'у', 'ю', 'ом', 'ем', 'е', 'ы', 'и', 'ов', 'ей', 'ам', 'ами', 'ах', 'ой'],
  ...['ь', 'ый', 'ая', 'ое', 'ые', 'ий', 'ого', 's'],
];

export const MIN_TYPO_BASE = 5;

export class TypoIndex {
  readonly #bases: string[] = [];
  readonly #words: number[][] = [];
  readonly #byBase = new Map<string, number>();
  readonly #neighbours = new Map<string, number[]>();

  /** `base` (a stem or a whole word of the catalog) stands for vocabulary word `word` */
  add(base: string, word: number): void {
    if (base.length < MIN_TYPO_BASE || base.length > 24) return;
    const known = this.#byBase.get(base);
    if (known !== undefined) {
      if (!this.#words[known]!.includes(word)) this.#words[known]!.push(word);
      return;
    }
    const id = this.#bases.length;
    this.#bases.push(base);
    this.#words.push([word]);
    this.#byBase.set(base, id);
    this.#link(base, id);
    for (let i = 0; i < base.length; i++) {
      // «стеллаж» without its second «л» is one key, not two
      if (i > 0 && base.charCodeAt(i) === base.charCodeAt(i - 1)) continue;
      this.#link(base.slice(0, i) + base.slice(i + 1), id);
    }
  }

  #link(key: string, id: number): void {
    const bucket = this.#neighbours.get(key);
    if (bucket === undefined) this.#neighbours.set(key, [id]);
    else if (bucket.at(-1) !== id) bucket.push(id);
  }

  /** vocabulary words one typo away from `token`, directly or once a common ending is cut off */
  lookup(token: string): readonly number[] {
    if (token.length < 4 || token.length > 16 || NOT_TYPOS.has(token) || /\d/.test(token)) return [];
    const direct = this.#nearest(token);
    if (direct.length > 0) return direct;
    for (const end of COMMON_ENDINGS) {
      if (!token.endsWith(end) || token.length - end.length < 4) continue;
      const hit = this.#nearest(token.slice(0, token.length - end.length));
      if (hit.length > 0) return hit;
    }
    return [];
  }

  #nearest(word: string): number[] {
    const out: number[] = [];
    for (const key of deletions(word)) {
      for (const id of this.#neighbours.get(key) ?? []) {
        if (!withinOneEdit(word, this.#bases[id]!)) continue;
        for (const w of this.#words[id]!) if (!out.includes(w)) out.push(w);
      }
    }
    return out;
  }
}

/** the word itself and every one-letter deletion of it */
function deletions(word: string): string[] {
  const out = [word];
  for (let i = 0; i < word.length; i++) {
    if (i > 0 && word.charCodeAt(i) === word.charCodeAt(i - 1)) continue;
    out.push(word.slice(0, i) + word.slice(i + 1));
  }
  return out;
}
