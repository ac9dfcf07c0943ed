import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../storage/testing.ts';
import { memoryPubSub } from '../../storage/state/embedded/pubsub.ts';
import { createCity } from '../../storage/repos/cities.ts';
import { listEscalationMessages } from '../../storage/repos/escalations.ts';
import type { SystemEvent } from '../../engine/events.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { EscalationRequest } from '../runtime/ports.ts';
import {
  EscalationService,
  EscalationError,
  ESCALATION_CHANNEL,
  telegramManagerNotifier,
  type EscalationEvent,
  type ManagerNotifier,
} from './index.ts';

describe.each(TEST_BACKENDS)('EscalationService on %s', (kind) => {
  let t: TestDatabase;
  const pubsub = memoryPubSub();
  const delivered: { address: ConversationAddress; messageId: string; event: SystemEvent }[] = [];
  const events: EscalationEvent[] = [];
  const notified: string[] = [];
  const failing: ManagerNotifier = {
    name: 'broken',
    notify: async () => {
      throw new Error('down');
    },
    shopperWrote: async () => {
      throw new Error('down');
    },
    closed: async () => {
      throw new Error('down');
    },
  };
  const recording: ManagerNotifier = {
    name: 'recording',
    notify: async (e, ctx) => void notified.push(`notify:${e.id}:${ctx.city}`),
    shopperWrote: async (e, text) => void notified.push(`wrote:${e.id}:${text}`),
    closed: async (e, why) => void notified.push(`closed:${e.id}:${why}`),
  };
  let service: EscalationService;

  const request = (chatId: string, key = `esc-${chatId}`): EscalationRequest => ({
    address: { channel: 'telegram', city: 'almaty', chatId },
    conversationKey: `telegram:almaty:${chatId}`,
    reason: 'wants a human',
    trigger: 'request',
    history: [{ role: 'shopper', text: 'позовите менеджера', at: '2026-01-01T10:00:00.000Z' }],
    idempotencyKey: key,
  });

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await createCity(t.db, { name: 'Алматы', slug: 'almaty' });
    await pubsub.subscribe(ESCALATION_CHANNEL, (m) => void events.push(JSON.parse(m) as EscalationEvent));
    service = new EscalationService({
      db: t.db,
      pubsub,
      notifiers: [failing, recording],
      deliver: async (address, messageId, event) => void delivered.push({ address, messageId, event }),
      clock: () => new Date('2026-01-01T10:05:00.000Z'),
    });
  });
  afterAll(async () => {
    pubsub.close();
    await t.close();
  });

  it('opens once per conversation, stores the history, publishes and notifies (a failing notifier does not stop the others)', async () => {
    const id = await service.open(request('100'));
    const again = await service.open(request('100'));
    expect(again).toBe(id);
    const row = await t.db.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.city_id).not.toBeNull();
    expect(row.conversation_history).toHaveLength(1);
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'escalation.opened')).toHaveLength(1));
    expect(notified).toEqual([`notify:${id}:almaty`]);
  });

  it('stores what the shopper wrote and forwards it to managers', async () => {
    const id = await service.open(request('101'));
    await service.shopperWrote(id, 'ещё тут?');
    const messages = await listEscalationMessages(t.db, id);
    expect(messages.map((m) => [m.author, m.text])).toEqual([['shopper', 'ещё тут?']]);
    expect(notified).toContain(`wrote:${id}:ещё тут?`);
    await vi.waitFor(() =>
      expect(events.some((e) => e.type === 'escalation.message' && e.escalationId === id)).toBe(true),
    );
  });

  it('delivers a reply to the shopper address as manager.replied and stamps the first response', async () => {
    const id = await service.open(request('102'));
    const { escalation, message } = await service.reply(id, { id: null, name: 'Айгерим' }, 'Здравствуйте! Чем помочь?');
    expect(escalation.status).toBe('in_progress');
    expect(escalation.firstResponseAt).toBeDefined();
    const last = delivered.at(-1)!;
    expect(last.address).toEqual({ channel: 'telegram', city: 'almaty', chatId: '102' });
    expect(last.messageId).toBe(`escalation:${id}:reply:${message.id}`);
    expect(last.event).toMatchObject({
      type: 'manager.replied',
      text: 'Здравствуйте! Чем помочь?',
      managerName: 'Айгерим',
    });
  });

  it('resolves once, delivering manager.resolved; replying afterwards is refused', async () => {
    const id = await service.open(request('103'));
    const { after } = await service.resolve(id, { name: 'x' });
    expect(after.status).toBe('resolved');
    expect(delivered.at(-1)).toMatchObject({
      messageId: `escalation:${id}:resolved`,
      event: { type: 'manager.resolved', at: '2026-01-01T10:05:00.000Z' },
    });
    const count = delivered.length;
    await service.resolve(id, { name: 'x' });
    expect(delivered.length).toBe(count);
    await expect(service.reply(id, { name: 'x' }, 'hi')).rejects.toBeInstanceOf(EscalationError);
    // a new request after resolution opens a new escalation
    expect(await service.open(request('103'))).not.toBe(id);
  });

  it('assigns and unassigns; unknown ids are not found', async () => {
    const id = await service.open(request('104'));
    const user = await t.db
      .insertInto('users')
      .values({ email: `m-${kind}@x.kz`, password_hash: 'x', name: 'M', role: 'manager' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect((await service.assign(id, user.id)).after.assignedTo).toBe(user.id);
    expect((await service.assign(id, null)).after.assignedTo).toBeUndefined();
    await expect(service.assign('00000000-0000-0000-0000-000000000000', null)).rejects.toMatchObject({
      reason: 'not_found',
    });
    await expect(service.reply('nope', { name: 'x' }, 'hi')).rejects.toMatchObject({ reason: 'not_found' });
  });

  it('records actions taken in the Telegram managers chat without delivering twice', async () => {
    const id = await service.open(request('105'));
    const count = delivered.length;
    await service.recordExternal({ escalationId: id, action: 'replied', text: 'ok', managerName: 'Бота' });
    await service.recordExternal({ escalationId: id, action: 'resolved' });
    expect(delivered.length).toBe(count);
    const row = await t.db.selectFrom('escalations').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('resolved');
  });

  it("closes from the shopper's side or after silence: resolved, noted in the inbox, managers told; nothing goes to the shopper", async () => {
    const id = await service.open(request('107'));
    const count = delivered.length;
    await service.close(id, 'shopper');
    await service.close(id, 'shopper');
    const row = await t.db.selectFrom('escalations').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('resolved');
    expect(notified.filter((n) => n.startsWith(`closed:${id}`))).toEqual([`closed:${id}:shopper`]);
    expect((await listEscalationMessages(t.db, id)).map((m) => [m.author, m.text])).toEqual([
      ['bot', '↩️ Покупатель вернулся к боту — диалог закрыт'],
    ]);
    expect(delivered.length).toBe(count);
    const silent = await service.open(request('108'));
    await service.close(silent, 'silence');
    expect(notified).toContain(`closed:${silent}:silence`);
  });

  it("managers away: the city's hours on its own clock (Asia/Almaty, UTC+5); no hours means always in", async () => {
    expect(await service.managersAway('almaty', new Date('2026-11-26T16:30:00Z'))).toBeNull();
    await t.db
      .insertInto('cities')
      .values({
        name: 'Астана',
        slug: 'astana',
        timezone: 'Asia/Almaty',
        manager_hours: 'mon-fri 09:00-20:00; sat 10:00-18:00',
      })
      .execute();
    // Thursday 14:59 in the city: in
    expect(await service.managersAway('astana', new Date('2026-11-26T09:59:00Z'))).toBeNull();
    // Thursday 21:30: tomorrow 09:00 (04:00Z)
    expect(await service.managersAway('astana', new Date('2026-11-26T16:30:00Z'))).toEqual({
      opensAt: '2026-11-27T04:00:00.000Z',
      inDays: 1,
      time: '09:00',
      date: '27.11',
    });
    // Saturday 20:40: closed on Sunday, Monday 30.11
    expect(await service.managersAway('astana', new Date('2026-11-28T15:40:00Z'))).toMatchObject({
      inDays: 2,
      time: '09:00',
      date: '30.11',
    });
    // Friday 07:00: today at 09:00
    expect(await service.managersAway('astana', new Date('2026-11-27T02:00:00Z'))).toMatchObject({
      inDays: 0,
      opensAt: '2026-11-27T04:00:00.000Z',
    });
  });

  it('adapts the Telegram notifier', async () => {
    const calls: unknown[] = [];
    const n = telegramManagerNotifier({
      notifyManagers: async (city, notice) => {
        calls.push([city, notice.escalationId, notice.history.length]);
        return true;
      },
      forwardShopperMessage: async (city, id, text) => {
        calls.push([city, id, text]);
        return true;
      },
      escalationClosed: async (city, id, why) => {
        calls.push([city, id, why]);
        return true;
      },
    });
    const id = await new EscalationService({ db: t.db, pubsub, deliver: async () => undefined, notifiers: [n] }).open(
      request('106'),
    );
    expect(calls).toEqual([['almaty', id, 1]]);
  });
});
