import { describe, expect, it } from 'vitest';
import type { Effect } from '../../engine/effects.ts';
import { EFFECT_TYPES } from '../../engine/events.ts';
import { DraftSimulator, OUTWARD_EFFECTS } from './simulatedEffects.ts';

/** effects a draft conversation carries out for real: they stay inside the conversation or only read */
const CARRIED_OUT = [
  'reply',
  'understand',
  'search',
  'lookupSku',
  'readImage',
  'describeImage',
  'transcribe',
  'forgetPreferences', // the draft space has no profiles: a no-op
  'recommend', // idem: nothing to recommend from
  'track', // the draft space writes no analytics
  'schedule', // the draft space keeps no timers
  'cancel',
  'warning',
  'prepareCheckout', // reads the live catalog and the city's settings
  'findOrders', // a draft conversation has no orders: none found
];

const turn = { address: { city: 'almaty' }, conversationKey: 'web:almaty:draft-u' };
const simulator = () =>
  new DraftSimulator({ managersAway: async () => null, clock: () => new Date('2026-12-07T10:00:00Z') });

describe('the draft space effect sink', () => {
  it('knows every effect the engine has: simulated or carried out (a new one must be decided)', () => {
    const undecided = EFFECT_TYPES.filter((t) => !OUTWARD_EFFECTS.has(t) && !CARRIED_OUT.includes(t));
    expect(undecided).toEqual([]);
  });

  it('answers an escalation and an alert as the engine expects, and notes them per conversation', async () => {
    const sink = simulator();
    const escalated = await sink.simulate({ type: 'escalate', reason: 'asked', trigger: 'request', history: [] }, turn);
    expect(escalated?.event).toMatchObject({ type: 'escalate.done', escalationId: expect.stringMatching(/^draft-/) });
    const alert = await sink.simulate(
      {
        type: 'createAlert',
        target: { kind: 'product', productId: 'p', sku: 'SOFA-001', price: 100, targetPrice: 90 },
      },
      turn,
    );
    expect(alert?.event).toMatchObject({ type: 'createAlert.done' });
    expect(await sink.simulate({ type: 'search', criteria: {}, page: 1, pageSize: 5 }, turn)).toBeUndefined();
    expect(sink.take(turn.conversationKey)).toEqual([
      { effect: 'escalate', summary: 'hand the conversation to a manager (trigger: request; asked)' },
      { effect: 'createAlert', summary: 'watch the price of SOFA-001 until it is 90 or less' },
    ]);
    expect(sink.take(turn.conversationKey)).toEqual([]);
  });

  it("tells when a designer flow's reminder would come; the engine's own timers pass silently", async () => {
    const sink = simulator();
    const dueAt = '2026-12-08T10:00:00.000Z';
    expect(await sink.simulate({ type: 'schedule', timerId: 'remind:3', dueAt }, turn)).toEqual({});
    expect(await sink.simulate({ type: 'schedule', timerId: 'idle:4', dueAt }, turn)).toBeUndefined();
    expect(sink.take(turn.conversationKey)).toEqual([{ effect: 'remind', summary: `remind the shopper at ${dueAt}` }]);
  });

  it('pretends a draft checkout: an order placed as the engine expects it, nothing written', async () => {
    const sink = simulator();
    const order = {
      lines: [{ productId: 'p', sku: 'SOFA-001', quantity: 1, price: 150_000 }],
      customer: { name: 'Айгерим', phone: '+77011234567' },
      delivery: { kind: 'pickup' as const, store: 'dostyk' },
      method: 'stripe' as const,
      details: {},
      total: 150_000,
      currency: 'KZT',
    };
    const placed = await sink.simulate({ type: 'placeOrder', order }, turn);
    expect(placed?.event).toMatchObject({
      type: 'order.placed',
      orderId: expect.stringMatching(/^draft-/),
      number: 1,
      total: 150_000,
      payment: { kind: 'link' },
    });
    expect(sink.take(turn.conversationKey)).toEqual([
      { effect: 'placeOrder', summary: 'place an order of 1 line(s), 150000 KZT, pickup at dostyk, paid by stripe' },
    ]);
  });

  it("simulates a designer flow's lead by its name, before the engine's union names it", async () => {
    const sink = simulator();
    const lead = {
      type: 'recordLead',
      flow: 'measure',
      slots: { address: 'Абая 1', phone: '+77011234567' },
      history: [],
    };
    expect(await sink.simulate(lead as unknown as Effect, turn)).toEqual({});
    expect(sink.take(turn.conversationKey)).toEqual([
      { effect: 'recordLead', summary: 'record a lead from flow "measure": address=Абая 1, phone=+77011234567' },
    ]);
  });
});
