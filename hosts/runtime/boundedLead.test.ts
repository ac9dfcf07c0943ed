import { describe, expect, it } from 'vitest';
import { boundedLead } from './leads.ts';

/**
 * What PostgreSQL refuses never reaches the leads table: the engine already cuts whole characters,
 * but a lead is bounded again where it leaves the turn, so an effect from anywhere is storable.
 */
describe('boundedLead', () => {
  it('drops a NUL and an emoji cut in half by the 4,000-character bound; an empty flow gets a name', () => {
    const lead = boundedLead({
      type: 'recordLead',
      flow: '',
      slots: { address: 'Абая\u0000 1' },
      history: [{ role: 'shopper', text: `${'а'.repeat(3_999)}🛋`, at: '2026-12-01T10:00:00.000Z' }],
    });
    expect(lead).toEqual({
      flow: 'unnamed',
      slots: { address: 'Абая 1' },
      history: [{ role: 'shopper', text: 'а'.repeat(3_999), at: '2026-12-01T10:00:00.000Z' }],
    });
  });
});
