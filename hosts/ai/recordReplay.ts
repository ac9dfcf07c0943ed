import * as v from 'valibot';
import { ImageDescriptionSchema, type ImageDescription } from '../../engine/events.ts';
import { UnderstandingSchema, type Understanding } from '../../engine/intent.ts';
import type { Ai, AiOperation } from './ports.ts';

/**
 * Record and replay provider answers at the port boundary. A recording appends one entry per
 * call; a transcript stores them as `= understand <json>` lines, and a replay serves them in
 * order (per operation) with no key and no network.
 */

export const RecordedEntrySchema = v.variant('effect', [
  v.object({ effect: v.literal('understand'), result: UnderstandingSchema }),
  v.object({ effect: v.literal('describeImage'), result: v.nullable(ImageDescriptionSchema) }),
  v.object({ effect: v.literal('transcribe'), result: v.nullable(v.string()) }),
]);
export type RecordedEntry = v.InferOutput<typeof RecordedEntrySchema>;

/** Wrap every port so each answer is appended to `entries` (usage/latency left out: not deterministic). */
export function recording(ai: Ai, entries: RecordedEntry[]): Ai {
  return {
    brain: {
      async understand(input) {
        const result = await ai.brain.understand(input);
        const { usage: _usage, ...understanding } = result;
        entries.push({ effect: 'understand', result: structuredClone(understanding) });
        return result;
      },
    },
    vision: ai.vision && {
      describe: async (image, mime) => {
        const result = await ai.vision!.describe(image, mime);
        entries.push({ effect: 'describeImage', result: result && structuredClone(result) });
        return result;
      },
    },
    transcriber: ai.transcriber && {
      transcribe: async (audio, opts) => {
        const result = await ai.transcriber!.transcribe(audio, opts);
        entries.push({ effect: 'transcribe', result });
        return result;
      },
    },
  };
}

export class ReplayExhaustedError extends Error {
  constructor(readonly effect: AiOperation) {
    super(`replay: no recorded ${effect} result left`);
    this.name = 'ReplayExhaustedError';
  }
}

/**
 * Serve recorded answers in order, each operation from its own queue. Entries are validated up
 * front so a corrupt recording fails at load, not mid-conversation.
 */
export function replaying(entries: readonly unknown[]): Ai & { remaining(): number } {
  const queue = entries.map((entry, i) => {
    const parsed = v.safeParse(RecordedEntrySchema, entry);
    if (!parsed.success) throw new Error(`replay: entry ${i} is not a recorded result: ${parsed.issues[0].message}`);
    return parsed.output;
  });
  function take(effect: AiOperation): unknown {
    const index = queue.findIndex((e) => e.effect === effect);
    if (index < 0) throw new ReplayExhaustedError(effect);
    return structuredClone(queue.splice(index, 1)[0]!.result);
  }
  return {
    brain: { understand: async () => take('understand') as Understanding },
    vision: { describe: async () => take('describeImage') as ImageDescription | null },
    transcriber: { transcribe: async () => take('transcribe') as string | null },
    remaining: () => queue.length,
  };
}
