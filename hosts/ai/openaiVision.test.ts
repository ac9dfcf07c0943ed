import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAiVision, VISION_MAX_BYTES } from './openaiVision.ts';
import {
  errorReply,
  jsonContentReply,
  startFakeOpenAI,
  type FakeOpenAI,
  type FakeReply,
} from './testing/fakeOpenAI.ts';
import { demoWords, sdkClient, TEST_KEY, testResilience, usageLog } from './testing/harness.ts';

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

function vision() {
  const usage = usageLog();
  return {
    vision: createOpenAiVision({
      client: sdkClient(fake),
      model: 'gpt-4o-mini',
      words: demoWords,
      resilience: testResilience(),
      onUsage: usage.onUsage,
      secrets: [TEST_KEY],
    }),
    usage: usage.events,
  };
}

// a few bytes with a JPEG signature; the fake never decodes them
const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 250, 251]);

type VisionBody = {
  messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] }[];
  response_format: { type: string; json_schema: { name: string; strict: boolean; schema: { required: string[] } } };
};

describe('describeImage', () => {
  it('sends the photo as a data-URL image part with a JSON schema and returns the validated description', async () => {
    fake.enqueue(
      'chat',
      jsonContentReply({
        category: 'sofa',
        color: 'grey',
        material: 'fabric',
        style: 'scandinavian',
        text: 'SOFA-001',
      }),
    );
    const { vision: v, usage } = vision();
    const d = await v.describe(photo, 'image/jpeg');
    expect(d).toEqual({ category: 'sofa', color: 'grey', material: 'fabric', style: 'scandinavian', text: 'SOFA-001' });

    const body = fake.requests[0]!.json as VisionBody;
    const user = body.messages.find((m) => m.role === 'user')!;
    const image = (user.content as { type: string; image_url?: { url: string } }[]).find(
      (p) => p.type === 'image_url',
    )!;
    expect(image.image_url!.url).toBe(`data:image/jpeg;base64,${Buffer.from(photo).toString('base64')}`);
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.strict).toBe(true);
    expect(body.response_format.json_schema.schema.required).toEqual([
      'category',
      'color',
      'material',
      'style',
      'text',
    ]);
    expect(usage[0]).toMatchObject({ op: 'describeImage', ok: true, promptTokens: 900, completionTokens: 40 });
  });

  it('drops null fields', async () => {
    fake.enqueue('chat', jsonContentReply({ category: 'bed', color: null, material: null, style: null, text: null }));
    expect(await vision().vision.describe(photo, 'image/png')).toEqual({ category: 'bed' });
  });

  const invalid: [string, FakeReply][] = [
    ['not JSON', jsonContentReply('a nice grey sofa')],
    [
      'an unknown category',
      jsonContentReply({ category: 'spaceship', color: null, material: null, style: null, text: null }),
    ],
    ['wrong types', jsonContentReply({ category: 'sofa', color: 7, material: null, style: null, text: null })],
    ['a JSON array', jsonContentReply([1, 2])],
  ];
  for (const [name, reply] of invalid) {
    it(`answers null for ${name}`, async () => {
      fake.enqueue('chat', reply);
      const { vision: v, usage } = vision();
      expect(await v.describe(photo, 'image/jpeg')).toBeNull();
      expect(usage[0]).toMatchObject({ ok: false, fallback: 'invalid_response' });
    });
  }

  it('answers null when the provider keeps failing', async () => {
    fake.enqueue('chat', errorReply(500), errorReply(502));
    const { vision: v, usage } = vision();
    expect(await v.describe(photo, 'image/jpeg')).toBeNull();
    expect(fake.requests).toHaveLength(2);
    expect(usage[0]).toMatchObject({ ok: false, fallback: 'server_error', attempts: 2 });
  });

  it('rejects oversized or non-image input without a request', async () => {
    const { vision: v, usage } = vision();
    expect(await v.describe(new Uint8Array(VISION_MAX_BYTES + 1), 'image/jpeg')).toBeNull();
    expect(await v.describe(photo, 'application/pdf')).toBeNull();
    expect(fake.requests).toHaveLength(0);
    expect(usage.map((u) => u.fallback)).toEqual(['too_large', 'unsupported_media']);
  });
});
