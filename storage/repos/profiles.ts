import { sql } from 'kysely';
import type { ShopperProfileRow } from '../db/types.ts';
import type { Db } from './common.ts';

/** What we learned about a shopper: interest counts per category/colour, prices seen, last inbound time. */
export type ShopperProfile = {
  conversationKey: string; channel: string; chatId: string; cityId?: string; language?: string;
  categories: Record<string, number>; colors: Record<string, number>;
  priceMinSeen?: number; priceMaxSeen?: number; lastInboundAt?: string; updatedAt: string;
};

const toProfile = (r: ShopperProfileRow): ShopperProfile => ({
  conversationKey: r.conversation_key, channel: r.channel, chatId: r.chat_id, ...(r.city_id ? { cityId: r.city_id } : {}),
  ...(r.language ? { language: r.language } : {}), categories: r.categories ?? {}, colors: r.colors ?? {},
  ...(r.price_min_seen !== null ? { priceMinSeen: Number(r.price_min_seen) } : {}),
  ...(r.price_max_seen !== null ? { priceMaxSeen: Number(r.price_max_seen) } : {}),
  ...(r.last_inbound_at ? { lastInboundAt: r.last_inbound_at.toISOString() } : {}), updatedAt: r.updated_at.toISOString(),
});

export async function getProfile(db: Db, conversationKey: string): Promise<ShopperProfile | undefined> {
  const row = await db.selectFrom('shopper_profiles').selectAll().where('conversation_key', '=', conversationKey).executeTakeFirst();
  return row && toProfile(row);
}

export type ProfileObservation = {
  conversationKey: string; channel: string; chatId: string; cityId?: string | null; language?: string | null;
  category?: string | null; color?: string | null; priceMin?: number | null; priceMax?: number | null;
  /** an inbound message arrived now (opens the WhatsApp 24-hour window) */
  inboundAt?: Date;
};

/** Upserts and increments counters atomically in one statement. */
export async function observeShopper(db: Db, o: ProfileObservation): Promise<ShopperProfile> {
  const inc = (field: 'categories' | 'colors', key: string | null | undefined) => key
    ? sql<string>`jsonb_set(shopper_profiles.${sql.ref(field)}, ARRAY[${key}]::text[], to_jsonb(coalesce((shopper_profiles.${sql.ref(field)}->>${key})::int, 0) + 1))`
    : sql<string>`shopper_profiles.${sql.ref(field)}`;
  const initial = (key: string | null | undefined) => JSON.stringify(key ? { [key]: 1 } : {});
  const row = await db.insertInto('shopper_profiles').values({
    conversation_key: o.conversationKey, channel: o.channel, chat_id: o.chatId, city_id: o.cityId ?? null, language: o.language ?? null,
    categories: initial(o.category), colors: initial(o.color), price_min_seen: o.priceMin ?? null, price_max_seen: o.priceMax ?? null,
    last_inbound_at: o.inboundAt ?? null,
  }).onConflict((oc) => oc.column('conversation_key').doUpdateSet({
    categories: inc('categories', o.category),
    colors: inc('colors', o.color),
    ...(o.language ? { language: o.language } : {}),
    ...(o.cityId ? { city_id: o.cityId } : {}),
    ...(o.priceMin != null ? { price_min_seen: sql<string>`least(shopper_profiles.price_min_seen, ${o.priceMin})` } : {}),
    ...(o.priceMax != null ? { price_max_seen: sql<string>`greatest(shopper_profiles.price_max_seen, ${o.priceMax})` } : {}),
    ...(o.inboundAt ? { last_inbound_at: o.inboundAt } : {}),
    updated_at: new Date(),
  })).returningAll().executeTakeFirstOrThrow();
  return toProfile(row);
}

/** WhatsApp: free-form messages are allowed within 24 h of the shopper's last inbound message. */
export function withinServiceWindow(profile: ShopperProfile | undefined, now: Date, hours = 24): boolean {
  if (!profile?.lastInboundAt) return false;
  return now.getTime() - new Date(profile.lastInboundAt).getTime() < hours * 3_600_000;
}
