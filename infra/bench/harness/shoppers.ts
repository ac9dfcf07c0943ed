import { buildDemoCatalog } from '../../../storage/seed/catalog.ts';
import * as tg from '../../../hosts/telegram/testing/updates.ts';
import * as wa from '../../../hosts/whatsapp/testing/payloads.ts';

/**
 * Simulated shoppers: each one a short, realistic session (greeting → search → refine → cheaper →
 * details tap → sometimes a price alert, a photo of a price tag or a call for a manager), on
 * Telegram or WhatsApp. A session ends after its last message and the slot starts a new shopper
 * (a fresh chat), so escalated conversations — where the bot is paused — are never messaged again.
 */

export type Channel = 'telegram' | 'whatsapp';

export type Step =
  | { kind: 'start' }
  | { kind: 'text'; text: string; label: string }
  | { kind: 'tap'; id: string; title: string; label: string }
  | { kind: 'photo'; label: string };

export type Mix = {
  /** share of shoppers on WhatsApp (the rest on Telegram) */
  whatsappShare: number;
  /** share of sessions that subscribe to a price alert */
  alertShare: number;
  /** share of sessions that end by asking for a manager */
  escalationShare: number;
  /** share of sessions that send a photo of a price tag (OCR; reported separately) */
  photoShare: number;
};

export const DEFAULT_MIX: Mix = { whatsappShare: 0.3, alertShare: 0.15, escalationShare: 0.03, photoShare: 0.002 };

const SEARCHES = [
  'хочу красный диван до 150000',
  'покажи серые кресла',
  'кровать двуспальная до 200 тыс',
  'нужен шкаф белый',
  'ищу обеденный стол из дуба',
  'sofa under 200k',
  'диван кожаный',
];
const REFINES = ['а синий есть?', 'а бежевый?', 'из велюра', 'а зелёный есть?', 'а побольше есть?'];
const CHEAPER = ['подешевле', 'есть дешевле?', 'слишком дорого'];
/** any product of the demo catalog (510 SKUs), so the bots' product cache is not flattered by a few favourites */
const DETAILS = buildDemoCatalog().map((p) => p.sku);

/** a deterministic PRNG so every run sends the same mix */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

export function session(rnd: () => number, mix: Mix): Step[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const steps: Step[] = [];
  steps.push(
    rnd() < 0.5
      ? { kind: 'start' }
      : { kind: 'text', text: pick(['привет', 'здравствуйте', 'салем', 'добрый день']), label: 'greeting' },
  );
  steps.push({ kind: 'text', text: pick(SEARCHES), label: 'search' });
  steps.push({ kind: 'text', text: pick(REFINES), label: 'refine' });
  steps.push({ kind: 'text', text: pick(CHEAPER), label: 'cheaper' });
  const sku = pick(DETAILS);
  steps.push({ kind: 'tap', id: `p:${sku}`, title: sku, label: 'details' });
  if (rnd() < mix.alertShare) steps.push({ kind: 'tap', id: `a:${sku}`, title: 'Сообщить', label: 'alert' });
  if (rnd() < mix.photoShare) steps.push({ kind: 'photo', label: 'photo' });
  if (rnd() < 0.4) steps.push({ kind: 'text', text: 'ещё', label: 'more' });
  if (rnd() < mix.escalationShare) steps.push({ kind: 'text', text: 'позовите менеджера', label: 'escalation' });
  return steps;
}

/** a request the generator posts to the server */
export type Outgoing = { path: string; body: string; headers: Record<string, string>; chat: string; label: string };

export type Channels = {
  telegramSecret: string;
  telegramCity: string;
  whatsappPhoneId: string;
  whatsappAppSecret: string;
  /** a Telegram file id / WhatsApp media id of the price-tag photo the sink serves */
  photoId: string;
};

/** The chat a shopper writes from, as `Outgoing.chat` names it. */
export function chatOf(channel: Channel, shopperNo: number): string {
  return channel === 'telegram' ? `tg:${500_000_000 + shopperNo}` : `wa:${77_000_000_000 + shopperNo}`;
}

/** The webhook request for one step of one shopper (chat numbers are unique per shopper). */
export function webhookFor(channel: Channel, shopperNo: number, updateId: number, step: Step, c: Channels): Outgoing {
  if (channel === 'telegram') {
    const chatId = 500_000_000 + shopperNo;
    const person = tg.shopper(chatId, 'Покупатель');
    const update =
      step.kind === 'start'
        ? tg.commandUpdate(updateId, person, '/start')
        : step.kind === 'text'
          ? tg.textUpdate(updateId, person, step.text)
          : step.kind === 'tap'
            ? tg.callbackUpdate(updateId, person, step.id)
            : tg.photoUpdate(updateId, person, c.photoId);
    return {
      path: `/webhooks/telegram/${c.telegramCity}`,
      body: JSON.stringify(update),
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': c.telegramSecret },
      chat: chatOf(channel, shopperNo),
      label: `tg ${step.kind === 'start' ? 'greeting' : step.label}`,
    };
  }
  const waId = String(77_000_000_000 + shopperNo);
  const spec: wa.InboundSpec =
    step.kind === 'start'
      ? { type: 'text', body: 'Здравствуйте' }
      : step.kind === 'text'
        ? { type: 'text', body: step.text }
        : step.kind === 'tap'
          ? step.id.startsWith('p:')
            ? { type: 'list_reply', id: step.id, title: step.title }
            : { type: 'button_reply', id: step.id, title: step.title }
          : { type: 'image', mediaId: c.photoId, mime: 'image/png' };
  const body = wa.envelope(
    { phoneNumberId: c.whatsappPhoneId },
    { messages: [wa.message(spec, { from: waId, id: `wamid.LOAD${updateId}` })] },
  );
  const signed = wa.signedRequest(body, c.whatsappAppSecret);
  return {
    path: '/webhooks/whatsapp',
    body: signed.body,
    headers: signed.headers,
    chat: chatOf(channel, shopperNo),
    label: `wa ${step.kind === 'start' ? 'greeting' : step.label}`,
  };
}

/** WhatsApp's delivery status webhook for a message the server sent (one status per webhook, as the Cloud API posts them) */
export function statusWebhookFor(
  wamid: string,
  to: string,
  status: 'sent' | 'delivered' | 'read',
  c: Channels,
): Outgoing {
  const body = wa.envelope(
    { phoneNumberId: c.whatsappPhoneId },
    { statuses: [wa.status({ id: wamid, status, recipient: to })] },
  );
  const signed = wa.signedRequest(body, c.whatsappAppSecret);
  return {
    path: '/webhooks/whatsapp',
    body: signed.body,
    headers: signed.headers,
    chat: `wa:${to}`,
    label: `wa status ${status}`,
  };
}
