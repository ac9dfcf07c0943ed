import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../engine/replies.ts';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { loadConfig } from '../platform/config.ts';
import { createPlatform, type Platform } from '../platform/createPlatform.ts';
import { MAX_IMAGE_BYTES, UPLOAD_TTL_MS } from './uploads.ts';

/**
 * Photos in the web chat (the panel's playground) through the whole platform with real OCR, on
 * both backends: a price tag sent to `POST /api/chat/:city` — as a data URL or as the reference
 * of an upload — comes back as the product; what is not a usable photo is refused by name.
 */

const quiet = { info() {}, warn() {}, error() {} };
const OWNER = { email: 'owner@zeta.test', password: 'correct-horse-battery' };
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../ocr/fixtures/${name}`, import.meta.url)));
const dataUrl = (bytes: Uint8Array, mime = 'image/png') =>
  `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

type Found = { type: 'products'; items: { sku: string }[] };
const skusIn = (replies: Reply[]) =>
  replies.filter((r): r is Reply & Found => r.type === 'products').flatMap((r) => r.items.map((i) => i.sku));

describe.each(['embedded', 'production'] as const)('playground photos on the %s backend', (kind) => {
  let database: TestDatabase;
  let platform: Platform;
  let state: StateBackend | undefined;
  let token: string;
  let now = Date.now();
  const prefix = `zt:${randomBytes(4).toString('hex')}:`;

  const login = async () => {
    const res = await platform.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    expect(res.status).toBe(200);
    token = ((await res.json()) as { accessToken: string }).accessToken;
  };
  const chat = (body: Record<string, string>, city = 'almaty') =>
    platform.app.request(`/api/chat/${city}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const upload = (userId: string, bytes: Uint8Array, contentType = 'image/png') =>
    platform.app.request(`/api/chat/almaty/uploads?userId=${encodeURIComponent(userId)}`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
      body: Buffer.from(bytes),
    });
  const error = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;
  const stored = async (ref: string) =>
    (await platform.db.db.selectFrom('chat_uploads').select('ref').where('ref', '=', ref).execute()).length;

  beforeAll(async () => {
    database = await createTestDatabase(kind === 'embedded' ? 'pglite' : 'postgres');
    const env = {
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      JWT_SECRET: 'test-secret-test-secret-test-secret',
      ...(kind === 'production' ? { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://unused' } : {}),
    };
    const config = { ...loadConfig(env, []), port: 0, host: '127.0.0.1' };
    state =
      kind === 'production'
        ? await createStateBackend({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix: prefix })
        : undefined;
    platform = await createPlatform(config, {
      log: quiet,
      database,
      keyPrefix: prefix,
      clock: () => new Date(now),
      ...(state ? { state } : {}),
    });
    await login();
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
    await state?.close();
    await database?.close();
  });

  it('a price tag sent as a data URL comes back as the product; the photo is kept under a short reference', async () => {
    const res = await chat({ userId: 'shopper-1', image: dataUrl(fixture('tag-ru-sofa-001.png')) });
    expect(res.status).toBe(200);
    expect(skusIn(((await res.json()) as { replies: Reply[] }).replies)).toContain('SOFA-001');
    const kept = await platform.db.db
      .selectFrom('chat_uploads')
      .select(['ref', 'city', 'mime'])
      .where('user_id', '=', 'shopper-1')
      .execute();
    expect(kept).toEqual([
      { ref: expect.stringMatching(/^upl_[A-Za-z0-9_-]{22}$/), city: 'almaty', mime: 'image/png' },
    ]);
  }, 60_000);

  it('the panel way: upload the photo, then send its reference', async () => {
    const up = await upload('shopper-2', fixture('tag-en-bed-014.png'), 'application/octet-stream');
    expect(up.status).toBe(201);
    const body = (await up.json()) as { ref: string; mime: string; size: number; expiresAt: string };
    expect(body).toMatchObject({
      ref: expect.stringMatching(/^upl_[A-Za-z0-9_-]{22}$/),
      mime: 'image/png',
      size: fixture('tag-en-bed-014.png').length,
    });
    expect(new Date(body.expiresAt).getTime()).toBe(now + UPLOAD_TTL_MS);

    const res = await chat({ userId: 'shopper-2', image: body.ref });
    expect(res.status).toBe(200);
    const replies = ((await res.json()) as { replies: Reply[] }).replies;
    expect(skusIn(replies)).toContain('BED-014');
  }, 60_000);

  it("refuses by name: over 10 MB, not an image, another user's reference, an unknown one", async () => {
    const huge = new Uint8Array(MAX_IMAGE_BYTES + 1);
    huge.set(PNG_SIGNATURE);
    const big = await upload('shopper-3', huge);
    expect(big.status).toBe(413);
    expect(await error(big)).toMatch(/larger than 10 MB/);
    const bigUrl = await chat({ userId: 'shopper-3', image: dataUrl(huge) });
    expect(bigUrl.status).toBe(413);
    expect(await error(bigUrl)).toMatch(/larger than 10 MB/);

    const text = new TextEncoder().encode('hello, this is not a picture');
    const notImage = await upload('shopper-3', text, 'image/png');
    expect(notImage.status).toBe(415);
    expect(await error(notImage)).toMatch(/not an image/);
    const notImageUrl = await chat({ userId: 'shopper-3', image: dataUrl(text) });
    expect(notImageUrl.status).toBe(415);
    expect(await error(notImageUrl)).toMatch(/image: not an image/);
    expect((await chat({ userId: 'shopper-3', image: 'https://example.com/a.png' })).status).toBe(400);
    expect((await upload('', fixture('tag-en-bed-014.png'))).status).toBe(400);
    expect((await upload('shopper-3', new Uint8Array())).status).toBe(400);

    const jpeg = await upload('shopper-3', fixture('tag-photo-chr-007.jpg'), 'application/octet-stream');
    expect(((await jpeg.json()) as { mime: string }).mime).toBe('image/jpeg');
    // GIF and WebP are images too (recognised by their signature, whatever the declared type)
    const gif = await upload('shopper-3', new TextEncoder().encode('GIF89a\x01\x00\x01\x00'), 'text/plain');
    expect(((await gif.json()) as { mime: string }).mime).toBe('image/gif');
    const webp = await upload('shopper-3', new TextEncoder().encode('RIFF\x10\x00\x00\x00WEBPVP8 '));
    expect(((await webp.json()) as { mime: string }).mime).toBe('image/webp');

    const mine = ((await (await upload('shopper-3', fixture('tag-en-bed-014.png'))).json()) as { ref: string }).ref;
    const stolen = await chat({ userId: 'shopper-4', image: mine });
    expect(stolen.status).toBe(403);
    expect(await error(stolen)).toMatch(/another user/);
    // the same user id in another city is another conversation
    expect((await chat({ userId: 'shopper-3', image: mine }, 'astana')).status).toBe(403);
    const unknown = await chat({ userId: 'shopper-3', image: `upl_${'A'.repeat(22)}` });
    expect(unknown.status).toBe(404);
    expect(await error(unknown)).toMatch(/no uploaded image/);
    expect((await chat({ userId: 'shopper-3', text: 'x' }, 'atlantis')).status).toBe(404);
  });

  it("a turn cannot read another conversation's upload even when handed its reference", async () => {
    const theirs = ((await (await upload('shopper-5', fixture('tag-en-bed-014.png'))).json()) as { ref: string }).ref;
    const send = (chatId: string, id: string) =>
      platform.runtime.converse({ channel: 'web', city: 'almaty', chatId }, id, {
        type: 'image',
        ref: theirs,
        at: new Date(now).toISOString(),
      }) as Promise<Reply[]>;
    const other = await send('shopper-6', 'direct-1');
    expect(other.length).toBeGreaterThan(0);
    expect(skusIn(other)).toEqual([]);
    expect(skusIn(await send('shopper-5', 'direct-2'))).toContain('BED-014');
  }, 60_000);

  it('expires uploads after 24 hours and removes them', async () => {
    const res = await upload('shopper-7', fixture('tag-en-bed-014.png'));
    const { ref } = (await res.json()) as { ref: string };
    now += UPLOAD_TTL_MS;
    // a day later the tester's access token has expired too: log in again
    await login();
    const expired = await chat({ userId: 'shopper-7', image: ref });
    expect(expired.status).toBe(410);
    expect(await error(expired)).toMatch(/expired/);
    expect(await stored(ref)).toBe(1);
    // the next upload sweeps what is past its time
    expect((await upload('shopper-8', fixture('tag-en-bed-014.png'))).status).toBe(201);
    expect(await stored(ref)).toBe(0);
    expect((await chat({ userId: 'shopper-7', image: ref })).status).toBe(404);
  });
});
