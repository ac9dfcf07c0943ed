import type { Logger } from '../runtime/ports.ts';
import type { TelegramIntake } from './intake.ts';

export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export type PollingHandle = { stop(): Promise<void> };

/**
 * Long polling for local development (no public URL): `bot.start()` per city. grammY deletes the
 * webhook first; updates go through the same `TelegramIntake.handleUpdate` as webhooks do.
 */
export async function startTelegramPolling(intake: TelegramIntake, log: Logger): Promise<PollingHandle> {
  const running: Array<{ city: string; stop: () => Promise<void> }> = [];
  for (const entry of intake.registry.all()) {
    const { bot, city } = entry;
    bot.use(async (ctx) => {
      await intake.handleUpdate(city, ctx.update as unknown as Record<string, unknown> & { update_id: number });
    });
    bot.catch((error) => log.error({ city, err: error.message }, 'telegram polling: update failed'));
    const identity = await intake.registry.identity(city);
    if (!identity) {
      log.error({ city }, 'telegram polling not started: getMe failed');
      continue;
    }
    void bot
      .start({
        allowed_updates: [...ALLOWED_UPDATES],
        onStart: (me) => log.info({ city, bot: me.username }, 'telegram polling started'),
      })
      .catch((error: unknown) =>
        log.error({ city, err: error instanceof Error ? error.message : String(error) }, 'telegram polling stopped'),
      );
    running.push({ city, stop: () => bot.stop() });
  }
  return {
    async stop() {
      await Promise.all(running.map((r) => r.stop().catch(() => undefined)));
    },
  };
}
