import { LANGS } from '../../catalog.ts';
import { labelWords } from '../../machine/read.ts';
import type { AskSpec } from '../../scenario/flowSchema.ts';
import type { SlotSpec } from './slotValues.ts';

/**
 * A question's slot as the answer readers need it: type, bounds, pattern, and each choice with its
 * labels in every language as words. It goes into the answer guard's params (so the chart says
 * what a question accepts) and is read by the action that keeps the answer. One per question.
 */
const specs = new WeakMap<AskSpec, SlotSpec>();

export function slotSpec(ask: AskSpec): SlotSpec {
  let spec = specs.get(ask);
  if (!spec) {
    spec = {
      type: ask.type,
      ...(ask.pattern !== undefined ? { pattern: ask.pattern } : {}),
      ...(ask.min !== undefined ? { min: ask.min } : {}),
      ...(ask.max !== undefined ? { max: ask.max } : {}),
      ...(ask.choices
        ? {
            choices: ask.choices.map((c) => ({
              id: c.id,
              labels: [...new Set(LANGS.map((lang) => labelWords(c.label[lang])))],
            })),
          }
        : {}),
    };
    specs.set(ask, spec);
  }
  return spec;
}
