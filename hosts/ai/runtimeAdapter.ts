import type { BrainPort, ModelCallScope, TranscriberPort, VisionPort } from '../runtime/ports.ts';
import type { ModelBudget } from './budget.ts';
import type { Ai, AiOperation, RulesUnderstand } from './ports.ts';
import { createRulesBrain } from './rulesBrain.ts';

export type RuntimeAiOptions = {
  /**
   * For model-backed ports: each call first takes one from its city's daily budget; once that is
   * spent the rules brain answers alone, and photos and voice notes go without vision and Whisper.
   */
  budget?: ModelBudget;
  /** the brain that answers past the budget (engine/understanding over the catalog's words) */
  rules: RulesUnderstand;
};

/**
 * The conversation runtime's ports (hosts/runtime/ports.ts) over the AI ports. `usage` is left off
 * the Understanding: it has already gone to `onUsage`, and latency must not enter a snapshot.
 */
export function runtimeAiPorts(
  ai: Ai,
  opts: RuntimeAiOptions,
): { brain: BrainPort; vision: VisionPort | null; transcriber: TranscriberPort | null } {
  const { vision, transcriber } = ai;
  const { budget } = opts;
  const rules = createRulesBrain(opts.rules);
  const mayCallModel = async (op: AiOperation, scope: ModelCallScope | undefined) =>
    !budget || !scope || (await budget.take(scope.city, op, scope.modelCallsPerDay ?? 0));
  return {
    brain: {
      async understand({ modelCallsPerDay, ...request }) {
        const brain = (await mayCallModel('understand', { city: request.city, modelCallsPerDay })) ? ai.brain : rules;
        const { usage: _usage, ...understanding } = await brain.understand(request);
        return understanding;
      },
    },
    vision: vision && {
      describe: async (image, scope) =>
        (await mayCallModel('describeImage', scope)) ? vision.describe(image.bytes, image.mime) : null,
    },
    transcriber: transcriber && {
      transcribe: async (audio, lang, scope) =>
        (await mayCallModel('transcribe', scope))
          ? transcriber.transcribe(audio.bytes, { mime: audio.mime, filename: audio.filename, lang })
          : null,
    },
  };
}
