import * as v from 'valibot';
import type { SnapshotStore } from '../../storage/state/types.ts';
import { emptyPreferences, type Preferences } from './preferences.ts';

/** Where preferences live, per conversation (`channel:city:chatId`). */
export interface PreferenceStore {
  get(conversationKey: string): Promise<Preferences | undefined>;
  /** read-modify-write; `change` may run more than once under contention */
  update(conversationKey: string, city: string, change: (p: Preferences) => Preferences): Promise<void>;
  delete(conversationKey: string): Promise<void>;
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
export function statePreferenceStore(snapshots: SnapshotStore, opts: { prefix?: string; ttlSeconds?: number } = {}): PreferenceStore {
  const prefix = opts.prefix ?? 'prefs:';
  const ttl = opts.ttlSeconds ?? 180 * 24 * 3600;
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
      return (await read(key)).prefs;
    },
    async update(key, _city, change) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const { version, prefs } = await read(key);
        const next = change(prefs ?? emptyPreferences());
        const written = await snapshots.write(`${prefix}${key}`, JSON.stringify(next), version, ttl);
        if (written.ok) return;
      }
      throw new Error(`preferences of ${key} kept changing; update dropped`);
    },
    async delete(key) {
      await snapshots.delete(`${prefix}${key}`);
    },
  };
}
