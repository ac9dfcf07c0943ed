import { describe, expect, it } from 'vitest';
import { Convo, loadDefaultScenario, ofType, product, texts } from '../../scenarios/engine-testkit.ts';
import type { Lang } from '../catalog.ts';
import type { EngineEvent } from '../events.ts';

/**
 * What the shopper reads once the shop placed the order: «№ N, total» and how to pay it, in the
 * conversation's language. A test order (staff's test traffic) says plainly that nothing is paid.
 */
const s = loadDefaultScenario();
type Payment = Extract<EngineEvent, { type: 'order.placed' }>['payment'];

/** the checkout of one sofa through the default flow, up to the order the shop is asked to place */
function placing(lang: Lang): Convo {
  const c = new Convo(s, { channel: 'telegram', lang });
  c.send({ type: 'choice', id: 'c:SOFA-001' });
  c.send({ type: 'lookupSku.done', sku: 'SOFA-001', product: product('SOFA-001', 250_000) });
  c.send({ type: 'choice', id: 'checkout' });
  c.send({
    type: 'checkout.ready',
    lines: [
      { productId: 'id-SOFA-001', sku: 'SOFA-001', name: 'Диван', price: 250_000, currency: 'KZT', available: true },
    ],
    stores: [],
    methods: ['stripe'],
  });
  c.send({ type: 'choice', id: 'f:delivery' });
  c.send({ type: 'text', text: 'Абая 10, кв. 5' });
  c.send({ type: 'text', text: 'Айгерим' });
  c.send({ type: 'text', text: '+7 701 123 45 67' });
  c.send({ type: 'choice', id: 'f:stripe' });
  const asked = c.send({ type: 'choice', id: 'f:confirm' });
  expect(ofType(asked, 'placeOrder')).toHaveLength(1);
  return c;
}
const placed = (c: Convo, payment: Payment) =>
  texts(c.send({ type: 'order.placed', orderId: 'o-7', number: 7, total: 250_000, currency: 'KZT', payment })).join(
    '\n',
  );

describe('the order placed, as the shopper reads it', () => {
  it.each<[Lang, RegExp]>([
    ['ru', /№ 7 .*\n🧪 Это тестовый заказ: оплата не берётся/],
    ['kk', /№ 7 .*\n🧪 Бұл сынақ тапсырыс: төлем алынбайды/],
    ['en', /№ 7 .*\n🧪 This is a test order: no payment is taken/],
  ])('%s: a test order says no payment is taken, and offers no link', (lang, words) => {
    const said = placed(placing(lang), { kind: 'test' });
    expect(said).toMatch(words);
    expect(said).not.toContain('https://');
  });

  it('a shopper’s order paid online gets its link', () => {
    const said = placed(placing('ru'), { kind: 'link', url: 'https://pay.example.test/o-7' });
    expect(said).toContain('💳 Оплатить онлайн: https://pay.example.test/o-7');
    expect(said).not.toMatch(/тестовый/);
  });

  it('a Kaspi invoice names the number it went to as people read it', () => {
    const said = placed(placing('ru'), { kind: 'kaspi_invoice', phone: '+77011234567' });
    expect(said).toContain('Счёт Kaspi отправлен на номер +7 701 123 45 67');
  });
});
