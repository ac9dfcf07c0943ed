import { expect, vi } from 'vitest';
import { productHandle } from '../../../engine/machine/handles.ts';
import type { OrderJson, Shop } from './shop.ts';

/**
 * A shopper buying a sofa in the chat, the same conversation on every channel: search, «🛒 В
 * корзину» on a card, «🧾 Оформить заказ», delivery, address, name, phone, a way to pay, «✅
 * Подтвердить заказ». Each channel's test gives a driver that speaks its wire protocol and reads
 * back what its fake messenger received.
 */

/** what the shopper saw after one message: the texts, and the buttons with the data a tap sends */
export type Seen = { texts: string[]; buttons: Array<{ id: string; label: string }> };

export type ShopperDriver = {
  say(text: string): Promise<Seen>;
  tap(id: string): Promise<Seen>;
  /** answers the phone question as the channel offers: Telegram's contact, WhatsApp's number button, the web typed */
  givePhone(asked: Seen): Promise<Seen>;
  /** every text the shopper has been sent so far, news included */
  received(): Promise<string[]>;
};

/** the payment buttons of the default scenario (ru) */
export const PAY_LABELS = {
  stripe: '💳 Картой (Stripe)',
  cloudpayments: '💳 Картой онлайн',
  kaspi: 'Kaspi',
} as const;
export type PayWith = keyof typeof PAY_LABELS;

export const SEARCH = 'красный диван до 150000';
export const ADDRESS = 'Абая 10, кв. 5';

const all = (seen: Seen) => seen.texts.join('\n');
const button = (seen: Seen, match: (b: Seen['buttons'][number]) => boolean, what: string) => {
  const found = seen.buttons.find(match);
  if (!found) throw new Error(`no ${what} button among ${JSON.stringify(seen.buttons)} after:\n${all(seen)}`);
  return found.id;
};
const labelled = (seen: Seen, label: string) => button(seen, (b) => b.label === label, `«${label}»`);

export type Purchase = {
  /** the product handle of the card the shopper put in the cart (`c:<handle>`) */
  handle: string;
  number: number;
  /** «✅ Заказ № N оформлен …» and how to pay, as the shopper read it */
  confirmation: string;
};

/** «134 990 ₸», spaces as the shopper's client shows them */
const price = (amount: number) => `${new Intl.NumberFormat('ru-RU').format(amount)} ₸`.replace(/\s/g, ' ');
const plain = (text: string) => text.replace(/\s/g, ' ');

/**
 * The whole sale: the shopper buys a sofa paying as `pay`; the manager finds the order in `GET
 * /api/orders` with the right line, total and status, and the shopper got the provider's link (or
 * the Kaspi words); the provider's signed notification — delivered twice, as providers retry — or,
 * for Kaspi, the manager marks it paid; the shopper is told once.
 */
export async function sellAndPay(
  shop: Shop,
  shopper: ShopperDriver,
  pay: PayWith,
  customer: { name: string; phone: string },
): Promise<OrderJson> {
  const bought = await buySofa(shopper, pay, customer.name);
  const order = await shop.order(bought.number);
  expect(order.items).toHaveLength(1);
  const item = order.items[0]!;
  expect(productHandle(item.sku)).toBe(bought.handle);
  const product = await shop.product(item.sku);
  expect(item).toMatchObject({ name: product.name, quantity: 1, price: product.price });
  expect(order).toMatchObject({
    status: 'awaiting_payment',
    total: product.price,
    currency: 'KZT',
    paymentMethod: pay,
    customer,
    delivery: { kind: 'delivery', address: ADDRESS },
    test: false,
  });
  expect(plain(bought.confirmation)).toContain(`оформлен на ${price(product.price)}`);

  let paid: () => Promise<Response>;
  if (pay === 'stripe') {
    const session = shop.stripe.sessions.find((s) => s.client_reference_id === order.id)!;
    expect(session).toMatchObject({ amount_total: product.price * 100, currency: 'kzt' });
    expect(bought.confirmation).toContain(`💳 Оплатить онлайн: ${session.url}`);
    paid = shop.stripePaid(order.id);
  } else if (pay === 'cloudpayments') {
    const link = shop.cp.orders.find((o) => o.InvoiceId === order.id)!;
    expect(link).toMatchObject({ Amount: product.price, Currency: 'KZT' });
    expect(bought.confirmation).toContain(`💳 Оплатить онлайн: ${link.Url}`);
    paid = shop.cloudPaymentsPaid(order.id, product.price);
  } else {
    expect(bought.confirmation).toContain('📲 Менеджер пришлёт счёт в Kaspi на ваш номер');
    expect(order.payments).toEqual([]);
    // the manager sent the invoice from Kaspi Business and saw it paid: marked by hand, with its number
    paid = () => shop.api('POST', `/orders/${order.id}/payments`, { reference: `KASPI-${order.number}` });
  }
  expect((await paid()).status).toBe(200);
  const told = async () => (await shopper.received()).filter((t) => t.includes(`✅ Заказ № ${order.number} оплачен`));
  await vi.waitFor(async () => expect(await told()).toHaveLength(1), 10_000);
  expect((await told())[0]).toContain(price(product.price));
  // the provider delivers the same notification again (the manager clicks twice): nothing changes
  expect((await paid()).status).toBe(200);
  const after = await shop.order(bought.number);
  expect(after.status).toBe('paid');
  const provider = pay === 'kaspi' ? 'kaspi_manual' : pay;
  expect(after.payments).toMatchObject([{ provider, status: 'succeeded', flaggedReason: null }]);
  await shop.platform.runtime.idle();
  expect(await told()).toHaveLength(1);
  return after;
}

/** Buys the first sofa found, one piece, delivered to ADDRESS, paid as `pay`; checks each question on the way. */
export async function buySofa(shopper: ShopperDriver, pay: PayWith, name: string): Promise<Purchase> {
  const found = await shopper.say(SEARCH);
  expect(all(found)).toMatch(/Нашёл/);
  const toCart = (seen: Seen) => seen.buttons.find((b) => b.id.startsWith('c:'));
  // a card carries «🛒 В корзину»; a list row (WhatsApp) opens the card that does
  const card = toCart(found) ? found : await shopper.tap(button(found, (b) => b.id.startsWith('p:'), 'product'));
  const add = button(card, (b) => b.id.startsWith('c:') && b.label === '🛒 В корзину', '«🛒 В корзину»');
  const added = await shopper.tap(add);
  expect(all(added)).toMatch(/в корзине\. Всего товаров: 1/);

  const delivery = await shopper.tap(labelled(added, '🧾 Оформить заказ'));
  expect(all(delivery)).toMatch(/Как получить заказ\?/);
  const address = await shopper.tap(labelled(delivery, '🚚 Доставка'));
  expect(all(address)).toMatch(/Адрес доставки/);
  const askedName = await shopper.say(ADDRESS);
  expect(all(askedName)).toMatch(/Как к вам обращаться/);
  const askedPhone = await shopper.say(name);
  expect(all(askedPhone)).toMatch(/Номер телефона/);
  const askedPayment = await shopper.givePhone(askedPhone);
  expect(all(askedPayment)).toMatch(/Как будете оплачивать\?/);
  const summary = await shopper.tap(labelled(askedPayment, PAY_LABELS[pay]));
  expect(all(summary)).toMatch(/Проверьте заказ/);
  expect(all(summary)).toContain(ADDRESS);
  const placed = await shopper.tap(labelled(summary, '✅ Подтвердить заказ'));
  const confirmation = all(placed);
  const number = /✅ Заказ № (\d+) оформлен/.exec(confirmation)?.[1];
  if (!number) throw new Error(`no order confirmation after «✅ Подтвердить заказ»:\n${confirmation}`);
  return { handle: add.slice(2), number: Number(number), confirmation };
}
