import type { BotChannel, BotConfigRow } from '../db/types.ts';
import { json, type Db } from './common.ts';

/** A bot configuration as repositories return it: the token itself never leaves storage. */
export type BotConfig = {
  id: string; cityId: string; channel: BotChannel;
  hasBotToken: boolean; hasWebhookSecret: boolean;
  managersChatId?: string; whatsappPhoneNumberId?: string; whatsappTemplateName?: string;
  settings: Record<string, unknown>; scenarioId?: string; version: number; updatedAt: string;
};

export type BotConfigInput = {
  botToken?: string | null; webhookSecret?: string | null; managersChatId?: string | null;
  whatsappPhoneNumberId?: string | null; whatsappTemplateName?: string | null;
  settings?: Record<string, unknown>; scenarioId?: string | null;
};

const toConfig = (r: BotConfigRow): BotConfig => ({
  id: r.id, cityId: r.city_id, channel: r.channel, hasBotToken: !!r.bot_token, hasWebhookSecret: !!r.webhook_secret,
  ...(r.managers_chat_id ? { managersChatId: r.managers_chat_id } : {}),
  ...(r.whatsapp_phone_number_id ? { whatsappPhoneNumberId: r.whatsapp_phone_number_id } : {}),
  ...(r.whatsapp_template_name ? { whatsappTemplateName: r.whatsapp_template_name } : {}),
  settings: r.settings ?? {}, ...(r.scenario_id ? { scenarioId: r.scenario_id } : {}),
  version: r.version, updatedAt: r.updated_at.toISOString(),
});

export async function listBotConfigs(db: Db, cityId?: string): Promise<BotConfig[]> {
  let q = db.selectFrom('bot_configs').selectAll().orderBy('city_id').orderBy('channel');
  if (cityId) q = q.where('city_id', '=', cityId);
  return (await q.execute()).map(toConfig);
}

export async function getBotConfig(db: Db, cityId: string, channel: BotChannel): Promise<BotConfig | undefined> {
  const row = await db.selectFrom('bot_configs').selectAll().where('city_id', '=', cityId).where('channel', '=', channel).executeTakeFirst();
  return row && toConfig(row);
}

/** For the channel host only: the secrets it needs to talk to the platform. */
export async function getBotSecrets(db: Db, cityId: string, channel: BotChannel): Promise<{ botToken?: string; webhookSecret?: string } | undefined> {
  const row = await db.selectFrom('bot_configs').select(['bot_token', 'webhook_secret'])
    .where('city_id', '=', cityId).where('channel', '=', channel).executeTakeFirst();
  if (!row) return undefined;
  return { ...(row.bot_token ? { botToken: row.bot_token } : {}), ...(row.webhook_secret ? { webhookSecret: row.webhook_secret } : {}) };
}

/** Creates or updates (version + 1) the config of one city and channel; omitted fields stay as they are. */
export async function upsertBotConfig(db: Db, cityId: string, channel: BotChannel, input: BotConfigInput): Promise<BotConfig> {
  const set = {
    ...(input.botToken !== undefined ? { bot_token: input.botToken } : {}),
    ...(input.webhookSecret !== undefined ? { webhook_secret: input.webhookSecret } : {}),
    ...(input.managersChatId !== undefined ? { managers_chat_id: input.managersChatId } : {}),
    ...(input.whatsappPhoneNumberId !== undefined ? { whatsapp_phone_number_id: input.whatsappPhoneNumberId } : {}),
    ...(input.whatsappTemplateName !== undefined ? { whatsapp_template_name: input.whatsappTemplateName } : {}),
    ...(input.settings !== undefined ? { settings: json(input.settings) } : {}),
    ...(input.scenarioId !== undefined ? { scenario_id: input.scenarioId } : {}),
  };
  const row = await db.insertInto('bot_configs').values({
    city_id: cityId, channel, settings: json(input.settings ?? {}),
    bot_token: input.botToken ?? null, webhook_secret: input.webhookSecret ?? null,
    managers_chat_id: input.managersChatId ?? null, whatsapp_phone_number_id: input.whatsappPhoneNumberId ?? null,
    whatsapp_template_name: input.whatsappTemplateName ?? null, scenario_id: input.scenarioId ?? null,
  }).onConflict((oc) => oc.constraint('bot_configs_city_channel').doUpdateSet((eb) => ({
    ...set, version: eb('bot_configs.version', '+', 1), updated_at: new Date(),
  }))).returningAll().executeTakeFirstOrThrow();
  return toConfig(row);
}
