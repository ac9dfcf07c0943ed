import { describe, expect, it } from 'vitest';
import type { Ai } from './ports.ts';
import { runtimeAiPorts } from './runtimeAdapter.ts';

describe('runtimeAiPorts', () => {
  it('passes media through and keeps usage out of the Understanding', async () => {
    const seen: unknown[] = [];
    const ai: Ai = {
      brain: { understand: async () => ({ intent: { name: 'greeting' }, source: 'openai', usage: { promptTokens: 1, completionTokens: 1, latencyMs: 5, model: 'm' } }) },
      vision: { describe: async (bytes, mime) => { seen.push([bytes.length, mime]); return { category: 'sofa' }; } },
      transcriber: { transcribe: async (bytes, opts) => { seen.push([bytes.length, opts]); return 'привет'; } },
    };
    const ports = runtimeAiPorts(ai);
    expect(await ports.brain.understand({ city: 'almaty', text: 'hi', lang: 'en', history: [] })).toEqual({ intent: { name: 'greeting' }, source: 'openai' });
    expect(await ports.vision!.describe({ bytes: new Uint8Array(3), mime: 'image/png', filename: 'p.png' })).toEqual({ category: 'sofa' });
    expect(await ports.transcriber!.transcribe({ bytes: new Uint8Array(2), mime: 'audio/ogg', filename: 'v.oga' }, 'kk')).toBe('привет');
    expect(seen).toEqual([[3, 'image/png'], [2, { mime: 'audio/ogg', filename: 'v.oga', lang: 'kk' }]]);
    expect(runtimeAiPorts({ ...ai, vision: null, transcriber: null })).toMatchObject({ vision: null, transcriber: null });
  });
});
