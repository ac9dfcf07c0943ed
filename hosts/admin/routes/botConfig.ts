import * as v from 'valibot';
import { getBotConfig, getBotSecrets, upsertBotConfig, type BotConfig } from '../../../storage/repos/bot-configs.ts';
import { BOT_SETTING_SCHEMAS, type BotSettings } from '../../../storage/repos/bot-settings.ts';
import type { BotChannel } from '../../../storage/db/types.ts';
import type { Db } from '../../../storage/repos/common.ts';
import type { SecretBox } from '../../../storage/secrets.ts';
import { unprocessable } from '../http/errors.ts';
import { obj, ref } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Ctx, type Route } from '../http/route.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import { requireCity } from './lookup.ts';

/** `123456:…abcd` — enough to recognise a token, useless to anyone reading the screen. */
export function maskToken(token: string): string {
  const colon = token.indexOf(':');
  const tail = token.slice(-4);
  if (colon > 0) return `${token.slice(0, colon)}:…${tail}`;
  return token.length > 12 ? `${token.slice(0, 4)}…${tail}` : '…';
}

const nullableText = (schema: v.GenericSchema<string, string>) => v.optional(v.nullable(schema));
const nullableSetting = <S extends v.GenericSchema>(schema: S) => v.optional(v.nullable(schema));

/** settings a bot reads (null clears one); unknown keys are refused so typos do not silently do nothing */
const Settings = v.strictObject({
  model: nullableSetting(BOT_SETTING_SCHEMAS.model),
  maxTokens: nullableSetting(BOT_SETTING_SCHEMAS.maxTokens),
  templateLang: nullableSetting(BOT_SETTING_SCHEMAS.templateLang),
  templateLangs: nullableSetting(BOT_SETTING_SCHEMAS.templateLangs),
  templateParams: nullableSetting(BOT_SETTING_SCHEMAS.templateParams),
});

/** what only a WhatsApp number sends: refused on the Telegram channel rather than kept unread */
const WHATSAPP_ONLY = ['templateLang', 'templateLangs', 'templateParams'] as const;

const Body = v.strictObject({
  channel: v.picklist(['telegram', 'whatsapp'], 'channel is telegram or whatsapp'),
  botToken: nullableText(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^\d{5,15}:[A-Za-z0-9_-]{30,60}$/, 'a Telegram bot token looks like 123456789:AA…'),
    ),
  ),
  webhookSecret: nullableText(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,256}$/, 'webhook secret: 16–256 of A-Z a-z 0-9 _ -')),
  ),
  managersChatId: nullableText(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^-?\d{1,20}$/, 'managers chat id is a Telegram chat id such as -1001234567890'),
    ),
  ),
  whatsappPhoneNumberId: nullableText(
    v.pipe(v.string(), v.trim(), v.regex(/^\d{5,20}$/, 'WhatsApp phone number id is digits')),
  ),
  whatsappTemplateName: nullableText(
    v.pipe(v.string(), v.regex(/^[a-z0-9_]{1,512}$/, 'template names are lower-case a-z 0-9 _')),
  ),
  scenarioId: nullableText(
    v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'scenario id as in the scenario file')),
  ),
  settings: v.optional(Settings),
});

function mergeSettings(before: BotSettings, changes: v.InferOutput<typeof Settings>): BotSettings {
  const merged: Record<string, unknown> = { ...before };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete merged[name];
    else if (value !== undefined) merged[name] = value;
  }
  return merged as BotSettings;
}

type View = Omit<BotConfig, 'hasBotToken'> & { botToken: string | null };

async function view(db: Db, box: SecretBox | undefined, config: BotConfig | undefined): Promise<View | null> {
  if (!config) return null;
  const { hasBotToken: _has, ...rest } = config;
  const secrets = await getBotSecrets(db, config.cityId, config.channel, box);
  return { ...rest, botToken: secrets?.botToken ? maskToken(secrets.botToken) : null };
}

export function botConfigRoutes(api: Api): Route[] {
  const { db } = api;
  const box = api.deps.secrets;
  const read = (name: string) => async (c: Ctx) => {
    const city = await requireCity(db, param(c, name));
    const [telegram, whatsapp] = await Promise.all(
      (['telegram', 'whatsapp'] as BotChannel[]).map(async (ch) => view(db, box, await getBotConfig(db, city.id, ch))),
    );
    return c.json({ cityId: city.id, telegram, whatsapp });
  };
  const doc = {
    roles: ROLE_SETS.designers,
    tag: 'bot-config',
    response: ref('BotConfig'),
    errors: { 404: 'no such city' },
  } as const;
  return [
    route({
      ...doc,
      method: 'get',
      path: '/bot-config/:cityId',
      summary: "A city's bot configuration, both channels (tokens masked)",
      handler: read('cityId'),
    }),
    route({
      ...doc,
      method: 'get',
      path: '/cities/:id/bot-config',
      summary: 'Same as GET /bot-config/{cityId}',
      handler: read('id'),
    }),
    route({
      method: 'put',
      path: '/bot-config/:cityId',
      roles: ROLE_SETS.admins,
      tag: 'bot-config',
      summary: "Update one channel's bot configuration (new version, hot-reloaded)",
      description:
        'Omitted fields and settings stay as they are; null clears one. Settings: `model`, `maxTokens` (the model call that reads each shopper message), `templateLang`, `templateLangs` (other languages the template is approved in: a shopper speaking one gets it in theirs), `templateParams` (WhatsApp template outside the 24-hour window; WhatsApp only). The token is stored but only ever returned masked. Publishes `{ kind: "botConfig", cityId, version }` on zeta:reload. With an https PUBLIC_BASE_URL, saving a Telegram token registers the city\'s webhook (and clearing it removes the webhook).',
      body: Body,
      response: obj({ config: ref('BotChannelConfig') }),
      errors: { 404: 'no such city', 422: 'unknown scenario id, or template settings on Telegram' },
      handler: async (c, { body }) => {
        const city = await requireCity(db, param(c, 'cityId'));
        const { channel, settings, ...fields } = body;
        if (fields.scenarioId && api.deps.scenarios && !api.deps.scenarios.get(fields.scenarioId)) {
          throw unprocessable('unknown_scenario', `no scenario "${fields.scenarioId}"`, [
            { path: 'scenarioId', message: 'no such scenario' },
          ]);
        }
        if (channel === 'telegram' && settings) {
          const misplaced = WHATSAPP_ONLY.filter((name) => settings[name] !== undefined && settings[name] !== null);
          if (misplaced.length > 0)
            throw unprocessable(
              'whatsapp_only',
              'template settings apply to WhatsApp only',
              misplaced.map((name) => ({
                path: `settings.${name}`,
                message: 'only the WhatsApp channel sends templates',
              })),
            );
        }
        const before = await view(db, box, await getBotConfig(db, city.id, channel));
        const secretsBefore = channel === 'telegram' ? await getBotSecrets(db, city.id, channel, box) : undefined;
        const mergedSettings = settings ? mergeSettings(before?.settings ?? {}, settings) : undefined;
        const saved = await upsertBotConfig(
          db,
          city.id,
          channel,
          { ...fields, ...(mergedSettings ? { settings: mergedSettings } : {}) },
          box,
        );
        const after = await view(db, box, saved);
        await api.audit(c, { action: 'botConfig.update', entity: 'bot_config', entityId: saved.id, before, after });
        await api.reload({ kind: 'botConfig', cityId: city.id, version: saved.version });
        if (channel === 'telegram' && api.deps.onTelegramBotSaved) {
          const secretsAfter = await getBotSecrets(db, city.id, channel, box);
          await api.deps
            .onTelegramBotSaved({
              city: city.slug,
              ...(secretsBefore?.botToken ? { before: { token: secretsBefore.botToken } } : {}),
              ...(secretsAfter?.botToken
                ? {
                    after: {
                      token: secretsAfter.botToken,
                      ...(secretsAfter.webhookSecret ? { webhookSecret: secretsAfter.webhookSecret } : {}),
                    },
                  }
                : {}),
            })
            .catch((error: unknown) =>
              api.deps.log?.warn(
                { city: city.slug, err: error instanceof Error ? error.message : String(error) },
                'telegram webhook not updated',
              ),
            );
        }
        return c.json({ config: after });
      },
    }),
  ];
}
