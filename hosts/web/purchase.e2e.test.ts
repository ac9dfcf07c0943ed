import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../engine/replies.ts';
import { recentMessages } from '../../storage/repos/messages.ts';
import { sellAndPay, type PayWith, type Seen, type ShopperDriver } from '../checkout/testing/purchase.ts';
import { CITY, startShop, type Shop } from '../checkout/testing/shop.ts';

/**
 * A whole purchase in the web chat (`POST /api/chat/:city`, the replies in each response): the
 * shopper finds a sofa, puts it in the cart, checks out typing the phone (a web page cannot vouch
 * for a number), and pays with Stripe, with CloudPayments, or by the Kaspi invoice a manager sends
 * by hand (sellAndPay). The web channel has no way to push a message to the page, so the news
 * that the order is paid is read where it is kept: the conversation's message log.
 */
let shop: Shop;

beforeAll(async () => {
  shop = await startShop({});
}, 120_000);

afterAll(async () => shop?.close());

const seen = (replies: Reply[]): Seen => ({
  texts: replies.map((r) =>
    r.type === 'text'
      ? r.text
      : r.type === 'choices'
        ? (r.text ?? '')
        : r.type === 'products'
          ? r.items.map((i) => i.name).join('\n')
          : (r.caption ?? ''),
  ),
  buttons: replies
    .flatMap((r) =>
      r.type === 'choices' ? r.options : r.type === 'products' ? r.items.flatMap((i) => i.options ?? []) : [],
    )
    .map((o) => ({ id: o.id, label: o.label })),
});

/** a visitor of the site's chat, each message one request answered with that turn's replies */
function shopper(userId: string, phone: string): ShopperDriver {
  const send = async (body: Record<string, unknown>) => {
    const res = await shop.api('POST', `/chat/${CITY}`, { userId, messageId: randomUUID(), ...body }, 'owner');
    expect(res.status).toBe(200);
    return seen(((await res.json()) as { replies: Reply[] }).replies);
  };
  return {
    say: (text) => send({ text }),
    tap: (choice) => send({ choice }),
    givePhone: () => send({ text: phone }),
    async received() {
      const log = await recentMessages(shop.platform.db.db, `web:${CITY}:${userId}`, 200);
      return log.filter((m) => m.direction === 'out').map((m) => m.text ?? '');
    },
  };
}

describe('a purchase in the web chat', () => {
  it.each<[PayWith, string, string]>([
    ['stripe', 'visitor-stripe', '+77015550101'],
    ['cloudpayments', 'visitor-cloudpayments', '+77015550102'],
    ['kaspi', 'visitor-kaspi', '+77015550103'],
  ])('%s: search → cart → checkout → the order in the API → paid → told in the log', async (pay, userId, phone) => {
    await sellAndPay(shop, shopper(userId, phone), pay, { name: 'Айгерим', phone });
  });
});
