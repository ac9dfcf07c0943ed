import { understandText } from '../../engine/understanding/index.ts';
import type { Brain, RulesUnderstand } from './ports.ts';

/** The local rules brain (engine/understanding): deterministic, no key, no network. */
export const rulesUnderstand: RulesUnderstand = (text, opts) => understandText(text, opts);

export function createRulesBrain(rules: RulesUnderstand = rulesUnderstand): Brain {
  return {
    async understand(input) {
      return rules(input.text, { lang: input.lang, criteria: input.criteria, focusSku: input.focusSku });
    },
  };
}
