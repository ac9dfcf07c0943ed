import type { ScenarioIntents } from '../../../engine/scenario/intents.ts';

/**
 * `count` designer intents for the bench: the shape of a busy shop's list — four Russian, two Kazakh
 * and two English examples of three to four words each, two keywords — over made-up words, so each
 * intent has words of its own and the index is as large as real data would make it.
 */
const RU = ['ка', 'ро', 'ми', 'ту', 'ле', 'за', 'но', 'ви', 'ше', 'лу'];
const EN = ['ka', 'ro', 'mi', 'tu', 'le', 'za', 'no', 'vi', 'she', 'lu'];

const word = (syllables: readonly string[], n: number, salt: number): string => {
  let out = '';
  let x = n * 7 + salt * 131;
  for (let i = 0; i < 4; i++) {
    out += syllables[x % syllables.length];
    x = Math.floor(x / syllables.length) + i + salt;
  }
  return out;
};

export function designerIntents(count: number): ScenarioIntents {
  const entries = Array.from({ length: count }, (_, n) => {
    const ru = (k: number) => `${word(RU, n, k)} ${word(RU, n, k + 11)} для ${word(RU, n, k + 23)}`;
    const kk = (k: number) => `${word(RU, n, k + 37)}ға ${word(RU, n, k + 41)} бола ма`;
    const en = (k: number) => `${word(EN, n, k + 53)} ${word(EN, n, k + 59)} please`;
    const intent = {
      examples: { ru: [ru(1), ru(2), ru(3), ru(4)], kk: [kk(1), kk(2)], en: [en(1), en(2)] },
      keywords: { ru: [word(RU, n, 71), word(RU, n, 73)], kk: [], en: [] },
      flow: `topic_${n}`,
    };
    return [`topic_${n}`, intent] as const;
  });
  return Object.fromEntries(entries);
}
