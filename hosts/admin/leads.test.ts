import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { createCity } from '../../storage/repos/cities.ts';
import { recordLeads } from '../../storage/repos/leads.ts';
import { recordMessages } from '../../storage/repos/messages.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';

type Json = Record<string, any>;
const json = async (res: Response) => (await res.json()) as Json;

/**
 * The leads API on both databases: managers list leads by city, flow, status and period, open one
 * with its slots and the conversation up to it, and mark it done (audited once); bad query
 * parameters are a 400 naming the parameter. Leads are written as the record relay writes them.
 */
describe.each(TEST_BACKENDS)('leads API on %s', (kind) => {
  let h: AdminHarness;
  let almaty: string;
  beforeAll(async () => {
    h = await createAdminHarness(kind);
    almaty = (await createCity(h.t.db, { name: 'Алматы', slug: 'almaty' })).id;
    const astana = (await createCity(h.t.db, { name: 'Астана', slug: 'astana' })).id;
    const base = { channel: 'telegram', userId: '77', slots: { address: 'Абая 1', phone: '+77011234567' } };
    await recordMessages(h.t.db, [
      {
        conversationKey: 'telegram:almaty:77',
        channel: 'telegram',
        cityId: almaty,
        direction: 'in',
        text: 'вызвать замерщика',
        at: new Date('2026-12-01T10:00:00Z'),
      },
      {
        conversationKey: 'telegram:almaty:77',
        channel: 'telegram',
        cityId: almaty,
        direction: 'out',
        text: 'Ваш адрес?',
        at: new Date('2026-12-01T10:00:01Z'),
      },
      {
        conversationKey: 'telegram:almaty:77',
        channel: 'telegram',
        cityId: almaty,
        direction: 'in',
        text: 'потом',
        at: new Date('2026-12-02T10:00:00Z'),
      },
    ]);
    await recordLeads(h.t.db, [
      {
        ...base,
        recordKey: 'a|1|l0',
        cityId: almaty,
        conversationKey: 'telegram:almaty:77',
        flow: 'measure',
        history: [{ role: 'shopper', text: 'вызвать замерщика', at: '2026-12-01T10:00:00.000Z' }],
        at: new Date('2026-12-01T10:00:05Z'),
      },
      {
        ...base,
        recordKey: 'b|1|l0',
        cityId: astana,
        conversationKey: 'telegram:astana:77',
        flow: 'fabric_sample',
        history: [],
        at: new Date('2026-12-03T10:00:00Z'),
      },
      {
        ...base,
        recordKey: 'c|1|l0',
        cityId: almaty,
        conversationKey: 'web:almaty:staff',
        flow: 'measure',
        history: [],
        test: true,
        at: new Date('2026-12-04T10:00:00Z'),
      },
    ]);
  });
  afterAll(async () => h.close());

  it('lists leads newest first by city, flow and period; test leads only when asked', async () => {
    const all = await json(await h.call('GET', '/leads', { as: 'manager' }));
    expect(all.total).toBe(2);
    expect(all.items.map((l: Json) => l.flow)).toEqual(['fabric_sample', 'measure']);
    expect(all.items[1]).toMatchObject({
      cityId: almaty,
      channel: 'telegram',
      userId: '77',
      status: 'new',
      test: false,
    });
    expect(all.items[1].slots).toEqual({ address: 'Абая 1', phone: '+77011234567' });
    expect(all.items[1].history).toBeUndefined();
    const almatyOnly = await json(await h.call('GET', '/leads?city=almaty&includeTest=true', { as: 'admin' }));
    expect(almatyOnly.items.map((l: Json) => [l.flow, l.test])).toEqual([
      ['measure', true],
      ['measure', false],
    ]);
    expect((await json(await h.call('GET', '/leads?flow=fabric_sample', { as: 'owner' }))).total).toBe(1);
    const window = await json(await h.call('GET', '/leads?from=2026-12-02&to=2026-12-05', { as: 'manager' }));
    expect(window.items.map((l: Json) => l.flow)).toEqual(['fabric_sample']);
  });

  it('answers bad parameters with a 400 naming them, and an unknown city with a 404', async () => {
    for (const [query, field] of [
      ['from=yesterday', 'from'],
      ['to=2026-13-45', 'to'],
      ['flow=Not%20a%20flow', 'flow'],
      ['status=open', 'status'],
      ['limit=0', 'limit'],
      ['includeTest=maybe', 'includeTest'],
    ] as const) {
      const res = await h.call('GET', `/leads?${query}`, { as: 'manager' });
      expect(res.status, query).toBe(400);
      const body = await json(res);
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.map((d: Json) => d.path)).toContain(field);
    }
    const backwards = await h.call('GET', '/leads?from=2026-12-05&to=2026-12-01', { as: 'manager' });
    expect(backwards.status).toBe(400);
    expect((await json(backwards)).error.message).toMatch(/from must be before to/);
    expect((await h.call('GET', '/leads?city=nowhere', { as: 'manager' })).status).toBe(404);
  });

  it('opens a lead with its slots, the conversation it saw and the log up to it; marks it done once, audited', async () => {
    const [lead] = (await json(await h.call('GET', '/leads?city=almaty', { as: 'manager' }))).items;
    const detail = await json(await h.call('GET', `/leads/${lead.id}`, { as: 'manager' }));
    expect(detail.lead.history).toEqual([
      { role: 'shopper', text: 'вызвать замерщика', at: '2026-12-01T10:00:00.000Z' },
    ]);
    expect(detail.conversation.map((m: Json) => [m.direction, m.text])).toEqual([
      ['in', 'вызвать замерщика'],
      ['out', 'Ваш адрес?'],
    ]);
    expect(detail.doneBy).toBeNull();

    const done = await h.call('POST', `/leads/${lead.id}/done`, { as: 'manager' });
    expect(done.status).toBe(200);
    expect((await json(done)).lead).toMatchObject({ status: 'done', doneBy: h.users.manager.id });
    const again = await h.call('PATCH', `/leads/${lead.id}/done`, { as: 'admin' });
    expect((await json(again)).lead.doneBy).toBe(h.users.manager.id);
    const audit = await h.t.db.selectFrom('audit_log').selectAll().where('entity', '=', 'lead').execute();
    expect(audit.map((a) => [a.action, a.entity_id, a.user_id])).toEqual([['lead.done', lead.id, h.users.manager.id]]);
    const reopened = await json(await h.call('GET', `/leads/${lead.id}`, { as: 'manager' }));
    expect(reopened.doneBy).toMatchObject({ id: h.users.manager.id, name: 'The manager' });
    expect((await json(await h.call('GET', '/leads?status=done', { as: 'manager' }))).total).toBe(1);

    expect((await h.call('GET', '/leads/00000000-0000-4000-8000-000000000000', { as: 'manager' })).status).toBe(404);
    expect((await h.call('POST', '/leads/not-a-uuid/done', { as: 'manager' })).status).toBe(404);
    expect((await h.call('GET', '/leads', { as: 'designer' })).status).toBe(403);
    expect((await h.call('GET', '/leads', { as: 'viewer' })).status).toBe(403);
  });
});
