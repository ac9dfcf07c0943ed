import { productHandle } from '../../../engine/machine/handles.ts';
import { buildDemoCatalog } from '../../../storage/seed/catalog.ts';
import * as tg from '../../../hosts/telegram/testing/updates.ts';
import * as wa from '../../../hosts/whatsapp/testing/payloads.ts';

/**
 * Simulated shoppers: each one a short, realistic session (greeting → search → refine → cheaper →
 * details tap → sometimes a price alert, a photo of a price tag, «🛒 В корзину» and a whole checkout
 * to a placed order, or a call for a manager), on Telegram or WhatsApp. A session ends after its last message and the slot starts a new shopper
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
  /** share of sessions that put the product they looked at into the cart */
  cartShare: number;
  /** share of sessions that go on from the cart through the checkout to a placed order (≤ cartShare) */
  orderShare: number;
};

export const DEFAULT_MIX: Mix = {
  whatsappShare: 0.3,
  alertShare: 0.15,
  escalationShare: 0.03,
  photoShare: 0.002,
  cartShare: 0.2,
  orderShare: 0.05,
};

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
const CATALOG = buildDemoCatalog();
const DETAILS = CATALOG.map((p) => p.sku);
/** what a buyer looks at: a product in stock (a sold-out card has no «🛒 В корзину») */
const BUYABLE = CATALOG.filter((p) => p.available).map((p) => p.sku);
const ADDRESSES = ['Абая 10, кв. 5', 'мкр Самал-2, д. 33, кв. 17', 'Толе би 101', 'ул. Жандосова 58, кв. 120'];
const NAMES = ['Айгерим', 'Нурлан', 'Ольга', 'Данияр', 'Aliya'];

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
  const buys = rnd() < mix.cartShare;
  const sku = pick(buys ? BUYABLE : DETAILS);
  steps.push({ kind: 'tap', id: `p:${sku}`, title: sku, label: 'details' });
  if (rnd() < mix.alertShare) steps.push({ kind: 'tap', id: `a:${sku}`, title: 'Сообщить', label: 'alert' });
  if (rnd() < mix.photoShare) steps.push({ kind: 'photo', label: 'photo' });
  if (buys) {
    steps.push({ kind: 'tap', id: `c:${productHandle(sku)}`, title: '🛒 В корзину', label: 'cart' });
    if (rnd() < mix.orderShare / mix.cartShare) steps.push(...checkout(rnd, pick));
  }
  if (rnd() < 0.4) steps.push({ kind: 'text', text: 'ещё', label: 'more' });
  if (rnd() < mix.escalationShare) steps.push({ kind: 'text', text: 'позовите менеджера', label: 'escalation' });
  return steps;
}

/**
 * The shipped scenario's checkout, answered as a shopper does: delivery to an address or pickup at
 * the bench city's store, a name, a phone typed, payment on receipt or by Kaspi (a manager's
 * invoice: no payment server), then the confirmation. Taps go by button id (a channel reads the id;
 * the titles here only fill WhatsApp's field), so a designer's rewording does not break the bench.
 */
function checkout(rnd: () => number, pick: <T>(xs: readonly T[]) => T): Step[] {
  const pickup = rnd() < 0.4;
  const onReceipt = rnd() < 0.5;
  const digits = (n: number) => String(Math.floor(rnd() * 10 ** n)).padStart(n, '0');
  return [
    { kind: 'tap', id: 'checkout', title: '🧾 Оформить заказ', label: 'checkout' },
    pickup
      ? { kind: 'tap', id: 'f:pickup', title: 'pickup', label: 'delivery' }
      : { kind: 'tap', id: 'f:delivery', title: 'delivery', label: 'delivery' },
    pickup
      ? { kind: 'tap', id: 'f:dostyk', title: 'Dostyk Plaza', label: 'address' }
      : { kind: 'text', text: pick(ADDRESSES), label: 'address' },
    { kind: 'text', text: pick(NAMES), label: 'name' },
    { kind: 'text', text: `8 70${Math.floor(rnd() * 8)} ${digits(3)} ${digits(2)} ${digits(2)}`, label: 'phone' },
    {
      kind: 'tap',
      id: onReceipt ? (pickup ? 'f:at_pickup' : 'f:on_delivery') : 'f:kaspi',
      title: onReceipt ? '💵' : 'Kaspi',
      label: 'payment',
    },
    { kind: 'tap', id: 'f:confirm', title: 'confirm', label: 'place' },
  ];
}

/** the turns of a purchase after the product card: each needs the ones before it in the same chat */
const BUYING = new Set(['cart', 'checkout', 'delivery', 'address', 'name', 'phone', 'payment', 'place']);
const labelOf = (step: Step | undefined) => (step && step.kind !== 'start' ? step.label : '');

/**
 * Where a shopper who joins mid-visit may start (`pos` drawn at random): anywhere, but not between
 * the product card a purchase begins with and its last turn — a fresh chat has no cart, so its
 * «оформить» or «подтвердить» would time something else. Such a shopper starts at that card.
 */
export function joinAt(steps: readonly Step[], pos: number): number {
  const card = steps.findIndex((s) => labelOf(s) === 'details');
  const last = steps.findLastIndex((s) => BUYING.has(labelOf(s)));
  return card >= 0 && pos > card && pos <= last ? card : pos;
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
