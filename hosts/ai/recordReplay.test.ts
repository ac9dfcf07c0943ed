import { describe, expect, it } from 'vitest';
import { createOpenAiBrain } from './openaiBrain.ts';
import { createOpenAiTranscriber } from './openaiTranscriber.ts';
import { createOpenAiVision } from './openaiVision.ts';
import type { Ai, UnderstandInput } from './ports.ts';
import { recording, replaying, ReplayExhaustedError, type RecordedEntry } from './recordReplay.ts';
import { errorReply, jsonContentReply, startFakeOpenAI, toolCallReply, transcriptionReply } from './testing/fakeOpenAI.ts';
import { sdkClient, stubRules, testResilience } from './testing/harness.ts';

const input = (text: string): UnderstandInput => ({ text, lang: 'ru', history: [], city: 'almaty' });
const voice = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 1, 2, 3]);
const photo = new Uint8Array([0xff, 0xd8, 0xff, 9, 9]);

describe('record and replay', () => {
  it('replays recorded answers identically, in order per operation, with no server and no key', async () => {
    const fake = await startFakeOpenAI();
    const client = sdkClient(fake);
    const resilience = testResilience();
    const live: Ai = {
      brain: createOpenAiBrain({ client, rules: stubRules, getSystemPrompt: () => 'prompt', defaultModel: 'gpt-4o-mini', resilience }),
      vision: createOpenAiVision({ client, model: 'gpt-4o-mini', resilience }),
      transcriber: createOpenAiTranscriber({ client, resilience }),
    };
    fake.enqueue('chat',
      toolCallReply('search_products', { category: 'sofa', color: 'blue', price_max: 150000 }),
      jsonContentReply({ category: 'armchair', color: 'green', material: 'velvet', style: null, text: null }),
      errorReply(500), errorReply(500)); // the second understand falls back to rules: recorded as such
    fake.enqueue('transcriptions', transcriptionReply('синий диван до 150 тысяч'));

    const entries: RecordedEntry[] = [];
    const rec = recording(live, entries);
    const original = [
      await rec.brain.understand(input('синий диван до 150к')),
      await rec.vision!.describe(photo, 'image/jpeg'),
      await rec.transcriber!.transcribe(voice, { mime: 'audio/ogg', filename: 'voice.ogg', lang: 'ru' }),
      await rec.brain.understand(input('привет')),
    ];
    await fake.close();
    expect(entries.map((e) => e.effect)).toEqual(['understand', 'describeImage', 'transcribe', 'understand']);
    // the recording is plain JSON (transcripts store it as `= understand <json>` lines)
    const stored = JSON.parse(JSON.stringify(entries)) as unknown[];

    const replay = replaying(stored);
    // served per operation in order, whatever order the effects ask in
    const transcribed = await replay.transcriber!.transcribe(voice, { mime: 'audio/ogg', filename: 'voice.ogg' });
    const first = await replay.brain.understand(input('anything'));
    const described = await replay.vision!.describe(photo, 'image/jpeg');
    const second = await replay.brain.understand(input('anything'));
    const { usage: _u1, ...firstLive } = original[0] as { usage?: unknown };
    const { usage: _u2, ...secondLive } = original[3] as { usage?: unknown };
    expect(first).toEqual(firstLive);
    expect(first).toMatchObject({ source: 'openai', intent: { name: 'search_products', args: { category: 'sofa', color: 'blue', price_max: 150000 } } });
    expect(second).toEqual(secondLive);
    expect(described).toEqual(original[1]);
    expect(transcribed).toBe(original[2]);
    expect(replay.remaining()).toBe(0);

    await expect(replay.brain.understand(input('one more'))).rejects.toBeInstanceOf(ReplayExhaustedError);
  });

  it('rejects a corrupt recording at load', () => {
    expect(() => replaying([{ effect: 'understand', result: { intent: { name: 'fly' }, source: 'openai' } }])).toThrow(/entry 0/);
    expect(() => replaying([{ effect: 'search', result: [] }])).toThrow(/entry 0/);
  });

  it('records null answers from vision and transcription', async () => {
    const entries: RecordedEntry[] = [];
    const nulls: Ai = {
      brain: { understand: async () => ({ intent: { name: 'greeting' }, source: 'rules' }) },
      vision: { describe: async () => null },
      transcriber: { transcribe: async () => null },
    };
    const rec = recording(nulls, entries);
    await rec.vision!.describe(photo, 'image/jpeg');
    await rec.transcriber!.transcribe(voice, { mime: 'audio/ogg', filename: 'v.ogg' });
    const replay = replaying(entries);
    expect(await replay.vision!.describe(photo, 'image/jpeg')).toBeNull();
    expect(await replay.transcriber!.transcribe(voice, { mime: 'audio/ogg', filename: 'v.ogg' })).toBeNull();
  });
});
