import { describe, expect, it } from 'vitest';
import { Convo, loadDefaultScenario, ofType, search, texts } from '../../scenarios/engine-testkit.ts';
import { ORDER_NOTICE_STATUSES } from '../events.ts';

const s = loadDefaultScenario();
const notice = (status: (typeof ORDER_NOTICE_STATUSES)[number], extra: { store?: string } = {}) =>
  ({ type: 'order.status', orderId: 'o-1', number: 12, status, total: 270_000, currency: 'KZT', ...extra }) as const;

describe('order status news', () => {
  it('every status reads in the shopper language with the order number, the total and the store', () => {
    const c = new Convo(s);
    expect(texts(c.send(notice('paid')))).toEqual(['✅ Заказ № 12 оплачен: 270 000 ₸. Спасибо!']);
    expect(texts(c.send(notice('ready_for_pickup', { store: 'ТРЦ Mega, Розыбакиева 247' })))).toEqual([
      '📦 Заказ № 12 готов к выдаче: ТРЦ Mega, Розыбакиева 247',
    ]);
    expect(ofType(c.send(notice('shipped')), 'track')).toEqual([
      { type: 'track', name: 'order_status_notified', props: { orderId: 'o-1', status: 'shipped' } },
    ]);
    c.send({ type: 'choice', id: 'lang:kk' });
    expect(texts(c.send(notice('cancelled')))[0]).toMatch(/^❌ № 12 тапсырыс тоқтатылды/);
    c.send({ type: 'choice', id: 'lang:en' });
    for (const status of ORDER_NOTICE_STATUSES) expect(texts(c.send(notice(status)))[0]).toMatch(/Order № 12/);
  });

  it('reaches the shopper in any state and leaves the conversation where it was', () => {
    const c = new Convo(s);
    c.say('диван', search({ category: 'sofa' }));
    const before = c.value;
    expect(texts(c.send(notice('confirmed')))).toEqual(['👍 Заказ № 12 подтверждён, готовим его.']);
    expect(c.value).toEqual(before);
  });
});
