import { understandText } from '../../engine/understanding/index.ts';
import type { CatalogWords } from './catalogWords.ts';
import type { Brain, RulesUnderstand, UnderstandInput } from './ports.ts';

/** The local rules brain (engine/understanding) over the current catalog's words: deterministic, no key, no network. */
export const rulesUnderstand =
  (words: () => CatalogWords): RulesUnderstand =>
  (text, opts) =>
    understandText(text, opts, words().vocabulary);

/** what the rules brain reads of a request */
export const rulesOptions = (input: UnderstandInput): Parameters<RulesUnderstand>[1] => ({
  lang: input.lang,
  ...(input.criteria ? { criteria: input.criteria } : {}),
  ...(input.focusSku ? { focusSku: input.focusSku } : {}),
  ...(input.intents ? { intents: input.intents } : {}),
});

export function createRulesBrain(rules: RulesUnderstand): Brain {
  return {
    async understand(input) {
      return rules(input.text, rulesOptions(input));
    },
  };
}
