import * as v from 'valibot';
import type { SnapshotStore } from '../../storage/state/types.ts';
import { TtlCache } from '../../storage/ttlCache.ts';
import { emptyPreferences, type Preferences } from '../../engine/preferences.ts';

/** Where preferences live, per conversation (`channel:city:chatId`). */
export interface PreferenceStore {
  get(conversationKey: string): Promise<Preferences | undefined>;
  /** read-modify-write; `change` may run more than once under contention */
  update(conversationKey: string, city: string, change: (p: Preferences) => Preferences): Promise<void>;
  delete(conversationKey: string): Promise<void>;
  /**
   * Reads what an update of the conversation will need, now: a caller that is about to write to
   * the same store (the turn's commit) lets the read share that round trip instead of the update
   * making one of its own later.
   */
  prefetch(conversationKey: string): void;
}

const Counts = v.record(v.string(), v.number());
export const PreferencesSchema = v.object({
  categories: Counts,
  colors: Counts,
  materials: Counts,
  priceMin: v.optional(v.number()),
  priceMax: v.optional(v.number()),
  viewed: v.array(v.string()),
  signals: v.number(),
});

export function parsePreferences(data: unknown): Preferences | undefined {
  const parsed = v.safeParse(PreferencesSchema, data);
  return parsed.success ? (parsed.output as Preferences) : undefined;
}

/**
 * Preferences on the conversation-state backend (Redis in production, the embedded database
 * otherwise), compare-and-set so concurrent learners do not lose counts.
 */
export function statePreferenceStore(
  snapshots: SnapshotStore,
  opts: { prefix?: string; ttlSeconds?: number } = {},
): PreferenceStore {
  const prefix = opts.prefix ?? 'prefs:';
  const ttl = opts.ttlSeconds ?? 180 * 24 * 3600;
  // The last version this process wrote or read, so a learner's first compare-and-set needs no
  // read: a shopper's messages mostly reach the same process. Wrong guesses cost a failed write
  // and a fresh read, never a lost count.
  const known = new TtlCache<string, { version: number; prefs: Preferences | undefined }>(10 * 60_000, 20_000);
  const prefetching = new Map<string, Promise<unknown>>();
  const read = async (key: string) => {
    const stored = await snapshots.read(`${prefix}${key}`);
    if (!stored) return { version: 0, prefs: undefined };
    let json: unknown;
    try {
      json = JSON.parse(stored.data);
    } catch {
      json = undefined;
    }
    return { version: stored.version, prefs: parsePreferences(json) };
  };
  return {
    async get(key) {
      const current = await read(key);
      known.set(key, current);
      return current.prefs;
    },
    async update(key, _city, change) {
      await prefetching.get(key);
      let guess = known.lookup(key)?.value;
      for (let attempt = 0; attempt < 5; attempt++) {
        const { version, prefs } = guess ?? (await read(key));
        guess = undefined;
        const next = change(prefs ?? emptyPreferences());
        const written = await snapshots.write(`${prefix}${key}`, JSON.stringify(next), version, ttl);
        if (written.ok) {
          known.set(key, { version: written.version, prefs: next });
          return;
        }
        known.delete(key);
      }
      throw new Error(`preferences of ${key} kept changing; update dropped`);
    },
    async delete(key) {
      known.delete(key);
      await snapshots.delete(`${prefix}${key}`);
    },
    prefetch(key) {
      if (known.lookup(key) || prefetching.has(key)) return;
      const reading = read(key)
        .then((current) => known.set(key, current))
        // a failed read is the update's to retry
        .catch(() => undefined)
        .finally(() => prefetching.delete(key));
      prefetching.set(key, reading);
    },
  };
}
