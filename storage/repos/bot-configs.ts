import type { BotChannel, BotConfigRow } from '../db/types.ts';
import { PLAIN_SECRETS, type SecretBox } from '../secrets.ts';
import { readBotSettings, type BotSettings } from './bot-settings.ts';
import { json, type Db } from './common.ts';

/** A bot configuration as repositories return it: the token itself never leaves storage. */
export type BotConfig = {
  id: string;
  cityId: string;
  channel: BotChannel;
  hasBotToken: boolean;
  hasWebhookSecret: boolean;
  managersChatId?: string;
  whatsappPhoneNumberId?: string;
  whatsappTemplateName?: string;
  settings: BotSettings;
  scenarioId?: string;
  version: number;
  updatedAt: string;
};

export type BotConfigInput = {
  botToken?: string | null;
  webhookSecret?: string | null;
  managersChatId?: string | null;
  whatsappPhoneNumberId?: string | null;
  whatsappTemplateName?: string | null;
  settings?: BotSettings;
  scenarioId?: string | null;
};

const toConfig = (r: BotConfigRow): BotConfig => ({
  id: r.id,
  cityId: r.city_id,
  channel: r.channel,
  hasBotToken: !!r.bot_token,
  hasWebhookSecret: !!r.webhook_secret,
  ...(r.managers_chat_id ? { managersChatId: r.managers_chat_id } : {}),
  ...(r.whatsapp_phone_number_id ? { whatsappPhoneNumberId: r.whatsapp_phone_number_id } : {}),
  ...(r.whatsapp_template_name ? { whatsappTemplateName: r.whatsapp_template_name } : {}),
  settings: readBotSettings(r.settings),
  ...(r.scenario_id ? { scenarioId: r.scenario_id } : {}),
  version: r.version,
  updatedAt: r.updated_at.toISOString(),
});

export async function listBotConfigs(db: Db, cityId?: string): Promise<BotConfig[]> {
  let q = db.selectFrom('bot_configs').selectAll().orderBy('city_id').orderBy('channel');
  if (cityId) q = q.where('city_id', '=', cityId);
  return (await q.execute()).map(toConfig);
}

export async function getBotConfig(db: Db, cityId: string, channel: BotChannel): Promise<BotConfig | undefined> {
  const row = await db
    .selectFrom('bot_configs')
    .selectAll()
    .where('city_id', '=', cityId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return row && toConfig(row);
}

/** what a sealed secret is bound to: copied to another row or column, it does not open */
const secretContext = (cityId: string, channel: BotChannel, column: 'bot_token' | 'webhook_secret') =>
  `bot_configs/${cityId}/${channel}/${column}`;

/** For the channel host only: the secrets it needs to talk to the platform (opened with `box`). */
export async function getBotSecrets(
  db: Db,
  cityId: string,
  channel: BotChannel,
  box: SecretBox = PLAIN_SECRETS,
): Promise<{ botToken?: string; webhookSecret?: string } | undefined> {
  const row = await db
    .selectFrom('bot_configs')
    .select(['bot_token', 'webhook_secret'])
    .where('city_id', '=', cityId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ...(row.bot_token ? { botToken: box.open(row.bot_token, secretContext(cityId, channel, 'bot_token')) } : {}),
    ...(row.webhook_secret
      ? { webhookSecret: box.open(row.webhook_secret, secretContext(cityId, channel, 'webhook_secret')) }
      : {}),
  };
}

/**
 * Seals with the current key the secrets still stored plain (written before SECRETS_KEY was set) or
 * under a previous key (SECRETS_KEY_PREVIOUS); returns how many rows changed. Idempotent: run at
 * every start with a key.
 */
export async function sealBotSecrets(db: Db, box: SecretBox): Promise<number> {
  if (!box.sealing) return 0;
  let sealed = 0;
  const rows = await db
    .selectFrom('bot_configs')
    .select(['id', 'city_id', 'channel', 'bot_token', 'webhook_secret'])
    .execute();
  for (const row of rows) {
    const plain = (column: 'bot_token' | 'webhook_secret') => {
      const value = row[column];
      const context = secretContext(row.city_id, row.channel, column);
      return value && !box.current(value, context) ? box.open(value, context) : undefined;
    };
    const token = plain('bot_token');
    const secret = plain('webhook_secret');
    if (token === undefined && secret === undefined) continue;
    await db
      .updateTable('bot_configs')
      .where('id', '=', row.id)
      .set({
        ...(token !== undefined
          ? { bot_token: box.seal(token, secretContext(row.city_id, row.channel, 'bot_token')) }
          : {}),
        ...(secret !== undefined
          ? { webhook_secret: box.seal(secret, secretContext(row.city_id, row.channel, 'webhook_secret')) }
          : {}),
      })
      .execute();
    sealed++;
  }
  return sealed;
}

/** Creates or updates (version + 1) the config of one city and channel; omitted fields stay as they are. Secrets are sealed with `box`. */
export async function upsertBotConfig(
  db: Db,
  cityId: string,
  channel: BotChannel,
  plainInput: BotConfigInput,
  box: SecretBox = PLAIN_SECRETS,
): Promise<BotConfig> {
  const sealed = (value: string | null | undefined, column: 'bot_token' | 'webhook_secret') =>
    value ? box.seal(value, secretContext(cityId, channel, column)) : value;
  const input = {
    ...plainInput,
    botToken: sealed(plainInput.botToken, 'bot_token'),
    webhookSecret: sealed(plainInput.webhookSecret, 'webhook_secret'),
  };
  const set = {
    ...(input.botToken !== undefined ? { bot_token: input.botToken } : {}),
    ...(input.webhookSecret !== undefined ? { webhook_secret: input.webhookSecret } : {}),
    ...(input.managersChatId !== undefined ? { managers_chat_id: input.managersChatId } : {}),
    ...(input.whatsappPhoneNumberId !== undefined ? { whatsapp_phone_number_id: input.whatsappPhoneNumberId } : {}),
    ...(input.whatsappTemplateName !== undefined ? { whatsapp_template_name: input.whatsappTemplateName } : {}),
    ...(input.settings !== undefined ? { settings: json(input.settings) } : {}),
    ...(input.scenarioId !== undefined ? { scenario_id: input.scenarioId } : {}),
  };
  const row = await db
    .insertInto('bot_configs')
    .values({
      city_id: cityId,
      channel,
      settings: json(input.settings ?? {}),
      bot_token: input.botToken ?? null,
      webhook_secret: input.webhookSecret ?? null,
      managers_chat_id: input.managersChatId ?? null,
      whatsapp_phone_number_id: input.whatsappPhoneNumberId ?? null,
      whatsapp_template_name: input.whatsappTemplateName ?? null,
      scenario_id: input.scenarioId ?? null,
    })
    .onConflict((oc) =>
      oc.constraint('bot_configs_city_channel').doUpdateSet((eb) => ({
        ...set,
        version: eb('bot_configs.version', '+', 1),
        updated_at: new Date(),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toConfig(row);
}
