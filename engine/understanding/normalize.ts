/**
 * Text normalisation for the rules brain: one pass that makes shopper writing comparable
 * with the catalog vocabulary (lower case, ё→е, no zero-width characters, no stretched letters,
 * Latin look-alikes inside Cyrillic words) and cuts it into tokens.
 */

/** Only the head of a message is analysed: bounds the work on a 10 000-character paste. */
export const MAX_ANALYSED_CHARS = 500;

export interface Token {
  /** normalised text of the token */
  readonly text: string;
  readonly kind: 'word' | 'number' | 'symbol';
  /** numeric value for `number` tokens */
  readonly value?: number;
  /** true when the token touches the previous one with no space («150к», «мыңға») */
  readonly glued: boolean;
}

const INVISIBLE =
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0]/g;
const CYRILLIC = /[\u0400-\u04FF]/;
const LATIN = /[a-z]/;
/** Latin letters that look like Cyrillic ones — mixed-script words such as «дивaн». */
const LOOKALIKE: Readonly<Record<string, string>> = {
  a: 'а',
  e: 'е',
  o: 'о',
  p: 'р',
  c: 'с',
  x: 'х',
  y: 'у',
  k: 'к',
  m: 'м',
  t: 'т',
  h: 'н',
  b: 'в',
  i: 'і',
};

/** The analysed head of a message, invisible characters removed, case kept (for SKUs). */
export function cleanRaw(raw: string): string {
  let s = raw.length > MAX_ANALYSED_CHARS * 2 ? raw.slice(0, MAX_ANALYSED_CHARS * 2) : raw;
  s = s.replace(INVISIBLE, '');
  if (s.length > MAX_ANALYSED_CHARS) {
    // cut at a word edge so the last word is not half a word («диван диван ди»)
    const head = s.slice(0, MAX_ANALYSED_CHARS);
    const edge = head.search(/\s\S*$/u);
    s = edge > MAX_ANALYSED_CHARS / 2 ? head.slice(0, edge) : head;
  }
  return s.normalize('NFKC');
}

export function normalizeText(cleaned: string): string {
  let s = cleaned
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' ');
  // «привееет», «спасибооо» — three or more of the same letter become one; digits stay intact.
  s = s.replace(/(\p{L})\1{2,}/gu, '$1');
  // Mixed-script words: Latin look-alikes inside an otherwise Cyrillic word.
  s = s.replace(/[\p{L}]+/gu, (w) => (CYRILLIC.test(w) && LATIN.test(w) ? fixLookalikes(w) : w));
  return s;
}

function fixLookalikes(word: string): string {
  let out = '';
  for (const ch of word) out += LOOKALIKE[ch] ?? ch;
  return out;
}

/**
 * «150 000», «1 200 000» (space-grouped thousands) are glued into one number before
 * tokenising; «1,2» / «1.5» are decimals, «150,000» / «150.000» are grouped thousands.
 */
const TOKEN = /\d{1,3}(?: \d{3})+(?![\d.,]\d)|\d+(?:[.,]\d+)*|\p{L}+(?:['’]\p{L}+)?|[₸$~%+\-–—<>≤≥]/gu;

export function tokenize(normalized: string): Token[] {
  const tokens: Token[] = [];
  let lastEnd = -1;
  for (const m of normalized.matchAll(TOKEN)) {
    const text = m[0];
    const start = m.index ?? 0;
    const glued = start === lastEnd;
    lastEnd = start + text.length;
    const first = text.charCodeAt(0);
    if (first >= 48 && first <= 57) {
      tokens.push({ text, kind: 'number', value: parseNumber(text), glued });
    } else if (/\p{L}/u.test(text)) {
      tokens.push({ text: text.replace(/’/g, "'"), kind: 'word', glued });
    } else {
      tokens.push({ text: text === '–' || text === '—' ? '-' : text, kind: 'symbol', glued });
    }
    if (tokens.length >= 120) break;
  }
  return tokens;
}

export function parseNumber(text: string): number {
  const compact = text.replace(/ /g, '');
  const parts = compact.split(/[.,]/);
  if (parts.length === 1) return Number(compact);
  const tail = parts.slice(1);
  // every group after a separator has exactly three digits → thousands grouping
  if (tail.every((p) => p.length === 3)) return Number(parts.join(''));
  if (parts.length === 2) return Number(`${parts[0]}.${parts[1]}`);
  return Number(parts.join(''));
}
