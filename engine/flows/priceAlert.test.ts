import { describe, expect, it } from 'vitest';
import { productHandle } from '../machine/handles.ts';
import {
  Convo,
  loadDefaultScenario,
  ofType,
  optionIds,
  product,
  replies,
  search,
  texts,
  types,
} from '../../scenarios/engine-testkit.ts';

const s = loadDefaultScenario();
const sofa = product('SOFA-001', 250_000, { name: 'Диван Милан' });

describe('price alert flow', () => {
  it('from a card button: lookup → createAlert → confirmation', () => {
    const c = new Convo(s);
    expect(ofType(c.send({ type: 'choice', id: 'a:SOFA-001' }), 'lookupSku')).toEqual([
      { type: 'lookupSku', sku: 'SOFA-001' },
    ]);
    expect(c.value).toEqual({ alerts: 'lookingUp' });
    const created = c.send({ type: 'lookupSku.done', sku: 'SOFA-001', product: sofa });
    expect(ofType(created, 'createAlert')).toEqual([
      { type: 'createAlert', target: { kind: 'product', productId: 'id-SOFA-001', sku: 'SOFA-001', price: 250_000 } },
    ]);
    const ok = c.send({ type: 'createAlert.done', alertId: 'al-1' });
    expect(texts(ok)).toEqual(['Готово! Сообщу, когда «Диван Милан» (250 000 ₸) подешевеет 🔔']);
    expect(optionIds(ok)).toEqual([`u:${productHandle('SOFA-001')}`, 'menu']);
    expect(c.value).toBe('idle');
  });

  it('«уведоми когда подешевеет» about the product in focus, with a target price', () => {
    const c = new Convo(s);
    c.send({ type: 'choice', id: 'p:SOFA-001' });
    c.send({ type: 'lookupSku.done', sku: 'SOFA-001', product: sofa });
    const out = c.say('сообщи когда будет дешевле 200 тысяч', {
      name: 'create_price_alert',
      args: { target_price: 200_000 },
    });
    expect(ofType(out, 'createAlert')[0]?.target).toEqual({
      kind: 'product',
      productId: 'id-SOFA-001',
      sku: 'SOFA-001',
      price: 250_000,
      targetPrice: 200_000,
    });
    expect(c.value).toEqual({ alerts: 'creating' });
    expect(texts(c.send({ type: 'createAlert.done', alertId: 'al-2' }))).toEqual([
      'Готово! Сообщу, когда «Диван Милан» подешевеет до 200 000 ₸ 🔔 Сейчас: 250 000 ₸.',
    ]);
    // the card's own button for the focused product skips the lookup
    expect(types(c.send({ type: 'choice', id: 'a:SOFA-001' }))).toEqual(['createAlert']);
  });

  it('a single search result is the product in focus', () => {
    const c = new Convo(s);
    c.say('диван милан', search({ query: 'милан' }));
    c.send({ type: 'search.done', items: [sofa], total: 1 });
    expect(types(c.say('уведоми когда подешевеет', { name: 'create_price_alert', args: {} }))).toEqual(['createAlert']);
  });

  it('no product in context → asks which one; a SKU in the intent → lookup', () => {
    const c = new Convo(s);
    expect(texts(c.say('уведоми когда подешевеет', { name: 'create_price_alert', args: {} }))).toEqual([
      s.texts.ru.alertAskProduct,
    ]);
    expect(types(c.say('следи за BED-002', { name: 'create_price_alert', args: { sku: 'BED-002' } }))).toEqual([
      'lookupSku',
    ]);
    expect(texts(c.send({ type: 'lookupSku.done', sku: 'BED-002', product: null }))[0]).toContain('BED-002');
  });

  it('unsubscribe by button and by intent', () => {
    const c = new Convo(s);
    const out = c.send({ type: 'choice', id: 'u:SOFA-001' });
    expect(ofType(out, 'cancelAlert')).toEqual([{ type: 'cancelAlert', sku: 'SOFA-001' }]);
    expect(texts(out)).toEqual([s.texts.ru.alertCancelled]);
    expect(ofType(c.say('отпишись', { name: 'cancel_price_alert', args: {} }), 'cancelAlert')).toEqual([
      { type: 'cancelAlert' },
    ]);
  });

  it('zero results → alert for the search', () => {
    const c = new Convo(s);
    c.say('розовый диван', search({ category: 'sofa', color: 'pink' }));
    const zero = c.send({ type: 'search.done', items: [], total: 0 });
    expect(optionIds(zero)).toContain('m');
    expect(ofType(new Convo(s).send({ type: 'choice', id: 'm' }), 'escalate')[0]?.trigger).toBe('request');
    expect(ofType(c.send({ type: 'choice', id: 'alert:search' }), 'createAlert')).toEqual([
      { type: 'createAlert', target: { kind: 'search', criteria: { category: 'sofa', color: 'pink' } } },
    ]);
    expect(texts(c.send({ type: 'createAlert.done', alertId: 'al-3' }))).toEqual([s.texts.ru.alertSearchCreated]);
    expect(texts(new Convo(s).send({ type: 'choice', id: 'alert:search' }))).toEqual([s.texts.ru.fallback]);
  });

  it('price dropped: «🔔 Цена на … снижена! 250 000 → 220 000 ₸» with the card, in any state', () => {
    const c = new Convo(s);
    c.say('диван', search({ category: 'sofa' }));
    const out = c.send({ type: 'price.dropped', product: sofa, oldPrice: 250_000, newPrice: 220_000, alertId: 'al-1' });
    expect(texts(out)).toEqual(['🔔 Цена на «Диван Милан» снижена! 250 000 → 220 000 ₸']);
    expect(replies(out)[1]).toMatchObject({ type: 'products', items: [{ sku: 'SOFA-001', price: 220_000 }] });
    expect(optionIds(out)).toEqual([
      `p:${productHandle('SOFA-001')}`,
      `c:${productHandle('SOFA-001')}`,
      `u:${productHandle('SOFA-001')}`,
    ]);
    expect(c.value).toEqual({ search: 'searching' });
    const en = new Convo(s, { channel: 'web', lang: 'en' });
    expect(texts(en.send({ type: 'alert.matched', product: sofa, alertId: 'al-3' }))).toEqual([
      '🔔 The product you were waiting for is here: "Диван Милан", 250 000 ₸',
    ]);
  });

  it('a digest: one hit reads as a single notification; several are one message with at most `digestCards` cards', () => {
    const hit = (sku: string, price: number, kind: 'product' | 'search' = 'search', oldPrice?: number) =>
      ({
        alertId: `al-${sku}`,
        kind,
        product: product(sku, price),
        reason: oldPrice ? 'cheaper' : 'new',
        ...(oldPrice ? { oldPrice } : {}),
      }) as const;
    const c = new Convo(s);
    const single = c.send({ type: 'alert.digest', hits: [hit('SOFA-001', 220_000, 'product', 250_000)] });
    expect(texts(single)).toEqual(['🔔 Цена на «Товар SOFA-001» снижена! 250 000 → 220 000 ₸']);
    expect(texts(c.send({ type: 'alert.digest', hits: [hit('SOFA-002', 90_000)] }))).toEqual([
      '🔔 Появился товар, который вы ждали: «Товар SOFA-002», 90 000 ₸',
    ]);

    const seven = ['SOFA-001', 'SOFA-002', 'SOFA-003', 'SOFA-004', 'SOFA-005', 'SOFA-006', 'SOFA-007'].map((sku, i) =>
      hit(sku, 100_000 + i, i === 0 ? 'product' : 'search', i === 0 ? 120_000 : undefined),
    );
    const digest = c.send({ type: 'alert.digest', hits: seven });
    expect(texts(digest)).toEqual(['🔔 Новое по вашим подпискам: 7', '…и ещё 2. Напишите, что ищете, — покажу всё.']);
    const cards = replies(digest).filter((r) => r.type === 'products');
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({
      items: seven.slice(0, s.alerts.digestCards).map((h) => ({ sku: h.product.sku })),
    });
    // a watched product keeps its «Отписаться»; search hits get the usual card buttons
    expect(optionIds(digest).slice(0, 4)).toEqual([
      `p:${productHandle('SOFA-001')}`,
      `c:${productHandle('SOFA-001')}`,
      `u:${productHandle('SOFA-001')}`,
      `p:${productHandle('SOFA-002')}`,
    ]);
    expect(ofType(digest, 'track')).toEqual([
      { type: 'track', name: 'alert_digest_notified', props: { hits: 7, shown: 5 } },
    ]);
  });

  it('alert service down → apology', () => {
    const c = new Convo(s);
    c.send({ type: 'choice', id: 'a:SOFA-001' });
    c.send({ type: 'lookupSku.done', sku: 'SOFA-001', product: sofa });
    expect(texts(c.send({ type: 'effect.failed', effect: 'createAlert', reason: 'db' }))).toEqual([s.texts.ru.error]);
  });
});
