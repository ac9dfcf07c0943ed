import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../engine/index.ts';
import type { Reply } from '../../engine/replies.ts';
import { createMemoryHost } from '../../engine/testing/memoryHost.ts';
import type { DeadLetter } from '../../storage/repos/deadLetters.ts';
import { eventually } from '../../storage/state/contract/harness.ts';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { loadFixtures } from '../cli/fixtures.ts';
import { CityDirectory } from '../platform/cities.ts';
import { deadLetterRetry } from '../platform/deadLetters.ts';
import { recordWriters } from '../platform/ports/records.ts';
import type { Logger } from '../runtime/ports.ts';
import { ConversationRuntime } from '../runtime/runtime.ts';
import { worldPorts } from '../whatsapp/testing/worldPorts.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';

/**
 * Dead letters in the admin API, made by the real runtime (its state and its records in the test
 * database): admins list what the runtime gave up on and retry one, which enqueues the message
 * again through the runtime the platform wires in; a retried dead letter is marked with who did it.
 */

const AT = '2026-11-26T10:00:00.000Z';
const quiet: Logger = { info() {}, warn() {}, error() {} };
type Page = { items: DeadLetter[]; total: number };

describe.each(TEST_BACKENDS)('dead letters API on %s', (kind) => {
  let h: AdminHarness;
  let state: StateBackend;
  let runtime: ConversationRuntime;
  let retry: ReturnType<typeof deadLetterRetry> | undefined;
  let broken = true;
  const sent: { chatId: string; replies: Reply[] }[] = [];

  beforeAll(async () => {
    h = await createAdminHarness(kind, { deps: { retryDeadLetter: (letter, id) => retry!(letter, id) } });
    const fixtures = await loadFixtures();
    const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
    state = await createStateBackend({ db: h.t.db, keyPrefix: 'dead-letters-api:' });
    runtime = new ConversationRuntime(
      {
        scenarios: {
          forConversation: (): Scenario => {
            if (broken) throw new Error('scenario store on fire');
            return fixtures.scenario;
          },
        },
        ...worldPorts({ host, now: () => AT }),
        records: recordWriters(h.t.db, new CityDirectory(h.t.db), quiet).recordPort,
        channels: {
          web: {
            send: async (address, replies) => void sent.push({ chatId: address.chatId, replies }),
            fetchMedia: async () => Promise.reject(new Error('no media here')),
          },
        },
        clock: () => new Date(AT),
        log: quiet,
      },
      state,
      { maxAttempts: 1, retry: { firstDelayMs: 5 } },
    );
    retry = deadLetterRetry(runtime);
  });
  afterAll(async () => {
    await runtime.close();
    await state.close();
    await h.close();
  });

  it('lists what the runtime gave up on, for admins only, and retries one through the runtime', async () => {
    const shopper = { channel: 'web' as const, city: 'almaty', chatId: 'dl-api' };
    const apology = await runtime.converse(shopper, 'lost', { type: 'text', text: 'хочу красный диван', at: AT });
    expect(apology).toHaveLength(1);
    await runtime.idle();

    const listed = await h.call('GET', '/dead-letters?status=new', { as: 'admin' });
    expect(listed.status).toBe(200);
    const page = (await listed.json()) as Page;
    expect(page.total).toBe(1);
    const [letter] = page.items;
    expect(letter).toMatchObject({
      kind: 'message',
      conversationKey: 'web:almaty:dl-api',
      messageId: 'lost',
      event: { type: 'text', text: 'хочу красный диван' },
      error: 'scenario store on fire',
      attempts: 1,
      status: 'new',
    });
    expect((await h.call('GET', '/dead-letters', { as: 'manager' })).status).toBe(403);
    expect((await h.call('POST', `/dead-letters/${letter!.id}/retry`, { as: 'viewer' })).status).toBe(403);

    // the scenario store is back: the retried message gets a real turn
    broken = false;
    sent.splice(0);
    const retried = await h.call('POST', `/dead-letters/${letter!.id}/retry`, { as: 'admin' });
    expect(retried.status).toBe(200);
    const body = (await retried.json()) as { deadLetter: DeadLetter; outcome: string };
    expect(body.outcome).toBe('accepted');
    expect(body.deadLetter).toMatchObject({ status: 'retried', retriedBy: h.users.admin.id });
    await eventually('the retried message answered', () => sent.length === 1);
    await runtime.idle();
    expect(sent[0]!.chatId).toBe('dl-api');
    expect(sent[0]!.replies).not.toEqual(apology);

    // retrying it again enqueues nothing new; nothing new is left for the dashboard's figure
    const again = (await (await h.call('POST', `/dead-letters/${letter!.id}/retry`, { as: 'admin' })).json()) as {
      outcome: string;
    };
    expect(again.outcome).toBe('duplicate');
    const after = (await (await h.call('GET', '/dead-letters?status=new', { as: 'owner' })).json()) as Page;
    expect(after.total).toBe(0);
    expect((await h.call('POST', '/dead-letters/not-a-uuid/retry', { as: 'admin' })).status).toBe(404);
  });
});
