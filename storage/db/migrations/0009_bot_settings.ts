import { sql, type Kysely } from 'kysely';

/**
 * Bot config settings keep only what the platform reads: `model`, `maxTokens`, `templateLang`,
 * `templateParams`. Earlier rows also held temperature, greeting, language, memory length,
 * manager SLA, a prompt name (the panel saved them, nothing read them) and the demo seed's
 * `historyLimit` / `language` / `greeting`; those keys, and values the settings API would now
 * refuse, are dropped. A WhatsApp config without `templateLang` gets its city's language, which
 * its templates were sent in before. The checks are written out here so that this migration keeps meaning
 * what it meant when later code changes the settings.
 */

const TEMPLATE_PARAMS = new Set(['text', 'productName', 'price']);

const KEEP: Record<string, (value: unknown) => boolean> = {
  model: (value) => typeof value === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(value),
  maxTokens: (value) => typeof value === 'number' && Number.isInteger(value) && value >= 50 && value <= 16_000,
  templateLang: (value) => typeof value === 'string' && /^[a-z]{2,3}(?:_[A-Z]{2})?$/.test(value),
  templateParams: (value) =>
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= 10 &&
    value.every((p) => TEMPLATE_PARAMS.has(p as string)),
};

function keptSettings(stored: unknown): Record<string, unknown> {
  const raw = typeof stored === 'string' ? (JSON.parse(stored) as unknown) : stored;
  const out: Record<string, unknown> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [key, keep] of Object.entries(KEEP)) {
    const value = (raw as Record<string, unknown>)[key];
    if (keep(value)) out[key] = value;
  }
  return out;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const rows = await sql<{ id: string; channel: string; settings: unknown; city_language: string }>`
    SELECT b.id, b.channel, b.settings, c.language AS city_language FROM bot_configs b JOIN cities c ON c.id = b.city_id`.execute(
    db,
  );
  for (const row of rows.rows) {
    const kept = keptSettings(row.settings);
    // WhatsApp templates went out in the city's language until now: the same, now as a setting
    if (row.channel === 'whatsapp' && kept.templateLang === undefined && KEEP.templateLang!(row.city_language))
      kept.templateLang = row.city_language;
    if (JSON.stringify(kept) === JSON.stringify(row.settings)) continue;
    await sql`UPDATE bot_configs SET settings = ${JSON.stringify(kept)}::jsonb WHERE id = ${row.id}`.execute(db);
  }
}

/** the dropped keys did nothing: there is nothing to put back */
export async function down(): Promise<void> {}
