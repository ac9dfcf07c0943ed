import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { createCity } from './cities.ts';
import { getLead, listLeads, markLeadDone, recordLeads, type NewLead } from './leads.ts';

/**
 * Leads on both databases: a relayed turn written twice is one lead; the list filters by city,
 * flow, status and time, newest first; marking done stamps who and when once.
 */
describe.each(TEST_BACKENDS)('leads on %s', (kind) => {
  let t: TestDatabase;
  let almaty: string;
  let astana: string;
  let managerId: string;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    almaty = (await createCity(t.db, { name: 'Алматы', slug: 'almaty' })).id;
    astana = (await createCity(t.db, { name: 'Астана', slug: 'astana' })).id;
    managerId = (
      await t.db
        .insertInto('users')
        .values({ email: 'm@example.kz', password_hash: 'x', name: 'Менеджер', role: 'manager' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const lead = (recordKey: string, extra: Partial<NewLead> = {}): NewLead => ({
    recordKey,
    cityId: almaty,
    channel: 'telegram',
    userId: '42',
    conversationKey: 'telegram:almaty:42',
    flow: 'measure',
    slots: { address: 'Абая 1', phone: '+77011234567' },
    history: [{ role: 'shopper', text: 'вызвать замерщика', at: '2026-12-01T10:00:00.000Z' }],
    at: new Date('2026-12-01T10:00:05Z'),
    ...extra,
  });

  it('records a lead once however often its turn is relayed, with slots and the conversation', async () => {
    await recordLeads(t.db, [lead('telegram:almaty:42|m1|l0')]);
    await recordLeads(t.db, [lead('telegram:almaty:42|m1|l0', { flow: 'changed' })]);
    const page = await listLeads(t.db, { flow: 'measure' });
    expect(page.total).toBe(1);
    const found = await getLead(t.db, page.items[0]!.id);
    expect(found).toMatchObject({
      cityId: almaty,
      channel: 'telegram',
      userId: '42',
      flow: 'measure',
      slots: { address: 'Абая 1', phone: '+77011234567' },
      status: 'new',
      test: false,
      createdAt: '2026-12-01T10:00:05.000Z',
    });
    // in the order the flow asked them (jsonb would sort the keys)
    expect(Object.keys(found!.slots)).toEqual(['address', 'phone']);
    expect(found!.history).toEqual([{ role: 'shopper', text: 'вызвать замерщика', at: '2026-12-01T10:00:00.000Z' }]);
    expect(await getLead(t.db, 'not-a-uuid')).toBeUndefined();
  });

  it('lists newest first, filtered by city, flow, status and a time window', async () => {
    await recordLeads(t.db, [
      lead('k|sample', { flow: 'fabric_sample', at: new Date('2026-12-02T09:00:00Z') }),
      lead('k|astana', { cityId: astana, conversationKey: 'web:astana:7', at: new Date('2026-12-03T09:00:00Z') }),
      lead('k|test', { test: true, at: new Date('2026-12-04T09:00:00Z') }),
    ]);
    expect((await listLeads(t.db)).total).toBe(3);
    const all = await listLeads(t.db, { includeTest: true });
    expect(all.total).toBe(4);
    expect(all.items.map((l) => l.createdAt.slice(0, 10))).toEqual([
      '2026-12-04',
      '2026-12-03',
      '2026-12-02',
      '2026-12-01',
    ]);
    expect(all.items[0]!.test).toBe(true);
    expect((await listLeads(t.db, { cityId: astana })).items.map((l) => l.conversationKey)).toEqual(['web:astana:7']);
    expect((await listLeads(t.db, { flow: 'fabric_sample' })).total).toBe(1);
    const window = await listLeads(t.db, {
      includeTest: true,
      from: new Date('2026-12-02T00:00:00Z'),
      to: new Date('2026-12-04T00:00:00Z'),
    });
    expect(window.items.map((l) => l.createdAt.slice(0, 10))).toEqual(['2026-12-03', '2026-12-02']);
    const paged = await listLeads(t.db, { includeTest: true }, { limit: 1, offset: 1 });
    expect([paged.total, paged.items.length]).toEqual([4, 1]);
  });

  it('marks a lead done once: who and when stay those of the first mark', async () => {
    const { items } = await listLeads(t.db, { flow: 'fabric_sample' });
    const id = items[0]!.id;
    const first = await markLeadDone(t.db, id, managerId);
    expect(first!.changed).toBe(true);
    expect(first!.before.status).toBe('new');
    expect(first!.after).toMatchObject({ status: 'done', doneBy: managerId });
    const again = await markLeadDone(t.db, id, managerId);
    expect(again!.changed).toBe(false);
    expect(again!.after.doneAt).toBe(first!.after.doneAt);
    expect((await listLeads(t.db, { status: 'done' })).items.map((l) => l.id)).toEqual([id]);
    expect((await listLeads(t.db, { status: 'new', includeTest: true })).total).toBe(3);
    expect(await markLeadDone(t.db, '00000000-0000-4000-8000-000000000000', managerId)).toBeUndefined();
  });
});
