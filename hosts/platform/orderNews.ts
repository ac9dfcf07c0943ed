import { ORDER_NOTICE_STATUSES, type OrderNoticeStatus } from '../../engine/events.ts';
import { markOrderEventNotified, pendingOrderNotifications } from '../../storage/orders/index.ts';
import type { Db } from '../../storage/repos/common.ts';
import { parseConversationKey } from '../runtime/address.ts';
import type { Logger } from '../runtime/ports.ts';
import type { ConversationRuntime } from '../runtime/runtime.ts';

const isNotice = (status: string): status is OrderNoticeStatus =>
  (ORDER_NOTICE_STATUSES as readonly string[]).includes(status);

/**
 * Tells shoppers about their orders' status changes: each change not yet told becomes an
 * `order.status` event in the shopper's conversation (the engine words it from the scenario; on
 * WhatsApp outside the 24-hour window the channel sends the city's template), and only then is it
 * marked told. The inbox id is the change's id, so a crash between the two makes the next run
 * deliver it again and the inbox drop the repeat: every change is told once.
 */
export async function deliverOrderNews(
  deps: { db: Db; runtime: Pick<ConversationRuntime, 'deliver'>; clock: () => Date; log: Logger },
  limit = 200,
): Promise<number> {
  let delivered = 0;
  for (const { event, order } of await pendingOrderNotifications(deps.db, limit)) {
    const address = order.conversationKey ? parseConversationKey(order.conversationKey) : undefined;
    if (address && isNotice(event.to)) {
      const outcome = await deps.runtime.deliver(address, `order:${event.id}`, {
        type: 'order.status',
        orderId: order.id,
        number: order.number,
        status: event.to,
        total: order.total,
        currency: order.currency,
        ...(order.delivery.store ? { store: order.delivery.store } : {}),
        at: deps.clock().toISOString(),
      });
      if (outcome === 'accepted') delivered++;
    } else if (!address) {
      deps.log.warn({ orderId: order.id }, 'order with an unreadable conversation key: its news is not told');
    }
    await markOrderEventNotified(deps.db, event.id, deps.clock());
  }
  return delivered;
}
