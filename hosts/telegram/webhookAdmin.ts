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
        await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES], max_connections: 40 });
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
        return { city, ok: true, detail: `${info.url || '(no webhook)'} · pending ${info.pending_update_count}${error}` };
      } catch (error) {
        return { city, ok: false, detail: describe(error) };
      }
    }),
  );
}
