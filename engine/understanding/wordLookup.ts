import { EXACT, MAX_ENDING, MAX_KAZAKH_CHAIN } from './inflect.ts';
import { isCyrillic, isLatin, skeleton } from './translit.ts';
import type { SkeletonEntry, Vocabulary } from './vocabulary.ts';

/**
 * The vocabulary words a message word may be: an inflected form of a catalog word («стеллажами»),
 * the same word in the other alphabet ("stellazh", «лофт»), or — when `typos` is on — one typo away
 * («стелаж»). Returns word ids, empty when the word is not the catalog's. A common word (`plain`:
 * a stop word, a paging or price word) is only looked up as written.
 */
export function lookupWord(vocabulary: Vocabulary, token: string, kazakh: boolean, plain: boolean): readonly number[] {
  const found = byStem(vocabulary, token, kazakh);
  if (found.length > 0 || plain) return found;
  if (token.length >= 3) {
    if (isLatin(token)) {
      const spelled = bySkeleton(vocabulary.fromLatin, skeleton(token));
      if (spelled.length > 0) return spelled;
    } else if (isCyrillic(token)) {
      const spelled = bySkeleton(vocabulary.fromCyrillic, skeleton(token));
      if (spelled.length > 0) return spelled;
    }
  }
  return vocabulary.typos.lookup(token);
}

const KAZAKH_CHAIN = /^[а-яәғқңөұүһі]+$/;
/** common words spelled like an inflected catalog word («стали ждать» is not steel) */
const HOMOGRAPHS = new Set(['стали', 'стала', 'стало', 'стал']);

function byStem(vocabulary: Vocabulary, token: string, kazakh: boolean): number[] {
  const out: number[] = [];
  const longest = Math.min(MAX_ENDING, token.length - 1);
  for (let k = 0; k <= longest; k++) {
    const entries = vocabulary.stems.get(k === 0 ? token : token.slice(0, token.length - k));
    if (entries === undefined) continue;
    const end = k === 0 ? '' : token.slice(token.length - k);
    for (const e of entries) {
      if ((e.folded && !kazakh && token.length < 5) || (e.endings !== EXACT && HOMOGRAPHS.has(token))) continue;
      const fits =
        e.endings.set.has(end) || (e.endings.anyKazakh && k > 0 && k <= MAX_KAZAKH_CHAIN && KAZAKH_CHAIN.test(end));
      if (fits && !out.includes(e.word)) out.push(e.word);
    }
  }
  return out;
}

function bySkeleton(map: ReadonlyMap<string, readonly SkeletonEntry[]>, word: string): number[] {
  const out: number[] = [];
  for (let k = 0; k <= Math.min(MAX_ENDING, word.length - 2); k++) {
    const entries = map.get(k === 0 ? word : word.slice(0, word.length - k));
    if (entries === undefined) continue;
    const end = k === 0 ? '' : word.slice(word.length - k);
    for (const e of entries) if (e.endings.has(end) && !out.includes(e.word)) out.push(e.word);
  }
  return out;
}
