import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from './latency.ts';
import { byTurnKind } from './turnKinds.ts';

const rec = (...ms: number[]) => {
  const r = new LatencyRecorder();
  for (const x of ms) r.record(x);
  return r.serialize();
};

describe('turn kinds of the load bench', () => {
  it('groups both channels of a label and the checkout questions together, in a fixed order', () => {
    const kinds = byTurnKind({
      'wa place': rec(9),
      'tg search': rec(1, 2),
      'wa refine': rec(3),
      'tg phone': rec(4),
      'wa delivery': rec(5),
      'tg greeting': rec(100),
    });
    expect([...kinds.keys()]).toEqual(['search', 'checkout answer', 'place order']);
    expect(kinds.get('search')?.count).toBe(3);
    expect(kinds.get('checkout answer')?.count).toBe(2);
    expect(kinds.get('place order')?.summary().max).toBe(9);
  });
});
