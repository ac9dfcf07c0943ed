import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import * as v from 'valibot';
import { answerFailure } from '../channel/failure.ts';
import { readBodyLimited } from '../http/body.ts';
import { EnvelopeSchema } from './envelope.ts';
import { takeEnvelope, type WhatsAppIntakeOptions } from './intake.ts';
import { verifySignature } from './signature.ts';

/**
 * `GET /webhooks/whatsapp`: Meta's subscription check. `POST /webhooks/whatsapp`: signed
 * deliveries. The raw body (≤ 1 MB) is checked against X-Hub-Signature-256 before it is parsed;
 * messages are made durable in the runtime's inbox (intake.ts) and acknowledged at once — the
 * turns run after the 200. When they cannot be, the channels' failure policy answers (503 while
 * the store is down) and Meta delivers again.
 */

export type WhatsAppRoutesOptions = WhatsAppIntakeOptions & {
  verifyToken: string;
  appSecret: string;
  maxBodyBytes?: number;
  path?: string;
};

export const MAX_BODY_BYTES = 1024 * 1024;

/** compares digests, so neither the content nor the length of the verify token leaks through timing */
function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function whatsappRoutes(o: WhatsAppRoutesOptions): Hono {
  const app = new Hono();
  const path = o.path ?? '/webhooks/whatsapp';
  const maxBody = o.maxBodyBytes ?? MAX_BODY_BYTES;

  app.get(path, (c) => {
    const mode = c.req.query('hub.mode');
    const token = c.req.query('hub.verify_token');
    const challenge = c.req.query('hub.challenge') ?? '';
    if (mode === 'subscribe' && o.verifyToken && sameSecret(token, o.verifyToken)) {
      return c.text(challenge, 200, { 'content-type': 'text/plain; charset=utf-8' });
    }
    return c.text('Forbidden', 403);
  });

  app.post(path, async (c) => {
    let raw: Uint8Array | 'too-large';
    try {
      raw = await readBodyLimited(c.req.raw, maxBody);
    } catch {
      return c.text('Bad Request', 400);
    }
    if (raw === 'too-large') return c.text('Payload Too Large', 413);
    if (!verifySignature(raw, c.req.header('x-hub-signature-256'), o.appSecret)) {
      o.log.warn({ bytes: raw.byteLength }, 'whatsapp webhook: bad or missing signature');
      return c.text('Unauthorized', 401);
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    } catch {
      return c.text('Bad Request: malformed JSON', 400);
    }
    if (!json || typeof json !== 'object' || (json as { object?: unknown }).object !== 'whatsapp_business_account') {
      o.log.info(
        { object: (json as { object?: unknown } | null)?.object },
        'whatsapp webhook: not a WhatsApp Business Account event; ignored',
      );
      return c.text('ignored', 200);
    }
    const parsed = v.safeParse(EnvelopeSchema, json);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      o.log.warn({ issue: issue?.message, path: v.getDotPath(issue!) }, 'whatsapp webhook: envelope rejected');
      return c.text(`Bad Request: ${issue?.message ?? 'invalid envelope'} at ${v.getDotPath(issue!) ?? 'root'}`, 400);
    }
    try {
      await takeEnvelope(parsed.output, o);
    } catch (error) {
      return answerFailure(c, error, o.log, { channel: 'whatsapp' });
    }
    return c.text('EVENT_RECEIVED', 200);
  });

  return app;
}
