import type { PubSub } from '../../storage/state/types.ts';
import { RELOAD_CHANNEL } from './http/context.ts';

/** why the taxonomy changed: a panel edit, a merge, an import or a 1C exchange that created terms */
export type CatalogChangeReason = 'edit' | 'merge' | 'import' | 'exchange';
export type CatalogChanged = { kind: 'taxonomy'; reason: CatalogChangeReason; cityId?: string };

/**
 * Tells every replica that the retailer's taxonomy (categories, attributes, values, synonyms)
 * changed, on the hot-reload channel the bots already listen on: each forgets the products it
 * cached and rebuilds what depends on the taxonomy's words (hosts/platform/hotReload.ts, kind
 * `taxonomy`). Failing to publish is logged, not thrown: the change is saved, and replicas also
 * read the taxonomy afresh when they start.
 */
export async function notifyCatalogChanged(
  pubsub: Pick<PubSub, 'publish'>,
  change: Omit<CatalogChanged, 'kind'>,
  log?: { warn(obj: object, msg: string): void },
): Promise<void> {
  const message: CatalogChanged = { kind: 'taxonomy', ...change };
  try {
    await pubsub.publish(RELOAD_CHANNEL, JSON.stringify(message));
  } catch (error) {
    log?.warn({ err: error, message }, 'could not publish a catalog-changed message');
  }
}
