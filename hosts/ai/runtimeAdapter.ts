import type { BrainPort, TranscriberPort, VisionPort } from '../runtime/ports.ts';
import type { Ai } from './ports.ts';

/**
 * The conversation runtime's ports (hosts/runtime/ports.ts) over the AI ports. `usage` is left off
 * the Understanding: it has already gone to `onUsage`, and latency must not enter a snapshot.
 */
export function runtimeAiPorts(ai: Ai): { brain: BrainPort; vision: VisionPort | null; transcriber: TranscriberPort | null } {
  const { vision, transcriber } = ai;
  return {
    brain: {
      async understand(request) {
        const { usage: _usage, ...understanding } = await ai.brain.understand(request);
        return understanding;
      },
    },
    vision: vision && { describe: (image) => vision.describe(image.bytes, image.mime) },
    transcriber: transcriber && {
      transcribe: (audio, lang) => transcriber.transcribe(audio.bytes, { mime: audio.mime, filename: audio.filename, lang }),
    },
  };
}
