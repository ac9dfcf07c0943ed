import { createHash } from 'node:crypto';
import type { AlertHit } from '../../engine/events.ts';
import { recordNotification, sweepAlerts, type TriggeredAlert } from '../../storage/repos/alerts.ts';
import type { Db } from '../../storage/repos/common.ts';
import { parseConversationKey } from '../runtime/address.ts';
import type { Logger } from '../runtime/ports.ts';
import type { ConversationRuntime } from '../runtime/runtime.ts';

/**
 * Turns alerts whose condition now holds into conversation events: every hit for one shopper is
 * one `alert.digest` (one message, and on WhatsApp outside the 24-hour window one template). The
 * digest goes into the shopper's inbox first, under an id made of its hits, and only then are the
 * hits recorded: a crash in between makes the next sweep find the same hits, and the inbox drops
 * the repeated digest — so each hit notifies once and none is lost.
 */
export async function deliverTriggeredAlerts(
  deps: { db: Db; runtime: Pick<ConversationRuntime, 'deliver'>; clock: () => Date; log: Logger },
  triggered: readonly TriggeredAlert[],
): Promise<number> {
  const byConversation = new Map<string, TriggeredAlert[]>();
  for (const t of triggered) {
    // one alert and product once per digest (a sweep and a price change can name the same hit)
    const list = byConversation.get(t.alert.conversationKey) ?? [];
    if (!list.some((x) => x.alert.id === t.alert.id && x.product.id === t.product.id)) list.push(t);
    byConversation.set(t.alert.conversationKey, list);
  }
  let delivered = 0;
  for (const [conversationKey, hits] of byConversation) {
    const address = parseConversationKey(conversationKey);
    if (!address) {
      deps.log.warn({ alertIds: hits.map((h) => h.alert.id) }, 'alert with an unreadable conversation key skipped');
      continue;
    }
    const at = deps.clock().toISOString();
    const outcome = await deps.runtime.deliver(address, digestId(hits), {
      type: 'alert.digest',
      hits: hits.slice(0, 100).map(toHit),
      at,
    });
    for (const h of hits)
      await recordNotification(deps.db, {
        alertId: h.alert.id,
        productId: h.product.id,
        oldPrice: h.oldPrice,
        newPrice: h.newPrice,
      });
    if (outcome === 'accepted') delivered++;
  }
  return delivered;
}

function toHit(t: TriggeredAlert): AlertHit {
  const kind = t.alert.productId ? 'product' : 'search';
  return {
    alertId: t.alert.id,
    kind,
    product: { ...t.product, price: t.newPrice },
    reason: t.reason,
    ...(t.reason !== 'new' ? { oldPrice: t.oldPrice } : {}),
  };
}

/** the same hits make the same id, so a digest repeated after a crash is dropped by the inbox */
function digestId(hits: readonly TriggeredAlert[]): string {
  const parts = hits.map((h) => `${h.alert.id}:${h.product.id}:${h.newPrice}`).sort();
  return `alerts:${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32)}`;
}

/** One sweep: alerts whose condition holds but were not delivered when the catalog changed. */
export async function sweepAndDeliver(
  deps: Parameters<typeof deliverTriggeredAlerts>[0],
  limit = 1000,
): Promise<number> {
  return deliverTriggeredAlerts(deps, await sweepAlerts(deps.db, limit));
}
