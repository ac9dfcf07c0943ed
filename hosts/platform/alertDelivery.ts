import { recordNotification, sweepAlerts, type TriggeredAlert } from '../../storage/repos/alerts.ts';
import type { Db } from '../../storage/repos/common.ts';
import { parseConversationKey } from '../runtime/address.ts';
import type { Logger } from '../runtime/ports.ts';
import type { ConversationRuntime } from '../runtime/runtime.ts';

/**
 * Turns alerts whose condition now holds into conversation events. The event goes into the
 * shopper's inbox first, under an id unique to this drop, and only then is the notification
 * recorded: a crash in between makes the next sweep deliver again, and the inbox drops the
 * duplicate — so each drop notifies exactly once and none is lost.
 */
export async function deliverTriggeredAlerts(
  deps: { db: Db; runtime: Pick<ConversationRuntime, 'deliver'>; clock: () => Date; log: Logger },
  triggered: readonly TriggeredAlert[],
): Promise<number> {
  let delivered = 0;
  for (const { alert, product, oldPrice, newPrice } of triggered) {
    const address = parseConversationKey(alert.conversationKey);
    if (!address) {
      deps.log.warn({ alertId: alert.id }, 'alert with an unreadable conversation key skipped');
      continue;
    }
    const at = deps.clock().toISOString();
    const event = alert.productId
      ? { type: 'price.dropped' as const, product, oldPrice, newPrice, alertId: alert.id, at }
      : { type: 'alert.matched' as const, product, alertId: alert.id, at };
    const outcome = await deps.runtime.deliver(address, `alert:${alert.id}:${product.id}:${newPrice}`, event);
    await recordNotification(deps.db, { alertId: alert.id, productId: product.id, oldPrice, newPrice });
    if (outcome === 'accepted') delivered++;
  }
  return delivered;
}

/** One sweep: alerts whose condition holds but were not delivered when the price changed. */
export async function sweepAndDeliver(deps: Parameters<typeof deliverTriggeredAlerts>[0], limit = 1000): Promise<number> {
  return deliverTriggeredAlerts(deps, await sweepAlerts(deps.db, limit));
}
