import { createHash } from 'node:crypto';
import { Api } from 'grammy';
import { ALLOWED_UPDATES } from './polling.ts';
import type { BotRegistry } from './registry.ts';

export type WebhookReport = { city: string; ok: boolean; detail: string };

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Registers `<base>/webhooks/telegram/<city>` with each city's secret. */
export async function setWebhooks(registry: BotRegistry, publicBaseUrl: string): Promise<WebhookReport[]> {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return Promise.all(
    registry.all().map(async ({ city, bot, secret }) => {
      const url = `${base}/webhooks/telegram/${encodeURIComponent(city)}`;
      try {
        await bot.api.setWebhook(url, {
          secret_token: secret,
          allowed_updates: [...ALLOWED_UPDATES],
          max_connections: 40,
        });
        return { city, ok: true, detail: url };
      } catch (error) {
        return { city, ok: false, detail: describe(error) };
      }
    }),
  );
}

export async function deleteWebhooks(registry: BotRegistry): Promise<WebhookReport[]> {
  return Promise.all(
    registry.all().map(async ({ city, bot }) => {
      try {
        await bot.api.deleteWebhook();
        return { city, ok: true, detail: 'deleted' };
      } catch (error) {
        return { city, ok: false, detail: describe(error) };
      }
    }),
  );
}

export async function webhookInfo(registry: BotRegistry): Promise<WebhookReport[]> {
  return Promise.all(
    registry.all().map(async ({ city, bot }) => {
      try {
        const info = await bot.api.getWebhookInfo();
        const error = info.last_error_message ? ` · last error: ${info.last_error_message}` : '';
        return {
          city,
          ok: true,
          detail: `${info.url || '(no webhook)'} · pending ${info.pending_update_count}${error}`,
        };
      } catch (error) {
        return { city, ok: false, detail: describe(error) };
      }
    }),
  );
}

/** a city's Telegram bot as saved in the panel: the token it had, and the token and secret it has now */
export type CityBotChange = { city: string; before?: { token: string }; after?: { token: string; secret: string } };

const fingerprint = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);

/**
 * Points Telegram at `<base>/webhooks/telegram/<city>` when a city's bot is saved, and takes the
 * webhook off a token the city no longer uses. Telegram only calls https; any other base URL does
 * nothing. `claim` (the state backend's, shared by replicas) lets one caller per change do it.
 */
export async function syncCityWebhook(
  change: CityBotChange,
  o: { publicBaseUrl: string; apiRoot?: string; claim: (key: string) => Promise<boolean> },
): Promise<WebhookReport[]> {
  if (!o.publicBaseUrl.startsWith('https://')) return [];
  const reports: WebhookReport[] = [];
  const api = (token: string) => new Api(token, { ...(o.apiRoot ? { apiRoot: o.apiRoot } : {}) });
  const { city, before, after } = change;
  if (
    before &&
    before.token !== after?.token &&
    (await o.claim(`telegram-webhook:delete:${city}:${fingerprint(before.token)}`))
  ) {
    try {
      await api(before.token).deleteWebhook();
      reports.push({ city, ok: true, detail: 'deleted' });
    } catch (error) {
      reports.push({ city, ok: false, detail: describe(error) });
    }
  }
  if (after) {
    const url = `${o.publicBaseUrl.replace(/\/+$/, '')}/webhooks/telegram/${encodeURIComponent(city)}`;
    if (await o.claim(`telegram-webhook:set:${city}:${fingerprint(after.token, after.secret, url)}`)) {
      try {
        await api(after.token).setWebhook(url, {
          secret_token: after.secret,
          allowed_updates: [...ALLOWED_UPDATES],
          max_connections: 40,
        });
        reports.push({ city, ok: true, detail: url });
      } catch (error) {
        reports.push({ city, ok: false, detail: describe(error) });
      }
    }
  }
  return reports;
}
