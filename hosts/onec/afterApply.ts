import { triggeredBy, type TriggeredAlert } from '../../storage/repos/alerts.ts';
import type { Db } from '../../storage/repos/common.ts';
import type { AfterApply } from '../../storage/onec/index.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import { notifyCatalogChanged } from '../admin/index.ts';
import type { Logger } from '../runtime/ports.ts';

/**
 * What follows an applied exchange: every bot forgets the products it cached and relearns the
 * taxonomy's words (groups, properties and values may be new — the message a taxonomy edit sends), then the price alerts of products whose price fell or that came
 * back are checked and delivered — the path a price edit in the panel takes. Past the first
 * IMMEDIATE products, the periodic sweep finds the rest.
 */
const IMMEDIATE = 1000;

export function onecAfterApply(deps: {
  db: Db;
  pubsub: Pick<StateBackend['pubsub'], 'publish'>;
  deliver: (alerts: TriggeredAlert[]) => Promise<unknown>;
  log: Logger;
}): AfterApply {
  return async (cityId, drops) => {
    await notifyCatalogChanged(deps.pubsub, { reason: 'exchange', cityId }, deps.log);
    if (drops.length === 0) return;
    try {
      const ids = drops.slice(0, IMMEDIATE);
      const prices = await deps.db.selectFrom('products').select(['id', 'price']).where('id', 'in', ids).execute();
      const triggered: TriggeredAlert[] = [];
      for (const p of prices) triggered.push(...(await triggeredBy(deps.db, p.id, Number(p.price))));
      if (triggered.length > 0) await deps.deliver(triggered);
      deps.log.info(
        { city: cityId, products: drops.length, alerts: triggered.length },
        '1C exchange: price alerts checked',
      );
    } catch (error) {
      deps.log.warn({ err: String(error) }, 'price alerts after a 1C exchange failed; the periodic sweep retries');
    }
  };
}
