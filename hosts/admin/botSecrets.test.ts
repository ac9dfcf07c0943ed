import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBotSecrets } from '../../storage/repos/bot-configs.ts';
import { secretBox } from '../../storage/secrets.ts';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

describe.each(TEST_BACKENDS)('bot secrets saved through the panel with SECRETS_KEY on %s', (kind) => {
  const box = secretBox(randomBytes(32));
  let h: AdminHarness;
  beforeAll(async () => {
    h = await createAdminHarness(kind, { deps: { secrets: box } });
  });
  afterAll(async () => h.close());

  it('stores the token and webhook secret encrypted, shows the token masked, hands the host the real one', async () => {
    const city = (await (
      await h.call('POST', '/cities', {
        as: 'owner',
        body: { name: 'Астана', slug: 'astana', timezone: 'Asia/Almaty' },
      })
    ).json()) as { city: { id: string } };
    const put = await h.call('PUT', `/bot-config/${city.city.id}`, {
      as: 'admin',
      body: { channel: 'telegram', botToken: TOKEN, webhookSecret: 'whsec_0123456789abcdef' },
    });
    expect(put.status).toBe(200);
    const shown = (await (await h.call('GET', `/bot-config/${city.city.id}`, { as: 'designer' })).json()) as {
      telegram: { botToken: string };
    };
    expect(shown.telegram.botToken).toBe('123456789:…Dsaw');
    const { rows } = await sql<{
      bot_token: string;
      webhook_secret: string;
    }>`SELECT bot_token, webhook_secret FROM bot_configs WHERE city_id = ${city.city.id}`.execute(h.t.db);
    expect(rows[0]!.bot_token).toMatch(/^enc:v1:/);
    expect(rows[0]!.webhook_secret).toMatch(/^enc:v1:/);
    expect(JSON.stringify(rows)).not.toContain('AAHdqTcv');
    expect(await getBotSecrets(h.t.db, city.city.id, 'telegram', box)).toEqual({
      botToken: TOKEN,
      webhookSecret: 'whsec_0123456789abcdef',
    });
  });
});
