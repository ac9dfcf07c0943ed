import type { Kysely } from 'kysely';
import type { Database } from '../../../storage/db/types.ts';
import type { AdminApiDeps, ResolvedOptions } from '../deps.ts';
import { writeAudit } from '../store/audit.ts';
import type { Ctx } from './route.ts';
import type { CatalogChanged } from '../catalogChanged.ts';

/** The hot-reload message every running bot listens for on `zeta:reload`. */
export const RELOAD_CHANNEL = 'zeta:reload';
export type ReloadMessage =
  | { kind: 'botConfig' | 'prompt' | 'scenario'; cityId?: string; id?: string; version: number }
  /** a city created or edited: bots read its language, time zone and currency again */
  | { kind: 'city'; cityId: string }
  /** products changed (edit, import, delete): bots forget the products and corrections they cached */
  | { kind: 'catalog'; cityId: string }
  /** the taxonomy changed (catalogChanged.ts): bots also rebuild what they know of its words */
  | CatalogChanged;

/** What route files get: the dependencies plus the cross-cutting helpers every mutation uses. */
export type Api = {
  deps: AdminApiDeps;
  db: Kysely<Database>;
  options: ResolvedOptions;
  now: () => Date;
  /** records who changed what, with before/after */
  audit: (
    c: Ctx,
    entry: { action: string; entity: string; entityId?: string | null; before?: unknown; after?: unknown },
  ) => Promise<void>;
  reload: (message: ReloadMessage) => Promise<void>;
};

export function createApiContext(deps: AdminApiDeps, options: ResolvedOptions): Api {
  const now = deps.clock ?? (() => new Date());
  return {
    deps,
    db: deps.db,
    options,
    now,
    audit: async (c, e) => {
      const user = c.get('user');
      await writeAudit(deps.db, { userId: user?.id ?? null, ip: c.get('clientIp') ?? null, ...e });
    },
    reload: async (message) => {
      try {
        await deps.state.pubsub.publish(RELOAD_CHANNEL, JSON.stringify(message));
      } catch (error) {
        // the change is saved; bots also pick it up on their next periodic reload or restart
        deps.log?.warn({ err: error, message }, 'could not publish a hot-reload message');
      }
    },
  };
}
