import { createOrder } from '../orders/create.ts';
import { recordPayment } from '../orders/payments.ts';
import { changeOrderStatus } from '../orders/transitions.ts';
import { PAY_ON_RECEIPT } from '../orders/status.ts';
import type { Db } from '../repos/common.ts';

const SHOWROOM = 'Шоурум ZETA, пр. Абая 150';
const SYSTEM = { kind: 'system' } as const;

/**
 * A few orders in the demo city, one per stage, so the panel's Orders page has something to show:
 * new, waiting for a Kaspi invoice, paid by card, picked up and paid on receipt. They have no
 * conversation (made up, nobody to tell), and a database that already has orders gets none.
 */
export async function seedDemoOrders(db: Db, cityId: string): Promise<number> {
  const existing = await db.selectFrom('orders').select('id').where('city_id', '=', cityId).limit(1).execute();
  if (existing.length > 0) return 0;
  const products = await db
    .selectFrom('products')
    .select('id')
    .where('city_id', '=', cityId)
    .where('is_available', '=', true)
    .where((eb) => eb.or([eb('stock_quantity', 'is', null), eb('stock_quantity', '>=', '2')]))
    .orderBy('sku')
    .limit(6)
    .execute();
  if (products.length < 6) return 0;
  const [a, b, c, d, e, f] = products.map((p) => p.id) as [string, string, string, string, string, string];
  const place = (name: string, phone: string, items: Array<[string, number]>, rest: DemoRest) =>
    createOrder(db, {
      cityId,
      channel: rest.channel,
      customer: { name, phone },
      delivery: rest.address ? { kind: 'delivery', address: rest.address } : { kind: 'pickup', store: SHOWROOM },
      paymentMethod: rest.paymentMethod,
      items: items.map(([productId, quantity]) => ({ productId, quantity })),
    });

  await place('Айгерим', '+77011234501', [[a, 1]], {
    channel: 'telegram',
    paymentMethod: 'kaspi',
    address: 'ул. Сатпаева 30, кв. 12',
  });
  const invoiced = await place(
    'Ержан',
    '+77011234502',
    [
      [b, 2],
      [c, 1],
    ],
    { channel: 'whatsapp', paymentMethod: 'kaspi' },
  );
  await changeOrderStatus(db, invoiced.id, 'awaiting_payment', SYSTEM, 'счёт Kaspi выставлен');
  const card = await place('Anna', '+77011234503', [[d, 1]], {
    channel: 'telegram',
    paymentMethod: 'stripe',
    address: 'пр. Достык 5',
  });
  await recordPayment(db, {
    provider: 'stripe',
    reference: `demo_${card.id}`,
    orderId: card.id,
    amount: card.total,
    currency: card.currency,
    status: 'succeeded',
    raw: { demo: true },
  });
  const cash = await place(
    'Дана',
    '+77011234504',
    [
      [e, 1],
      [f, 2],
    ],
    { channel: 'whatsapp', paymentMethod: PAY_ON_RECEIPT },
  );
  for (const to of ['confirmed', 'ready_for_pickup', 'completed'] as const)
    await changeOrderStatus(db, cash.id, to, SYSTEM);
  return 4;
}

type DemoRest = { channel: 'telegram' | 'whatsapp'; paymentMethod: string; address?: string };
