import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SECRET,
  deliver,
  dialogueUpdate,
  productionBundle,
  ROOT,
  serverNodeFlags,
  sentText,
  settle,
  startServer,
  type ServerChild,
} from '../../infra/faults/harness.ts';
import { startFakeBotApi, type FakeBotApi } from '../telegram/testing/fakeBotApi.ts';

/**
 * What `npm start` and the container run: the server bundled by infra/build.mjs and started with
 * plain `node`, no TypeScript loader. Built into its own directory under dist/ (the bundle finds
 * the project — scenarios, admin panel — from its own location), started on the embedded default
 * with a fake Bot API, asked a question through the Telegram webhook, stopped with SIGTERM.
 */

const TOKEN = '6161616161:bundle-smoke';
let api: FakeBotApi;
let dataDir: string;
let server: ServerChild | undefined;

beforeAll(async () => {
  api = await startFakeBotApi({ bots: { [TOKEN]: { username: 'zeta_bundle_bot' } } });
  dataDir = mkdtempSync(join(tmpdir(), 'zeta-bundle-'));
  server = await startServer({
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    DEMO_DATA: 'on',
  });
}, 180_000);

afterAll(async () => {
  await server?.kill().catch(() => undefined);
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the production bundle (dist/server.mjs)', () => {
  it('starts on the embedded default, answers a shopper, serves health and stops cleanly', async () => {
    expect(existsSync(`${productionBundle()}.map`)).toBe(true);
    const health = await fetch(`${server!.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      checks: { database: { ok: true }, state: { ok: true } },
    });

    const chat = 770_000_001;
    expect(
      (await deliver(() => server!.url, 'almaty', dialogueUpdate(1, chat, 'хочу красный диван до 150000'))).status,
    ).toBe(200);
    await settle(api, 500, 30_000);
    const replies = api.messages(chat).map(sentText);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.join('\n')).toMatch(/диван/i);

    await server!.stop();
    expect(server!.child.exitCode).toBe(0);
    expect(server!.output()).toMatch(/shutting down/);
  }, 60_000);
});

describe('node flags', () => {
  it('the container and the benchmarks run node as npm start does', () => {
    const flags = serverNodeFlags();
    expect(flags).toContain('--max-old-space-size=1024');
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(join(ROOT, 'infra/Dockerfile'), 'utf8'))?.[1];
    expect((JSON.parse(entrypoint!) as string[]).filter((t) => t.startsWith('--') && t !== '--')).toEqual(flags);
    const bench = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { bench: string } })
      .scripts.bench;
    expect(
      bench
        .split(' && ')
        .at(-1)!
        .split(/\s+/)
        .filter((t) => t.startsWith('--')),
    ).toEqual(flags);
  });
});
