import { describe, expect, it } from 'vitest';
import { deliveredTurnRecords, type DeliveredTurn } from './records.ts';

const address = { channel: 'telegram' as const, city: 'almaty', chatId: '42' };
const at = new Date('2026-11-26T10:00:00.000Z');
const turn = (over: Partial<DeliveredTurn> = {}): DeliveredTurn => ({
  key: 'telegram:almaty:42|u1',
  conversationKey: 'telegram:almaty:42',
  address,
  event: { type: 'text', text: '  Хочу красный диван до 150000 ', at: at.toISOString() },
  system: false,
  replies: [
    { type: 'text', text: 'Нашёл 3' },
    { type: 'text', text: 'Ещё?' },
  ],
  tracked: [
    { name: 'search', props: { query: 'хочу', category: 'sofa', total: 3 } },
    { name: 'product_view', props: { sku: 'S-1' } },
  ],
  leads: [],
  at,
  responseMs: 240,
  testTraffic: false,
  ...over,
});
const events = (t: DeliveredTurn) => deliveredTurnRecords(t).tracked.map(({ name, props }) => ({ name, props }));

describe('deliveredTurnRecords', () => {
  it('a shopper message: message_in, the engine events (searches with the typed words), message_out with the response time', () => {
    const records = deliveredTurnRecords(turn());
    expect(records.messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', '  Хочу красный диван до 150000 '],
      ['out', 'Нашёл 3'],
      ['out', 'Ещё?'],
    ]);
    expect(events(turn())).toEqual([
      { name: 'message_in', props: { kind: 'text' } },
      { name: 'search', props: { query: 'хочу', category: 'sofa', total: 3, text: 'Хочу красный диван до 150000' } },
      { name: 'product_view', props: { sku: 'S-1' } },
      { name: 'message_out', props: { replies: 2, responseMs: 240 } },
    ]);
    expect(records.testTraffic).toBeUndefined();
  });

  it('a tap has no typed words; a turn without replies has no message_out', () => {
    const tap = turn({ event: { type: 'choice', id: 'cat:sofa', at: at.toISOString() }, replies: [] });
    expect(events(tap)).toEqual([
      { name: 'message_in', props: { kind: 'choice' } },
      { name: 'search', props: { query: 'хочу', category: 'sofa', total: 3 } },
      { name: 'product_view', props: { sku: 'S-1' } },
    ]);
  });

  it('a system turn (a manager reply) is no shopper message: only a proactive message_out, without a response time', () => {
    const manager = turn({
      system: true,
      event: { type: 'manager.replied', text: 'Здравствуйте', at: at.toISOString() },
      tracked: [],
    });
    delete manager.responseMs;
    expect(events(manager)).toEqual([{ name: 'message_out', props: { replies: 2, proactive: true } }]);
    expect(deliveredTurnRecords(manager).messages.map((m) => m.direction)).toEqual(['out', 'out']);
  });

  it('a lead the turn recorded goes with its records, for its conversation, and counts as a lead event', () => {
    const lead = { flow: 'measure', slots: { phone: '+77011234567' }, history: [] };
    const records = deliveredTurnRecords(turn({ leads: [lead] }));
    expect(records.leads).toEqual([{ ...lead, address, conversationKey: 'telegram:almaty:42', at }]);
    expect(records.tracked.map((e) => e.name)).toEqual(['message_in', 'search', 'product_view', 'lead', 'message_out']);
    expect(records.tracked[3]!.props).toEqual({ flow: 'measure' });
    expect(deliveredTurnRecords(turn()).leads).toBeUndefined();
  });

  it('staff traffic is marked', () => {
    expect(deliveredTurnRecords(turn({ testTraffic: true })).testTraffic).toBe(true);
  });
});
