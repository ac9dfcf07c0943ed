import type { StateBackend } from '../../storage/state/index.ts';
import type { TelegramBotSaved } from '../admin/deps.ts';
import type { Logger } from '../runtime/ports.ts';
import { deriveWebhookSecret, syncCityWebhook } from '../telegram/index.ts';
import type { PlatformConfig } from './config.ts';

/**
 * A bot saved in the panel gets its webhook at once; the claim lets one replica register a change.
 * Telegram only calls https webhooks, so without an https PUBLIC_BASE_URL there is nothing to do.
 */
export function telegramWebhookOnSave(
  config: PlatformConfig,
  state: StateBackend,
  log: Logger,
): { onTelegramBotSaved?: (change: TelegramBotSaved) => Promise<void> } {
  const publicBaseUrl = config.publicBaseUrl;
  if (!publicBaseUrl?.startsWith('https://')) return {};
  return {
    onTelegramBotSaved: async (change) => {
      const after = change.after && {
        token: change.after.token,
        secret: change.after.webhookSecret ?? config.telegram.webhookSecret ?? deriveWebhookSecret(change.after.token),
      };
      const reports = await syncCityWebhook(
        { city: change.city, ...(change.before ? { before: change.before } : {}), ...(after ? { after } : {}) },
        {
          publicBaseUrl,
          ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
          claim: (key) => state.idempotency.claim(key, 60),
        },
      );
      for (const r of reports)
        (r.ok ? log.info : log.warn).call(
          log,
          { city: r.city, detail: r.detail },
          r.ok ? 'telegram webhook updated' : 'telegram webhook not updated',
        );
    },
  };
}
