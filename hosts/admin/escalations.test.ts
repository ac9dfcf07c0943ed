import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { recordMessages } from '../../storage/repos/messages.ts';
import { createAdminHarness, cookieHeader, cookiesOf, TEST_PASSWORD, type AdminHarness } from './testing.ts';

type Json = Record<string, unknown> & { error?: { code: string } };
const json = async (res: Response) => (await res.json()) as Json;

/** an SSE response read frame by frame; `until` waits for a condition on everything read so far */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: string }[] = [];
  let buffer = '';
  return {
    events,
    async until(done: (events: { event: string; data: string }[]) => boolean) {
      while (!done(events)) {
        const { value, done: ended } = await reader.read();
        if (ended) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data !== undefined) events.push({ event, data });
        }
      }
      return events;
    },
    close: () => reader.cancel(),
  };
}

async function readEvents(res: Response, until: (events: { event: string; data: string }[]) => boolean) {
  const sse = sseReader(res);
  const events = await sse.until(until);
  await sse.close();
  return events;
}

describe.each(TEST_BACKENDS)('escalation routes on %s', (kind) => {
  let h: AdminHarness;
  let escalationId: string;
  beforeAll(async () => {
    h = await createAdminHarness(kind);
    await h.call('POST', '/cities', { as: 'owner', body: { name: 'Шымкент', slug: 'shymkent' } });
    escalationId = await h.deps.escalations.open({
      address: { channel: 'whatsapp', city: 'shymkent', chatId: '77011234567' },
      conversationKey: 'whatsapp:shymkent:77011234567',
      reason: 'asked for a manager',
      trigger: 'request',
      history: [{ role: 'shopper', text: 'Хочу поговорить с менеджером', at: '2026-01-01T09:00:00.000Z' }],
      idempotencyKey: 'wamid.1',
    });
    await recordMessages(h.t.db, [
      {
        conversationKey: 'whatsapp:shymkent:77011234567',
        channel: 'whatsapp',
        direction: 'in',
        text: 'Хочу поговорить с менеджером',
        at: new Date('2026-01-01T09:00:00Z'),
      },
      {
        conversationKey: 'whatsapp:shymkent:77011234567',
        channel: 'whatsapp',
        direction: 'out',
        text: 'Зову менеджера…',
        at: new Date('2026-01-01T09:00:01Z'),
      },
    ]);
  });
  afterAll(async () => h.close());

  it('lists by status with paging and shows one with history, messages and the conversation log', async () => {
    const list = await json(await h.call('GET', '/escalations?status=pending&limit=10', { as: 'viewer' }));
    expect(list.total).toBe(1);
    expect((list.items as { id: string }[])[0]!.id).toBe(escalationId);
    expect((await json(await h.call('GET', '/escalations?status=resolved', { as: 'viewer' }))).total).toBe(0);
    expect((await h.call('GET', '/escalations?status=lost', { as: 'viewer' })).status).toBe(400);
    const one = await json(await h.call('GET', `/escalations/${escalationId}`, { as: 'viewer' }));
    expect(one.escalation).toMatchObject({
      status: 'pending',
      channel: 'whatsapp',
      conversationHistory: [{ role: 'shopper' }],
    });
    expect((one.conversation as { direction: string }[]).map((m) => m.direction)).toEqual(['in', 'out']);
    expect(one.messages).toEqual([]);
    expect((await h.call('GET', '/escalations/00000000-0000-4000-8000-000000000000', { as: 'viewer' })).status).toBe(
      404,
    );
  });

  it('assigns to me, to another manager, refuses a viewer as assignee, unassigns', async () => {
    const me = await json(await h.call('POST', `/escalations/${escalationId}/assign`, { as: 'manager', body: {} }));
    expect(me.escalation).toMatchObject({ assignedTo: h.users.manager.id });
    expect((await json(await h.call('GET', '/escalations?assigned=me', { as: 'manager' }))).total).toBe(1);
    const other = await json(
      await h.call('POST', `/escalations/${escalationId}/assign`, { as: 'admin', body: { userId: h.users.owner.id } }),
    );
    expect(other.escalation).toMatchObject({ assignedTo: h.users.owner.id });
    expect(
      (
        await h.call('POST', `/escalations/${escalationId}/assign`, {
          as: 'admin',
          body: { userId: h.users.viewer.id },
        })
      ).status,
    ).toBe(422);
    expect((await h.call('POST', `/escalations/${escalationId}/assign`, { as: 'viewer', body: {} })).status).toBe(403);
    const back = await json(
      await h.call('POST', `/escalations/${escalationId}/assign`, {
        as: 'manager',
        body: { userId: h.users.manager.id },
      }),
    );
    expect(back.escalation).toMatchObject({ assignedTo: h.users.manager.id });
  });

  it('streams live updates over SSE and delivers a reply to the shopper through the original channel', async () => {
    const stream = await h.call('GET', '/escalations/stream', { as: 'manager' });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const sse = sseReader(stream);
    // `ready` is sent once the stream is subscribed: anything published after it reaches us
    await sse.until((events) => events.some((e) => e.event === 'ready'));

    const res = await h.call('POST', `/escalations/${escalationId}/reply`, {
      as: 'manager',
      body: { text: '  Здравствуйте! Диван есть в наличии.  ' },
    });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.message).toMatchObject({
      author: 'manager',
      text: 'Здравствуйте! Диван есть в наличии.',
      authorUserId: h.users.manager.id,
    });
    expect(body.escalation).toMatchObject({ status: 'in_progress' });
    expect(h.delivered).toHaveLength(1);
    expect(h.delivered[0]).toMatchObject({
      address: { channel: 'whatsapp', city: 'shymkent', chatId: '77011234567' },
      event: { type: 'manager.replied', text: 'Здравствуйте! Диван есть в наличии.', managerName: 'The manager' },
    });

    const events = await sse.until((all) => all.some((e) => e.event === 'escalation.updated'));
    await sse.close();
    expect(events[0]!.event).toBe('ready');
    const message = events.find((e) => e.event === 'escalation.message')!;
    expect(JSON.parse(message.data)).toMatchObject({
      escalationId,
      message: { text: 'Здравствуйте! Диван есть в наличии.' },
    });
    expect(
      (await h.call('POST', `/escalations/${escalationId}/reply`, { as: 'manager', body: { text: '   ' } })).status,
    ).toBe(400);
  });

  it('the SSE stream works with the session cookie (EventSource sends no headers)', async () => {
    const login = await h.call('POST', '/auth/login', { body: { email: 'viewer@zeta.test', password: TEST_PASSWORD } });
    const res = await h.app.request('/escalations/stream', { headers: { cookie: cookieHeader(cookiesOf(login)) } });
    expect(res.status).toBe(200);
    const events = await readEvents(res, (e) => e.length > 0);
    expect(events[0]!.event).toBe('ready');
  });

  it('resolves: manager.resolved reaches the shopper, replies are refused afterwards, audit records it', async () => {
    const res = await h.call('POST', `/escalations/${escalationId}/resolve`, { as: 'manager' });
    expect(res.status).toBe(200);
    expect((await json(res)).escalation).toMatchObject({ status: 'resolved' });
    expect(h.delivered.at(-1)).toMatchObject({
      address: { chatId: '77011234567' },
      event: { type: 'manager.resolved' },
    });
    expect(
      (await h.call('POST', `/escalations/${escalationId}/reply`, { as: 'manager', body: { text: 'ещё' } })).status,
    ).toBe(409);
    const one = await json(await h.call('GET', `/escalations/${escalationId}`, { as: 'viewer' }));
    expect((one.messages as unknown[]).length).toBe(1);
    await vi.waitFor(async () => {
      const audit = await h.t.db
        .selectFrom('audit_log')
        .select(['action', 'before', 'after'])
        .where('entity', '=', 'escalation')
        .orderBy('created_at')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'escalation.assign',
        'escalation.assign',
        'escalation.assign',
        'escalation.reply',
        'escalation.resolve',
      ]);
      expect(audit.at(-1)).toMatchObject({ before: { status: 'in_progress' }, after: { status: 'resolved' } });
    });
  });
});

describe.each(TEST_BACKENDS)(
  'escalation create (POST /escalations) and update (PUT /escalations/:id) on %s',
  (kind) => {
    let h: AdminHarness;
    beforeAll(async () => {
      h = await createAdminHarness(kind);
      await h.call('POST', '/cities', { as: 'owner', body: { name: 'Алматы', slug: 'almaty' } });
    });
    afterAll(async () => h.close());

    it('POST /escalations opens one per open conversation; PUT changes status and assignee', async () => {
      const body = {
        channel: 'telegram',
        city: 'almaty',
        chatId: '555',
        reason: 'VIP',
        history: [{ role: 'shopper', text: 'hi', at: '2026-01-01T00:00:00.000Z' }],
      };
      await recordMessages(h.t.db, [
        { conversationKey: 'telegram:almaty:555', channel: 'telegram', direction: 'in', text: 'hi' },
      ]);
      const first = await h.call('POST', '/escalations', { as: 'manager', body });
      expect(first.status).toBe(201);
      const id = ((await json(first)).escalation as { id: string }).id;
      const again = await h.call('POST', '/escalations', { as: 'manager', body });
      expect(again.status).toBe(200);
      expect(((await json(again)).escalation as { id: string }).id).toBe(id);
      expect(
        (await h.call('POST', '/escalations', { as: 'manager', body: { ...body, city: 'atlantis' } })).status,
      ).toBe(404);
      expect((await h.call('POST', '/escalations', { as: 'manager', body: { ...body, channel: 'fax' } })).status).toBe(
        400,
      );

      const taken = await json(
        await h.call('PUT', `/escalations/${id}`, {
          as: 'manager',
          body: { status: 'in_progress', assignedTo: h.users.manager.id },
        }),
      );
      expect(taken.escalation).toMatchObject({ status: 'in_progress', assignedTo: h.users.manager.id });
      expect((await h.call('PUT', `/escalations/${id}`, { as: 'manager', body: {} })).status).toBe(400);
      const resolved = await json(
        await h.call('PUT', `/escalations/${id}`, { as: 'manager', body: { status: 'resolved' } }),
      );
      expect(resolved.escalation).toMatchObject({ status: 'resolved' });
      expect(h.delivered.at(-1)).toMatchObject({
        address: { channel: 'telegram', city: 'almaty', chatId: '555' },
        event: { type: 'manager.resolved' },
      });
      expect((await h.call('PUT', `/escalations/${id}`, { as: 'manager', body: { status: 'pending' } })).status).toBe(
        409,
      );
    });
  },
);
