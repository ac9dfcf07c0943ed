import { understandText } from '../../engine/understanding/index.ts';
import type { CatalogWords } from './catalogWords.ts';
import type { Brain, RulesUnderstand } from './ports.ts';

/** The local rules brain (engine/understanding) over the current catalog's words: deterministic, no key, no network. */
export const rulesUnderstand =
  (words: () => CatalogWords): RulesUnderstand =>
  (text, opts) =>
    understandText(text, opts, words().vocabulary);

export function createRulesBrain(rules: RulesUnderstand): Brain {
  return {
    async understand(input) {
      return rules(input.text, { lang: input.lang, criteria: input.criteria, focusSku: input.focusSku });
    },
  };
}
