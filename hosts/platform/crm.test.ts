import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStateBackend } from '../../storage/state/index.ts';
import { createTestDatabase } from '../../storage/testing.ts';
import { startFakeBitrix24, type FakeBitrix24 } from '../crm/testing/fakeBitrix24.ts';
import type { Logger } from '../runtime/ports.ts';
import { loadConfig } from './config.ts';
import { createPlatform, type Platform } from './createPlatform.ts';

/**
 * Bitrix24 in the running platform: BITRIX24_WEBHOOK_URL makes the worker check the portal for
 * KZT at start (none: the start fails, saying so) and pass the CRM outbox on its timer — the demo
 * shop's orders become deals, and a manager's status change in the admin API moves the deal to
 * the stage BITRIX24_DEAL_STAGES names.
 */
const OWNER = { email: 'owner@crm.test', password: 'crm-owner-password' };
const quiet: Logger = { info() {}, warn() {}, error() {} };
let portal: FakeBitrix24;

beforeAll(async () => {
  portal = await startFakeBitrix24();
});
afterAll(async () => portal?.close());

async function boot(): Promise<Platform> {
  const database = await createTestDatabase('pglite');
  const keyPrefix = `crm:${randomBytes(4).toString('hex')}:`;
  const state = await createStateBackend({ db: database.db, keyPrefix });
  const config = {
    ...loadConfig({
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      JWT_SECRET: 'crm-secret-crm-secret-crm-secret-crm',
      BITRIX24_WEBHOOK_URL: portal.webhookUrl,
      BITRIX24_DEAL_STAGES: 'cancelled=APOLOGY',
      DEMO_DATA: 'on',
    }),
    port: 0,
    host: '127.0.0.1',
  };
  const platform = await createPlatform(config, {
    log: quiet,
    database,
    state,
    ocr: false,
    keyPrefix,
    crmOutboxMs: 50,
  });
  const close = platform.close.bind(platform);
  platform.close = async () => {
    await close();
    await state.close();
    await database.close();
  };
  return platform;
}

describe('Bitrix24 in the platform', () => {
  it('refuses to start against a portal without KZT, naming the variable and the fix', async () => {
    portal.currencies = ['RUB'];
    const platform = await boot();
    try {
      await expect(platform.start()).rejects.toThrow(
        /^BITRIX24_WEBHOOK_URL: the Bitrix24 portal has no KZT currency \(it has RUB\)/,
      );
      expect(portal.deals).toEqual([]);
    } finally {
      await platform.close();
      portal.currencies = ['RUB', 'USD', 'KZT'];
    }
  }, 120_000);

  it("sends the shop's orders as deals and moves a deal when a manager cancels its order", async () => {
    const platform = await boot();
    try {
      await platform.start();
      const login = await platform.app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(OWNER),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
      const list = (await (await platform.app.request('/api/orders', { headers: auth })).json()) as {
        items: Array<{ id: string; status: string }>;
      };
      expect(list.items.length).toBeGreaterThan(0);
      await vi.waitFor(
        () => expect(portal.deals.map((d) => d.ORIGIN_ID).sort()).toEqual(list.items.map((o) => o.id).sort()),
        {
          timeout: 20_000,
          interval: 50,
        },
      );
      const open = list.items.find((o) => o.status === 'new')!;
      const cancel = await platform.app.request(`/api/orders/${open.id}/status`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ action: 'cancel' }),
      });
      expect(cancel.status).toBe(200);
      await vi.waitFor(() => expect(portal.deals.find((d) => d.ORIGIN_ID === open.id)?.STAGE_ID).toBe('APOLOGY'), {
        timeout: 20_000,
        interval: 50,
      });
      expect(portal.deals).toHaveLength(list.items.length);
    } finally {
      await platform.close();
    }
  }, 120_000);
});
