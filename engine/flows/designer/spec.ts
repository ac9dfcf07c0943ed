import { LANGS } from '../../catalog.ts';
import { labelWords } from '../../machine/read.ts';
import type { AskSpec } from '../../scenario/flowSchema.ts';
import type { SlotSpec } from './slotValues.ts';
import type { Kit } from '../../machine/kit.ts';
import type { TextKey } from '../../scenario/textKeys.ts';
import type { PaymentMethod } from '../../events.ts';

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
      slot: ask.slot,
      type: ask.type,
      ...(ask.remember ? { remember: true as const } : {}),
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

/** the scenario's label of each way to pay */
export const METHOD_TEXT: Record<PaymentMethod, TextKey> = {
  kaspi: 'payKaspi',
  cloudpayments: 'payCloudPayments',
  stripe: 'payStripe',
  on_delivery: 'payOnDelivery',
  at_pickup: 'payAtPickup',
};

const withLabels = new WeakMap<AskSpec, SlotSpec>();
/** the slot spec, with the payment methods' labels in every language for a payment question */
export function askSpec(k: Kit, ask: AskSpec): SlotSpec {
  if (ask.type !== 'payment') return slotSpec(ask);
  let spec = withLabels.get(ask);
  if (!spec) {
    const methodLabels: Record<string, string[]> = {};
    for (const [method, key] of Object.entries(METHOD_TEXT))
      methodLabels[method] = [...new Set(LANGS.map((lang) => labelWords(k.s.texts[lang][key] ?? '')))].filter(Boolean);
    spec = { ...slotSpec(ask), methodLabels };
    withLabels.set(ask, spec);
  }
  return spec;
}
