import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAiTranscriber, TRANSCRIPTION_MAX_BYTES, whisperFilename } from './openaiTranscriber.ts';
import { errorReply, startFakeOpenAI, transcriptionReply, type FakeOpenAI } from './testing/fakeOpenAI.ts';
import { sdkClient, TEST_KEY, testResilience, usageLog } from './testing/harness.ts';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

function transcriber() {
  const usage = usageLog();
  return {
    t: createOpenAiTranscriber({
      client: sdkClient(fake),
      resilience: testResilience(),
      onUsage: usage.onUsage,
      secrets: [TEST_KEY],
    }),
    usage: usage.events,
  };
}

// an OGG page header ("OggS") followed by Opus-ish bytes: sent as is, never transcoded
const voice = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0, 2, ...Array.from({ length: 300 }, (_, i) => i % 256)]);

describe('transcribe', () => {
  it('posts multipart with the OGG bytes untouched, whisper-1 and the language hint', async () => {
    fake.enqueue('transcriptions', transcriptionReply(' Есть синий диван до 150 тысяч? '));
    const { t, usage } = transcriber();
    const text = await t.transcribe(voice, { mime: 'audio/ogg', filename: 'voice.oga', lang: 'ru' });
    expect(text).toBe('Есть синий диван до 150 тысяч?');

    const req = fake.requests[0]!;
    expect(req.path).toBe('/v1/audio/transcriptions');
    expect(String(req.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(req.form!.get('model')).toBe('whisper-1');
    expect(req.form!.get('language')).toBe('ru');
    const file = req.form!.get('file') as { filename: string; type: string; bytes: Uint8Array };
    expect(file.filename).toBe('voice.oga');
    expect(file.type).toBe('audio/ogg');
    expect(Buffer.from(file.bytes).equals(Buffer.from(voice))).toBe(true);
    expect(usage[0]).toMatchObject({ op: 'transcribe', ok: true, model: 'whisper-1', attempts: 1 });
  });

  it('omits the language when there is no hint and names extension-less files by type', async () => {
    fake.enqueue('transcriptions', transcriptionReply('hello'));
    expect(await transcriber().t.transcribe(voice, { mime: 'audio/ogg; codecs=opus', filename: 'file_42' })).toBe(
      'hello',
    );
    const form = fake.requests[0]!.form!;
    expect(form.has('language')).toBe(false);
    expect((form.get('file') as { filename: string }).filename).toBe('file_42.ogg');
  });

  it('refuses audio over 25 MB before sending anything', async () => {
    const { t, usage } = transcriber();
    expect(
      await t.transcribe(new Uint8Array(TRANSCRIPTION_MAX_BYTES + 1), {
        mime: 'audio/ogg',
        filename: 'voice.ogg',
        lang: 'kk',
      }),
    ).toBeNull();
    expect(fake.requests).toHaveLength(0);
    expect(usage[0]).toMatchObject({ ok: false, fallback: 'too_large', attempts: 0 });
  });

  it('retries a 5xx once and answers null when it persists', async () => {
    fake.enqueue('transcriptions', errorReply(500), transcriptionReply('ok'));
    expect(await transcriber().t.transcribe(voice, { mime: 'audio/ogg', filename: 'voice.ogg' })).toBe('ok');
    fake.enqueue('transcriptions', errorReply(500), errorReply(500));
    expect(await transcriber().t.transcribe(voice, { mime: 'audio/ogg', filename: 'voice.ogg' })).toBeNull();
    expect(fake.requests).toHaveLength(4);
  });

  it('whisperFilename keeps known extensions and adds one from the type', () => {
    expect(whisperFilename('voice.ogg', 'audio/ogg')).toBe('voice.ogg');
    expect(whisperFilename('audio', 'audio/mpeg')).toBe('audio.mp3');
    expect(whisperFilename('', 'audio/unknown')).toBe('voice.ogg');
  });
});
