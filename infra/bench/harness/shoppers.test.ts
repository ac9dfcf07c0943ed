import { describe, expect, it } from 'vitest';
import { DEFAULT_MIX, joinAt, prng, session, type Step } from './shoppers.ts';

const labels = (steps: Step[]) => steps.map((s) => (s.kind === 'start' ? 'start' : s.label));

describe('the load bench shoppers', () => {
  const rnd = prng(7);
  const sessions = Array.from({ length: 20_000 }, () => session(rnd, DEFAULT_MIX));

  it('add to the cart in ~20 % of visits and place an order in ~5 %, through every checkout question', () => {
    const share = (label: string) => sessions.filter((s) => labels(s).includes(label)).length / sessions.length;
    expect(share('cart')).toBeCloseTo(0.2, 1);
    expect(share('place')).toBeGreaterThan(0.04);
    expect(share('place')).toBeLessThan(0.06);
    const buyer = sessions.find((s) => labels(s).includes('place'))!;
    const from = labels(buyer).indexOf('cart');
    expect(labels(buyer).slice(from, from + 8)).toEqual([
      'cart',
      'checkout',
      'delivery',
      'address',
      'name',
      'phone',
      'payment',
      'place',
    ]);
  });

  it('never join a visit mid-purchase: a shopper landing there starts at the product card', () => {
    const buyer = sessions.find((s) => labels(s).includes('place'))!;
    const card = labels(buyer).indexOf('details');
    const place = labels(buyer).indexOf('place');
    for (let pos = 0; pos < buyer.length; pos++)
      expect(joinAt(buyer, pos)).toBe(pos > card && pos <= place ? card : pos);
    const browser = sessions.find((s) => !labels(s).includes('cart'))!;
    for (let pos = 0; pos < browser.length; pos++) expect(joinAt(browser, pos)).toBe(pos);
  });
});
