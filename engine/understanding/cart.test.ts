import { describe, expect, it } from 'vitest';
import type { Intent } from '../intent.ts';
import { demoVocabulary } from '../testing/demoTaxonomy.ts';
import { understandText } from './index.ts';

const intent = (text: string, lang: 'ru' | 'kk' | 'en' = 'ru'): Intent =>
  understandText(text, { lang, focusSku: 'SOFA-001' }, demoVocabulary()).intent;

describe('buying', () => {
  it.each([
    ['беру этот', {}],
    ['добавь SOFA-001 в корзину', { sku: 'SOFA-001' }],
    ['хочу купить SOFA-001', { sku: 'SOFA-001' }],
    ['возьму два', { quantity: 2 }],
    ['две штуки', { quantity: 2 }],
    ['екі дана', { quantity: 2 }],
    ['two pieces', { quantity: 2 }],
    ['беру этот 2шт', { quantity: 2 }],
    ['закинь пару в корзину', { quantity: 2 }],
  ])('«%s» adds to the cart', (text, args) => {
    expect(intent(text)).toEqual({ name: 'add_to_cart', args });
  });

  it('does not take what the shopper refuses', () => {
    expect(intent('нет, не беру').name).toBe('unknown');
    expect(intent('не добавляй в корзину').name).toBe('unknown');
    expect(intent("don't add it to cart", 'en').name).toBe('unknown');
    expect(intent('беру оба')).toEqual({ name: 'add_to_cart', args: { quantity: 2 } });
  });

  it.each([
    ['беру ещё один', 'ru'],
    ['давай ещё одну штуку', 'ru'],
    ['тағы біреуін аламын', 'kk'],
    ["i'll take one more", 'en'],
    ['add another', 'en'],
  ] as const)('«%s» adds one more, never a count of one (which would replace the line)', (text, lang) => {
    expect(intent(text, lang)).toEqual({ name: 'add_to_cart', args: {} });
  });

  it('hears Kazakh buying words without Kazakh letters as Kazakh', () => {
    const lang = (text: string) => understandText(text, { lang: 'kk' }, demoVocabulary()).lang;
    expect(lang('себет')).toBe('kk');
    expect(lang('тапсырыс беру')).toBe('kk');
    expect(lang('2 дана')).toBe('kk');
    expect(lang('беру')).toBe('ru');
  });

  it('passes a quantity on as said, for the engine to answer', () => {
    expect(intent('0 штук')).toEqual({ name: 'add_to_cart', args: { quantity: 0 } });
    expect(intent('-1 шт')).toEqual({ name: 'add_to_cart', args: { quantity: -1 } });
    expect(intent('беру 10000 штук')).toEqual({ name: 'add_to_cart', args: { quantity: 10000 } });
  });

  it('keeps a taking verb with a product word or criteria a search', () => {
    expect(intent('хочу купить диван')).toMatchObject({ name: 'search_products', args: { category: 'sofa' } });
    expect(intent('купить красный диван до 150000')).toMatchObject({
      name: 'search_products',
      args: { category: 'sofa', color: 'red', price_max: 150000 },
    });
    expect(intent('стулья на кухню 4 штуки')).toMatchObject({ name: 'search_products', args: { category: 'chair' } });
    // a count is read only beside a count word or a taking verb
    expect(intent('диван на 3 человека')).toMatchObject({ name: 'search_products', args: { category: 'sofa' } });
  });

  it('reads the cart, its emptying and the checkout', () => {
    expect(intent('что у меня в карзине?')).toEqual({ name: 'view_cart' });
    expect(intent('удали диван из корзины')).toEqual({ name: 'view_cart' });
    expect(intent('🛒')).toEqual({ name: 'view_cart' });
    expect(intent('удали всё из корзины')).toEqual({ name: 'clear_cart' });
    expect(intent('себетті тазала', 'kk')).toEqual({ name: 'clear_cart' });
    expect(intent('оформляем')).toEqual({ name: 'checkout' });
    expect(intent('тапсырыс беремін', 'kk')).toEqual({ name: 'checkout' });
    expect(intent('оплатить картой можно?')).toEqual({ name: 'unknown' });
    expect(intent('оформить рассрочку')).toEqual({ name: 'unknown' });
    // the shipped scenario's installment example must stay its own
    expect(intent('pay in parts', 'en')).toEqual({ name: 'unknown' });
    expect(intent('заказать звонок').name).toBe('escalate_to_manager');
  });

  it('reads an order number after «заказ», «№», "#", and before «тапсырыс»', () => {
    expect(intent('статус заказа № 12')).toEqual({ name: 'order_status', args: { number: 12 } });
    expect(intent('where is my order #3', 'en')).toEqual({ name: 'order_status', args: { number: 3 } });
    expect(intent('заказ номер 7 когда доставят?')).toEqual({ name: 'order_status', args: { number: 7 } });
    expect(intent('12 тапсырыс қайда', 'kk')).toEqual({ name: 'order_status', args: { number: 12 } });
    expect(intent('где мой заказ')).toEqual({ name: 'order_status', args: {} });
    expect(intent('заказ пришёл сломанный')).toEqual({ name: 'unknown' });
  });

  it('leaves a bare number what it was', () => {
    expect(intent('150000')).toMatchObject({ name: 'search_products', args: { price_max: 150000 } });
    expect(intent('12')).toEqual({ name: 'unknown' });
  });
});
