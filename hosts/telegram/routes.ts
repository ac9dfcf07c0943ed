import { Hono } from 'hono';
import * as v from 'valibot';
import type { Logger } from '../runtime/ports.ts';
import { answerFailure } from '../channel/failure.ts';
import type { TelegramIntake } from './intake.ts';
import { secretMatches } from './registry.ts';
import { UpdateEnvelopeSchema } from './update.ts';
import { readBodyLimited } from '../http/body.ts';

export const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';
export const MAX_UPDATE_BYTES = 1024 * 1024;

/**
 * `POST /webhooks/telegram/:city`. A thin handler instead of grammY's `webhookCallback`: that
 * one answers malformed JSON with a 500 and would await our middleware; here every rejection has
 * its own status and nothing but the durable accept happens before the 200.
 *
 * Order of checks: unknown city 404 → secret 401 → size 413 → JSON 400 → accept → 200.
 * When the inbox could not store the update, the channels' failure policy answers (503 while the
 * store is down, else 500) and Telegram redelivers, which is what we want.
 */
export function telegramRoutes(intake: TelegramIntake, opts: { log: Logger; maxBodyBytes?: number }): Hono {
  const limit = opts.maxBodyBytes ?? MAX_UPDATE_BYTES;
  const app = new Hono();
  app.post('/webhooks/telegram/:city', async (c) => {
    const city = c.req.param('city');
    const bot = intake.registry.get(city);
    if (!bot) return c.json({ error: 'unknown city' }, 404);
    if (!secretMatches(bot.secret, c.req.header(SECRET_HEADER))) {
      opts.log.warn({ city }, 'telegram webhook: wrong or missing secret token');
      return c.json({ error: 'unauthorized' }, 401);
    }
    const body = await readBodyLimited(c.req.raw, limit);
    if (body === 'too-large') return c.json({ error: 'payload too large' }, 413);

    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return c.json({ error: 'malformed JSON' }, 400);
    }
    const envelope = v.safeParse(UpdateEnvelopeSchema, json);
    if (!envelope.success) return c.json({ error: 'not a Telegram Update (update_id missing)' }, 400);

    try {
      const outcome = await intake.handleUpdate(
        city,
        envelope.output as Record<string, unknown> & { update_id: number },
      );
      return c.json({ ok: true, outcome });
    } catch (error) {
      return answerFailure(c, error, opts.log, { channel: 'telegram', city, updateId: envelope.output.update_id });
    }
  });
  return app;
}
