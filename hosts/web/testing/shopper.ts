import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Reply } from '../../../engine/replies.ts';
import { recentMessages } from '../../../storage/repos/messages.ts';
import type { Seen, ShopperDriver } from '../../checkout/testing/purchase.ts';
import { CITY, type Shop } from '../../checkout/testing/shop.ts';

/** what a web chat page shows of a turn's replies: their words and every button with its choice id */
export const webSeen = (replies: Reply[]): Seen => ({
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

/**
 * A visitor of the shop's web chat (`POST /api/chat/:city`, each message one request answered with
 * that turn's replies) who types their phone: a web page cannot vouch for a number. The web channel
 * cannot push a message to the page, so what the shopper was told later is read where it is kept,
 * the conversation's message log.
 */
export function webShopper(shop: Shop, userId: string, phone: string): ShopperDriver {
  const send = async (body: Record<string, unknown>) => {
    const res = await shop.api('POST', `/chat/${CITY}`, { userId, messageId: randomUUID(), ...body }, 'owner');
    expect(res.status).toBe(200);
    return webSeen(((await res.json()) as { replies: Reply[] }).replies);
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
