import { sql, type Kysely } from 'kysely';
import type { Database } from '../../storage/db/types.ts';
import type { SnapshotStore } from '../../storage/state/types.ts';
import { parseConversationKey } from '../runtime/address.ts';
import type { CustomerWindowStore } from '../whatsapp/window.ts';
import { conversationKey } from '../runtime/address.ts';
import { emptyPreferences, MAX_VIEWED, type Preferences } from './preferences.ts';
import type { PreferenceStore } from './store.ts';

/**
 * Preferences in the `shopper_profiles` table (durable, visible to admins): category and colour
 * counts, the price range of interest, the city. The table has no column for the recently opened
 * SKUs, so those live on the conversation-state backend when one is given (losing them only
 * means a product already seen may be suggested again). Material counts are not kept: nothing
 * recommends by material yet.
 */
export type CityIdResolver = (slug: string) => Promise<string | null | undefined>;

export function dbPreferenceStore(db: Kysely<Database>, opts: { cityId: CityIdResolver; viewed?: SnapshotStore; viewedPrefix?: string }): PreferenceStore {
  const viewedKey = (key: string) => `${opts.viewedPrefix ?? 'prefs-viewed:'}${key}`;

  async function readViewed(key: string): Promise<{ version: number; skus: string[] }> {
    if (!opts.viewed) return { version: 0, skus: [] };
    const stored = await opts.viewed.read(viewedKey(key));
    if (!stored) return { version: 0, skus: [] };
    try {
      const list: unknown = JSON.parse(stored.data);
      return { version: stored.version, skus: Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : [] };
    } catch {
      return { version: stored.version, skus: [] };
    }
  }

  async function read(key: string): Promise<Preferences | undefined> {
    const row = await db.selectFrom('shopper_profiles').select(['categories', 'colors', 'price_min_seen', 'price_max_seen']).where('conversation_key', '=', key).executeTakeFirst();
    const viewed = (await readViewed(key)).skus;
    if (!row && viewed.length === 0) return undefined;
    const prefs: Preferences = { ...emptyPreferences(), viewed };
    if (row) {
      prefs.categories = counts(row.categories);
      prefs.colors = counts(row.colors);
      if (row.price_min_seen !== null) prefs.priceMin = Number(row.price_min_seen);
      if (row.price_max_seen !== null) prefs.priceMax = Number(row.price_max_seen);
      prefs.signals = Object.values(prefs.categories).reduce((a, b) => a + b, 0);
    }
    return prefs;
  }

  return {
    get: read,
    async update(key, city, change) {
      const address = parseConversationKey(key);
      const cityId = (await opts.cityId(city)) ?? null;
      // outside the transaction: the state backend may share the database's only connection (PGlite)
      const viewed = await readViewed(key);
      let nextViewed: string[] = viewed.skus;
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('shopper_profiles')
          .values({ conversation_key: key, channel: address?.channel ?? 'web', chat_id: address?.chatId ?? key, city_id: cityId })
          .onConflict((oc) => oc.column('conversation_key').doNothing())
          .execute();
        const row = await trx.selectFrom('shopper_profiles').select(['categories', 'colors', 'price_min_seen', 'price_max_seen']).where('conversation_key', '=', key).forUpdate().executeTakeFirstOrThrow();
        const before: Preferences = {
          ...emptyPreferences(),
          categories: counts(row.categories),
          colors: counts(row.colors),
          viewed: viewed.skus,
          ...(row.price_min_seen !== null ? { priceMin: Number(row.price_min_seen) } : {}),
          ...(row.price_max_seen !== null ? { priceMax: Number(row.price_max_seen) } : {}),
        };
        const next = change(before);
        await trx.updateTable('shopper_profiles')
          .set({
            categories: JSON.stringify(next.categories),
            colors: JSON.stringify(next.colors),
            price_min_seen: next.priceMin ?? null,
            price_max_seen: next.priceMax ?? null,
            ...(cityId ? { city_id: cityId } : {}),
            updated_at: sql<Date>`now()`,
          })
          .where('conversation_key', '=', key)
          .execute();
        nextViewed = next.viewed;
      });
      if (opts.viewed && nextViewed.join(',') !== viewed.skus.join(',')) {
        await opts.viewed.write(viewedKey(key), JSON.stringify(nextViewed.slice(-MAX_VIEWED)), viewed.version, 180 * 24 * 3600);
      }
    },
    async delete(key) {
      // the row stays for the 24-hour window; only the learned taste goes
      await db.updateTable('shopper_profiles')
        .set({ categories: '{}', colors: '{}', price_min_seen: null, price_max_seen: null, updated_at: sql<Date>`now()` })
        .where('conversation_key', '=', key)
        .execute();
      await opts.viewed?.delete(viewedKey(key));
    },
  };
}

/** WhatsApp's 24-hour window from `shopper_profiles.last_inbound_at`. */
export function dbWindowStore(db: Kysely<Database>, opts: { cityId: CityIdResolver }): CustomerWindowStore {
  return {
    async touch(address, at) {
      const cityId = (await opts.cityId(address.city)) ?? null;
      await db.insertInto('shopper_profiles')
        .values({ conversation_key: conversationKey(address), channel: address.channel, chat_id: address.chatId, city_id: cityId, last_inbound_at: at })
        .onConflict((oc) => oc.column('conversation_key').doUpdateSet({
          last_inbound_at: sql<Date>`greatest(shopper_profiles.last_inbound_at, excluded.last_inbound_at)`,
        }))
        .execute();
    },
    async lastInbound(address) {
      const row = await db.selectFrom('shopper_profiles').select('last_inbound_at').where('conversation_key', '=', conversationKey(address)).executeTakeFirst();
      return row?.last_inbound_at ? new Date(row.last_inbound_at) : undefined;
    },
  };
}

function counts(value: unknown): Record<string, number> {
  const raw = typeof value === 'string' ? safeJson(value) : value;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[k] = v;
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
